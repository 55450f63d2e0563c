"""Auto-checked exercises of notebooks/01_maximum_likelihood.

Each checker takes the student's *function*, calls it on data sets it generates itself and compares
with an independent answer (numpy/scipy). It prints one line of feedback and never raises.
"""
from __future__ import annotations

import itertools

import numpy as np
import torch

from course_lib.exercises import check, check_own

__all__ = ["check_laplace_mle", "check_exponential_mle", "check_fvsbn_sampler", "check_kl_bernoulli"]


def _datasets(kind: str):
    rng = np.random.default_rng(1)
    if kind == "exponential":
        return [rng.exponential(1 / lam, size=n) for lam, n in [(2.0, 100), (0.1, 13), (5.0, 1000)]]
    raise ValueError(kind)


def _close(a, b, rtol=1e-6, atol=1e-9) -> bool:
    return bool(np.allclose(float(a), float(b), rtol=rtol, atol=atol))


def _laplace_loglik(x, mu, b) -> float:
    return float(np.sum(-np.log(2 * b) - np.abs(x - mu) / b))


def check_laplace_mle(laplace_mle) -> bool | None:
    """``laplace_mle(x) -> (mu_hat, b_hat)`` for the Laplace density p(x; μ, b) = exp(−|x − μ| / b) / (2b).

    Any maximiser is accepted: the checker compares the log-likelihood your parameters reach with the maximum
    (for an even number of samples the maximiser in μ is not unique)."""
    rng = np.random.default_rng(3)
    sets = [rng.laplace(m, s, size=n) for m, s, n in [(0.0, 1.0, 51), (4.0, 0.3, 8), (-2.0, 3.0, 400)]]
    sets.append(np.array([0.0, 0.0, 0.0, 10.0, 20.0]))        # a mean and a median far apart

    def ok(fn):
        for x in sets:
            mu, b = (float(v) for v in fn(x.copy()))
            if not b > 0:
                return False
            med = np.median(x)
            best = _laplace_loglik(x, med, np.mean(np.abs(x - med)))
            if _laplace_loglik(x, mu, b) < best - 1e-6 * abs(best) - 1e-9:
                return False
        return True

    return check(laplace_mle, ok,
                 hint="maximise over μ first: Σ|x_i − μ| has a kink at every sample, so look at how its slope "
                      "changes as μ passes them (not at where it is zero); then set the derivative in b to zero",
                 praise="μ̂ = the median, b̂ = the mean absolute deviation from it: change the noise model and the "
                        "MLE of the location changes from the mean to the median.")


def check_exponential_mle(exponential_mle) -> bool | None:
    """``exponential_mle(x) -> λ̂`` for positive samples x; p(x; λ) = λ e^{−λx}."""
    def ok(fn):
        return all(_close(fn(x.copy()), 1.0 / x.mean()) for x in _datasets("exponential"))

    return check(exponential_mle, ok,
                 hint="the log-likelihood is m log λ − λ Σ x_i; set its derivative in λ to 0",
                 praise="λ̂ = m / Σ x_i = 1 / (sample mean).")


def _fvsbn_case():
    """A 4-pixel FVSBN with strong weights (so that ignoring or transposing W shows), and its exact joint."""
    W = torch.tensor([[0.0, 0.0, 0.0, 0.0],
                      [3.0, 0.0, 0.0, 0.0],
                      [-2.5, 2.0, 0.0, 0.0],
                      [1.5, -3.0, 2.5, 0.0]], dtype=torch.float64)
    b = torch.tensor([0.4, -1.5, 0.5, -0.5], dtype=torch.float64)
    states = torch.tensor(list(itertools.product([0.0, 1.0], repeat=4)), dtype=torch.float64)   # (16, 4)
    logits = states @ W.T + b                                   # row d only sees x_<d (W strictly lower)
    logp = (states * torch.nn.functional.logsigmoid(logits)
            + (1 - states) * torch.nn.functional.logsigmoid(-logits)).sum(1)
    return W, b, states, logp.exp()


def check_fvsbn_sampler(sample_fvsbn) -> bool | None:
    """Exercise 3 (write a piece of a model): ``sample_fvsbn(W, b, n, generator) -> x`` (n, D) of 0/1, drawn
    from the fully visible sigmoid belief network p(x_d = 1 | x_<d) = sigmoid(b_d + Σ_{j<d} W_dj x_j), with
    W (D, D) strictly lower triangular and b (D,).

    Passes when the empirical distribution of 40,000 draws is within total variation 0.02 of the exact
    distribution (computed by enumerating all 2^D images) and the same seed gives the same draws."""

    def ok(fn):
        W, b, states, p = _fvsbn_case()
        n = 40_000
        x = torch.as_tensor(fn(W.clone(), b.clone(), n, torch.Generator().manual_seed(0))).double()
        if x.shape != (n, 4) or not ((x == 0) | (x == 1)).all():
            return False
        idx = (x * torch.tensor([8.0, 4.0, 2.0, 1.0], dtype=torch.float64)).sum(1).long()   # state index
        freq = torch.bincount(idx, minlength=16).double() / n
        if 0.5 * (freq - p).abs().sum() > 0.02:
            return False
        x2 = torch.as_tensor(fn(W.clone(), b.clone(), n, torch.Generator().manual_seed(0))).double()
        return torch.equal(x, x2)

    return check(sample_fvsbn, ok,
                 hint="pixel d can only be drawn once pixels 0..d−1 are known: loop over d, compute the logit of "
                      "pixel d from the pixels already drawn, and draw it with the generator",
                 praise="D sequential steps for one image: sampling an autoregressive model is slow, training is not.")


def check_kl_bernoulli(kl_bernoulli) -> bool | None:
    """``kl_bernoulli(theta_p, theta_q) -> float``: KL(p ‖ q) between two independent-pixel models
    p(x) = Π_j θp_j^x_j (1 − θp_j)^(1 − x_j) and q (the same with θq), for θ vectors of length n; θp may hold
    exact 0s and 1s (0 log 0 = 0). Compared with the definition Σ_x p(x) log p(x)/q(x), summed over all 2^n
    binary vectors for small n, and refuses scipy's and torch's KL functions."""
    from scipy.special import kl_div, rel_entr

    rng = np.random.default_rng(2)
    cases = [(rng.uniform(0.02, 0.98, n), rng.uniform(0.02, 0.98, n)) for n in (1, 3, 8)]
    cases.append((np.array([0.0, 1.0, 0.5, 0.25]), np.array([0.1, 0.7, 0.5, 0.9])))   # exact 0 and 1 in θp

    def by_definition(tp, tq):
        xs = np.array(list(itertools.product([0, 1], repeat=len(tp))), dtype=float)     # all 2^n images
        logp = xs * np.log(np.where(tp > 0, tp, 1.0)) + (1 - xs) * np.log(np.where(tp < 1, 1 - tp, 1.0))
        logp = np.where(((xs == 1) & (tp == 0)) | ((xs == 0) & (tp == 1)), -np.inf, logp).sum(1)
        logq = (xs * np.log(tq) + (1 - xs) * np.log(1 - tq)).sum(1)
        keep = np.isfinite(logp)                                                       # p(x) > 0
        return float(np.sum(np.exp(logp[keep]) * (logp[keep] - logq[keep])))

    def ok(fn):
        return all(_close(fn(tp.copy(), tq.copy()), by_definition(tp, tq), rtol=1e-6) for tp, tq in cases)

    return check_own(kl_bernoulli, ok,
                     "a product of independent factors has a KL that is a sum over the factors; each factor is a "
                     "coin with two outcomes, and both outcomes count (0 log 0 = 0)",
                     "KL adds up over independent pixels, which is why an independent-pixel model's NLL is a "
                     "sum over pixels too.",
                     objects=(rel_entr, kl_div, torch.distributions.kl_divergence),
                     names=("rel_entr", "kl_div", "kl_divergence", "entropy("))
