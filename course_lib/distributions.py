"""The log-densities every family shares, each written once.

* :func:`gaussian_log_prob` — log N(x; μ, σ²), per element or summed over event dims (01, 04, 07).
* :func:`bernoulli_log_prob` — Σ log Bernoulli(x; σ(logit)), from logits so log 0 never happens (01, 04, 08).
* :func:`categorical_log_prob` — Σ log softmax(logits)[x] over positions (08's token models).
* :func:`logmeanexp` — log mean exp without overflow (04's importance-weighted bound, 08's mixtures of orderings).
* :func:`gaussian_kl_std_normal` — KL(N(μ, diag e^logvar) ‖ N(0, s²I)) in closed form (04).

They run inside every training step, so they check only what costs nothing (types, shapes, the
integer options), never values: a finiteness check would sync a GPU on every step, so NaN in gives NaN
out. Public entry points validate values before calling them.
"""
from __future__ import annotations

import math

import torch
from torch.nn import functional as F

from course_lib._checks import as_operand, check_broadcast, check_float, check_int

__all__ = ["LOG_2PI", "gaussian_log_prob", "bernoulli_log_prob", "categorical_log_prob", "logmeanexp",
           "gaussian_kl_std_normal"]

LOG_2PI = math.log(2 * math.pi)


def _sum_event(a: torch.Tensor, event_dims: int) -> torch.Tensor:
    return a.sum(dim=tuple(range(-event_dims, 0))) if event_dims > 0 else a


def gaussian_log_prob(x, mean, std, *, event_dims: int = 1) -> torch.Tensor:
    """log N(x; mean, diag std²), summed over the last ``event_dims`` dims (0: element-wise).

    Broadcasts: x (..., D), mean/std broadcastable → (...) for event_dims=1.
    """
    fn = "gaussian_log_prob"
    x, mean = as_operand(x, f"{fn}: x"), as_operand(mean, f"{fn}: mean")
    std = as_operand(std, f"{fn}: std", dtype=x.dtype).to(x.dtype)
    _check_event_dims(fn, event_dims, check_broadcast(fn, x=x, mean=mean, std=std))
    # A negative std has no density (its log would be NaN): refused. std = 0 is the point-mass limit (log-density
    # -inf off the mean), which is also where a training run whose std collapses ends: fit reports that as a
    # divergence, with the learning rate, rather than as a bad argument.
    if std.numel() and bool((std < 0).any()):
        raise ValueError(f"{fn}: std must be >= 0 everywhere (a standard deviation), got min {float(std.min()):.4g}")
    return _sum_event(-0.5 * ((x - mean) / std) ** 2 - torch.log(std) - 0.5 * LOG_2PI, event_dims)


def bernoulli_log_prob(x: torch.Tensor, logits: torch.Tensor, *, event_dims: int = 1) -> torch.Tensor:
    """Σ x log π + (1 − x) log(1 − π) with π = sigmoid(logits), for x in [0, 1]: (..., D) → (...).

    Written with ``binary_cross_entropy_with_logits`` so a confident model never takes log 0.
    """
    fn = "bernoulli_log_prob"
    x, logits = as_operand(x, f"{fn}: x"), as_operand(logits, f"{fn}: logits")
    _check_event_dims(fn, event_dims, check_broadcast(fn, x=x, logits=logits))
    if x.numel() and not bool(((x >= 0) & (x <= 1)).all()):  # 0..255 pixels would give finite garbage
        raise ValueError(f"{fn}: x must hold values in [0, 1] (binary data or probabilities), got range "
                         f"[{float(x.min()):.4g}, {float(x.max()):.4g}] (0..255 pixels? divide by 255)")
    x, logits = torch.broadcast_tensors(x.to(logits.dtype), logits)
    return _sum_event(-F.binary_cross_entropy_with_logits(logits, x, reduction="none"), event_dims)


def categorical_log_prob(x: torch.Tensor, logits: torch.Tensor, *, event_dims: int = 1) -> torch.Tensor:
    """Σ log softmax(logits)[x] over positions: x (..., L) long, logits (..., L, K) → (...)."""
    fn = "categorical_log_prob"
    x, logits = as_operand(x, f"{fn}: x", dtype=torch.long), as_operand(logits, f"{fn}: logits")
    if x.is_floating_point():
        raise TypeError(f"{fn}: x must hold integer class indices (an integer dtype), got dtype {x.dtype}")
    if logits.ndim < 1 or x.shape != logits.shape[:-1]:
        raise ValueError(f"{fn}: logits must have shape x.shape + (K,) = {tuple(x.shape)} + (K,), "
                         f"got x {tuple(x.shape)} and logits {tuple(logits.shape)}")
    _check_event_dims(fn, event_dims, x.shape)
    log_p = torch.log_softmax(logits, dim=-1).gather(-1, x.long().unsqueeze(-1)).squeeze(-1)
    return _sum_event(log_p, event_dims)


def logmeanexp(a: torch.Tensor, dim: int = 0) -> torch.Tensor:
    """log( mean(exp(a)) ) along ``dim`` without overflow (the log-sum-exp trick)."""
    a = as_operand(a, "logmeanexp: a")
    dim = check_int(dim, "logmeanexp: dim", min_value=-max(a.ndim, 1), max_value=max(a.ndim, 1) - 1)
    if a.ndim == 0 or a.shape[dim] == 0:
        raise ValueError(f"logmeanexp: a needs at least one value along dim {dim}, got shape {tuple(a.shape)}")
    return torch.logsumexp(a, dim=dim) - math.log(a.shape[dim])


def gaussian_kl_std_normal(mu: torch.Tensor, logvar: torch.Tensor, prior_std: float = 1.0) -> torch.Tensor:
    """KL( N(μ, diag e^logvar) ‖ N(0, s² I) ) summed over the last dim: (..., L) → (...).

    KL = ½ Σ_j ( σ_j²/s² + μ_j²/s² − 1 − log σ_j² + log s² ).
    """
    fn = "gaussian_kl_std_normal"
    mu, logvar = as_operand(mu, f"{fn}: mu"), as_operand(logvar, f"{fn}: logvar")
    if isinstance(prior_std, torch.Tensor):
        prior_std = prior_std.item()
    prior_std = check_float(prior_std, f"{fn}: prior_std", min_value=0.0, strict_min=True)
    if mu.shape != logvar.shape or mu.ndim < 1:
        raise ValueError(f"{fn}: mu and logvar must have the same shape (..., L), got {tuple(mu.shape)} "
                         f"and {tuple(logvar.shape)}")
    s2 = prior_std ** 2
    return 0.5 * (logvar.exp() / s2 + mu.pow(2) / s2 - 1.0 - logvar + math.log(s2)).sum(-1)


def _check_event_dims(fn: str, event_dims, shape) -> int:
    return check_int(event_dims, f"{fn}: event_dims", min_value=0, max_value=len(shape))
