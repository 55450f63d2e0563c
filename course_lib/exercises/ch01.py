"""Auto-checked exercises of notebooks/01_maximum_likelihood.

Each checker takes the student's *function*, calls it on data sets it generates itself and compares
with an independent answer (numpy/scipy). It prints one line of feedback and never raises.
"""
from __future__ import annotations

import numpy as np

from course_lib.exercises import check

__all__ = ["check_bernoulli_mle", "check_exponential_mle", "check_gaussian_log_likelihood", "check_kl"]


def _datasets(kind: str):
    rng = np.random.default_rng(1)
    if kind == "bernoulli":
        return [rng.binomial(1, p, size=n).astype(float) for p, n in [(0.3, 50), (0.9, 7), (0.5, 1000), (0.05, 200)]]
    if kind == "exponential":
        return [rng.exponential(1 / lam, size=n) for lam, n in [(2.0, 100), (0.1, 13), (5.0, 1000)]]
    if kind == "gaussian":
        return [(rng.normal(m, s, size=n), m + 0.3, s * 1.2) for m, s, n in [(0.0, 1.0, 50), (3.0, 0.2, 7), (-1.0, 4.0, 500)]]
    raise ValueError(kind)


def _close(a, b, rtol=1e-6, atol=1e-9) -> bool:
    return bool(np.allclose(float(a), float(b), rtol=rtol, atol=atol))


def check_bernoulli_mle(bernoulli_mle) -> bool | None:
    """``bernoulli_mle(x) -> p̂`` for a 1-D array x of 0/1 coin flips; p̂ maximises Σ log Bernoulli(x_i; p)."""
    def ok(fn):
        return all(_close(fn(x.copy()), x.mean()) for x in _datasets("bernoulli"))

    return check(bernoulli_mle, ok,
                 hint="set d/dp Σ [x_i log p + (1 − x_i) log(1 − p)] = 0 and solve for p: "
                      "it is a familiar statistic of the flips",
                 praise="p̂ = (number of heads)/m, the sample mean.")


def check_exponential_mle(exponential_mle) -> bool | None:
    """``exponential_mle(x) -> λ̂`` for positive samples x; p(x; λ) = λ e^{−λx}."""
    def ok(fn):
        return all(_close(fn(x.copy()), 1.0 / x.mean()) for x in _datasets("exponential"))

    return check(exponential_mle, ok,
                 hint="the log-likelihood is m log λ − λ Σ x_i; set its derivative in λ to 0",
                 praise="λ̂ = m / Σ x_i = 1 / (sample mean).")


def check_gaussian_log_likelihood(gaussian_log_likelihood) -> bool | None:
    """``gaussian_log_likelihood(x, mu, sigma) -> float``: Σ_i log N(x_i; μ, σ²) for a 1-D array x."""
    from scipy.stats import norm

    def ok(fn):
        return all(_close(fn(x.copy(), mu, s), norm.logpdf(x, mu, s).sum(), rtol=1e-5)
                   for x, mu, s in _datasets("gaussian"))

    return check(gaussian_log_likelihood, ok,
                 hint="log N(x; μ, σ²) = −½ log(2πσ²) − (x − μ)²/(2σ²); sum it over the samples "
                      "(σ is the standard deviation, not the variance)",
                 praise="that is exactly the notes' Σ log p_model(x^(i); θ).")


def check_kl(kl) -> bool | None:
    """``kl(p, q) -> float``: KL(p ‖ q) = Σ_k p_k log(p_k / q_k) for probability vectors, with 0 log 0 = 0."""
    from scipy.special import rel_entr

    rng = np.random.default_rng(2)
    pairs = [(rng.dirichlet(np.ones(k)), rng.dirichlet(np.ones(k))) for k in (2, 5, 10)]
    pairs.append((np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.25, 0.5])))  # a zero in p: 0 log 0 = 0

    def ok(fn):
        return all(_close(fn(p.copy(), q.copy()), rel_entr(p, q).sum(), rtol=1e-6) for p, q in pairs)

    return check(kl, ok,
                 hint="KL(p ‖ q) = Σ p_k log(p_k / q_k); terms with p_k = 0 contribute 0 "
                      "(np.where or scipy.special.xlogy help); and the order of p and q matters",
                 praise="and KL(p ‖ q) = H(p, q) − H(p): the expected NLL minus a constant.")
