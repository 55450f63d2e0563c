"""Sample-quality metrics shared by the notebooks.

* :func:`emd`: exact Earth Mover's (Wasserstein-1) distance between point clouds (06_wasserstein_gans);
* :func:`mode_coverage`: modes covered and high-quality fraction on mixtures of Gaussians (05_gans).

Notebook 09's metrics have modules of their own (``fid``, ``precision_recall``, ``features``).
"""
from __future__ import annotations

from typing import NamedTuple

import torch

from course_lib._checks import as_points, check_float

__all__ = ["emd", "Coverage", "mode_coverage"]


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
