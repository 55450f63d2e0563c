"""The diffusion time slider (notebook 07): artists follow t in place, arrows come from the ε-network."""
import numpy as np
import pytest
import torch

from course_lib.diffusion import make_ddpm
from course_lib.widgets import median_latency_ms
from course_lib.widgets import View
from course_lib.widgets.diffusion import DiffusionTimeView, cloud_spread, precompute_trajectories, score_arrows


def make_trajectories(T: int = 30, n: int = 50):
    """Small untrained points and digits DDPMs and their forward/reverse trajectories (also used by
    tests/test_widget_extremes.py): (points model, pf, pr, df, dr)."""
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    pts, dig = make_ddpm("points", T=T, hidden=16, blocks=1), make_ddpm("digits", T=T, hidden=16, blocks=1)
    pf, pr = precompute_trajectories(pts, torch.randn(n, 2), generator=g)
    df, dr = precompute_trajectories(dig, torch.rand(1, 1, 8, 8), generator=g)
    return pts, pf, pr, df[:, 0], dr[:, 0]


@pytest.fixture(scope="module")
def trajectories():
    return make_trajectories()


def test_precomputed_trajectories_run_from_data_to_noise(trajectories):
    pts, pf, pr, df, dr = trajectories
    assert pf.shape == pr.shape == (31, 50, 2) and df.shape == dr.shape == (31, 1, 8, 8)
    assert float(dr[0].min()) >= 0 and float(dr[0].max()) <= 1       # samples are clipped digits


def test_update_moves_every_artist(trajectories):
    pts, pf, pr, df, dr = trajectories
    v = DiffusionTimeView(pf, pr, df, dr, eps_fn=pts.eps_fn())
    before = v.lf.image.value
    out = v.update(17)
    assert np.allclose(v.sc_f.get_offsets(), pf[17].numpy()) and np.allclose(v.sc_r.get_offsets(), pr[17].numpy())
    assert np.allclose(v.im_f.get_array(), df[17, 0].numpy()) and np.allclose(v.im_r.get_array(), dr[17, 0].numpy())
    with torch.no_grad():
        want = -pts.eps_fn()(v._grid, torch.full((len(v._grid),), 17)).numpy()
    k = 0.9 * v._cell / np.linalg.norm(want, axis=1).max()               # directions kept, longest = 0.9 cell
    assert np.allclose(v.quiver.U, k * want[:, 0]) and np.allclose(v.quiver.V, k * want[:, 1])
    assert np.hypot(v.quiver.U, v.quiver.V).max() == pytest.approx(0.9 * v._cell, rel=1e-5)
    assert out["t"] == 17 and out["forward_std"] == pytest.approx(float(pf[17].numpy().std(0).mean()), rel=1e-5)
    assert "t = 17 of 30" in v.info and v.lf.image.value != before
    assert v.quiver.get_visible()
    assert v.update(0)["t"] == 0 and np.allclose(v.quiver.U, 0) and not v.quiver.get_visible()


def test_callbacks_are_plain_functions(trajectories):
    pts, *_ = trajectories
    grid = torch.tensor([[0.0, 0.0], [1.0, -1.0], [2.0, 3.0]])
    with torch.no_grad():
        raw = -pts.eps_fn()(grid, torch.full((3,), 9)).numpy()
    uv = score_arrows(pts.eps_fn(), grid, 9, 0.5)
    assert np.linalg.norm(uv, axis=1).max() == pytest.approx(0.5, rel=1e-6)
    cos = (uv * raw).sum(1) / np.linalg.norm(uv, axis=1) / np.linalg.norm(raw, axis=1)
    assert np.allclose(cos, 1, atol=1e-6)                                # same directions as −ε̂
    assert np.array_equal(score_arrows(pts.eps_fn(), grid, 0, 0.5), np.zeros((3, 2)))
    pts2 = np.array([[0.0, 0.0], [2.0, 4.0]])
    assert cloud_spread(pts2) == pytest.approx((1.0 + 2.0) / 2)          # std per coordinate, averaged


def test_widget_slider_drives_update_and_bad_input(trajectories):
    pts, pf, pr, df, dr = trajectories
    v = DiffusionTimeView(pf, pr, df, dr)
    assert isinstance(v, View) and v.knobs == ("t",)
    v.widget()
    slider = v._controls["t"]
    assert slider.max == 30 and slider.step == 1                      # T = 30: one step per key; T = 1000: 10
    slider.value = 5
    assert "t = 5 of 30" in v.info and "t = 5 of 30" in v._status_widget.value
    v.update(t=12)                                                    # code moves the slider too
    assert slider.value == 12 and "t = 12 of 30" in v._status_widget.value
    assert v.update(31)["t"] == 30 and "clamped to 30" in v.status and slider.value == 30
    assert v.update(2.6)["t"] == 3
    with pytest.raises(ValueError, match="t must be a number"):
        v.update(float("nan"))
    with pytest.raises(ValueError, match=r"DiffusionTimeView: .*\(T \+ 1, n, 2\)"):
        DiffusionTimeView(pf[:, :, :1], pr, df, dr)
    with pytest.raises(ValueError, match="T \\+ 1 = 31 frames"):
        DiffusionTimeView(pf, pr, df[:5], dr)


def test_update_is_fast(trajectories):
    pts, pf, pr, df, dr = trajectories
    v = DiffusionTimeView(pf, pr, df, dr, eps_fn=pts.eps_fn())
    v.lf.image  # noqa: B018
    assert median_latency_ms(v.update, [{"t": t} for t in range(0, 31)]) < 60   # budget 16.7 ms; loose under CI load
