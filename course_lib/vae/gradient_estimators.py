"""Two Monte Carlo estimators of ∇_φ E_{z~q_φ}[f(z)] for a diagonal Gaussian q_φ = N(μ, diag σ²)
(taught in notebooks/04_variational_autoencoders, "the reparametrisation trick").

* score function (REINFORCE, likelihood ratio):  ∇_φ E[f] = E[ f(z) ∇_φ log q_φ(z) ];
  needs only values of f, but its variance grows with |f| and with the dimension.
* reparametrisation (pathwise):  z = μ + σ ⊙ ε, ε ~ N(0, I)  ⇒  ∇_φ E[f] = E[ ∇_z f(z) · ∂z/∂φ ];
  needs ∇f, and is usually far less noisy. This is what makes the VAE's ELBO trainable by SGD.

Both functions return *per-sample* estimates, shape (n, 2, d): [:, 0] is the gradient w.r.t. μ,
[:, 1] w.r.t. log σ. Their mean is the estimate; their variance is what the notebook compares.
"""
from __future__ import annotations

from collections.abc import Callable

import torch

from course_lib._checks import as_tensor, check_int

__all__ = ["score_function_grads", "reparam_grads", "estimator_summary", "quadratic_objective"]


def _params(mu, log_sigma):
    mu = as_tensor(mu, "mu")
    log_sigma = as_tensor(log_sigma, "log_sigma")
    if mu.ndim != 1 or mu.shape != log_sigma.shape:
        raise ValueError(f"mu and log_sigma must be 1-D of the same length (d,), got {tuple(mu.shape)} "
                         f"and {tuple(log_sigma.shape)}")
    if not (torch.isfinite(mu).all() and torch.isfinite(log_sigma).all()):
        raise ValueError("mu and log_sigma must be finite (got NaN or inf)")
    if log_sigma.numel() and float(log_sigma.abs().max()) > 30:  # σ = e^30 ≈ 1e13: σ² and 1/σ² leave float32
        raise ValueError(f"log_sigma must lie in [-30, 30] (σ between 1e-13 and 1e13), got "
                         f"{float(log_sigma.abs().max()):.4g} in absolute value")
    return mu.detach(), log_sigma.detach()


def _check_f(f, fn: str) -> None:
    if not callable(f):
        raise TypeError(f"{fn}: f must be a function z (n, d) -> values (n,), got {type(f).__name__}")


def _eps(n, d, generator):
    return torch.randn(n, d, generator=generator)


def score_function_grads(f: Callable[[torch.Tensor], torch.Tensor], mu, log_sigma, n: int, *,
                         baseline: bool = False, generator: torch.Generator | None = None) -> torch.Tensor:
    """Per-sample score-function estimates (n, 2, d) of ∇_(μ, log σ) E_{N(μ, σ²)}[f(z)].

    f maps z (n, d) to values (n,). ∇_μ log q = (z - μ)/σ², ∇_{log σ} log q = (z - μ)²/σ² - 1.
    ``baseline=True`` subtracts the mean of the *other* samples' f (a leave-one-out control variate,
    still unbiased) from each f(z_i): the textbook way to tame this estimator's variance.
    """
    n = check_int(n, "n", min_value=2 if baseline else 1)
    _check_f(f, "score_function_grads")
    mu, log_sigma = _params(mu, log_sigma)
    sigma = log_sigma.exp()
    eps = _eps(n, mu.numel(), generator)
    z = mu + sigma * eps
    with torch.no_grad():
        fz = _values(f, z, n)
    if baseline:
        fz = fz - (fz.sum() - fz) / (n - 1)
    d_mu = eps / sigma                     # (z - μ)/σ²
    d_log_sigma = eps.pow(2) - 1.0         # (z - μ)²/σ² - 1
    return fz[:, None, None] * torch.stack([d_mu, d_log_sigma], dim=1)


def reparam_grads(f: Callable[[torch.Tensor], torch.Tensor], mu, log_sigma, n: int, *,
                  generator: torch.Generator | None = None) -> torch.Tensor:
    """Per-sample reparametrisation estimates (n, 2, d) of ∇_(μ, log σ) E_{N(μ, σ²)}[f(z)].

    With z = μ + σ ε:  ∂f/∂μ = ∇_z f(z),  ∂f/∂log σ = ∇_z f(z) ⊙ σ ε.  f must be differentiable and act
    row by row (row i of f's output depends only on row i of z), so one backward pass gives every sample.
    """
    _check_f(f, "reparam_grads")
    n = check_int(n, "n", min_value=1)
    mu, log_sigma = _params(mu, log_sigma)
    sigma = log_sigma.exp()
    eps = _eps(n, mu.numel(), generator)
    z = (mu + sigma * eps).requires_grad_(True)
    with torch.enable_grad():
        fz = _values(f, z, n)
        (gz,) = torch.autograd.grad(fz.sum(), z)
    return torch.stack([gz, gz * sigma * eps], dim=1).detach()


def _values(f, z, n):
    fz = f(z)
    if not isinstance(fz, torch.Tensor) or fz.shape != (n,):
        raise ValueError(f"f must map z of shape {tuple(z.shape)} to a tensor of shape ({n},), got "
                         f"{tuple(fz.shape) if isinstance(fz, torch.Tensor) else type(fz).__name__}")
    return fz


def estimator_summary(grads: torch.Tensor) -> dict[str, torch.Tensor]:
    """Mean (2, d) and per-coordinate variance (2, d) of per-sample estimates (n, 2, d), plus
    ``total_variance`` (sum over coordinates: the trace of the estimator's covariance, per sample)."""
    grads = as_tensor(grads, "grads")
    if grads.ndim != 3 or grads.shape[1] != 2 or len(grads) < 2:
        raise ValueError(f"grads must have shape (n >= 2, 2, d), got {tuple(grads.shape)}")
    if not torch.isfinite(grads).all():
        raise ValueError("estimator_summary: grads contains NaN or inf values")
    var = grads.var(dim=0)
    return {"mean": grads.mean(0), "var": var, "total_variance": var.sum()}


def quadratic_objective(target) -> tuple[Callable, Callable]:
    """f(z) = ‖z - c‖² and its exact gradient: E_{N(μ, σ²)} f = ‖μ - c‖² + Σσ², so
    ∇_μ = 2(μ - c) and ∇_{log σ} = 2σ². Returns (f, exact_grad(mu, log_sigma) -> (2, d))."""
    c = as_tensor(target, "target")
    if c.ndim != 1:
        raise ValueError(f"target must be 1-D (d,), got shape {tuple(c.shape)}")
    if not torch.isfinite(c).all():
        raise ValueError("quadratic_objective: target contains NaN or inf values")

    def f(z):
        return (z - c).pow(2).sum(-1)

    def exact(mu, log_sigma):
        mu, log_sigma = _params(mu, log_sigma)
        return torch.stack([2 * (mu - c), 2 * (2 * log_sigma).exp()])

    return f, exact
