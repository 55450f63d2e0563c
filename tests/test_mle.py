"""course_lib.likelihood.mle against scipy, torch.distributions and closed forms (notebook 01)."""
import math

import numpy as np
import pytest
import torch
from scipy import stats

from course_lib.likelihood import (Gaussian, cross_entropy, entropy, gaussian_log_likelihood,
                            gaussian_log_prob, gaussian_mle, kl_divergence, kl_gaussian, log_likelihood_grid)
from course_lib.training import fit


@pytest.fixture
def x(gen):
    return 2.0 + 1.5 * torch.randn(1000, generator=gen, dtype=torch.float64)


def test_log_prob_and_log_likelihood_match_scipy(x):
    ref = stats.norm.logpdf(x.numpy(), loc=0.7, scale=1.9)
    assert np.allclose(gaussian_log_prob(x, 0.7, 1.9).numpy(), ref)
    assert gaussian_log_likelihood(x, 0.7, 1.9).item() == pytest.approx(ref.sum(), rel=1e-12)


def test_product_of_densities_underflows_but_log_sum_does_not(x):
    dens = stats.norm.pdf(x.numpy(), loc=2.0, scale=1.5)
    assert np.prod(dens) == 0.0  # 1,000 numbers around 0.1–0.27: the product is below 1e-308
    ll = gaussian_log_likelihood(x, 2.0, 1.5).item()
    assert math.isfinite(ll) and ll < -1000  # the same quantity, as a sum of logs, is an ordinary number


def test_closed_form_mle_matches_numpy_and_scipy(x):
    mu, sigma = gaussian_mle(x)
    assert mu.item() == pytest.approx(x.numpy().mean())
    assert sigma.item() == pytest.approx(x.numpy().std(ddof=0))  # biased: divide by m
    loc, scale = stats.norm.fit(x.numpy())  # scipy's fit is the MLE too
    assert (mu.item(), sigma.item()) == pytest.approx((loc, scale), rel=1e-9)


def test_mle_is_a_stationary_point_and_a_maximum(x):
    mu, sigma = gaussian_mle(x)
    mu, sigma = mu.clone().requires_grad_(True), sigma.clone().requires_grad_(True)
    ll = gaussian_log_likelihood(x, mu, sigma)
    ll.backward()
    assert abs(mu.grad.item()) < 1e-8 and abs(sigma.grad.item()) < 1e-8
    for dmu, dsig in [(0.05, 0), (-0.05, 0), (0, 0.05), (0, -0.05)]:
        assert gaussian_log_likelihood(x, mu.item() + dmu, sigma.item() + dsig) < ll


@pytest.mark.slow
def test_gradient_ascent_with_fit_reaches_the_closed_form(x):
    torch.manual_seed(0)
    model = Gaussian(mu=0.0, sigma=1.0).double()
    h = fit(model, x, steps=600, batch_size=len(x), lr=0.05, progress=False)
    mu, sigma = gaussian_mle(x)
    assert model.mu.item() == pytest.approx(mu.item(), abs=1e-3)
    assert model.sigma.item() == pytest.approx(sigma.item(), abs=1e-3)
    # average NLL at the optimum: ½ log(2π σ̂²) + ½
    assert h.last("loss") == pytest.approx(0.5 * math.log(2 * math.pi * sigma.item() ** 2) + 0.5, abs=1e-5)
    s = model.sample(20000, generator=torch.Generator().manual_seed(1))
    assert s.shape == (20000,) and abs(s.mean().item() - mu.item()) < 0.05


def test_log_likelihood_grid_matches_direct_sum_and_peaks_at_mle(x):
    mus, sigmas = np.linspace(1, 3, 41), np.linspace(1, 2, 21)
    grid = log_likelihood_grid(x, mus, sigmas)
    assert grid.shape == (21, 41)
    ref = np.array([[stats.norm.logpdf(x.numpy(), m, s).sum() for m in mus] for s in sigmas])
    assert np.allclose(grid, ref, rtol=1e-10)
    i, j = np.unravel_index(grid.argmax(), grid.shape)
    mu, sigma = gaussian_mle(x)
    assert abs(mus[j] - mu.item()) <= 0.05 and abs(sigmas[i] - sigma.item()) <= 0.05


def test_kl_gaussian_matches_torch_distributions():
    N = torch.distributions.Normal
    mp, sp = torch.tensor([0.0, 1.0, -2.0]), torch.tensor([1.0, 0.5, 3.0])
    mq, sq = torch.tensor([0.5, 1.0, 2.0]), torch.tensor([2.0, 0.5, 0.7])
    ref = torch.distributions.kl_divergence(N(mp, sp), N(mq, sq))
    assert torch.allclose(kl_gaussian(mp, sp, mq, sq), ref)
    assert kl_gaussian(1.0, 2.0, 1.0, 2.0).item() == pytest.approx(0.0)
    assert kl_gaussian(0.0, 1.0, 1.0, 2.0).item() != pytest.approx(kl_gaussian(1.0, 2.0, 0.0, 1.0).item())


def test_discrete_entropy_cross_entropy_kl_match_scipy():
    rng = np.random.default_rng(0)
    p, q = rng.dirichlet(np.ones(7)), rng.dirichlet(np.ones(7))
    assert entropy(p).item() == pytest.approx(stats.entropy(p))
    assert kl_divergence(p, q).item() == pytest.approx(stats.entropy(p, q))
    assert cross_entropy(p, q).item() == pytest.approx(entropy(p).item() + kl_divergence(p, q).item())
    assert kl_divergence(p, p).item() == pytest.approx(0.0, abs=1e-12)
    # 0 log 0 = 0; mass of p where q has none gives +inf
    assert kl_divergence([0.5, 0.5, 0.0], [0.25, 0.25, 0.5]).item() == pytest.approx(math.log(2))
    assert math.isinf(kl_divergence([0.5, 0.5], [1.0, 0.0]).item())


def test_average_nll_equals_kl_plus_entropy_for_every_theta(gen):
    """MLE ⇔ min KL: over θ, mean NLL of a large sample − KL(p_data ‖ p_θ) is the constant H(p_data)."""
    mu0, s0 = 1.0, 2.0
    x = mu0 + s0 * torch.randn(200_000, generator=gen, dtype=torch.float64)
    h = 0.5 * math.log(2 * math.pi * math.e * s0 ** 2)
    thetas = [(m, s) for m in (-1.0, 0.0, 1.0, 2.5) for s in (0.8, 2.0, 3.0)]
    gaps = [(-gaussian_log_prob(x, m, s).mean() - kl_gaussian(mu0, s0, m, s)).item() for m, s in thetas]
    assert np.allclose(gaps, h, atol=0.03)
    best = min(thetas, key=lambda t: -gaussian_log_prob(x, *t).mean().item())
    assert best == min(thetas, key=lambda t: kl_gaussian(mu0, s0, *t).item()) == (1.0, 2.0)


