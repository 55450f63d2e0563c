"""GAN objectives against hand-computed values and torch's own binary cross-entropy."""
import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from course_lib.gans import (LOSSES, clip_weights, discriminator_loss, generator_loss, gradient_penalty, r1_penalty,
                                   value_function)


def logit(p):
    return math.log(p / (1 - p))


def test_minimax_and_nonsaturating_by_hand():
    real = torch.tensor([logit(0.8)])
    fake = torch.tensor([logit(0.3)])
    want_d = -math.log(0.8) - math.log(1 - 0.3)
    for kind in ("minimax", "nonsaturating"):
        assert discriminator_loss(kind, real, fake).item() == pytest.approx(want_d, rel=1e-6)
    assert generator_loss("minimax", fake).item() == pytest.approx(math.log(1 - 0.3), rel=1e-6)
    assert generator_loss("nonsaturating", fake).item() == pytest.approx(-math.log(0.3), rel=1e-6)
    assert value_function(real, fake).item() == pytest.approx(math.log(0.8) + math.log(0.7), rel=1e-6)
    # D = 1/2 everywhere: V = −2 ln 2, the value at the game's equilibrium
    z = torch.zeros(5)
    assert value_function(z, z).item() == pytest.approx(-2 * math.log(2), rel=1e-6)


def test_discriminator_loss_is_torch_bce():
    g = torch.Generator().manual_seed(0)
    r, f = torch.randn(64, generator=g) * 3, torch.randn(64, 1, generator=g) * 3
    want = (F.binary_cross_entropy_with_logits(r, torch.ones(64))
            + F.binary_cross_entropy_with_logits(f[:, 0], torch.zeros(64)))
    assert torch.allclose(discriminator_loss("nonsaturating", r, f), want, atol=1e-6)
    want_g = F.binary_cross_entropy_with_logits(f[:, 0], torch.ones(64))
    assert torch.allclose(generator_loss("nonsaturating", f), want_g, atol=1e-6)


def test_stable_for_extreme_logits():
    big = torch.tensor([1e4, -1e4])
    for kind in LOSSES:
        assert torch.isfinite(discriminator_loss(kind, big, big)) and torch.isfinite(generator_loss(kind, big))


def test_lsgan_and_wgan_by_hand():
    real, fake = torch.tensor([0.5, 1.5]), torch.tensor([0.2])
    assert discriminator_loss("lsgan", real, fake).item() == pytest.approx(0.5 * 0.25 + 0.5 * 0.04)  # ½·mean((r−1)²) + ½·f²
    assert generator_loss("lsgan", fake).item() == pytest.approx(0.5 * 0.64)
    for kind in ("wgan", "wgan-gp"):
        assert discriminator_loss(kind, real, fake).item() == pytest.approx(0.2 - 1.0)
        assert generator_loss(kind, fake).item() == pytest.approx(-0.2)


def test_saturating_gradient_vanishes_where_nonsaturating_does_not():
    # early in training D(G(z)) ≈ 0: the minimax loss has (almost) no gradient, the non-saturating one has
    s = torch.tensor([logit(1e-3)], requires_grad=True)
    (g_sat,) = torch.autograd.grad(generator_loss("minimax", s), s)
    s2 = s.detach().clone().requires_grad_(True)
    (g_ns,) = torch.autograd.grad(generator_loss("nonsaturating", s2), s2)
    # d/ds ln(1 − σ(s)) = −σ(s) ≈ −1e-3;  d/ds −ln σ(s) = −(1 − σ(s)) ≈ −1
    assert g_sat.item() == pytest.approx(-1e-3, rel=1e-3)
    assert g_ns.item() == pytest.approx(-(1 - 1e-3), rel=1e-3)


class Linear2(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.w = nn.Parameter(torch.tensor(w))

    def forward(self, x):
        return x @ self.w


class HalfSquaredNorm(nn.Module):
    def forward(self, x):
        return 0.5 * (x ** 2).sum(1)


def test_gradient_penalty_by_hand():
    # f(x) = w·x with ‖w‖ = 2: ‖∇f‖ = 2 everywhere, penalty (2 − 1)² = 1, whatever the interpolation
    crit = Linear2([1.2, 1.6])
    g = torch.Generator().manual_seed(0)
    real, fake = torch.randn(32, 2, generator=g), torch.randn(32, 2, generator=g)
    gp = gradient_penalty(crit, real, fake, generator=g)
    assert gp.item() == pytest.approx(1.0, rel=1e-6)
    gp.backward()  # the penalty is differentiable w.r.t. the critic's weights: d/dw (‖w‖ − 1)² = 2(‖w‖−1) w/‖w‖
    assert torch.allclose(crit.w.grad, torch.tensor([1.2, 1.6]), atol=1e-5)
    # f(x) = ½‖x‖²: ∇f(x̂) = x̂; with real = fake = (3, 4), x̂ = (3, 4), penalty (5 − 1)² = 16
    p = torch.tensor([[3.0, 4.0]])
    assert gradient_penalty(HalfSquaredNorm(), p, p).item() == pytest.approx(16.0)


def test_r1_penalty_by_hand():
    # s(x) = ½‖x‖²: ∇s(x) = x, so R1 = mean ‖x‖²
    x = torch.tensor([[3.0, 4.0], [1.0, 0.0]])
    assert r1_penalty(HalfSquaredNorm(), x).item() == pytest.approx((25.0 + 1.0) / 2)
    # s(x) = w·x: ∇s = w everywhere, R1 = ‖w‖² = 4, and d/dw ‖w‖² = 2w reaches the weights
    crit = Linear2([1.2, 1.6])
    r1 = r1_penalty(crit, torch.randn(16, 2))
    assert r1.item() == pytest.approx(4.0, rel=1e-6)
    r1.backward()
    assert torch.allclose(crit.w.grad, torch.tensor([2.4, 3.2]), atol=1e-5)
    with pytest.raises(TypeError, match="discriminator must be"):
        r1_penalty(lambda x: x, x)


def test_clip_weights():
    net = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
    with torch.no_grad():
        for p in net.parameters():
            p.mul_(100)
    clip_weights(net, 0.05)
    assert all(p.abs().max() <= 0.05 + 1e-9 for p in net.parameters())
    assert any((p.abs() == 0.05).any() for p in net.parameters())


