"""Checkers for the exercises of ``04_variational_autoencoders``.

Each prints one line of feedback and returns True / False / None (not answered); none raises.
Reference solutions: ``tests/test_exercises_ch04.py``.
"""
from __future__ import annotations

import math

import torch

from course_lib.exercises import check

__all__ = ["check_kl", "check_reparameterize", "check_iwae_k1", "check_prior_mc_samples"]


def _random_gaussians(seed: int = 0, n: int = 5, d: int = 3):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, d, generator=g), torch.randn(n, d, generator=g).clamp(-3, 3)


def check_kl(answer) -> bool | None:
    """Exercise 1: a function ``kl(mu, logvar) -> (N,)``: KL(N(μ, diag e^logvar) ‖ N(0, I)) summed over dims."""
    from torch.distributions import Normal, kl_divergence

    def ok(f):
        mu, logvar = _random_gaussians()
        got = torch.as_tensor(f(mu, logvar), dtype=torch.float32)
        want = kl_divergence(Normal(mu, (0.5 * logvar).exp()), Normal(0.0, 1.0)).sum(-1)
        return got.shape == want.shape and torch.allclose(got, want, atol=1e-4)

    return check(answer, ok,
                 "KL = ½ Σ_j (σ_j² + μ_j² − 1 − log σ_j²) with σ_j² = exp(logvar_j); sum over the last "
                 "dimension so the result has one number per row (shape (N,))",
                 "matches torch.distributions.kl_divergence")


def check_reparameterize(answer) -> bool | None:
    """Exercise 2: a function ``f(mu, logvar, eps) -> z`` with z ~ N(μ, diag e^logvar) when ε ~ N(0, I),
    through which gradients flow to μ and logvar."""

    def ok(f):
        mu, logvar = _random_gaussians(1)
        mu.requires_grad_(True)
        logvar.requires_grad_(True)
        eps = torch.randn(mu.shape, generator=torch.Generator().manual_seed(2))
        z = f(mu, logvar, eps)
        if not isinstance(z, torch.Tensor) or z.shape != mu.shape:
            return False
        want = mu + (0.5 * logvar).exp() * eps
        if not torch.allclose(z, want.detach(), atol=1e-5):
            return False
        z.sum().backward()
        return (mu.grad is not None and logvar.grad is not None
                and torch.allclose(logvar.grad, (0.5 * (0.5 * logvar).exp() * eps).detach(), atol=1e-5))

    return check(answer, ok,
                 "z = μ + σ ⊙ ε with σ = exp(½ logvar), built from torch operations on mu and logvar (no "
                 ".detach(), no torch.normal) so the gradient reaches both",
                 "z = μ + exp(½ logvar) ⊙ ε, and the gradient flows to μ and log σ²")


def check_iwae_k1(answer) -> bool | None:
    """Exercise 3: with K = 1 sample, how does the importance-weighted bound compare with the ELBO?

    Answer one of "equal in expectation", "always larger", "always smaller"."""
    return check(answer,
                 lambda a: isinstance(a, str) and a.strip().lower() == "equal in expectation",
                 "with K = 1 the bound is log [p(x|z) p(z) / q(z|x)] for one z ~ q: average it over z and "
                 "compare with the ELBO's definition (answer with one of the three strings)",
                 "log p(x|z) + log p(z) − log q(z|x) averaged over q is exactly the ELBO (the KL is just "
                 "estimated by sampling instead of in closed form)")


def check_prior_mc_samples(answer) -> bool | None:
    """Exercise 4: roughly how many prior samples K does naive Monte Carlo need before one z lands in a
    region where q(z|x) is not tiny, if q(z|x) = N(μ, 0.1² I) in L = 20 dimensions and μ is near 0?

    Use the ratio of the prior's mass to q's volume: (1 / 0.1)^L. Give an order of magnitude (a number)."""
    want = 10.0 ** 20

    def ok(a):
        a = float(a)
        return a > 0 and abs(math.log10(a) - math.log10(want)) <= 1.0

    return check(answer, ok,
                 "the fraction of prior draws that land inside q's ball scales like (σ_q / σ_prior)^L; "
                 "invert it (σ_q = 0.1, σ_prior = 1, L = 20)",
                 "about 10^20 draws: that is why the notebook's naive estimate is hopeless in 20-D")
