"""Notebook 07 in a real JupyterLab: the diffusion time view shows its slider's state after Run All, and its
picture, slider readout and status line move together."""
import re

import pytest

from .harness import (assert_no_widget_errors, assert_readable, image_sources, move_slider, open_and_run,
                      slider_count, wait_for_images_change, wait_until)

NOTEBOOK = "07_diffusion_models.ipynb"
TIME = 0  # the only slider on the page: step t of the forward/reverse time view (DiffusionTimeView)


def _time_state(page):
    """(slider readout, t of the status line, T of the status line) of the time view."""
    readout = page.locator(".course-widget .widget-slider .widget-readout").nth(TIME).inner_text()
    texts = page.eval_on_selector_all(".course-widget .widget-html-content", "els => els.map(e => e.innerText)")
    status = [m for t in texts if (m := re.search(r"t = (\d+) of (\d+)", t))]
    assert len(status) == 1, f"one status line 't = … of T' expected, got {texts}"
    return int(readout.strip()), int(status[0].group(1)), int(status[0].group(2))


@pytest.mark.browser
def test_diffusion_time_view_shows_its_slider_state(lab, page):
    open_and_run(page, lab, NOTEBOOK, timeout=800)
    assert_readable(page, NOTEBOOK)  # 1280x800: text >= 14 px, no image wider than its output area
    assert slider_count(page) == 1, "one time slider (DiffusionTimeView)"
    assert_no_widget_errors(page)
    readout, t, T = _time_state(page)
    assert readout == t == 0 and T == 1000, (readout, t, T)      # after Run All: the controls' state
    before = image_sources(page)
    move_slider(page, TIME, presses=8)                             # 8 arrow keys × T/100 = t 80
    wait_for_images_change(page, before)
    state = wait_until(page, lambda: (s := _time_state(page))[1] == 80 and s, timeout=30,
                       message="the status line to reach t = 80")
    assert state[0] == state[1] == 80, state                       # readout and status agree
    assert_no_widget_errors(page)
