"""fit owns the process: schedules, EMA, clipping on every path, device, and clear stops."""
from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from course_lib import data
from course_lib.gans import make_gan
from course_lib.likelihood import Gaussian, GaussianMixture
from course_lib.nn import ema_of
from course_lib.training import TrainingDiverged, fit, schedule_factor


class Quadratic(nn.Module):
    """loss = ||w − 3||²: its gradient is known, so clipping and schedules can be checked by hand."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.zeros(4))

    def loss(self, x):
        return ((self.w - 3.0) ** 2).sum() + 0.0 * x.sum()


def test_schedules_shape():
    total = 100
    f = [schedule_factor("one_cycle", k, total, 0.1) for k in range(total)]
    assert f[0] == pytest.approx(0.1) and f[9] == pytest.approx(1.0)  # linear warm-up over 10 steps
    assert f[-1] == pytest.approx(0.01, abs=2e-3) and all(a >= b for a, b in zip(f[10:], f[11:]))
    assert schedule_factor("warmup_cosine", total - 1, total, 0.1) == pytest.approx(0.0, abs=1e-3)
    assert schedule_factor("constant", 50, total) == 1.0


def test_fit_applies_the_schedule_to_the_optimizer():
    model = Quadratic()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    lrs = []
    fit(model, torch.zeros(8, 1), steps=20, batch_size=8, optimizer=opt, lr=0.1, schedule="warmup_cosine",
        warmup=0.25, progress=False, callback=lambda s, m: lrs.append(opt.param_groups[0]["lr"]))
    expected = [0.1 * schedule_factor("warmup_cosine", k, 20, 0.25) for k in range(1, 21)]
    assert lrs == pytest.approx(expected)


def test_ema_copy_is_the_running_average():
    torch.manual_seed(0)
    model = Quadratic()
    ws = []
    averaged = ema_of(model, 0.9)
    fit(model, torch.zeros(8, 1), steps=10, batch_size=8, lr=0.05, ema=averaged, progress=False,
        callback=lambda s, m: ws.append(model.w.detach().clone()))
    avg = torch.zeros(4)
    for w in ws:
        avg = 0.9 * avg + 0.1 * w
    assert torch.allclose(averaged.module.w, avg, atol=1e-6)
    assert not torch.allclose(averaged.module.w, model.w)
    with pytest.raises(ValueError, match="ema_of: decay"):
        ema_of(model, 1.0)


def test_grad_clip_bounds_the_step():
    model = Quadratic()  # gradient 2(w − 3) = −6 per coordinate, norm 12
    fit(model, torch.zeros(8, 1), steps=1, batch_size=8, optimizer=torch.optim.SGD(model.parameters(), lr=1.0),
        lr=1.0, grad_clip=0.5, progress=False)
    assert model.w.detach().norm().item() == pytest.approx(0.5, rel=1e-5)


def test_grad_clip_reaches_the_adversarial_path():
    torch.manual_seed(0)
    gan = make_gan("nonsaturating", hidden=16)
    fit(gan, lambda n: data.gaussian_ring(n), steps=2, batch_size=32, grad_clip=0.25, progress=False)
    assert gan.grad_clip == 0.25


def test_fit_moves_model_and_data_to_the_device():
    model = Gaussian(0.0, 1.0)
    x = torch.randn(64, dtype=torch.float32)
    fit(model, x, steps=2, batch_size=16, device="cpu", progress=False)
    assert model.mu.device.type == "cpu"
    if torch.cuda.is_available():  # on a GPU machine the same call trains there
        fit(model, x, steps=2, batch_size=16, device="cuda", progress=False)
        assert model.mu.device.type == "cuda"


def test_fit_uses_the_recipe_learning_rate():
    gan = make_gan("wgan-gp", stable=True, hidden=16)
    opts = gan.configure_optimizers(gan.default_lr)
    assert opts["g"].param_groups[0]["lr"] == pytest.approx(3e-3)


@pytest.mark.parametrize("kw,match", [
    (dict(steps=0), "steps"), (dict(batch_size=-1), "batch_size"), (dict(lr=-1.0), "lr"), (dict(lr=0.0), "lr"),
    (dict(grad_clip=-1.0), "grad_clip"), (dict(grad_clip=0.0), "grad_clip"), (dict(ema=0.9), "ema"),
    (dict(schedule="linear"), "schedule"), (dict(warmup=2.0), "warmup"),
])
def test_bad_settings_are_refused_before_the_first_step(kw, match):
    model = Quadratic()
    args = dict(steps=3, batch_size=8, progress=False) | kw
    with pytest.raises((ValueError, TypeError), match=match):
        fit(model, torch.zeros(8, 1), **args)
    assert torch.equal(model.w.detach(), torch.zeros(4)), "nothing may train before the settings are checked"


def test_nan_in_the_data_is_called_a_data_problem():
    x = data.two_moons(64)
    x[5, 0] = math.nan
    with pytest.raises(ValueError, match="data problem"):
        fit(GaussianMixture(2, dim=2), x, steps=3, batch_size=16, progress=False)


def test_explosion_stops_training(runaway):
    model = runaway
    with pytest.raises(TrainingDiverged, match="more than 1000 times"):
        fit(model, torch.zeros(8, 1), steps=500, batch_size=8, optimizer=torch.optim.SGD(model.parameters(), lr=0.5),
            lr=0.5, progress=False)
    assert torch.isfinite(model.w).all()


def test_fit_checks_the_data_once_and_the_loss_is_the_math(monkeypatch):
    """Validate once, at the boundary: fit calls the model's check_inputs once on the whole data set, and
    loss(x) itself checks nothing (no per-step check, no GPU sync)."""
    from course_lib.vae import VAE

    vae = VAE(image_shape=(1, 4, 4), latent_dim=2, hidden=8)
    calls = []
    check = VAE.check_inputs
    monkeypatch.setattr(VAE, "check_inputs", lambda self, x: calls.append(len(x)) or check(self, x))
    flat = VAE._flat
    monkeypatch.setattr(VAE, "_flat", lambda self, x, name="x": calls.append(name) or flat(self, x, name))
    fit(vae, torch.rand(16, 1, 4, 4), steps=5, batch_size=4, progress=False)
    assert calls == [16, "VAE: x"]
