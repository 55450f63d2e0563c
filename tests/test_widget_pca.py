"""The PCA reconstruction widget of notebook 02."""
import numpy as np
import pytest
import torch

from course_lib.data import load_digits
from course_lib.autoencoders import PCA
from course_lib.widgets import median_latency_ms
from course_lib.widgets.pca import PCAReconstructionView
from course_lib.widgets.live import grey_rgb


@pytest.fixture(scope="module")
def view():
    d = load_digits()
    pca = PCA(30).fit(d.x_train)
    curve = pca.error_curve(d.x_test, range(31))
    return PCAReconstructionView(pca, d.x_test[:6], curve), pca, d


def test_update_shows_rank_m_reconstructions_and_marks_the_curve(view):
    v, pca, d = view
    before = v.lf.image.value
    out = v.update(m=5)
    assert v.lf.image.value != before
    rec = pca.reconstruct(d.x_test[:6], 5).reshape(6, 8, 8).clamp(0, 1).numpy()
    grid = out["grid"]
    assert np.array_equal(v.grid.get_array(), grey_rgb(grid))
    assert np.allclose(grid[10:18, 0:8], rec[0]) and np.allclose(grid[10:18, 10:18], rec[1])
    assert np.allclose(grid[0:8, 0:8], d.x_test[0, 0].numpy())
    x, y = v.marker.get_data()
    assert x[0] == 5 and np.isclose(y[0], pca.error(d.x_test, 5)) and np.isclose(out["error"], y[0])
    assert "m = 5 components" in v.status
    full = v.reconstructions(30).reshape(6, -1).double()
    assert torch.allclose(full, pca.reconstruct(d.x_test[:6], 30), atol=1e-5)


def test_bad_inputs(view):
    v, pca, d = view
    with pytest.raises(ValueError, match="m must be <= 30"):
        v.update(m=31)
    with pytest.raises(TypeError, match="fitted"):
        PCAReconstructionView(PCA(3), d.x_test[:2], [1.0, 0.5])
    with pytest.raises(ValueError, match="errors must be"):
        PCAReconstructionView(pca, d.x_test[:2], [1.0])


def test_slider_and_latency(view):
    v, _, _ = view
    box = v.widget()
    slider = box.children[1].children[0]
    slider.value = 12
    assert v.last["m"] == 12
    assert median_latency_ms(v.update, [dict(m=k) for k in range(0, 30, 2)]) < 200  # loose guard on a shared machine
