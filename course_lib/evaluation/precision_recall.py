"""Precision and recall of distributions, density and coverage (notebook 09).

All four compare real features X (N, d) with generated features Y (M, d) through k-nearest-neighbour
balls B(x, r_k(x)), r_k(x) = distance from x to its k-th nearest neighbour in its own set (itself excluded):

* precision (Kynkäänniemi et al. 2019): fraction of generated Y_j inside *some* real ball, "are the
  samples realistic";
* recall: fraction of real X_i inside some generated ball (radii from the generated set), "is all of
  the data covered";
* density (Naeem et al. 2020): (1 / kM) Σ_j #{i : Y_j ∈ B(X_i, r_k(X_i))}, how many real balls a sample
  falls in, divided by k (≈ 1 when Y is distributed like X; not capped at 1);
* coverage (Naeem et al. 2020): fraction of real X_i whose ball contains at least one Y_j. Uses only
  real balls, so it is robust to generated outliers, unlike recall.

**Boundary convention.** The course counts a point *on* a ball's boundary as inside (``<=``); the reference
code of Naeem et al. (the ``prdc`` package) uses ``<``; pass ``strict=True`` for that. For continuous
features a tie has probability 0 and the two agree; they differ when samples are exact copies of real
points. A copy of X_i is in its own ball (distance 0) and in the balls of the real points that count X_i
among their k nearest neighbours; the k-th of those has it exactly on the boundary. So the real set scored
against itself has density (k + 1)/k with ``<=`` and 1 with ``<``, and coverage and precision of copies
can also differ slightly (tests/test_evaluation_precision_recall.py states the difference).

Distances are Euclidean, computed with numpy in float64 so results are deterministic and
reproducible; ``real_radii`` can be passed to reuse a precomputation (the metric sandbox widget does).
"""
from __future__ import annotations

import numpy as np
import torch

from course_lib._checks import as_tensor, check_int
from course_lib.evaluation.fid import _features, one_blas_thread

__all__ = ["pairwise_distances", "knn_radii", "precision_recall", "density_coverage", "prdc",
           "nearest_neighbour_ratio"]


def pairwise_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Euclidean distances (n, m) between rows of a (n, d) and b (m, d), via ‖a‖² + ‖b‖² − 2ab (clipped at 0)."""
    with one_blas_thread():
        ab = a @ b.T
    sq = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * ab
    return np.sqrt(np.clip(sq, 0.0, None))


def knn_radii(feats, k: int = 5) -> np.ndarray:
    """Distance from each row of feats (n, d) to its k-th nearest *other* row: (n,)."""
    x = _features(feats, "feats", "knn_radii")
    k = check_int(k, "k", min_value=1, max_value=len(x) - 1)
    d = pairwise_distances(x, x)
    np.fill_diagonal(d, np.inf)  # exclude the point itself
    return np.partition(d, k - 1, axis=1)[:, k - 1]


def _inside(d: np.ndarray, radii: np.ndarray, strict: bool) -> np.ndarray:
    """d < radii (strict, the ``prdc`` package) or d <= radii (the course's default), broadcast."""
    return d < radii if strict else d <= radii


def _pair(real, fake, k, fname, strict=False):
    if not isinstance(strict, (bool, np.bool_)):
        raise TypeError(f"{fname}: strict must be True or False, got {strict!r}")
    x = _features(real, "real", fname)
    y = _features(fake, "fake", fname)
    if x.shape[1] != y.shape[1]:
        raise ValueError(f"{fname}: real and fake must have the same dimension d, got {x.shape} and {y.shape}")
    check_int(k, "k", min_value=1, max_value=min(len(x), len(y)) - 1)
    return x, y


def precision_recall(real, fake, k: int = 5, *, real_radii=None, strict: bool = False) -> tuple[float, float]:
    """k-NN precision and recall (Kynkäänniemi et al. 2019) of fake (M, d) against real (N, d).

    ``strict=True``: a point on a ball's boundary is outside, as in the ``prdc`` package (module docstring)."""
    x, y = _pair(real, fake, k, "precision_recall", strict)
    rx = knn_radii(x, k) if real_radii is None else np.asarray(real_radii, np.float64)
    ry = knn_radii(y, k)
    d = pairwise_distances(x, y)  # (N, M)
    precision = float(_inside(d, rx[:, None], strict).any(0).mean())  # sample j is inside some real ball
    recall = float(_inside(d, ry[None, :], strict).any(1).mean())  # real i is inside some generated ball
    return precision, recall


def _radii(r, n: int, fn: str) -> np.ndarray:
    """``real_radii``: n finite distances ≥ 0 (a negative radius is a ball that holds nothing)."""
    if isinstance(r, str) or not isinstance(r, (np.ndarray, list, tuple)) and not hasattr(r, "__array__"):
        raise TypeError(f"{fn}: real_radii must be an array of {n} radii, got {type(r).__name__}")
    try:
        r = np.asarray(r, np.float64)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{fn}: real_radii must be an array of {n} radii: {err}") from None
    if r.shape != (n,):
        raise ValueError(f"{fn}: real_radii must have shape ({n},), got {r.shape}")
    if not np.isfinite(r).all() or (r < 0).any():
        raise ValueError(f"{fn}: real_radii must be finite distances >= 0, got min {np.nanmin(r) if n else 0:.4g}")
    return r


def density_coverage(real, fake, k: int = 5, *, real_radii=None, strict: bool = False) -> tuple[float, float]:
    """Density and coverage (Naeem et al. 2020) of fake (M, d) against real (N, d); real balls only.

    ``strict=True``: a point on a ball's boundary is outside, as in the ``prdc`` package (module docstring)."""
    x, y = _pair(real, fake, k, "density_coverage", strict)
    rx = knn_radii(x, k) if real_radii is None else _radii(real_radii, len(x), "density_coverage")
    inside = _inside(pairwise_distances(x, y), rx[:, None], strict)  # (N, M)
    density = float(inside.sum() / (k * len(y)))
    coverage = float(inside.any(1).mean())
    return density, coverage


def prdc(real, fake, k: int = 5, *, real_radii=None, strict: bool = False) -> dict[str, float]:
    """All four at once (one distance matrix): {"precision", "recall", "density", "coverage"}.

    ``strict=True``: a point on a ball's boundary is outside, as in the ``prdc`` package (module docstring)."""
    x, y = _pair(real, fake, k, "prdc", strict)
    rx = knn_radii(x, k) if real_radii is None else _radii(real_radii, len(x), "prdc")
    ry = knn_radii(y, k)
    d = pairwise_distances(x, y)  # (N, M)
    inside_real = _inside(d, rx[:, None], strict)
    return {"precision": float(inside_real.any(0).mean()),
            "recall": float(_inside(d, ry[None, :], strict).any(1).mean()),
            "density": float(inside_real.sum() / (k * len(y))),
            "coverage": float(inside_real.any(1).mean())}


def nearest_neighbour_ratio(samples, train, heldout) -> float:
    """Median pixel distance sample → nearest training image, over the same for held-out real images.

    Shapes: (n, ...), (N_train, ...), (m, ...), flattened to pixels. ≈ 1: samples are as far from the
    training set as new real images are; → 0: the model reproduces training images (memorisation).
    """
    def flat(t, name, d=None):  # (n, ...) → (n, d) float64, checked: any real values (the ratio is scale-free)
        t = as_tensor(t, f"nearest_neighbour_ratio: {name}", dtype=torch.float64)
        if t.ndim < 2 or len(t) == 0:
            raise ValueError(f"nearest_neighbour_ratio: {name} must be a non-empty batch (n, ...) of examples, "
                             f"got shape {tuple(t.shape)}")
        if not torch.isfinite(t).all():
            raise ValueError(f"nearest_neighbour_ratio: {name} contains NaN or inf values")
        t = t.reshape(len(t), -1)
        if d is not None and t.shape[1] != d:
            raise ValueError(f"nearest_neighbour_ratio: {name} has {t.shape[1]} values per example, train has {d}")
        return t.cpu().numpy()

    tr = flat(train, "train")
    return float(np.median(pairwise_distances(flat(samples, "samples", tr.shape[1]), tr).min(1))
                 / np.median(pairwise_distances(flat(heldout, "heldout", tr.shape[1]), tr).min(1)))
