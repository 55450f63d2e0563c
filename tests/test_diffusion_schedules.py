"""Noise schedules, the forward chain and the samplers of course_lib.diffusion (notebook 07).

The math is checked against independent references: the iterated chain against the closed form,
the cosine schedule against its defining formula, the oracle sampler against the known data law.
"""
import math

import pytest
import torch

from course_lib.diffusion import (GaussianOracle, NoiseSchedule, VarianceExploding, ddim_sample, ddim_timesteps,
                                  ddpm_sample, predict_x0)


# ---------------------------------------------------------------- schedule values
def test_linear_T50_leaves_alpha_bar_far_from_zero():
    s = NoiseSchedule.linear(50)
    assert float(s.alpha_bar[-1]) == pytest.approx(0.603, abs=1e-3)   # NOTES.md: T=50 0.603
    for T, ab in [(100, 0.364), (250, 0.080), (300, 0.048), (1000, 4.04e-5)]:
        assert float(NoiseSchedule.linear(T).alpha_bar[-1]) == pytest.approx(ab, rel=0.02)


def test_schedule_arrays_are_indexed_by_t():
    s = NoiseSchedule.linear(10, 0.1, 0.2)
    assert s.T == 10 and s.betas.shape == (11,) and float(s.betas[0]) == 0 and float(s.alpha_bar[0]) == 1
    # ᾱ_t = Π_{u ≤ t} (1 − β_u), written out
    manual = math.prod(1 - b for b in torch.linspace(0.1, 0.2, 10, dtype=torch.float64).tolist()[:4])
    assert float(s.alpha_bar[4]) == pytest.approx(manual, rel=1e-12)
    assert torch.allclose(s.snr[1:], s.alpha_bar[1:] / (1 - s.alpha_bar[1:]))
    # posterior variance β̃_t = β_t (1 − ᾱ_{t−1})/(1 − ᾱ_t) ≤ β_t, and β̃_1 = 0
    assert float(s.posterior_variance[1]) == pytest.approx(0.0, abs=1e-15)
    assert (s.posterior_variance[1:] <= s.betas[1:] + 1e-15).all()


def test_cosine_matches_its_formula_and_is_monotone():
    T, sft = 100, 0.008
    s = NoiseSchedule.cosine(T)
    f = lambda t: math.cos((t / T + sft) / (1 + sft) * math.pi / 2) ** 2  # noqa: E731
    for t in (1, 10, 50, 90):
        assert float(s.alpha_bar[t]) == pytest.approx(f(t) / f(0), rel=1e-9)
    assert (s.alpha_bar[1:] < s.alpha_bar[:-1]).all() and (s.snr[1:] < s.snr[:-1]).all()


def test_rescaled_linear_reaches_the_same_noise_level_at_any_T():
    ref = float(NoiseSchedule.linear(1000).alpha_bar[-1].log())
    for T in (50, 100, 250):
        s = NoiseSchedule.rescaled_linear(T)
        assert float(s.betas[1]) == pytest.approx(1e-4 * 1000 / T)
        # log ᾱ_T ≈ −Σβ_t − Σβ_t²/2 …: the first term is the same for every T, the rest grows as T shrinks
        assert float(s.alpha_bar[-1].log()) == pytest.approx(ref, rel=0.2)


# ---------------------------------------------------------------- the forward chain
@pytest.mark.parametrize("make", [lambda: NoiseSchedule.linear(50), lambda: NoiseSchedule.cosine(20)])
def test_closed_form_matches_the_iterated_chain(make):
    s = make()
    n = 100_000
    x0 = torch.tensor([[1.5, -2.0]]).expand(n, 2).double()
    g = torch.Generator().manual_seed(0)
    chain = s.trajectory(x0, generator=g)[-1]                      # x_T by T single steps
    closed = s.q_sample(x0, s.T, generator=g)                      # x_T in one draw
    ab = float(s.alpha_bar[-1])
    for x in (chain, closed):
        assert torch.allclose(x.mean(0), math.sqrt(ab) * x0[0], atol=0.01 * 2.0)
        assert torch.allclose(x.var(0), torch.full((2,), 1 - ab, dtype=torch.float64), rtol=0.01)
    assert torch.allclose(chain.mean(0), closed.mean(0), atol=0.02)


def test_variance_exploding_chain_matches_closed_form():
    ve = VarianceExploding.constant(10)                            # the notes' x_{t} = x_{t-1} + ε
    x0 = torch.full((100_000, 1), 3.0, dtype=torch.float64)
    g = torch.Generator().manual_seed(1)
    chain, closed = ve.trajectory(x0, generator=g)[-1], ve.q_sample(x0, 10, generator=g)
    for x in (chain, closed):
        assert float(x.mean()) == pytest.approx(3.0, abs=0.03)
        assert float(x.var()) == pytest.approx(10.0, rel=0.01)     # variance grows like t: it explodes
    assert float(ve.total_std[-1]) == pytest.approx(math.sqrt(10))


def test_q_sample_uses_the_given_noise():
    s = NoiseSchedule.linear(10)
    x0, eps = torch.randn(5, 3), torch.randn(5, 3)
    t = torch.tensor([1, 2, 3, 4, 10])
    ab = s.alpha_bar[t].float()[:, None]
    assert torch.allclose(s.q_sample(x0, t, eps), ab.sqrt() * x0 + (1 - ab).sqrt() * eps)
    assert torch.allclose(predict_x0(s, s.q_sample(x0, 7, eps), 7, eps), x0, atol=1e-5)


# ---------------------------------------------------------------- samplers against the oracle
M, S = torch.tensor([2.0, -1.0]), 0.5


def _moments(x):
    x = x.double()
    return x.mean(0), torch.cov(x.T)


def test_oracle_is_the_conditional_mean_of_the_noise():
    s = NoiseSchedule.linear(100)
    g = torch.Generator().manual_seed(0)
    x0 = M + S * torch.randn(200_000, 2, generator=g)
    eps = torch.randn(200_000, 2, generator=g)
    t = 30
    xt = s.q_sample(x0, t, eps)
    pred = GaussianOracle(M, S, s)(xt, t)
    # E[ε | x_t] is linear in x_t for Gaussian data, so it is the least-squares regression of ε on x_t:
    # fit that regression on the samples and compare it with the oracle's slope and intercept.
    X = torch.cat([xt, torch.ones(len(xt), 1)], 1).double()
    coef = torch.linalg.lstsq(X, eps.double()).solution            # (3, 2): slope rows, then intercept
    probe = torch.tensor([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    p0, p1, p2 = GaussianOracle(M, S, s)(probe, t).double()
    assert torch.allclose(coef[2], p0, atol=0.01)
    assert torch.allclose(coef[:2], torch.stack([p1 - p0, p2 - p0]), atol=0.01)
    assert float(((pred - eps) ** 2).mean()) < float(((X @ coef - eps.double()) ** 2).mean()) + 1e-3


def test_ddpm_with_the_oracle_recovers_the_data_law_on_a_good_schedule():
    s = NoiseSchedule.linear(1000)
    x = ddpm_sample(GaussianOracle(M, S, s), s, (50_000, 2), generator=torch.Generator().manual_seed(0),
                    variance="beta")
    mean, cov = _moments(x)
    assert torch.allclose(mean, M.double(), rtol=0.01)
    # 1 % of s² plus the sampling error of a variance at n = 50,000 (√(2/n) ≈ 0.6 %)
    assert torch.allclose(cov, S ** 2 * torch.eye(2, dtype=torch.float64), atol=0.015 * S ** 2)


def test_ddpm_with_the_oracle_is_biased_on_the_T50_linear_default():
    s = NoiseSchedule.linear(50)
    x = ddpm_sample(GaussianOracle(M, S, s), s, (50_000, 2), generator=torch.Generator().manual_seed(0))
    mean, _ = _moments(x)
    bias = float(((mean - M) / M).abs().mean())
    assert 0.2 < bias < 0.35                                       # measured: ~28 % (x_T ≠ N(0, I))


def test_ddim_is_deterministic_given_the_noise_and_exact_with_the_oracle():
    s = NoiseSchedule.linear(1000)
    o = GaussianOracle(M, S, s)
    xT = torch.randn(20_000, 2, generator=torch.Generator().manual_seed(3))
    a = ddim_sample(o, s, x_T=xT, steps=50)
    b = ddim_sample(o, s, x_T=xT.clone(), steps=50, generator=torch.Generator().manual_seed(99))
    assert torch.equal(a, b)
    mean, cov = _moments(a)
    assert torch.allclose(mean, M.double(), atol=0.02)
    assert 0.8 * S ** 2 < float(cov.diagonal().mean()) < 1.05 * S ** 2   # few steps shrink the variance


def test_ddim_timesteps_and_trajectory():
    assert ddim_timesteps(100, 4) == [100, 75, 50, 25, 0]
    assert ddim_timesteps(10, 10) == list(range(10, -1, -1))
    s = NoiseSchedule.cosine(20)
    tr = ddim_sample(GaussianOracle(M, S, s), s, (7, 2), steps=5, trajectory=True)
    assert tr.states.shape == (6, 7, 2) and tr.times == [20, 16, 12, 8, 4, 0] and torch.equal(tr.states[-1], tr.x)
    tr = ddpm_sample(GaussianOracle(M, S, s), s, (7, 2), trajectory=True)
    assert tr.states.shape == (21, 7, 2) and tr.times[0] == 20 and tr.times[-1] == 0


# ---------------------------------------------------------------- bad input
