"""The denoising widget of notebook 03."""
import numpy as np
import pytest
import torch

from course_lib.widgets import median_latency_ms
from course_lib.widgets.denoising import DenoisingView
from course_lib.widgets.live import grey_rgb


class Blur(torch.nn.Module):
    def forward(self, x):
        return torch.nn.functional.avg_pool2d(x, 3, stride=1, padding=1)


@pytest.fixture
def view(gen):
    x = torch.rand(6, 1, 8, 8, generator=gen)
    return DenoisingView({"identity": torch.nn.Identity(), "blur": Blur()}, x)


def test_rows_show_clean_corrupted_and_reconstructions(view):
    before = view.lf.image.value
    out = view.update(kind="masking", level=0.4)
    assert view.lf.image.value != before
    grid = out["grid"]
    assert np.array_equal(view.grid.get_array(), grey_rgb(grid))  # what is drawn: the grid as grey RGB bytes
    x_t = out["corrupted"]
    assert np.allclose(grid[0:8, 0:8], view.x[0, 0].numpy())
    assert np.allclose(grid[10:18, 0:8], x_t[0, 0].numpy())
    assert np.allclose(grid[20:28, 10:18], x_t[1, 0].numpy())  # identity model reproduces x̃
    frac = float((x_t == 0).float().mean())
    assert 0.25 < frac < 0.55
    assert np.isclose(out["errors"]["identity"], float(((x_t - view.x) ** 2).sum((1, 2, 3)).mean()))
    assert "p = 0.40" in view.status


def test_level_zero_is_clean_and_noise_grows(view):
    assert torch.equal(view.corrupt("gaussian", 0.0), view.x)
    e = [view.update(kind="gaussian", level=s)["errors"]["identity"] for s in (0.1, 0.3, 0.6)]
    assert e == sorted(e) and e[0] > 0
    with pytest.raises(ValueError, match="level must be <= 1"):
        view.update(kind="masking", level=1.5)
    with pytest.raises(ValueError, match="kind must be one of"):
        view.update(kind="salt", level=0.1)
    with pytest.raises(TypeError, match="models must be"):
        DenoisingView({}, view.x)


def test_widget_and_latency(view):
    box = view.widget()
    kind, level = box.children[1].children
    kind.value = "masking"
    level.value = 0.7
    assert view.last["kind"] == "masking" and np.isclose(view.last["level"], 0.7)
    assert median_latency_ms(view.update, [dict(kind="gaussian", level=0.05 * k) for k in range(15)]) < 200
