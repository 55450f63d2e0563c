"""The adversarial model: shapes, alternating updates, input checks, recordings round trip."""
import numpy as np
import pytest
import torch

from course_lib import data, gans
from course_lib.gans import LOSSES
from course_lib.training import TrainingDiverged, fit


def test_shapes_and_sampling():
    model = gans.make_gan("nonsaturating")
    assert model.sample(7).shape == (7, 2)
    assert model.D(torch.zeros(4, 2)).shape == (4,)
    g = torch.Generator().manual_seed(0)
    a = model.sample(5, generator=g)
    g.manual_seed(0)
    assert torch.equal(a, model.sample(5, generator=g))


@pytest.mark.parametrize("loss", LOSSES)
def test_train_step_updates_both_players(loss):
    torch.manual_seed(0)
    model = gans.make_gan(loss)
    lr = model.default_lr
    opts = model.configure_optimizers(lr)
    g0 = [p.clone() for p in model.G.parameters()]
    d0 = [p.clone() for p in model.D.parameters()]
    out = model.train_step(data.gaussian_ring(64 * model.n_critic), opts)
    assert {"d_loss", "g_loss"} <= set(out) and all(np.isfinite(v) for v in out.values())
    assert ("gp" in out) == (loss == "wgan-gp")
    assert any(not torch.equal(a, b) for a, b in zip(g0, model.G.parameters()))
    assert any(not torch.equal(a, b) for a, b in zip(d0, model.D.parameters()))
    if loss == "wgan":
        assert all(p.abs().max() <= model.clip + 1e-7 for p in model.D.parameters())


def test_generator_step_leaves_discriminator_alone():
    torch.manual_seed(0)
    model = gans.make_gan("nonsaturating")
    lr = model.default_lr
    opts = model.configure_optimizers(lr)
    d0 = [p.clone() for p in model.D.parameters()]
    model.generator_step(32, opts["g"])
    assert all(torch.equal(a, b) for a, b in zip(d0, model.D.parameters()))


def test_fit_drives_the_adversarial_path_and_stops_on_nan():
    torch.manual_seed(0)
    model = gans.make_gan("lsgan")
    lr = model.default_lr
    hist = gans.train_gan(model, data.gaussian_ring, steps=5, batch_size=32, lr=lr, progress=False)
    assert len(hist["d_loss"]) == 5
    model.D.net[0].weight.data.fill_(float("nan"))
    with pytest.raises(TrainingDiverged, match="diverged"):
        fit(model, data.gaussian_ring, steps=3, batch_size=32, lr=lr, progress=False)


def test_record_run_and_state_round_trip(tmp_path):
    fn, c, sd = gans.toy_mixture("ring")
    r = gans.record_run("nonsaturating", fn, c, sd, steps=20, every=10, n_show=30, n_eval=200, seed=0)
    assert list(r.steps) == [0, 10, 20] and r.samples.shape == (3, 30, 2) and r.n_modes == 8
    r2 = gans.record_run("nonsaturating", fn, c, sd, steps=20, every=10, n_show=30, n_eval=200, seed=0)
    assert np.array_equal(r.samples, r2.samples)  # same seed, same run
    from course_lib.checkpoints import load_state_dict, save_checkpoint

    save_checkpoint("runs", gans.recordings_state({"ring": {"nonsaturating": r}}), {"script": "test"}, tmp_path)
    state = load_state_dict("runs", tmp_path)
    assert np.allclose(state["ring/nonsaturating/samples"].float().numpy(), r.samples, atol=2e-3)
    assert np.array_equal(state["ring/nonsaturating/modes"].numpy(), r.modes)


def test_ema_generator_tracks_the_trained_one():
    torch.manual_seed(0)
    model = gans.make_gan("nonsaturating", ema=0.5)
    lr = model.default_lr
    opts = model.configure_optimizers(lr)
    before = [p.clone() for p in model.G_ema.parameters()]
    model.train_step(data.gaussian_ring(64), opts)
    for b, pe, p in zip(before, model.G_ema.parameters(), model.G.parameters()):
        assert torch.allclose(pe, 0.5 * b + 0.5 * p)  # G_ema ← ema·G_ema + (1 − ema)·G
    torch.manual_seed(1)
    s = model.sample(4)
    torch.manual_seed(1)
    assert torch.allclose(s, model.G_ema(model.noise(4)))
    with pytest.raises(ValueError, match="ema must be <= 1"):
        gans.make_gan("lsgan", ema=1.5)


def test_lazy_r1_every_kth_discriminator_step():
    torch.manual_seed(0)
    model = gans.make_gan("nonsaturating", r1=0.5, r1_every=3)
    lr = model.default_lr
    opt = model.configure_optimizers(lr)["d"]
    has_r1 = ["r1" in model.discriminator_step(data.gaussian_ring(32), opt) for _ in range(6)]
    assert has_r1 == [False, False, True, False, False, True]
    # the step's loss is the GAN loss plus (γ/2)·k·R1 on the real batch
    real = data.gaussian_ring(32)
    torch.manual_seed(3)
    model._d_steps = 2  # the next step is a penalised one
    before = {k: v.clone() for k, v in model.D.state_dict().items()}
    out = model.discriminator_step(real, opt)
    model.D.load_state_dict(before)
    assert out["r1"].item() == pytest.approx(gans.r1_penalty(model.D, real).item(), rel=1e-5)
    with pytest.raises(ValueError, match="r1 must be >= 0"):
        gans.make_gan("nonsaturating", r1=-1.0)
    with pytest.raises(ValueError, match="r1_every must be >= 1"):
        gans.make_gan("nonsaturating", r1_every=0)


def test_generator_step_leaves_the_discriminator_untouched():
    torch.manual_seed(0)
    model = gans.make_gan("nonsaturating")
    lr = model.default_lr
    model.D.net[0].bias.requires_grad_(False)  # a user's frozen parameter stays frozen
    before = [p.clone() for p in model.D.parameters()]
    model.generator_step(64, model.configure_optimizers(lr)["g"])
    assert all(torch.equal(b, p) for b, p in zip(before, model.D.parameters()))
    assert all(p.grad is None for p in model.D.parameters())  # D's weight gradients were never computed
    assert [p.requires_grad for p in model.D.parameters()] == [True, False] + [True] * 6
