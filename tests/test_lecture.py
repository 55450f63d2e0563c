"""Lecture style: every text in a figure is >= 18 px as rendered, and the figure fits a 1280x720 screen."""
import io

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

import course_lib
from course_lib import lecture
from course_lib.viz import COURSE_STYLE


@pytest.fixture(autouse=True)
def _restore_rc():
    saved = matplotlib.rcParams.copy()
    yield
    matplotlib.rcParams.update(saved)
    lecture.reset()
    plt.close("all")


def _typical_figure():
    """A figure like the notebooks': two panels, title, labels, legend, suptitle, an image with a colourbar."""
    fig, (a, b) = plt.subplots(1, 2)
    x = np.linspace(0, 1, 50)
    a.plot(x, x**2, label="model")
    a.plot(x, x, label="data")
    a.set(title="Training loss", xlabel="step", ylabel="loss (nats)")
    a.legend()
    im = b.imshow(np.random.default_rng(0).random((8, 8)))
    fig.colorbar(im, ax=b)
    b.set_title("samples")
    fig.suptitle("Epoch 3")
    return fig


def _inline_png(fig) -> bytes:
    # exactly what the notebook's inline backend does (bbox tight, the figure's dpi)
    from IPython.core.pylabtools import print_figure

    return print_figure(fig, "png", bbox_inches="tight", dpi=fig.dpi)


def test_setup_lecture_makes_every_text_at_least_18px_and_fits_the_projector():
    course_lib.setup(0, style="lecture", verbose=False)
    assert lecture.active() and lecture.widget_scale() > 1
    fig = _typical_figure()
    px, text = lecture.smallest_text_px(fig)
    assert px >= lecture.MIN_TEXT_PX, f"smallest text {text!r} is {px:.1f} px"
    renderer = fig.canvas.get_renderer()
    for t in fig.findobj(matplotlib.text.Text):
        if t.get_visible() and t.get_text().strip():
            # the drawn box of one line of text, in device pixels at the saved dpi
            assert t.get_window_extent(renderer).height >= lecture.MIN_TEXT_PX, t.get_text()
    w, h = Image.open(io.BytesIO(_inline_png(fig))).size
    assert w <= lecture.SCREEN[0] - 200 and h <= lecture.SCREEN[1] - 100, (w, h)


def test_course_style_is_smaller_than_lecture_and_style_true_still_works():
    course_lib.setup(0, style=True, verbose=False)
    assert not lecture.active() and lecture.widget_scale() == 1.0
    assert matplotlib.rcParams["font.size"] == COURSE_STYLE["font.size"]
    course_px, _ = lecture.smallest_text_px(_typical_figure())
    course_lib.setup(0, style="lecture", verbose=False)
    lecture_px, _ = lecture.smallest_text_px(_typical_figure())
    assert lecture_px > course_px
    course_lib.setup(0, style="course", verbose=False)
    assert not lecture.active()


def test_style_false_leaves_rcparams_alone():
    matplotlib.rcParams["font.size"] = 7
    course_lib.setup(0, style=False, verbose=False)
    assert matplotlib.rcParams["font.size"] == 7


def test_bad_style_names_the_argument():
    with pytest.raises(ValueError, match="style must be True, False, 'course' or 'lecture'"):
        course_lib.setup(0, style="projector", verbose=False)


def test_widget_figures_scale_with_the_lecture_style():
    from course_lib.widgets import LiveFigure

    course_lib.setup(0, style="lecture", verbose=False)
    # a widget view built as the course's views are (9 x 4 in at 80 dpi), reading the scale
    lf = LiveFigure(figsize=(9, 4), dpi=lecture.scaled_dpi(80))
    lf.ax.plot([0, 1], [0, 1], label="p(x)")
    lf.ax.set(title="likelihood", xlabel="μ")
    lf.ax.legend()
    px, text = lecture.smallest_text_px(lf.fig)
    assert px >= lecture.MIN_TEXT_PX, f"smallest widget text {text!r} is {px:.1f} px"
    w, h = Image.open(io.BytesIO(lf.render())).size
    assert w <= lecture.SCREEN[0] and h <= lecture.SCREEN[1]


def test_environment_variable_turns_the_default_style_into_lecture(monkeypatch):
    # what `make lecture` does: the notebook's own `course_lib.setup(seed=0)` then presents in lecture style
    monkeypatch.setenv("COURSE_LIB_STYLE", "lecture")
    course_lib.setup(0, verbose=False)
    assert lecture.active()
    course_lib.setup(0, style="course", verbose=False)  # an explicit choice wins
    assert not lecture.active()
