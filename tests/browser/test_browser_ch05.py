"""Notebook 05 in a real JupyterLab: both mode-collapse replays render and follow their step sliders."""
import pytest

from .harness import (assert_no_widget_errors, assert_readable, check_sliders_redraw, open_and_run, slider_count)

NOTEBOOK = "05_gans.ipynb"
RING_STEP, GRID_STEP = 0, 1  # slider order on the page: ring replay, grid replay


@pytest.mark.browser
def test_mode_collapse_replays_follow_their_sliders(lab, page):
    open_and_run(page, lab, NOTEBOOK, timeout=400)
    assert_readable(page, NOTEBOOK)  # 1280x800: text >= 14 px, no image wider than its output area
    assert slider_count(page) == 2, "one step slider per mode-collapse replay (ring, grid)"
    assert_no_widget_errors(page)
    check_sliders_redraw(page, ((RING_STEP, 5), (GRID_STEP, 8)))
