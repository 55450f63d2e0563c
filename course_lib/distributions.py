"""The log-densities every family shares, each written once.

* :func:`gaussian_log_prob` — log N(x; μ, σ²), per element or summed over event dims (01, 04, 07).
* :func:`bernoulli_log_prob` — Σ log Bernoulli(x; σ(logit)), from logits so log 0 never happens (01, 04, 08).
* :func:`categorical_log_prob` — Σ log softmax(logits)[x] over positions (08's token models).
* :func:`logmeanexp` — log mean exp without overflow (04's importance-weighted bound, 08's mixtures of orderings).
* :func:`gaussian_kl_std_normal` — KL(N(μ, diag e^logvar) ‖ N(0, s²I)) in closed form (04).

These are pure tensor math (no input checks): they run inside every training step, where a check
would cost a device sync. Public entry points validate their inputs before calling them.
"""
from __future__ import annotations

import math

import torch
from torch.nn import functional as F

__all__ = ["LOG_2PI", "gaussian_log_prob", "bernoulli_log_prob", "categorical_log_prob", "logmeanexp",
           "gaussian_kl_std_normal"]

LOG_2PI = math.log(2 * math.pi)


def _sum_event(a: torch.Tensor, event_dims: int) -> torch.Tensor:
    return a.sum(dim=tuple(range(-event_dims, 0))) if event_dims > 0 else a


def gaussian_log_prob(x, mean, std, *, event_dims: int = 1) -> torch.Tensor:
    """log N(x; mean, diag std²), summed over the last ``event_dims`` dims (0: element-wise).

    Broadcasts: x (..., D), mean/std broadcastable → (...) for event_dims=1.
    """
    std = torch.as_tensor(std, dtype=x.dtype if isinstance(x, torch.Tensor) else None)
    return _sum_event(-0.5 * ((x - mean) / std) ** 2 - torch.log(std) - 0.5 * LOG_2PI, event_dims)


def bernoulli_log_prob(x: torch.Tensor, logits: torch.Tensor, *, event_dims: int = 1) -> torch.Tensor:
    """Σ x log π + (1 − x) log(1 − π) with π = sigmoid(logits), for x in [0, 1]: (..., D) → (...).

    Written with ``binary_cross_entropy_with_logits`` so a confident model never takes log 0.
    """
    x, logits = torch.broadcast_tensors(x, logits)
    return _sum_event(-F.binary_cross_entropy_with_logits(logits, x, reduction="none"), event_dims)


def categorical_log_prob(x: torch.Tensor, logits: torch.Tensor, *, event_dims: int = 1) -> torch.Tensor:
    """Σ log softmax(logits)[x] over positions: x (..., L) long, logits (..., L, K) → (...)."""
    log_p = torch.log_softmax(logits, dim=-1).gather(-1, x.long().unsqueeze(-1)).squeeze(-1)
    return _sum_event(log_p, event_dims)


def logmeanexp(a: torch.Tensor, dim: int = 0) -> torch.Tensor:
    """log( mean(exp(a)) ) along ``dim`` without overflow (the log-sum-exp trick)."""
    return torch.logsumexp(a, dim=dim) - math.log(a.shape[dim])


def gaussian_kl_std_normal(mu: torch.Tensor, logvar: torch.Tensor, prior_std: float = 1.0) -> torch.Tensor:
    """KL( N(μ, diag e^logvar) ‖ N(0, s² I) ) summed over the last dim: (..., L) → (...).

    KL = ½ Σ_j ( σ_j²/s² + μ_j²/s² − 1 − log σ_j² + log s² ).
    """
    s2 = prior_std ** 2
    return 0.5 * (logvar.exp() / s2 + mu.pow(2) / s2 - 1.0 - logvar + math.log(s2)).sum(-1)
