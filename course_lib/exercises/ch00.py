"""Checkers for the exercises of ``00_why_generative_models``.

Each prints one line of feedback and returns True / False / None (not answered); none raises.
Reference solutions: ``tests/test_exercises_ch00.py``.
"""
from __future__ import annotations

import numpy as np
import torch

from course_lib.exercises import check

__all__ = ["JOINT", "X_VALUES", "Y_VALUES", "check_posterior", "check_mse_prediction",
           "check_nb_log_joint", "check_nb_parameter_count"]

# A joint table p(x, y): rows are objects x (a coarse feature of a scanned digit), columns answers y.
X_VALUES = ("closed loop", "no loop")
Y_VALUES = (0, 1, 7)
JOINT = np.array([[0.30, 0.04, 0.06],
                  [0.02, 0.33, 0.25]])


def check_posterior(answer) -> bool | None:
    """Exercise 1: p(y | x = "closed loop") from :data:`JOINT`, as an array over ``Y_VALUES``."""
    want = JOINT[0] / JOINT[0].sum()

    def ok(a):
        a = np.asarray(a, dtype=float).reshape(-1)
        return a.shape == (3,) and np.allclose(a, want, atol=1e-3)

    return check(answer, ok,
                 "p(y | x) = p(x, y) / p(x): take the row of x and divide it by its sum p(x) = Σ_y p(x, y); "
                 "the result is 3 numbers that sum to 1",
                 f"p(y | closed loop) = {np.round(want, 3).tolist()}: the joint, renormalised")


def check_mse_prediction(answer) -> bool | None:
    """Exercise 2: what a perfect MSE regressor predicts at x = 0.64 when y = +√x w.p. 0.7, -√x w.p. 0.3."""
    want = 0.7 * 0.8 + 0.3 * (-0.8)

    def ok(a):
        return abs(float(a) - want) < 2e-3

    return check(answer, ok,
                 "the constant c that minimises E[(y - c)²] is the mean E[y | x]; here y is +0.8 or -0.8",
                 f"E[y | x] = 0.7·0.8 + 0.3·(-0.8) = {want:.2f}: a value no training example ever had")


def _reference_log_joint(x, log_prior, theta):
    bern = torch.distributions.Bernoulli(probs=theta[None])  # (1, K, D)
    return log_prior[None] + bern.log_prob(x[:, None, :]).sum(-1)


def check_nb_log_joint(fn) -> bool | None:
    """Exercise 3: ``fn(x, log_prior, theta) -> (N, K)`` log p(x, y=k) of a Bernoulli Naive Bayes.

    x: (N, D) float tensor of 0/1 pixels; log_prior: (K,) log p(y); theta: (K, D) p(x_d = 1 | y = k).
    """
    gen = torch.Generator().manual_seed(123)
    cases = []
    for n, k, d in [(5, 3, 4), (7, 10, 64)]:
        x = torch.randint(0, 2, (n, d), generator=gen).float()
        log_prior = torch.log_softmax(torch.randn(k, generator=gen), 0)
        theta = torch.rand(k, d, generator=gen) * 0.98 + 0.01
        cases.append((x, log_prior, theta))

    def ok(f):
        if not callable(f):
            raise TypeError("answer must be a function log_joint(x, log_prior, theta)")
        for x, log_prior, theta in cases:
            got = torch.as_tensor(f(x.clone(), log_prior.clone(), theta.clone()), dtype=torch.float64)
            want = _reference_log_joint(x, log_prior, theta).double()
            if got.shape != want.shape or not torch.allclose(got, want, atol=1e-4):
                return False
        return True

    return check(fn, ok,
                 "log p(x, y=k) = log p(y=k) + Σ_d [x_d log θ_kd + (1 - x_d) log(1 - θ_kd)]; "
                 "return shape (N, K): broadcast x (N, 1, D) against theta (1, K, D) and sum over D",
                 "this is all a Naive Bayes classifier computes: argmax over k is its prediction")


def check_nb_parameter_count(answer) -> bool | None:
    """Exercise 4: free parameters of a Bernoulli Naive Bayes on 8x8 binary images with 10 classes."""
    want = 10 * 64 + (10 - 1)

    def ok(a):
        return int(a) == want and float(a) == int(a)

    return check(answer, ok,
                 "count p(y) (10 numbers that sum to 1) and one θ_kd = p(x_d = 1 | y = k) per class and pixel",
                 f"{want} parameters, against 10·2⁶⁴ - 1 ≈ 1.8e20 for an unrestricted table p(x, y)")
