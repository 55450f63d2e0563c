import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from course_lib import viz
from course_lib.training import History


def test_image_grid_layout_and_values():
    imgs = torch.zeros(6, 1, 4, 4)
    imgs[1] = 1.0
    arr = viz.grid_array(imgs, nrow=3, padding=1, pad_value=0.5)
    # 2 rows x 3 columns of 4x4 tiles with 1-pixel padding around each
    assert arr.shape == (2 * 5 + 1, 3 * 5 + 1)
    assert arr[1:5, 6:10].min() == 1.0 and arr[1:5, 1:5].max() == 0.0 and arr[0, 0] == 0.5
    im = viz.image_grid(imgs, nrow=3, title="t")
    assert im.axes.get_title() == "t" and im.get_array().shape == (2 * 6 + 2, 3 * 6 + 2)
    plt.close("all")


def test_image_grid_rgb():
    arr = viz.grid_array(torch.rand(4, 3, 5, 5), nrow=2)
    assert arr.shape[-1] == 3


@pytest.mark.parametrize("bad,msg", [
    (torch.rand(4, 4), r"shape \(N, C, H, W\).*reshape"),
    (torch.rand(1, 4, 4), r"unsqueeze"),
    (torch.rand(2, 1, 4, 4) * 255, r"values in \[0.0, 1.0\]"),
    (torch.full((2, 1, 4, 4), float("nan")), "NaN"),
    ("pictures", "torch.Tensor or numpy array"),
])
def test_image_grid_bad_input(bad, msg):
    with pytest.raises((ValueError, TypeError), match=msg):
        viz.grid_array(bad)


def test_scatter_2d_and_errors():
    sc = viz.scatter_2d(torch.randn(50, 2), centers=torch.zeros(3, 2), label="data", lim=3, title="x")
    assert sc.get_offsets().shape == (50, 2)
    assert sc.axes.get_xlim() == (-3, 3)
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        viz.scatter_2d(torch.randn(50, 3))
    with pytest.raises(ValueError, match="NaN or inf"):
        viz.scatter_2d(torch.tensor([[0.0, float("inf")]]))
    plt.close("all")


def test_plot_history_uses_logged_steps():
    h = History()
    for s in range(1, 11):
        h.log(s, loss=1.0 / s)
    h.log(10, val=0.5)
    ax = viz.plot_history(h, log=True)
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines["val"].get_xdata()) == [10] and len(lines["loss"].get_xdata()) == 10
    assert ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="no key"):
        viz.plot_history(h, keys=["nope"])
    plt.close("all")


def test_course_style_is_large():
    viz.use_course_style()
    assert plt.rcParams["font.size"] >= 14
    assert np.isclose(plt.rcParams["lines.linewidth"], 2.2)


def test_fitted_png_keeps_fonts_and_fits_the_output_area():
    import io

    import matplotlib.pyplot as plt
    from PIL import Image

    from course_lib.viz import MAX_FIGURE_PX, fitted_png

    fig, ax = plt.subplots(figsize=(14, 4), dpi=90)
    ax.plot([0, 1], [0, 1])
    ax.set_title("a title")
    png = fitted_png(fig)
    assert Image.open(io.BytesIO(png)).size[0] <= MAX_FIGURE_PX + 5
    assert tuple(fig.get_size_inches()) == (14, 4)  # the figure itself is left as it was
    plt.close(fig)


def test_plot_quality_curve_draws_curve_floor_and_target():
    import matplotlib.pyplot as plt

    ax = viz.plot_quality_curve([(100, 5.0), (200, 3.0)], target=2.5, label="U-Net")
    (curve, floor, target) = ax.get_lines()
    assert list(curve.get_xdata()) == [100, 200] and list(curve.get_ydata()) == [5.0, 3.0]
    assert floor.get_ydata()[0] == 1.0 and target.get_ydata()[0] == 2.5
    assert ax.get_ylim()[0] == 0
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="plot_quality_curve: points is empty"):
        viz.plot_quality_curve([])
