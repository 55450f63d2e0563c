"""Auto-checked exercises of 07_diffusion_models (reference solutions: tests/test_exercises_ch07.py).

Two of them take a function the student writes (a piece of the forward process and of the DDIM sampler)
and run it against the course's reference on random inputs.
"""
from __future__ import annotations

import math

import torch

from course_lib.exercises import check

__all__ = ["check_q_sample", "check_ddim_step", "check_alpha_bar", "check_oracle_eps"]


def _cases(seed: int = 7, n: int = 5):
    g = torch.Generator().manual_seed(seed)
    for k in range(n):
        shape = [(6, 2), (3, 1, 8, 8), (10, 5), (1, 3), (4, 64)][k % 5]
        ab_t = float(torch.rand(1, generator=g)) * 0.98 + 0.01
        ab_s = ab_t + (1 - ab_t) * float(torch.rand(1, generator=g)) * 0.99   # ᾱ_s > ᾱ_t: s is earlier
        yield (torch.randn(shape, generator=g, dtype=torch.float64), torch.randn(shape, generator=g, dtype=torch.float64),
               ab_t, ab_s)


def check_q_sample(answer):
    """``answer(x0, eps, alpha_bar_t)`` → x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε (tensors of any shape, ᾱ_t a float)."""
    def ok(f):
        return all(torch.allclose(torch.as_tensor(f(x0.clone(), eps.clone(), ab)).double(),
                                  math.sqrt(ab) * x0 + math.sqrt(1 - ab) * eps, atol=1e-6)
                   for x0, eps, ab, _ in _cases(1))

    return check(answer, ok, "x_t keeps √ᾱ_t of the signal and adds noise of variance 1 − ᾱ_t: "
                 "the standard deviation multiplying ε is √(1 − ᾱ_t), not (1 − ᾱ_t)",
                 "one draw replaces t steps of the chain.")


def check_ddim_step(answer):
    """``answer(x_t, eps_hat, alpha_bar_t, alpha_bar_s)`` → x_s of a deterministic DDIM step (η = 0)."""
    def ref(x, e, ab_t, ab_s):
        x0 = (x - math.sqrt(1 - ab_t) * e) / math.sqrt(ab_t)
        return math.sqrt(ab_s) * x0 + math.sqrt(1 - ab_s) * e

    def ok(f):
        return all(torch.allclose(torch.as_tensor(f(x.clone(), e.clone(), ab_t, ab_s)).double(),
                                  ref(x, e, ab_t, ab_s), atol=1e-6)
                   for x, e, ab_t, ab_s in _cases(2))

    return check(answer, ok, "first estimate x̂_0 = (x_t − √(1 − ᾱ_t) ε̂)/√ᾱ_t, then put it back at the "
                 "earlier noise level with the same ε̂: x_s = √ᾱ_s x̂_0 + √(1 − ᾱ_s) ε̂",
                 "no fresh noise: the same x_T always lands on the same x_0.")


def check_alpha_bar(answer):
    """ᾱ_T of the linear schedule β_t from 10⁻⁴ to 0.02 with T = 100 steps (a number)."""
    betas = torch.linspace(1e-4, 0.02, 100, dtype=torch.float64)
    target = float(torch.prod(1 - betas))
    return check(answer, lambda a: abs(float(a) - target) < 5e-3,
                 "ᾱ_T = Π_t (1 − β_t) over the 100 evenly spaced β's (torch.linspace and torch.prod)",
                 f"ᾱ_100 ≈ {target:.3f}: after 100 steps a third of the signal's scale is still there, "
                 "so x_T is not N(0, I).")


def check_oracle_eps(answer):
    """``answer(x_t, alpha_bar_t, m, s)`` → E[ε | x_t] when x_0 ~ N(m, s² I) (m a tensor like a row of x_t)."""
    def ok(f):
        for x, _, ab, _ in _cases(3):
            m = torch.linspace(-1, 2, x.shape[-1], dtype=torch.float64)
            s = 0.3 + ab
            want = math.sqrt(1 - ab) * (x - math.sqrt(ab) * m) / (ab * s ** 2 + 1 - ab)
            if not torch.allclose(torch.as_tensor(f(x.clone(), ab, m, s)).double(), want, atol=1e-6):
                return False
        return True

    return check(answer, ok, "x_t and ε are jointly Gaussian: E[ε | x_t] = Cov(ε, x_t) Var(x_t)⁻¹ (x_t − E x_t) "
                 "with Cov(ε, x_t) = √(1 − ᾱ_t), Var(x_t) = ᾱ_t s² + 1 − ᾱ_t, E x_t = √ᾱ_t m",
                 "the best possible ε-network for Gaussian data; notebook 07 tests its samplers with it.")
