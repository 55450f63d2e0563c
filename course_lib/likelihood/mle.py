"""Maximum likelihood for the simplest models (taught in notebooks/01_maximum_likelihood).

The notes' objective,

    θ* = argmax_θ ∏_{i=1}^m p_model(x^(i); θ) = argmax_θ Σ_{i=1}^m log p_model(x^(i); θ),

is written here three ways for a 1-D Gaussian: the log-density itself
(:func:`gaussian_log_prob`), its closed-form maximiser (:func:`gaussian_mle`) and a model of the
course interface (:class:`Gaussian`, ``loss = −mean log p``) that ``course_lib.training.fit`` can
maximise by gradient ascent. The link MLE ⇔ min KL(p_data ‖ p_model) uses :func:`entropy`,
:func:`cross_entropy`, :func:`kl_divergence` (discrete) and :func:`kl_gaussian` (closed form).

Shapes: 1-D data are tensors ``(n,)``; probability vectors are ``(K,)``.
"""
from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from course_lib.distributions import LOG_2PI
from course_lib.distributions import gaussian_log_prob as _gaussian_log_prob
from course_lib._checks import as_tensor, check_float, check_int

__all__ = [
    "as_samples_1d", "gaussian_log_prob", "gaussian_log_likelihood", "gaussian_mle", "Gaussian",
    "log_likelihood_grid", "as_probabilities", "entropy", "cross_entropy", "kl_divergence", "kl_gaussian",
]



def as_samples_1d(x, name: str = "x", *, dtype=torch.float64) -> torch.Tensor:
    """Validate 1-D data: a finite tensor of shape (n,) with n ≥ 1 (float64 by default)."""
    t = as_tensor(x, name, dtype=dtype)
    if t.ndim != 1:
        hint = " (a column (n, 1)? use x.squeeze(1))" if t.ndim == 2 and t.shape[1] == 1 else ""
        raise ValueError(f"{name} must be 1-D data of shape (n,), got shape {tuple(t.shape)}{hint}")
    if t.numel() == 0:
        raise ValueError(f"{name} must hold at least one sample, got shape (0,)")
    if not torch.isfinite(t).all():
        raise ValueError(f"{name} contains NaN or inf values")
    return t


def _positive(sigma, name: str = "sigma") -> torch.Tensor:
    if isinstance(sigma, torch.Tensor):
        if not torch.isfinite(sigma).all() or (sigma <= 0).any():
            raise ValueError(f"{name} must be finite and > 0, got {sigma}")
        return sigma
    return torch.tensor(check_float(sigma, name, min_value=0.0, strict_min=True), dtype=torch.float64)


def _real(mu, name: str = "mu") -> torch.Tensor:
    if isinstance(mu, torch.Tensor):
        if not torch.isfinite(mu).all():
            raise ValueError(f"{name} must be finite, got {mu}")
        return mu
    return torch.tensor(check_float(mu, name), dtype=torch.float64)


def gaussian_log_prob(x, mu, sigma) -> torch.Tensor:
    """log N(x; μ, σ²) = −½ log(2πσ²) − (x − μ)²/(2σ²), element-wise; x (n,) → (n,).

    ``mu``/``sigma`` may be floats or tensors that broadcast with x (and may require grad).
    """
    x = as_tensor(x, "x", dtype=None)
    x = x if x.is_floating_point() else x.double()
    if not bool(torch.isfinite(x).all()):
        raise ValueError("gaussian_log_prob: x must be finite (got NaN or inf); drop or fix those samples first")
    mu, sigma = _real(mu), _positive(sigma)
    return _gaussian_log_prob(x, mu, sigma, event_dims=0)


def gaussian_log_likelihood(x, mu, sigma) -> torch.Tensor:
    """Σ_i log N(x^(i); μ, σ²) for 1-D data x (n,): a scalar tensor (the notes' objective)."""
    x = as_samples_1d(x, dtype=None)
    return gaussian_log_prob(x, mu, sigma).sum()


def gaussian_mle(x) -> tuple[torch.Tensor, torch.Tensor]:
    """Closed-form maximiser of Σ log N(x^(i); μ, σ²): (μ̂, σ̂) with

    μ̂ = (1/m) Σ x^(i),   σ̂² = (1/m) Σ (x^(i) − μ̂)²   (the *biased* variance: divide by m, not m − 1).

    Both are 0-d tensors; x is (m,) with m ≥ 1 (σ̂ = 0 when all samples coincide: no finite maximum).
    """
    x = as_samples_1d(x, "gaussian_mle: x", dtype=None)
    x = x if x.is_floating_point() else x.double()
    mu = x.mean()
    return mu, ((x - mu) ** 2).mean().sqrt()


class Gaussian(nn.Module):
    """A 1-D Gaussian N(μ, σ²) with learnable μ and log σ (σ = exp(log σ) stays positive).

    The course interface: ``log_prob(x)`` (n,) → (n,), ``loss(x)`` = −mean log p (a scalar that
    ``fit`` minimises, i.e. gradient *ascent* on the log-likelihood), ``sample(n)`` → (n,).
    """

    def __init__(self, mu: float = 0.0, sigma: float = 1.0):
        super().__init__()
        mu = check_float(mu, "mu")
        sigma = check_float(sigma, "sigma", min_value=0.0, strict_min=True)
        self.mu = nn.Parameter(torch.tensor(mu))
        self.log_sigma = nn.Parameter(torch.tensor(math.log(sigma)))

    @property
    def sigma(self) -> torch.Tensor:
        return self.log_sigma.exp()

    def log_prob(self, x) -> torch.Tensor:
        """Exact log N(x; μ, σ²) per sample: x (n,) → (n,)."""
        x = as_samples_1d(x, dtype=self.mu.dtype).to(self.mu.device)
        return _gaussian_log_prob(x, self.mu, self.sigma, event_dims=0)

    def loss(self, x) -> torch.Tensor:
        return -self.log_prob(x).mean()

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        n = check_int(n, "n", min_value=1)
        eps = torch.randn(n, generator=generator, dtype=self.mu.dtype)
        return self.mu + self.sigma * eps.to(self.mu.device)

    def extra_repr(self) -> str:
        return f"mu={self.mu.item():.4g}, sigma={self.sigma.item():.4g}"


def log_likelihood_grid(x, mus, sigmas) -> np.ndarray:
    """Σ_i log N(x^(i); μ, σ²) on a grid: array (len(sigmas), len(mus)) (rows σ, columns μ).

    Uses the sufficient statistics m, Σx, Σx²: Σ(x − μ)² = Σx² − 2μΣx + mμ², so the cost does not
    grow with the grid times the data (what lets the widget draw a whole surface).
    """
    x = as_samples_1d(x).numpy()
    mus = as_tensor(mus, "log_likelihood_grid: mus", dtype=torch.float64).reshape(-1).numpy()
    sigmas = as_tensor(sigmas, "log_likelihood_grid: sigmas", dtype=torch.float64).reshape(-1).numpy()
    if not (np.isfinite(mus).all() and np.isfinite(sigmas).all()) or (sigmas <= 0).any():
        raise ValueError("log_likelihood_grid: mus must be finite and sigmas finite and > 0")
    m, s1, s2 = len(x), x.sum(), (x ** 2).sum()
    sq = s2 - 2 * mus[None, :] * s1 + m * mus[None, :] ** 2  # (1, M)
    return -0.5 * m * LOG_2PI - m * np.log(sigmas)[:, None] - sq / (2 * sigmas[:, None] ** 2)


# --------------------------------------------------------------------------- MLE ⇔ KL
def as_probabilities(p, name: str = "p", *, atol: float = 1e-6) -> torch.Tensor:
    """Validate a probability vector (K,): non-negative, summing to 1 (float64)."""
    t = as_tensor(p, name, dtype=torch.float64)
    if t.ndim != 1 or t.numel() == 0:
        raise ValueError(f"{name} must be a probability vector of shape (K,), got shape {tuple(t.shape)}")
    if not torch.isfinite(t).all() or (t < 0).any():
        raise ValueError(f"{name} must hold finite, non-negative probabilities")
    total = float(t.sum())
    if abs(total - 1.0) > atol:
        raise ValueError(f"{name} must sum to 1, got sum {total:.6g}")
    return t


def entropy(p) -> torch.Tensor:
    """H(p) = −Σ_k p_k log p_k (nats), with 0 log 0 = 0."""
    p = as_probabilities(p)
    return -(torch.special.xlogy(p, p)).sum()


def cross_entropy(p, q) -> torch.Tensor:
    """H(p, q) = −Σ_k p_k log q_k = E_{x∼p}[−log q(x)]: the expected negative log-likelihood.

    Infinite when q puts zero mass where p does not.
    """
    p, q = as_probabilities(p, "p"), as_probabilities(q, "q")
    if p.shape != q.shape:
        raise ValueError(f"p and q must have the same shape, got {tuple(p.shape)} and {tuple(q.shape)}")
    return -(torch.special.xlogy(p, q)).sum()


def kl_divergence(p, q) -> torch.Tensor:
    """KL(p ‖ q) = Σ_k p_k log(p_k / q_k) = H(p, q) − H(p) ≥ 0, for probability vectors (K,)."""
    return cross_entropy(p, q) - entropy(p)


def kl_gaussian(mu_p, sigma_p, mu_q, sigma_q) -> torch.Tensor:
    """KL(N(μ_p, σ_p²) ‖ N(μ_q, σ_q²)) = log(σ_q/σ_p) + (σ_p² + (μ_p − μ_q)²)/(2σ_q²) − ½ (closed form).

    Arguments broadcast (floats or tensors); σ's must be > 0.
    """
    mu_p, mu_q = _real(mu_p, "mu_p"), _real(mu_q, "mu_q")
    sigma_p, sigma_q = _positive(sigma_p, "sigma_p"), _positive(sigma_q, "sigma_q")
    return torch.log(sigma_q / sigma_p) + (sigma_p ** 2 + (mu_p - mu_q) ** 2) / (2 * sigma_q ** 2) - 0.5
