"""Checkers for the exercises of ``00_why_generative_models``.

Each prints one line of feedback and returns True / False / None (not answered); none raises.
Every checker takes an array or a function and tests it on inputs it generates itself, so no loop over
candidate numbers can find the answer. Reference solutions: ``solutions/ch00.py`` (open it only after trying);
``tests/test_exercises_ch00.py`` checks them and several wrong answers.
"""
from __future__ import annotations

import numpy as np
import torch

from course_lib.exercises import check

__all__ = ["JOINT", "X_VALUES", "Y_VALUES", "check_posterior", "check_best_constant", "check_nb_sampler",
           "check_nb_parameter_count"]

# A joint table p(x, y): rows are objects x (a coarse feature of a scanned digit), columns answers y.
X_VALUES = ("closed loop", "no loop")
Y_VALUES = (0, 1, 7)
JOINT = np.array([[0.30, 0.04, 0.06],
                  [0.02, 0.33, 0.25]])


def _uniform_prior_posterior() -> np.ndarray:
    likelihood = JOINT / JOINT.sum(axis=0, keepdims=True)          # p(x | y): each column sums to 1
    unnorm = likelihood / len(Y_VALUES)                              # × the new prior p(y) = 1/3
    return unnorm / unnorm.sum(axis=1, keepdims=True)                # renormalise each row over y


def check_posterior(answer) -> bool | None:
    """Exercise 1: keep p(x | y) of :data:`JOINT` but replace p(y) by the uniform prior 1/3; return the new
    p(y | x) as a (2, 3) array (rows ``X_VALUES``, columns ``Y_VALUES``)."""
    want = _uniform_prior_posterior()

    def ok(a):
        a = np.asarray(a, dtype=float)
        return a.shape == (2, 3) and np.allclose(a, want, atol=1e-3)

    return check(answer, ok,
                 "a generative model keeps p(x | y) and p(y) apart: first get p(x | y) from the joint (which axis "
                 "sums to 1?), then multiply by the new p(y) and renormalise over y for each x",
                 "the same likelihood with a new prior gives a new classifier, without retraining: a thing a "
                 "discriminative p(y | x) cannot do")


def check_best_constant(best_constant) -> bool | None:
    """Exercise 2: ``best_constant(values, probs) -> c``, the prediction c minimising E[(y − c)²] when y takes
    ``values[k]`` with probability ``probs[k]`` (1-D arrays). It is what a perfectly trained MSE regressor
    predicts at an x whose answers have that distribution."""
    rng = np.random.default_rng(5)
    cases = [(np.array([0.8, -0.8]), np.array([0.7, 0.3])), (np.array([2.0, 5.0, -1.0]), np.array([0.2, 0.2, 0.6]))]
    cases += [(rng.normal(size=k), rng.dirichlet(np.ones(k))) for k in (2, 4, 7)]

    def ok(fn):
        for values, probs in cases:
            got = float(fn(values.copy(), probs.copy()))
            grid = np.linspace(values.min() - 1, values.max() + 1, 20001)
            brute = grid[((values[None] - grid[:, None]) ** 2 @ probs).argmin()]   # brute-force minimiser
            if abs(got - brute) > 1e-3:
                return False
        return True

    return check(best_constant, ok,
                 "write E[(y − c)²] as a function of c, differentiate, set to zero; the answer is a familiar "
                 "statistic of the distribution (not its most likely value)",
                 "the mean E[y | x]: with two answers ±0.8 it is a value no training example ever had")


def _nb_params(seed: int = 0, k: int = 4, d: int = 6):
    g = torch.Generator().manual_seed(seed)
    log_prior = torch.log_softmax(torch.randn(k, generator=g), 0)
    theta = torch.rand(k, d, generator=g) * 0.9 + 0.05
    return log_prior, theta


def check_nb_sampler(sample_nb) -> bool | None:
    """Exercise 3 (write a piece of a model): ``sample_nb(log_prior, theta, n, generator) -> (x, y)``,
    n draws from a Bernoulli Naive Bayes: y ~ p(y) = exp(log_prior) (K,), then each pixel
    x_d ~ Bernoulli(theta[y, d]) independently. Returns x (n, D) with 0/1 entries and y (n,) integer labels.

    Passes when, on 20,000 draws, the class frequencies and every per-class pixel frequency are within
    4 standard errors of the model's probabilities, and the same seed gives the same draws.
    """

    def ok(fn):
        log_prior, theta = _nb_params()
        n = 20_000
        x, y = fn(log_prior.clone(), theta.clone(), n, torch.Generator().manual_seed(1))
        x, y = torch.as_tensor(x).float(), torch.as_tensor(y).long()
        if x.shape != (n, theta.shape[1]) or y.shape != (n,) or not ((x == 0) | (x == 1)).all():
            return False
        prior = log_prior.exp()
        freq = torch.bincount(y, minlength=len(prior)).float() / n
        if ((freq - prior).abs() > 4 * (prior * (1 - prior) / n).sqrt()).any():
            return False
        for k in range(len(prior)):
            xs = x[y == k]
            p = theta[k]
            if ((xs.mean(0) - p).abs() > 4 * (p * (1 - p) / len(xs)).sqrt() + 1e-3).any():
                return False
        x2, y2 = fn(log_prior.clone(), theta.clone(), n, torch.Generator().manual_seed(1))
        return torch.equal(torch.as_tensor(x2).float(), x) and torch.equal(torch.as_tensor(y2).long(), y)

    return check(sample_nb, ok,
                 "two stages, both through the generator: draw the labels from the categorical prior "
                 "(torch.multinomial), then compare uniform numbers with the row of θ that each label picks",
                 "ancestral sampling of p(y) ∏ p(x_d | y): this is all nb2.sample does")


def check_nb_parameter_count(count_parameters) -> bool | None:
    """Exercise 4: ``count_parameters(n_pixels, n_classes, levels) -> int``, the number of free parameters of a
    Naive Bayes whose pixels take ``levels`` values (levels = 2: Bernoulli), and of the unrestricted joint table
    p(x, y): return both as a pair ``(naive_bayes, full_table)``."""
    cases = [(64, 10, 2), (64, 10, 17), (3, 2, 2), (5, 3, 4)]

    def ok(fn):
        for d, k, lv in cases:
            nb, full = fn(d, k, lv)
            if int(nb) != (k - 1) + k * d * (lv - 1) or int(full) != k * lv**d - 1:
                return False
        return True

    return check(count_parameters, ok,
                 "a distribution over v values has v − 1 free numbers (they sum to 1); count the distributions "
                 "each model needs: one prior, and one per (class, pixel) or one over all (x, y) pairs",
                 "independence turns an exponential number of parameters into a linear one")
