"""The Laplace-smoothing widget of notebook 00: in-place updates, correct numbers, bad inputs refused."""
import io

import numpy as np
import pytest
from PIL import Image

from course_lib.data import load_digits
from course_lib.likelihood import NaiveBayes, discretize
from course_lib.widgets import median_latency_ms
from course_lib.widgets.naive_bayes import SmoothingView


@pytest.fixture(scope="module")
def setup_nb():
    d = load_digits()
    xtr = discretize(d.x_train, 2).reshape(len(d.x_train), -1)
    xte = discretize(d.x_test, 2).reshape(len(d.x_test), -1)
    nb = NaiveBayes(64, 10).fit(xtr, d.y_train)
    return nb, xte, d.y_test


@pytest.fixture(scope="module")
def view(setup_nb):
    nb, xte, yte = setup_nb
    return SmoothingView(nb, xte, yte)


def test_update_reports_the_models_numbers_and_leaves_the_callers_model_alone(view, setup_nb):
    nb, xte, yte = setup_nb
    out = view.update(alpha=10.0)
    ref = NaiveBayes(64, 10, alpha=10.0)
    ref.counts.copy_(nb.counts)
    ref.class_counts.copy_(nb.class_counts)
    ref.set_alpha(10.0)
    assert out["accuracy"] == pytest.approx(ref.accuracy(xte, yte))
    lj = ref.log_joint(xte).gather(1, yte[:, None]).mean()
    assert out["log_lik"] == pytest.approx(float(lj), rel=1e-5)
    np.testing.assert_allclose(out["theta"], ref.log_probs[:, :, 1].exp().numpy(), rtol=1e-5)
    assert nb.alpha == 1.0  # the view works on a copy
    # large κ pulls θ towards ½ and costs likelihood and accuracy
    big = view.update(alpha=100.0)
    small = view.update(alpha=0.01)
    assert np.abs(big["theta"] - 0.5).max() < np.abs(small["theta"] - 0.5).max()
    assert big["log_lik"] < small["log_lik"] - 5 and big["accuracy"] < small["accuracy"]


def test_artists_change_in_place(view):
    img = view.lf.image
    view.update(alpha=0.01)
    before_png, before_grid = img.value, view.image.get_array().copy()
    out = view.update(alpha=50.0)
    assert view.lf.image is img and img.value != before_png
    assert not np.array_equal(view.image.get_array(), before_grid)
    assert np.allclose(view.acc_dot.get_data()[1], [out["accuracy"]])
    assert np.allclose(view.ll_dot.get_data()[0], [50.0])
    assert "κ = 50" in view.status
    assert np.asarray(Image.open(io.BytesIO(img.value))).ndim == 3
    vals = [dict(alpha=float(a)) for a in np.geomspace(1e-3, 100, 10)]
    assert median_latency_ms(view.update, vals) < 150  # loose guard; the benchmark reports the real figure


def test_panel_slider_drives_update(view):
    box = view.widget()
    slider = box.children[1].children[0]
    slider.value = 20.0
    assert "κ = 20" in view.status


def test_bad_inputs(view, setup_nb):
    nb, xte, yte = setup_nb
    with pytest.raises(ValueError, match="alpha must be <="):
        view.update(alpha=1e4)
    with pytest.raises(TypeError, match="NaiveBayes"):
        SmoothingView("nb", xte, yte)
    with pytest.raises(ValueError, match="levels=2"):
        SmoothingView(NaiveBayes(64, 10, levels=17).fit(xte, yte), xte, yte)
    with pytest.raises(ValueError, match="not been fitted"):
        SmoothingView(NaiveBayes(64, 10), xte, yte)
    with pytest.raises(ValueError, match="same length"):
        SmoothingView(nb, xte, yte[:5])
    with pytest.raises(ValueError, match="integer codes 0..1"):
        SmoothingView(nb, xte * 2, yte)
    with pytest.raises(ValueError, match="64 features"):
        SmoothingView(nb, xte[:, :10], yte)
