"""The likelihood widget: update() moves the curve, the marker and the printed ℒ in place (notebook 01)."""
import io

import numpy as np
import pytest
import torch
from PIL import Image
from scipy import stats

from course_lib.likelihood import gaussian_mle
from course_lib.widgets import median_latency_ms
from course_lib.widgets.likelihood import LikelihoodView


@pytest.fixture(scope="module")
def data():
    return 2.0 + 1.5 * torch.randn(200, generator=torch.Generator().manual_seed(0), dtype=torch.float64)


@pytest.fixture(scope="module")
def view(data):  # building the figure is the slow part; every test sets the values it checks
    return LikelihoodView(data)


def test_update_moves_curve_marker_and_text(view, data):
    x = data.numpy()
    out = view.update(mu=1.0, sigma=2.0)
    ref = stats.norm.logpdf(x, 1.0, 2.0).sum()
    assert out["log_likelihood"] == pytest.approx(ref, rel=1e-10)
    assert np.allclose(view.curve.get_ydata(), stats.norm.pdf(view.grid_x, 1.0, 2.0))
    assert list(view.marker.get_xdata()) == [1.0] and list(view.marker.get_ydata()) == [2.0]
    assert view.text.get_text() == f"{ref:.2f}"
    # the MLE marker and value are those of the closed form
    mu, sigma = gaussian_mle(data)
    assert (out["mle_mu"], out["mle_sigma"]) == pytest.approx((mu.item(), sigma.item()))
    assert out["mle_log_likelihood"] == pytest.approx(stats.norm.logpdf(x, mu.item(), sigma.item()).sum())
    assert out["mle_log_likelihood"] > out["log_likelihood"]


def test_the_mle_is_the_best_point_of_the_surface(view):
    best = view.update(mu=view.mle[0], sigma=view.mle[1])["log_likelihood"]
    for mu in np.linspace(*view.mu_range, 7):
        for sigma in np.linspace(*view.sigma_range, 7):
            assert view.update(mu=mu, sigma=sigma)["log_likelihood"] <= best + 1e-9


def test_update_changes_pixels_in_place(view):
    view.live.image  # noqa: B018  (creates the ipywidgets.Image)
    img = view.live.image
    view.update(mu=1.0, sigma=1.0)
    before = np.asarray(Image.open(io.BytesIO(img.value)))
    view.update(mu=3.0, sigma=2.5)
    after = np.asarray(Image.open(io.BytesIO(img.value)))
    assert view.live.image is img and before.shape == after.shape and not np.array_equal(before, after)
    # same parameters → same pixels (the cached background is not corrupted by updates)
    view.update(mu=1.0, sigma=1.0)
    assert np.array_equal(before, np.asarray(Image.open(io.BytesIO(img.value))))


def test_panel_sliders_drive_update(view):
    import ipywidgets as W

    view.update(mu=1.5, sigma=1.2)
    box = view.widget()
    sliders = [w for w in box.children[1].children if isinstance(w, W.FloatSlider)]
    assert [s.description for s in sliders] == ["μ", "σ"]
    sliders[0].value = 2.5
    assert view.last["mu"] == pytest.approx(2.5) and view.last["sigma"] == pytest.approx(1.2)
    sliders[1].value = 2.0
    assert view.last["sigma"] == pytest.approx(2.0)
    status = box.children[2]
    assert f"{view.last['log_likelihood']:.2f}" in status.value


def test_latency_guard(view):
    values = [dict(mu=m, sigma=s) for m, s in zip(np.linspace(0, 4, 25), np.linspace(0.8, 3, 25))]
    assert median_latency_ms(view.update, values) < 100  # budget is 20 ms; benchmarks report the real figure


@pytest.mark.parametrize("kwargs, exc, msg", [
    (dict(mu=1.0, sigma=0.0), ValueError, "sigma must be > 0"),
    (dict(mu=float("nan"), sigma=1.0), ValueError, "mu must be finite"),
    (dict(mu="a", sigma=1.0), TypeError, "mu must be a real number"),
])
def test_update_rejects_bad_values(view, kwargs, exc, msg):
    with pytest.raises(exc, match=msg):
        view.update(**kwargs)


@pytest.mark.parametrize("args, kwargs, exc, msg", [
    ((torch.zeros(10, 2),), {}, ValueError, r"shape \(n,\)"),
    ((torch.ones(10),), {}, ValueError, "zero spread"),
    ((torch.ones(1),), {}, ValueError, "at least 2"),
    ((torch.randn(10),), dict(sigma_range=(-1.0, 2.0)), ValueError, r"sigma_range\[0\] must be > 0"),
    ((torch.randn(10),), dict(mu_range=(2.0, 1.0)), ValueError, "low < high"),
    ((torch.randn(10),), dict(mu_range=3.0), TypeError, r"\(low, high\) pair"),
])
def test_constructor_rejects_bad_input(args, kwargs, exc, msg):
    with pytest.raises(exc, match=msg):
        LikelihoodView(*args, **kwargs)
