"""Solutions to the exercises of 01_maximum_likelihood."""
from __future__ import annotations

import numpy as np
import torch
from scipy.special import xlogy


def laplace_mle(x):
    """Exercise 1. ℒ(μ, b) = −ℓ log(2b) − Σ|x_i − μ| / b. In μ only Σ|x_i − μ| matters; its slope is
    (#samples below μ) − (#samples above μ), which changes sign at the median: μ̂ = median(x). Then
    ∂ℒ/∂b = −ℓ/b + Σ|x_i − μ̂| / b² = 0 gives b̂ = mean |x_i − μ̂|."""
    x = np.asarray(x, dtype=float)
    mu = float(np.median(x))
    return mu, float(np.mean(np.abs(x - mu)))


def exponential_mle(x):
    """Exercise 2. ℓ(λ) = m log λ − λ Σ x_i; ℓ'(λ) = m/λ − Σ x_i = 0 ⇒ λ̂ = m / Σ x_i = 1 / mean(x)."""
    return 1.0 / np.mean(x)


def sample_fvsbn(W, b, n, generator=None):
    """Exercise 3. Ancestral sampling in the model's order: pixel d needs pixels 0..d−1 first."""
    D = len(b)
    x = torch.zeros(n, D, dtype=W.dtype)
    for d in range(D):
        p = torch.sigmoid(b[d] + x[:, :d] @ W[d, :d])                    # p(x_d = 1 | x_<d), (n,)
        x[:, d] = (torch.rand(n, generator=generator, dtype=W.dtype) < p).to(W.dtype)
    return x


def kl_bernoulli(theta_p, theta_q):
    """Exercise 4. For independent factors log p(x)/q(x) is a sum over pixels, so the KL is the sum of the
    pixels' KLs, each between two coins: θ log(θ/η) + (1 − θ) log((1 − θ)/(1 − η)), with 0 log 0 = 0
    (xlogy(0, ·) = 0). KL is not symmetric: KL(p‖q) weighs the log-ratio by p. Maximum likelihood minimises
    KL(p_data ‖ p_model): the expected NLL under the data is H(p_data) + KL(p_data ‖ p_model), and H(p_data)
    does not depend on the model."""
    tp, tq = np.asarray(theta_p, dtype=float), np.asarray(theta_q, dtype=float)
    return float(np.sum(xlogy(tp, tp) - xlogy(tp, tq) + xlogy(1 - tp, 1 - tp) - xlogy(1 - tp, 1 - tq)))


EXERCISE_5 = """Exercise 5 (open), expected outcome (tests/test_exercises_ch01.py checks each clause). The training
log-likelihood rises with K: 30 components can put narrow bumps on the training points, so K = 30 is clearly
ahead of K = 8 on the training set. The held-out log-likelihood does not follow: K = 2 is too coarse for two
moons (lower than K = 8 on both sets), and K = 30 is no better than K = 8 on held-out data. Choosing K by
training likelihood always picks the largest K; choose it on held-out data (or with a penalty such as BIC).
`exercise_5(train, test)` returns both numbers per K."""


def exercise_5(train, test, ks=(2, 8, 30), steps=300):
    """Train and held-out average log-likelihood of the course's GaussianMixture for each K."""
    from course_lib.likelihood import GaussianMixture
    from course_lib.training import fit

    out = {}
    for k in ks:
        torch.manual_seed(0)
        gmm = GaussianMixture(n_components=k).init_from_data(train, generator=torch.Generator().manual_seed(0))
        fit(gmm, train, steps=steps, batch_size=len(train), lr=0.1, progress=False)
        with torch.no_grad():
            out[k] = (gmm.log_prob(train).mean().item(), gmm.log_prob(test).mean().item())
    return out
