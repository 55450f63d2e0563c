"""The live trainer's engine (course_lib.gans.live_training), its picture data (course_lib.widgets.gan_frames) and
its view (course_lib.widgets.gan_trainer)."""
import numpy as np
import pytest
import torch

from course_lib import data as cdata
from course_lib.gans import flat_optim
from course_lib.gans import live_training as lt
from course_lib.widgets import gan_frames as gf


@pytest.mark.parametrize("name", lt.LIVE_DATA)
def test_live_data_real_samples_score_as_covered(name):
    d = lt.live_data(name)
    x = d.sample(2500, generator=torch.Generator().manual_seed(0))
    assert x.shape == (2500, 2) and float(x.abs().max()) < d.lim
    cov = d.coverage(x)
    assert cov.modes == d.n_modes and cov.high_quality > 0.97  # real data: every mode, ~99 % within 3σ


def test_moons_coverage_counts_arcs_and_rejects_far_points():
    d = lt.live_data("moons")
    x = d.sample(2000, generator=torch.Generator().manual_seed(1))
    upper_only = x[(x[:, 1] > 1.0) & (x[:, 0] < -1.0)]  # the upper moon at angles 90°-131°: its third arc
    cov = lt.moons_coverage(upper_only)
    assert cov.modes == 1 and cov.high_quality > 0.95
    assert lt.moons_coverage(torch.full((10, 2), 2.9)) == (0, 0.0)  # far from both moons
    with pytest.raises(ValueError, match="moons_coverage"):
        lt.moons_coverage(torch.zeros(5, 3))


def test_moons_are_sklearn_geometry_scaled():
    from sklearn.datasets import make_moons

    xs, _ = make_moons(4000, noise=0.0, random_state=0)  # the noiseless curve: every point on an arc
    xs = (torch.tensor(xs) - torch.tensor([0.5, 0.25])) * 2.0
    assert lt.moons_coverage(xs) == (8, 1.0)
    assert cdata.two_moons(5).shape == (5, 2)


def test_step_d_changes_only_d_and_step_g_only_g():
    s = lt.LiveGAN("ring", "non-saturating", seed=0)
    g0 = [p.clone() for p in s.model.G.parameters()]
    d0 = [p.clone() for p in s.model.D.parameters()]
    s.step_d()
    assert all(torch.equal(a, b) for a, b in zip(g0, s.model.G.parameters()))
    assert any(not torch.equal(a, b) for a, b in zip(d0, s.model.D.parameters()))
    d1 = [p.clone() for p in s.model.D.parameters()]
    s.step_g()
    assert all(torch.equal(a, b) for a, b in zip(d1, s.model.D.parameters()))
    assert any(not torch.equal(a, b) for a, b in zip(g0, s.model.G.parameters()))
    assert (s.g_steps, s.d_steps) == (1, 1)


def test_train_is_the_gan_train_step_and_reproducible():
    a, b = lt.LiveGAN("grid", "WGAN-GP", seed=3), lt.LiveGAN("grid", "WGAN-GP", seed=3)
    a.train(4)
    b.train(4)
    assert all(torch.equal(p, q) for p, q in zip(a.model.parameters(), b.model.parameters()))
    assert (a.g_steps, a.d_steps) == (4, 4 * a.model.n_critic) and a.model.n_critic == 2
    # the same updates as GAN.train_step on the same batches and noise, called by hand
    c = lt.LiveGAN("ring", "non-saturating + R1 + EMA (stable)", seed=5)
    d = lt.LiveGAN("ring", "non-saturating + R1 + EMA (stable)", seed=5)
    c.train(3)
    k, m = d.model.n_critic, d.batch_size
    with d._own_rng():
        for batch in d._real(3 * k * m).split(k * m):
            out = d.model.train_step(batch, d.optimizers)
    assert all(torch.equal(p, q) for p, q in zip(c.model.parameters(), d.model.parameters()))
    assert c.last["g_loss"] == out["g_loss"] and c.last["d_loss"] == out["d_loss"]


def test_knobs_change_the_optimisers():
    s = lt.LiveGAN("ring", "LSGAN")
    s.set_learning_rates(2e-4, 3e-3)
    assert s.optimizers["g"].param_groups[0]["lr"] == 2e-4 and s.optimizers["d"].param_groups[0]["lr"] == 3e-3
    s.set_n_critic(3)
    s.train(1)
    assert s.d_steps == 3
    with pytest.raises(ValueError, match="lr_g"):
        s.set_learning_rates(-1.0, 1e-3)
    with pytest.raises(ValueError, match="data|name"):
        lt.LiveGAN("spiral")
    with pytest.raises(TypeError, match="train_frame"):
        gf.train_frame("not a state")


@pytest.mark.parametrize("loss", list(lt.LIVE_LOSSES))
def test_frame_shapes_and_field_kinds(loss):
    s = lt.LiveGAN("moons", loss, n_show=100, n_eval=500)
    f = gf.train_frame(s, 2, gf.Framer(resolution=16, n_arrows=20))
    assert f.samples.shape == (100, 2) and f.field.shape == (16, 16)
    assert f.arrows.shape == f.arrows_at.shape and 1 <= len(f.arrows) <= 20 and np.isfinite(f.arrows).all()
    assert f.g_steps == 2 and s.history["g_steps"] == [2] and f.n_modes == 8
    if s.kind in ("minimax", "nonsaturating"):
        assert f.field_label == "D(x)" and f.clim == (0.0, 1.0) and (0 <= f.field).all() and (f.field <= 1).all()
    else:
        assert "D(x)" in f.field_label and f.clim[0] <= f.field.min() and f.field.max() <= f.clim[1]
        if s.kind in ("wgan", "wgan-gp"):  # the critic's offset means nothing: shown minus its mean
            assert abs(f.field.mean()) <= 1e-5 * np.abs(f.field).max()


def test_field_row_zero_is_the_bottom_and_arrows_are_minus_the_loss_gradient():
    s = lt.LiveGAN("ring", "non-saturating")
    f = gf.Framer(resolution=8, n_arrows=5)(s, record=False)
    with torch.no_grad():
        corner = torch.sigmoid(s.model.D(torch.tensor([[-s.data.lim, -s.data.lim]])))
    assert abs(f.field[0, 0] - corner.item()) <= 1e-6 * corner.item()  # row 0, col 0 = (−lim, −lim)
    x = torch.tensor(f.arrows_at, requires_grad=True)
    (g,) = torch.autograd.grad(torch.nn.functional.softplus(-s.model.D(x)).sum(), x)  # −ln D(x) per sample
    assert np.allclose(f.arrows, -g.numpy(), rtol=1e-5, atol=1e-7)


def test_arrows_do_not_pile_up_on_clustered_samples():
    """At step 0 G maps all noise near one point: a few arrows there, not 48 on top of each other."""
    s = lt.LiveGAN("ring", "non-saturating", seed=0)
    framer = gf.Framer(n_arrows=48, min_spacing=0.04)
    f = framer(s, record=False)
    spread = np.ptp(f.samples, axis=0).max()
    assert spread < 0.5 and len(f.arrows) <= 4, (spread, len(f.arrows))
    d = np.sqrt(((f.arrows_at[:, None] - f.arrows_at[None]) ** 2).sum(-1))
    assert (d[~np.eye(len(d), dtype=bool)] >= 0.04 * 2 * s.data.lim).all()
    s.train(300)  # spread over the ring: many arrows
    assert len(framer(s, record=False).arrows) == 48


def test_spread_subset_and_sticky_clim():
    pts = np.array([[0.0, 0.0], [0.01, 0.0], [1.0, 0.0], [1.0, 0.02], [2.0, 0.0]])
    assert gf.spread_subset(pts, 10, 0.5).tolist() == [0, 2, 4]
    assert gf.spread_subset(pts, 2, 0.5).tolist() == [0, 2]
    assert gf.spread_subset(pts, 10, 0.0).tolist() == [0, 1, 2, 3, 4]
    with pytest.raises(ValueError, match="spread_subset: points"):
        gf.spread_subset(np.zeros((3, 3)), 2, 0.1)
    assert gf.sticky_clim(-1.0, 3.0) == (-5.0, 5.0) and gf.sticky_clim(-0.3, 0.1) == (-0.5, 0.5)
    assert gf.sticky_clim(0.0, 2.0) == (-2.0, 2.0) and gf.sticky_clim(-12.0, 0.0) == (-20.0, 20.0)
    c = (-5.0, 5.0)
    assert gf.sticky_clim(-4.0, 1.5, c) == c and gf.sticky_clim(-0.6, 0.5, c) == c  # inside: kept
    assert gf.sticky_clim(-1.0, 5.5, c) == (-10.0, 10.0) and gf.sticky_clim(0.0, 0.45, c) == (-0.5, 0.5)
    assert gf.sticky_clim(0.0, 0.0)[1] > 0  # a flat field still gets a range
    with pytest.raises(ValueError, match="sticky_clim"):
        gf.sticky_clim(float("nan"), 1.0)


@pytest.mark.slow
def test_stable_ns_gan_covers_the_ring_within_the_live_budget():
    """What the notebook promises for the live trainer: the stable non-saturating GAN covers the ring
    (8/8 modes) within 600 generator steps (30 frames of 20)."""
    torch.set_num_threads(1)
    s = lt.LiveGAN("ring", "non-saturating + R1 + EMA (stable)", seed=0)
    for _ in range(30):
        f = gf.train_frame(s, 20)
        if f.modes == 8:
            break
    assert f.modes == 8, s.history


def test_view_plain_methods():
    from course_lib.widgets.gan_trainer import GANTrainerView

    v = GANTrainerView("ring", "non-saturating", steps_per_frame=3)
    png0 = v.lf.render()
    out = v.play_frame()
    assert out["g_steps"] == 3 and out["d_steps"] == 3 and out["n_modes"] == 8
    out = v.step_d()
    assert (out["g_steps"], out["d_steps"]) == (3, 4)
    out = v.step_g()
    assert (out["g_steps"], out["d_steps"]) == (4, 4)
    assert v.lf.render() != png0 and "G steps 4" in v.info
    k = v.update(loss="WGAN (weight clipping)", data="grid")  # a new model with its recipe's settings
    assert k["n_critic"] == 5 and k["lr_g"] == 5e-4 and v.state.g_steps == 0 and v.state.data.n_modes == 25
    k = v.update(lr_g=1e-3, lr_d=2e-3, n_critic=2, steps_per_frame=5)
    assert (k["lr_g"], k["lr_d"], k["n_critic"], k["steps_per_frame"]) == (1e-3, 2e-3, 2, 5)
    assert v.play_frame()["d_steps"] == 10
    v.reset()
    assert v.state.g_steps == 0 and v.state.history["g_steps"] == [0]
    with pytest.raises(ValueError, match="loss"):
        v.update(loss="VAE")


def test_view_widget_builds_buttons_with_tooltips():
    import ipywidgets as W

    from course_lib.widgets.gan_trainer import BUTTONS, GANTrainerView

    v = GANTrainerView("moons", "LSGAN", steps_per_frame=2)
    box = v.widget()
    assert not any(isinstance(w, W.Play) for w in _walk(box))  # no stop/repeat buttons that mean nothing here
    buttons = {w.description: w for w in _walk(box) if isinstance(w, W.Button)}
    assert set(buttons) == {label for label, _, _ in BUTTONS.values()}
    assert all(len(b.tooltip) > 20 for b in buttons.values())
    assert not buttons["play"].disabled and buttons["pause"].disabled  # paused at the start
    buttons["step G"].click()
    assert v.state.g_steps == 1
    buttons["play"].click()  # no event loop runs here: playing starts, frames come from tick()
    assert v.playing and buttons["play"].disabled and not buttons["pause"].disabled
    assert v.tick()["g_steps"] == 3
    buttons["pause"].click()
    assert not v.playing and v.tick() is None and v.state.g_steps == 3
    sliders = {w.description: w for w in _walk(box) if isinstance(w, (W.IntSlider, W.FloatLogSlider))}
    dd = {w.description: w for w in _walk(box) if isinstance(w, W.Dropdown)}
    dd["loss"].value = "WGAN-GP"  # a new model: the sliders show its recipe
    assert sliders["D steps per G step"].value == 2 and v.state.g_steps == 0
    status = [w for w in _walk(box) if "gan-trainer-status" in getattr(w, "_dom_classes", ())]
    assert len(status) == 1 and status[0].layout.height == "66px" and "height:66px" in status[0].value


def test_play_pause_tick_are_plain_functions():
    from course_lib.widgets.gan_trainer import GANTrainerView

    v = GANTrainerView("ring", "non-saturating", steps_per_frame=2)
    assert v.tick() is None and v.state.g_steps == 0  # paused: a tick does nothing
    assert v.play() is True and v.play() is False  # a second play changes nothing
    assert v.info.startswith("playing · G steps 0 ")
    assert v.tick()["g_steps"] == 2 and v.tick()["g_steps"] == 4
    assert v.pause() is True and v.pause() is False
    assert v.tick() is None and v.state.g_steps == 4 and v.info.startswith("paused · G steps 4 ")  # no frame
    v.play()
    v.reset()  # a fresh model; playing goes on
    assert v.playing and v.state.g_steps == 0 and v.tick()["g_steps"] == 2


def test_pause_during_a_frame_leaves_the_status_to_that_frame():
    """A kernel may handle the pause click while a frame runs: the status then says "paused" once, with the
    counts the frame ended at, not first with the older ones (the browser saw them change after pause)."""
    import threading

    from course_lib.widgets.gan_trainer import GANTrainerView

    v = GANTrainerView("ring", "non-saturating", steps_per_frame=2)
    v.play()
    v.tick()
    started, release = threading.Event(), threading.Event()
    train = v.state.train

    def slow_train(steps):
        started.set()
        release.wait(10)
        train(steps)

    v.state.train = slow_train
    frame = threading.Thread(target=v.tick)
    frame.start()
    assert started.wait(10)
    v.pause()  # while the frame runs
    assert v.info.startswith("playing · G steps 2 ")  # not rewritten with the counts about to be stale
    release.set()
    frame.join(10)
    assert v.info.startswith("paused · G steps 4 ") and v.tick() is None and v.state.g_steps == 4


def test_a_diverging_frame_pauses_and_says_why():
    from course_lib.training import TrainingDiverged
    from course_lib.widgets.gan_trainer import GANTrainerView

    v = GANTrainerView("ring", "non-saturating", steps_per_frame=20)
    v.widget()
    v.state.set_learning_rates(1e6, 1e6)  # far beyond the sliders: the game blows up
    v.play()
    with pytest.raises(TrainingDiverged):
        for _ in range(20):
            v._guarded(v.tick)
    assert not v.playing and "trainer failed: TrainingDiverged" in v._status_widget.value


def test_play_loop_runs_on_an_event_loop_and_pause_stops_it_at_once():
    """The loop the widget runs in a kernel: frames while playing, none after pause."""
    import asyncio

    from course_lib.widgets.gan_trainer import GANTrainerView

    v = GANTrainerView("ring", "non-saturating", steps_per_frame=1)
    v.widget(pause_s=0.0)

    async def session():
        v.play()
        while v.state.g_steps < 3:
            await asyncio.sleep(0)
        v.pause()  # as a click would: between two frames
        at_pause = v.state.g_steps
        for _ in range(20):
            await asyncio.sleep(0)
        return at_pause

    assert asyncio.run(session()) == v.state.g_steps >= 3
    assert v._task.done()


def test_colour_bar_follows_the_field_range():
    from course_lib.widgets.gan_trainer import GANTrainerView

    v = GANTrainerView("ring", "WGAN (weight clipping)", steps_per_frame=20)
    for _ in range(5):
        out = v.play_frame()
        f = v.framer(v.state, record=False)
        assert tuple(v.colorbar.mappable.get_clim()) == out["clim"] == f.clim
        assert f.clim[0] <= f.field.min() and f.field.max() <= f.clim[1]
    assert v.colorbar.ax.get_ylabel() == "critic D(x) − mean"
    v.update(loss="non-saturating")
    assert tuple(v.colorbar.mappable.get_clim()) == (0.0, 1.0) and v.colorbar.ax.get_ylabel() == "D(x)"


def _walk(w):
    yield w
    for c in getattr(w, "children", ()):
        yield from _walk(c)


def test_frame_recomputes_only_the_player_that_moved():
    s = lt.LiveGAN("ring", "LSGAN", seed=1, n_eval=300, n_show=50)
    framer = gf.Framer(resolution=8, n_arrows=5)
    f0 = framer(s, record=False)
    s.step_g()
    f1 = framer(s, record=False)
    assert f1.field is f0.field and not np.array_equal(f1.samples, f0.samples)  # D unchanged: its field kept
    s.step_d()
    f2 = framer(s, record=False)
    assert np.array_equal(f2.samples, f1.samples) and not np.array_equal(f2.field, f1.field)
    with torch.no_grad():  # the kept parts are what a fresh computation gives
        assert np.allclose(f2.field.ravel(), s.model.D(framer.grid(s.data.lim)).numpy(), rtol=1e-5, atol=1e-7)
        assert np.allclose(f2.samples, s.model.G(s.z_show).numpy(), rtol=1e-5, atol=1e-7)
    other = lt.LiveGAN("ring", "LSGAN", seed=2, n_eval=300, n_show=50)
    other.step_g()
    other.step_d()  # the same step counts as s, another state: its own field
    assert not np.array_equal(framer(other, record=False).field, f2.field)


def test_measure_records_each_g_step_once():
    s = lt.LiveGAN("ring", "non-saturating", n_eval=200)
    s.measure()
    s.measure()
    s.step_d()
    s.measure()
    s.train(2)
    m = s.measure()
    assert s.history["g_steps"] == [0, 2] and m.g_steps == 2 and m.samples.shape == (400, 2)
    assert s.measure(record=False) is m


def test_heat_rgb_puts_high_y_on_top_and_follows_the_colour_map():
    from course_lib.widgets.gan_frames import heat_lut, heat_rgb

    lut = heat_lut()
    field = np.zeros((4, 4))
    field[-1] = 1.0  # the last row is the largest y (row 0 at the bottom)
    img = heat_rgb(field, (0.0, 1.0), lut, upsample=2)
    assert img.shape == (8, 8, 3) and img.dtype == np.uint8
    assert (img[0] == lut[255]).all() and (img[-1] == lut[0]).all()  # top row: high values


def test_trainer_is_a_view_and_update_writes_the_status():
    from course_lib.widgets.base import View
    from course_lib.widgets.gan_trainer import GANTrainerView

    v = GANTrainerView("moons", "non-saturating", steps_per_frame=2)
    assert isinstance(v, View) and v.knobs == ("data", "loss", "lr_g", "lr_d", "n_critic", "steps_per_frame")
    state = v.update(lr_d=3e-3)
    assert v.values["lr_d"] == 3e-3 == v.state.lr_d and v.last is state and v.status.startswith("paused · G steps 0 ")
    with pytest.raises(TypeError, match="unknown knob"):
        v.update(batch=3)


def _two_copies(seed=0):
    torch.manual_seed(seed)
    net = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
    other = [p.detach().clone().requires_grad_(True) for p in net.parameters()]
    return list(net.parameters()), other


@pytest.mark.parametrize("make_torch, make_flat, exact", [
    (lambda ps: torch.optim.RMSprop(ps, lr=3e-3, foreach=True), lambda ps: flat_optim.FlatRMSprop(ps, lr=3e-3), True),
    (lambda ps: torch.optim.Adam(ps, lr=2e-3, betas=(0.5, 0.999), foreach=True),
     lambda ps: flat_optim.FlatAdam(ps, lr=2e-3, betas=(0.5, 0.999)), True),
    (lambda ps: torch.optim.Adam(ps, lr=2e-3, betas=(0.5, 0.999), fused=True),
     lambda ps: flat_optim.FlatAdam(ps, lr=2e-3, betas=(0.5, 0.999)), False),
])
def test_flat_optimisers_follow_torch_step_for_step(make_torch, make_flat, exact):
    ref_params, flat_params = _two_copies()
    ref, flat = make_torch(ref_params), make_flat(flat_params)
    g = torch.Generator().manual_seed(1)
    for step in range(300):
        if step == 150:   # the knob: a new learning rate mid-run
            ref.param_groups[0]["lr"] = flat.param_groups[0]["lr"] = 1e-3
        for a, b in zip(ref_params, flat_params):
            a.grad = torch.randn(a.shape, generator=g) * 10 ** (step % 3 - 1)   # gradients of several scales
            b.grad = a.grad.clone()
        ref.step()
        flat.step()
    for a, b in zip(ref_params, flat_params):
        assert (torch.equal(a, b) if exact else torch.allclose(a, b, rtol=1e-5, atol=1e-6)), (a - b).abs().max()
    assert any(not torch.equal(a, p0) for a, p0 in zip(flat_params, _two_copies()[1]))   # it did move


def test_flat_like_copies_the_settings_and_refuses_what_it_lacks():
    ps = _two_copies()[0]
    f = flat_optim.flat_like(torch.optim.RMSprop(ps, lr=5e-4, alpha=0.9, eps=1e-6))
    assert isinstance(f, flat_optim.FlatRMSprop) and (f.param_groups[0]["lr"], f.alpha, f.eps) == (5e-4, 0.9, 1e-6)
    f = flat_optim.flat_like(torch.optim.Adam(ps, lr=1e-4, betas=(0.5, 0.9)))
    assert isinstance(f, flat_optim.FlatAdam) and (f.beta1, f.beta2) == (0.5, 0.9)
    with pytest.raises(ValueError, match="flat_like.*momentum"):
        flat_optim.flat_like(torch.optim.RMSprop(ps, lr=1e-3, momentum=0.9))
    with pytest.raises(TypeError, match="flat_like: opt"):
        flat_optim.flat_like(torch.optim.SGD(ps, lr=1e-3))
    with pytest.raises(ValueError, match="FlatAdam: params"):
        flat_optim.FlatAdam([])


def test_live_trainer_uses_flat_optimisers_with_the_recipe_settings():
    s = lt.LiveGAN("ring", "WGAN (weight clipping)")
    assert all(isinstance(o, flat_optim.FlatRMSprop) for o in s.optimizers.values())
    s = lt.LiveGAN("ring", "WGAN-GP")
    assert all(isinstance(o, flat_optim.FlatAdam) for o in s.optimizers.values())
    assert s.optimizers["d"].beta1 == s.model.betas[0]


def test_flat_optimisers_refuse_bad_settings():
    ps = _two_copies()[0]
    with pytest.raises(ValueError, match="FlatRMSprop: lr"):
        flat_optim.FlatRMSprop(ps, lr=0.0)
    with pytest.raises(ValueError, match="FlatRMSprop: alpha"):
        flat_optim.FlatRMSprop(ps, lr=1e-3, alpha=1.5)
    with pytest.raises(TypeError, match="FlatAdam: betas"):
        flat_optim.FlatAdam(ps, lr=1e-3, betas=0.9)
    with pytest.raises(ValueError, match="FlatAdam: betas"):
        flat_optim.FlatAdam(ps, lr=1e-3, betas=(0.5, 1.0))
    with pytest.raises(ValueError, match="FlatAdam: params"):
        flat_optim.FlatAdam([torch.zeros(3, dtype=torch.long)])
