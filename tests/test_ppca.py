"""Probabilistic PCA (course_lib.vae.ppca) against independent references: scipy's multivariate normal,
Bayes' rule, Monte Carlo, autograd (the MLE is a stationary point), and 02's PCA."""
import math

import numpy as np
import pytest
import torch
from scipy.linalg import subspace_angles
from scipy.stats import multivariate_normal

from course_lib.autoencoders import PCA
from course_lib.training import fit
from course_lib.vae import PPCA, gaussian_kl


def _data(N=400, n=10, m=3, seed=0):
    g = torch.Generator().manual_seed(seed)
    W = torch.randn(n, m, generator=g, dtype=torch.float64) * torch.tensor([3.0, 2.0, 1.5], dtype=torch.float64)[:m]
    z = torch.randn(N, m, generator=g, dtype=torch.float64)
    return z @ W.T + 0.5 * torch.randn(N, n, generator=g, dtype=torch.float64) + 1.0


@pytest.fixture(scope="module")
def model():
    return PPCA.fit_closed_form(_data(), 3)


def test_log_prob_matches_scipy(model):
    x = _data(20, seed=1)
    ref = multivariate_normal(model.mean.detach().numpy(), model.covariance().detach().numpy()).logpdf(x.numpy())
    assert np.allclose(model.log_prob(x).detach().numpy(), ref, atol=1e-9)


def test_closed_form_mle_is_a_stationary_point_and_beats_perturbations(model):
    x = _data()
    ll = model.log_prob(x).sum()
    grads = torch.autograd.grad(ll, [model.W, model.mean, model.log_sigma2])
    for g in grads:
        assert g.abs().max() < 1e-6 * len(x)
    with torch.no_grad():
        base = float(ll)
        for seed in range(5):
            other = PPCA.fit_closed_form(x, 3)
            gen = torch.Generator().manual_seed(seed)
            other.W.add_(0.05 * torch.randn(other.W.shape, generator=gen, dtype=torch.float64))
            other.log_sigma2.add_(0.05)
            assert float(other.log_prob(x).sum()) < base
    # σ² is the mean of the discarded eigenvalues of the 1/N sample covariance
    lam = np.sort(np.linalg.eigvalsh(np.cov(x.numpy().T, bias=True)))[::-1]
    assert math.isclose(float(model.sigma2.detach()), lam[3:].mean(), rel_tol=1e-9)


def test_posterior_is_bayes_rule(model):
    x = _data(5, seed=2)
    mean, cov = model.posterior(x)
    z = torch.randn(7, 5, 3, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    with torch.no_grad():
        log_joint = model.log_likelihood(x, z) - 0.5 * (z**2).sum(-1) - 1.5 * math.log(2 * math.pi)   # (7, 5)
        bayes = log_joint - model.log_prob(x)
    post = torch.distributions.MultivariateNormal(mean, cov).log_prob(z)
    assert torch.allclose(bayes, post, atol=1e-9)


def test_elbo_gap_is_the_kl_to_the_posterior(model):
    x = _data(6, seed=3)
    g = torch.Generator().manual_seed(1)
    a = torch.randn(6, 3, generator=g, dtype=torch.float64)
    B = torch.randn(6, 3, 3, generator=g, dtype=torch.float64)
    S = B @ B.transpose(-1, -2) + 0.1 * torch.eye(3, dtype=torch.float64)
    with torch.no_grad():
        gap = model.log_prob(x) - model.elbo(x, a, S)
        kl = model.kl_to_posterior(x, a, S)
        assert (gap > 0).all()
        assert torch.allclose(gap, kl, atol=1e-9)
        mean, cov = model.posterior(x)
        assert torch.allclose(model.elbo(x, mean, cov), model.log_prob(x), atol=1e-9)   # tight at q = p(z|x)
        # the closed-form ELBO against a Monte Carlo average of log p(x|z) + log p(z) − log q(z)
        q = torch.distributions.MultivariateNormal(a, S)
        zs = q.sample((200_000,))
        mc = (model.log_likelihood(x, zs) + torch.distributions.Normal(0.0, 1.0).log_prob(zs).sum(-1)
              - q.log_prob(zs)).mean(0)
        assert torch.allclose(mc, model.elbo(x, a, S), rtol=0, atol=0.05 * float(kl.max()) + 0.05)


def test_gaussian_kl_matches_torch():
    g = torch.Generator().manual_seed(0)
    a, b = torch.randn(4, 3, generator=g, dtype=torch.float64), torch.randn(4, 3, generator=g, dtype=torch.float64)
    A = torch.randn(4, 3, 3, generator=g, dtype=torch.float64)
    A = A @ A.transpose(-1, -2) + 0.2 * torch.eye(3, dtype=torch.float64)
    B = torch.eye(3, dtype=torch.float64) * 2.0
    MVN = torch.distributions.MultivariateNormal
    assert torch.allclose(gaussian_kl(a, A, b, B), torch.distributions.kl_divergence(MVN(a, A), MVN(b, B)))


def test_small_sigma2_recovers_pca():
    x = _data()
    pca = PCA(3).fit(x)
    for s2 in (1.0, 1e-2, 1e-6):
        p = PPCA.fit_closed_form(x, 3, sigma2=s2)
        assert subspace_angles(p.W.detach().numpy(), pca.U.numpy()).max() < 1e-6   # same subspace for every σ²
    mle = PPCA.fit_closed_form(x, 3)
    gap = {s2: float((mle.with_sigma2(s2).reconstruct(x).detach() - pca.reconstruct(x)).norm())
           for s2 in (1.0, 1e-2, 1e-6)}
    assert torch.allclose(mle.with_sigma2(0.5).W, PPCA.fit_closed_form(x, 3, sigma2=0.5).W)
    assert gap[1.0] > gap[1e-2] > gap[1e-6] and gap[1e-6] < 1e-4


@pytest.mark.slow
def test_gradient_training_reaches_the_closed_form():
    x = _data()
    best = float(PPCA.fit_closed_form(x, 3).log_prob(x).mean())
    torch.manual_seed(0)
    model = PPCA(10, 3)
    model.mean.data.copy_(x.mean(0))
    start = float(model.log_prob(x).mean())
    fit(model, x, steps=500, batch_size=400, lr=0.1, progress=False)
    reached = float(model.log_prob(x).mean())
    assert best - reached < 0.02 * (best - start), (start, reached, best)


def test_sample_covariance(model):
    xs = model.sample(50_000, generator=torch.Generator().manual_seed(0))
    C = model.covariance().detach()
    assert (torch.cov(xs.T) - C).abs().max() < 0.03 * C.abs().max()


