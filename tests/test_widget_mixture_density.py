"""The conditional-slice widget of notebook 00 updates its artists in place and reports what it drew."""
import io

import numpy as np
import pytest
import torch
from PIL import Image

from course_lib.likelihood import MixtureDensityNetwork, MSERegressor, two_branch_data
from course_lib.training import fit
from course_lib.widgets import median_latency_ms
from course_lib.widgets.mixture_density import ConditionalSliceView


@pytest.fixture(scope="module")
def view():
    gen = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    x, y = two_branch_data(1000, generator=gen)
    reg, mdn = MSERegressor(), MixtureDensityNetwork()
    fit(reg, (x, y), steps=300, batch_size=256, lr=1e-2, progress=False)
    fit(mdn, (x, y), steps=400, batch_size=256, lr=1e-2, progress=False)
    return ConditionalSliceView(x, y, reg, mdn)


def _pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)))


def test_update_moves_artists_and_reports_the_slice(view):
    img = view.lf.image
    before = img.value
    out = view.update(x=0.81)
    assert img.value != before and view.lf.image is img  # same widget, new bytes
    assert np.allclose(view.vline.get_xdata(), [0.81, 0.81])
    assert np.allclose(view.sample_dots.get_xdata(), 0.81)
    assert np.allclose(view.sample_dots.get_ydata(), out["samples"])
    assert np.allclose(view.dens_line.get_xdata(), out["density"])
    assert view.pred_dot.get_ydata()[0] == pytest.approx(out["prediction"])
    # what it shows: the regressor sits between the branches ±0.9, the MDN keeps both
    assert abs(out["prediction"]) < 0.2
    assert out["mass_upper"] > 0.35 and out["mass_lower"] > 0.35
    assert np.sum(np.abs(out["samples"] - 0.9) < 0.15) > 5 and np.sum(np.abs(out["samples"] + 0.9) < 0.15) > 5
    # the model's density is a density along the slice
    assert np.sum(out["density"]) * (out["y_grid"][1] - out["y_grid"][0]) == pytest.approx(1.0, abs=0.02)
    assert "x = 0.81" in view.status and "±0.90" in view.status


def test_update_changes_the_picture_and_is_fast(view):
    a = _pixels(view.lf.render())
    view.update(x=0.2)
    b = _pixels(view.lf.render())
    assert (a != b).any()
    values = [dict(x=float(v)) for v in np.linspace(0.02, 1.0, 12)]
    assert median_latency_ms(view.update, values) < 150  # loose guard; benchmarks report the real figure


def test_bad_knob_values_and_inputs(view):
    with pytest.raises(ValueError, match="x must be <="):
        view.update(x=1.5)
    with pytest.raises(TypeError, match="x must be a real number"):
        view.update(x="0.5")
    with pytest.raises(TypeError, match="MixtureDensityNetwork"):
        ConditionalSliceView(torch.zeros(5, 1), torch.zeros(5, 1), MSERegressor(), MSERegressor())
    with pytest.raises(ValueError, match="same length"):
        ConditionalSliceView(torch.zeros(5, 1), torch.zeros(4, 1), MSERegressor(), MixtureDensityNetwork())
    with pytest.raises(ValueError, match="x_range"):
        ConditionalSliceView(torch.zeros(5, 1), torch.zeros(5, 1), MSERegressor(), MixtureDensityNetwork(),
                             x_range=(1.0, 0.5))


def test_widget_panel_wires_the_slider(view):
    box = view.widget()
    slider = box.children[1].children[0]
    before = view.lf.image.value
    slider.value = 0.3
    assert view.lf.image.value != before
    assert np.allclose(view.vline.get_xdata(), [0.3, 0.3])
