"""Auto-checked exercises of 06_wasserstein_gans (reference solutions: tests/test_exercises_ch06.py)."""
from __future__ import annotations

import math

import numpy as np

from course_lib.exercises import check

__all__ = ["check_emd_1d", "check_parallel_lines", "check_linear_critic_penalty"]


def check_emd_1d(answer):
    """``answer(x, y)``: EMD of two equal-size 1-D samples (numpy arrays), without an OT solver."""
    from scipy.stats import wasserstein_distance

    rng = np.random.default_rng(7)
    cases = [(rng.normal(size=50), rng.normal(2.0, 0.5, size=50)), (rng.uniform(size=7), rng.exponential(size=7)),
             (np.array([0.0, 1.0, 2.0]), np.array([2.0, 0.0, 1.0]))]

    def ok(f):
        return all(abs(float(f(x.copy(), y.copy())) - wasserstein_distance(x, y)) < 1e-8 for x, y in cases)

    return check(answer, ok, "in 1-D the optimal plan matches the i-th smallest x with the i-th smallest y: "
                 "sort both, then average |x_(i) − y_(i)|",
                 "the monotone coupling is optimal for any convex cost in 1-D.")


def check_parallel_lines(answer):
    """``answer``: dict with the values of KL(P‖Q_θ), JS(P, Q_θ) and W(P, Q_θ) at θ = 0.5 (keys kl, js, w)."""
    def ok(a):
        return (math.isinf(float(a["kl"])) and abs(float(a["js"]) - math.log(2)) < 1e-3
                and abs(float(a["w"]) - 0.5) < 1e-3)

    return check(answer, ok, "the supports are disjoint: KL = ∞ (use math.inf), JS = ln 2 whatever θ ≠ 0, "
                 "and W = the distance each point moves, |θ|",
                 "only W tells the generator how far it still has to go.")


def check_linear_critic_penalty(answer):
    """The gradient penalty E(‖∇f(x̂)‖ − 1)² of the critic f(x) = 3·x₁ − 4·x₂ (a number)."""
    return check(answer, lambda a: abs(float(a) - 16.0) < 1e-6,
                 "∇f = (3, −4) everywhere, so ‖∇f‖ = 5 at every interpolated point x̂",
                 "(5 − 1)² = 16: the penalty pushes this critic towards slope 1.")
