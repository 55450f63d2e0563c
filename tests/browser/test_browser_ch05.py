"""Notebook 05 in a real JupyterLab: both mode-collapse replays render and follow their step sliders."""
import pytest

from .harness import (assert_no_widget_errors, image_sources, move_slider, open_and_run, slider_count,
                      wait_for_images_change)

NOTEBOOK = "05_gans.ipynb"
RING_STEP, GRID_STEP = 0, 1  # slider order on the page: ring replay, grid replay


@pytest.mark.browser
def test_mode_collapse_replays_follow_their_sliders(lab, page):
    open_and_run(page, lab, NOTEBOOK, timeout=400)
    assert slider_count(page) == 2, "one step slider per mode-collapse replay (ring, grid)"
    assert_no_widget_errors(page)
    for index, presses in ((RING_STEP, 5), (GRID_STEP, 8)):
        before = image_sources(page)
        move_slider(page, index, presses=presses)
        wait_for_images_change(page, before)
        assert_no_widget_errors(page)
