"""Kernel Inception Distance (KID; Bińkowski, Sutherland, Arbel & Gretton 2018): notebook 09.

KID is the squared maximum mean discrepancy (MMD²) between two feature sets under the polynomial
kernel ``k(x, y) = (x·y / d + 1)³`` (d = feature dimension), estimated *without bias*::

    KID = 1/(n(n−1)) Σ_{i≠j} k(a_i, a_j) + 1/(m(m−1)) Σ_{i≠j} k(b_i, b_j) − 2/(nm) Σ_{i,j} k(a_i, b_j)

Each term is a U-statistic (the diagonal k(a_i, a_i) is left out), so its expectation is the population
MMD² at every sample size: for two samples of one distribution it is 0 on average (a single estimate can be
slightly negative), whereas FID of two such samples is biased upwards by about c/n. Bińkowski et al.
average the estimate over random subsets of 1,000 samples; ``subsets`` / ``subset_size`` do that here
(torchmetrics' ``KernelInceptionDistance`` uses the same kernel and estimator, on equal subset sizes).
"""
from __future__ import annotations

import numbers

import numpy as np

from course_lib._checks import check_int
from course_lib.evaluation.fid import _features, one_blas_thread

__all__ = ["polynomial_kernel", "mmd2_unbiased", "kernel_inception_distance"]


def polynomial_kernel(a: np.ndarray, b: np.ndarray, degree: int = 3, coef: float = 1.0) -> np.ndarray:
    """(n, m) matrix of ``(a_i·b_j / d + coef) ** degree`` for a (n, d), b (m, d)."""
    with one_blas_thread():
        return (a @ b.T / a.shape[1] + coef) ** degree


def mmd2_unbiased(k_aa: np.ndarray, k_bb: np.ndarray, k_ab: np.ndarray) -> float:
    """Unbiased MMD² from the three kernel matrices (n, n), (m, m), (n, m) (diagonals of k_aa, k_bb unused)."""
    n, m = len(k_aa), len(k_bb)
    sum_aa = k_aa.sum() - np.trace(k_aa)
    sum_bb = k_bb.sum() - np.trace(k_bb)
    return float(sum_aa / (n * (n - 1)) + sum_bb / (m * (m - 1)) - 2.0 * k_ab.mean())


def kernel_inception_distance(feats_a, feats_b, *, degree: int = 3, coef: float = 1.0, subsets: int = 1,
                              subset_size: int | None = None, seed: int = 0) -> float:
    """KID between feature sets (n_a, d) and (n_b, d) (numpy or torch): the unbiased polynomial-kernel MMD².

    With ``subset_size`` the estimate is averaged over ``subsets`` random subsets of that size drawn from
    each set without replacement (Bińkowski et al.: 100 subsets of 1,000); by default one estimate on the
    whole sets (any sizes ≥ 2). Can be slightly negative when the two sets come from one distribution.
    """
    fn = "kernel_inception_distance"
    a = _features(feats_a, "feats_a", fn)
    b = _features(feats_b, "feats_b", fn)
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"{fn}: feats_a and feats_b must have the same dimension d, got shapes {a.shape} and {b.shape}")
    degree = check_int(degree, f"{fn}: degree", min_value=1)
    subsets = check_int(subsets, f"{fn}: subsets", min_value=1)
    if isinstance(coef, bool) or not isinstance(coef, numbers.Real) or not np.isfinite(coef):
        raise TypeError(f"{fn}: coef must be a finite number, got {coef!r}")
    if subset_size is None:
        if subsets != 1:
            raise ValueError(f"{fn}: subsets = {subsets} needs a subset_size")
        pairs = [(a, b)]
    else:
        size = check_int(subset_size, f"{fn}: subset_size", min_value=2)
        if size > min(len(a), len(b)):
            raise ValueError(f"{fn}: subset_size = {size} is larger than a set (sizes {len(a)} and {len(b)})")
        rng = np.random.default_rng(check_int(seed, f"{fn}: seed", min_value=0))
        pairs = [(a[rng.choice(len(a), size, replace=False)], b[rng.choice(len(b), size, replace=False)])
                 for _ in range(subsets)]
    vals = [mmd2_unbiased(polynomial_kernel(x, x, degree, coef), polynomial_kernel(y, y, degree, coef),
                          polynomial_kernel(x, y, degree, coef)) for x, y in pairs]
    return float(np.mean(vals))
