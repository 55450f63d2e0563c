"""The harness itself: a tiny notebook written here, driven in JupyterLab + Chromium.

Proves the browser path works independently of the course notebooks, and that the harness
notices a widget whose callback fails.
"""
import jupytext
import pytest

from .harness import (assert_no_widget_errors, image_sources, move_slider, open_and_run, slider_count,
                      start_lab, stop_lab, wait_for_images_change, widget_errors)

SRC = '''# %%
import ipywidgets as W
from course_lib.widgets import LiveFigure, panel

lf = LiveFigure(figsize=(4, 3))
(line,) = lf.ax.plot([0, 1], [0, 0])
lf.animate(line)


def update(a):
    if a > 0.45:
        raise ValueError("deliberate failure past 0.45")
    line.set_ydata([0, a])
    lf.refresh()


panel({"a": W.FloatSlider(value=0.0, min=0, max=1, step=0.1)}, update, lf.image)
'''


@pytest.fixture(scope="module")
def tiny_lab(tmp_path_factory, chromium_path):
    src = tmp_path_factory.mktemp("tiny_notebooks")
    jupytext.write(jupytext.reads(SRC, fmt="py:percent"), src / "tiny.ipynb")
    lab = start_lab(src, tmp_path_factory.mktemp("tiny_lab"))
    yield lab
    stop_lab(lab)


def test_harness_runs_notebook_moves_slider_and_sees_update(tiny_lab, browser):
    page = browser.new_page()
    try:
        open_and_run(page, tiny_lab, "tiny.ipynb", timeout=120)
        assert slider_count(page) == 1
        before = image_sources(page)
        assert len(before) == 1
        move_slider(page, 0, presses=2)
        wait_for_images_change(page, before)
        assert_no_widget_errors(page)
        move_slider(page, 0, presses=4)  # past 0.45: the callback raises
        page.wait_for_timeout(1500)
        assert any("deliberate failure" in e for e in widget_errors(page))
    finally:
        page.close()
