"""Sample-quality metrics shared by the notebooks.

* :func:`emd`: exact Earth Mover's (Wasserstein-1) distance between point clouds (06_wasserstein_gans);
* :func:`mode_coverage`: modes covered and high-quality fraction on mixtures of Gaussians (05_gans).

Notebook 09's metrics have modules of their own (``fid``, ``precision_recall``, ``features``).
"""
from __future__ import annotations

from typing import NamedTuple

import torch

from course_lib._checks import as_points, check_float, check_int

__all__ = ["emd", "Coverage", "mode_coverage", "CoverageStats", "MIN_SHARE", "mode_statistics", "noise_baselines"]


# --------------------------------------------------------------------------- Earth Mover's distance
def emd(x, y) -> float:
    """Exact EMD(P̂, Q̂) with Euclidean ground cost between two clouds of shape (n, d), uniform weights.

    Solved as an assignment problem (see :mod:`course_lib.evaluation.optimal_transport`); O(n³), fine up to
    n ≈ 2,000 (about a second).
    """
    from course_lib.evaluation.optimal_transport import transport_plan

    return transport_plan(x, y).cost


# --------------------------------------------------------------------------- mode coverage
class Coverage(NamedTuple):
    """``modes``: modes covered (int); ``high_quality``: fraction of samples within 3·std of a mode."""

    modes: int
    high_quality: float


def mode_coverage(samples, centers, std: float, *, threshold: float = 3.0) -> Coverage:
    """Modes covered and high-quality fraction of ``samples`` (n, d) for a mixture with ``centers`` (k, d).

    The standard definition (VEEGAN, Srivastava et al. 2017; PacGAN, Lin et al. 2018): a sample is
    *high-quality* when it lies within ``threshold``·std (3σ) of its nearest mode; a mode is *covered*
    when it is the nearest mode of at least one high-quality sample. The notebooks use 2,500 samples.
    """
    x = as_points(samples, "samples").detach().cpu().double()
    c = as_points(centers, "centers").detach().cpu().double()
    if x.shape[1] != c.shape[1]:
        raise ValueError(f"samples and centers must have the same dimension, got {x.shape[1]} and {c.shape[1]}")
    std = check_float(std, "std", min_value=0.0, strict_min=True)
    threshold = check_float(threshold, "threshold", min_value=0.0, strict_min=True)
    dist = torch.cdist(x, c)  # (n, k)
    nearest_d, nearest = dist.min(dim=1)
    good = nearest_d <= threshold * std
    covered = int(torch.unique(nearest[good]).numel())
    return Coverage(covered, float(good.double().mean()))


# --------------------------------------------------------------------------- collapse vs noise
class CoverageStats(NamedTuple):
    """The three PacGAN columns plus the share rule (:func:`mode_statistics`).

    ``modes``: modes with at least one high-quality sample (VEEGAN/PacGAN); ``high_quality``: fraction of
    samples within 3σ of a mode; ``modes_min_share``: modes holding at least ``min_share`` of a fair share
    (n / k) of the samples as high-quality samples; ``reverse_kl``: KL(p̂ ‖ uniform) in nats between the
    histogram p̂ of the high-quality samples over the k modes and the uniform one (0 = even spread, ln k =
    all on one mode; NaN when no sample is high-quality).
    """

    modes: int
    high_quality: float
    modes_min_share: int
    reverse_kl: float


#: the share rule's default: a mode counts when its high-quality samples are at least a quarter of the
#: n / k a perfect sampler puts there (2,500 samples on the ring: 79 of the 312; on the grid: 25 of 100)
MIN_SHARE = 0.25


def mode_statistics(samples, centers, std: float, *, threshold: float = 3.0,
                    min_share: float = MIN_SHARE) -> CoverageStats:
    """Mode coverage that separates collapse from noise, for ``samples`` (n, d) of a mixture with ``centers`` (k, d).

    Beside the VEEGAN/PacGAN counts of :func:`mode_coverage` it returns PacGAN's third column, the reverse KL
    divergence KL(p̂ ‖ u) = Σ_j p̂_j ln(k p̂_j) between the histogram p̂ of the high-quality samples over the modes
    and the uniform distribution u over the k modes (Lin et al., 2018, Table 1), and the **share rule**: a mode
    counts as covered only when at least ``min_share`` · n / k of the samples are high-quality samples of it.
    A few stray samples (noise) then no longer cover a mode; a collapsed generator shows few modes at high
    quality and a large reverse KL.
    """
    x = as_points(samples, "mode_statistics: samples").detach().cpu().double()
    c = as_points(centers, "mode_statistics: centers").detach().cpu().double()
    if x.shape[1] != c.shape[1]:
        raise ValueError(f"mode_statistics: samples and centers must have the same dimension, "
                         f"got {x.shape[1]} and {c.shape[1]}")
    std = check_float(std, "mode_statistics: std", min_value=0.0, strict_min=True)
    threshold = check_float(threshold, "mode_statistics: threshold", min_value=0.0, strict_min=True)
    min_share = check_float(min_share, "mode_statistics: min_share", min_value=0.0)
    n, k = x.shape[0], c.shape[0]
    nearest_d, nearest = torch.cdist(x, c).min(dim=1)
    good = nearest_d <= threshold * std
    counts = torch.bincount(nearest[good], minlength=k).double()  # high-quality samples per mode
    n_good = int(counts.sum())
    if n_good:
        p = counts / n_good
        rkl = max(0.0, float((p[p > 0] * torch.log(k * p[p > 0])).sum()))  # ≥ 0; no "-0.00" from rounding
    else:
        rkl = float("nan")
    return CoverageStats(int((counts > 0).sum()), n_good / n, int((counts >= min_share * n / k).sum()), rkl)


def noise_baselines(centers, std: float, *, n: int = 2500, seed: int = 0,
                    min_share: float = MIN_SHARE) -> dict:
    """What a sampler with no model at all scores on a mixture: {name: :class:`CoverageStats`}.

    * ``"uniform on the circle"`` (only when every centre lies at the same distance from their mean, as on the
      ring): n points uniform on that circle;
    * ``"uniform on the square"``: n points uniform on the centres' bounding square, padded by half the smallest
      distance between two centres (ring: [−2.77, 2.77]², grid: [−5, 5]²).

    A generator's row means something only where it beats these rows.
    """
    c = as_points(centers, "noise_baselines: centers").detach().cpu().double()
    if c.shape[1] != 2 or c.shape[0] < 2:
        raise ValueError(f"noise_baselines: centers must be (k >= 2, 2) points in the plane, got {tuple(c.shape)}")
    std = check_float(std, "noise_baselines: std", min_value=0.0, strict_min=True)
    n = check_int(n, "noise_baselines: n", min_value=1)
    g = torch.Generator().manual_seed(check_int(seed, "noise_baselines: seed", min_value=0))
    mid = c.mean(0)
    out = {}
    radii = (c - mid).norm(dim=1)
    if float(radii.max() - radii.min()) <= 1e-6 * float(radii.max()):
        t = 2 * torch.pi * torch.rand(n, generator=g, dtype=torch.float64)
        circle = mid + radii.mean() * torch.stack([t.cos(), t.sin()], 1)
        out["uniform on the circle"] = mode_statistics(circle, c, std, min_share=min_share)
    dist = torch.cdist(c, c) + torch.eye(len(c), dtype=c.dtype) * 1e300
    pad = 0.5 * float(dist.min())
    lo, hi = c.min() - pad, c.max() + pad
    square = lo + (hi - lo) * torch.rand(n, 2, generator=g, dtype=torch.float64)
    out["uniform on the square"] = mode_statistics(square, c, std, min_share=min_share)
    return out
