"""Multi-modal outputs (notebook 00): MSE learns the conditional mean, an MDN learns both answers."""
import math

import pytest
import torch

from course_lib.likelihood import (MixtureDensityNetwork, MSERegressor, branch_fractions, branch_means,
                                   conditional_mean, true_log_density, two_branch_data)
from course_lib.training import fit


def test_data_has_two_branches(gen):
    x, y = two_branch_data(4000, p_upper=0.7, noise=0.0, generator=gen)
    assert x.shape == y.shape == (4000, 1) and x.min() >= 0 and x.max() <= 1
    assert torch.allclose(y.abs(), x.sqrt(), atol=1e-6)
    assert abs(float((y > 0).float().mean()) - 0.7) < 0.03
    x2, y2 = two_branch_data(10, x_min=0.5, generator=gen)
    assert x2.min() >= 0.5


def test_conditional_mean_and_branches():
    x = torch.tensor([[0.0], [0.25], [0.64]])
    assert torch.equal(branch_means(x), torch.tensor([[0.0, -0.0], [0.5, -0.5], [0.8, -0.8]]))
    assert torch.allclose(conditional_mean(x, 0.7)[:, 0], torch.tensor([0.0, 0.2, 0.32]))
    assert torch.equal(conditional_mean(x)[:, 0], torch.zeros(3))


def test_mse_minimiser_is_the_empirical_mean(gen):
    """Numerically: for one x, argmin_c mean (y - c)² is mean(y), no matter how y is spread."""
    y = torch.cat([torch.full((30,), 0.8), torch.full((70,), -0.8)])
    cs = torch.linspace(-1, 1, 2001)
    mse = ((y[None, :] - cs[:, None]) ** 2).mean(1)
    assert abs(float(cs[mse.argmin()]) - float(y.mean())) < 1e-3


def test_true_log_density_integrates_to_one_and_matches_torch():
    x = torch.tensor([[0.3], [0.9]])
    grid = torch.linspace(-3, 3, 6001)[None].expand(2, -1)
    dens = true_log_density(x, grid, p_upper=0.3, noise=0.1).exp()
    assert torch.allclose(dens.sum(1) * 6 / 6000, torch.ones(2), atol=1e-4)
    mix = torch.distributions.MixtureSameFamily(
        torch.distributions.Categorical(torch.tensor([0.3, 0.7])),
        torch.distributions.Normal(branch_means(x), 0.1))
    y = torch.tensor([0.5, -0.9])
    assert torch.allclose(true_log_density(x, y[:, None], p_upper=0.3, noise=0.1)[:, 0], mix.log_prob(y), atol=1e-5)


def test_mdn_log_prob_matches_torch_distributions(gen):
    torch.manual_seed(0)
    mdn = MixtureDensityNetwork(components=4)
    x = torch.rand(5, 1, generator=gen)
    y = torch.randn(5, 1, generator=gen)
    log_pi, mu, sigma = mdn(x)
    ref = torch.distributions.MixtureSameFamily(torch.distributions.Categorical(logits=log_pi),
                                                torch.distributions.Normal(mu, sigma)).log_prob(y[:, 0])
    assert torch.allclose(mdn.log_prob(x, y), ref, atol=1e-5)
    grid = torch.linspace(-1, 1, 7)[None].expand(5, -1)
    assert mdn.log_prob(x, grid).shape == (5, 7)
    assert torch.allclose(log_pi.exp().sum(1), torch.ones(5)) and (sigma > 0).all()


@pytest.mark.slow
def test_regressor_predicts_the_mean_mdn_covers_both_branches():
    gen = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    x, y = two_branch_data(2000, generator=gen)
    reg, mdn = MSERegressor(), MixtureDensityNetwork()
    h_reg = fit(reg, (x, y), steps=500, batch_size=256, lr=1e-2, progress=False)
    h_mdn = fit(mdn, (x, y), steps=500, batch_size=256, lr=1e-2, progress=False)
    # MSE ends near Var(y) = E[x] = 0.5 (+ noise²): it cannot do better than the mean
    assert h_reg.mean_last("loss", 50) == pytest.approx(0.5 + 0.05 ** 2, abs=0.05)

    xt, yt = two_branch_data(2000, x_min=0.2, generator=gen)
    with torch.no_grad():
        pred = reg(xt)
    assert (pred - conditional_mean(xt)).abs().max() < 0.15  # ≈ the mean of the two answers (0)...
    assert branch_fractions(xt, pred, width=0.15)["neither"] == 1.0  # ...which is never a right answer

    frac = branch_fractions(xt, mdn.sample(xt, generator=gen), width=0.15)
    assert frac["upper"] > 0.4 and frac["lower"] > 0.4 and frac["neither"] < 0.05
    # its likelihood is close to that of the true process (per-example NLL within 0.1 nats)
    with torch.no_grad():
        nll_mdn = -mdn.log_prob(xt, yt).mean()
    nll_true = -true_log_density(xt, yt).mean()
    assert h_mdn.mean_last("loss", 50) < -0.6
    assert float(nll_mdn - nll_true) < 0.1
    assert not math.isnan(float(nll_mdn))
