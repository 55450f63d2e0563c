"""Solutions to the exercises of 09_evaluating_generative_models."""
from __future__ import annotations

import numpy as np


def frechet_distance(feats_a, feats_b):
    """Exercise 1. Gaussian fit of each set, then ‖μ_a − μ_b‖² + tr Σ_a + tr Σ_b − 2 tr (Σ_a^{1/2} Σ_b Σ_a^{1/2})^{1/2}.
    np.cov of a single column is a 0-d array: np.atleast_2d keeps the d = 1 case a (1, 1) matrix."""
    s_a = np.atleast_2d(np.cov(feats_a, rowvar=False))
    s_b = np.atleast_2d(np.cov(feats_b, rowvar=False))
    w, v = np.linalg.eigh(s_a)
    root_a = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    lam = np.linalg.eigvalsh(root_a @ s_b @ root_a)
    diff = feats_a.mean(0) - feats_b.mean(0)
    return float(diff @ diff + np.trace(s_a) + np.trace(s_b) - 2 * np.sqrt(np.clip(lam, 0, None)).sum())


def _distances(a, b):
    return np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1))


def _radii(x, k):
    """Distance from each point to its k-th nearest *other* point (column 0 of the sorted row is itself)."""
    return np.sort(_distances(x, x), axis=1)[:, k]


def knn_precision(real, fake, k):
    """Exercise 2. The fraction of fake points inside at least one real k-NN ball."""
    return float((_distances(real, fake) <= _radii(real, k)[:, None]).any(0).mean())


def coverage(real, fake, k):
    """Exercise 3. The fraction of real points whose k-NN ball holds at least one fake point."""
    return float((_distances(real, fake).min(1) <= _radii(real, k)).mean())


def fid_infinity(ns, fids):
    """Exercise 4. Least-squares line of FID_n against 1/n; its intercept is the value at n = ∞."""
    slope, intercept = np.polyfit(1.0 / np.asarray(ns, dtype=float), np.asarray(fids, dtype=float), 1)
    return float(intercept)
