"""Notebook 00 in a real JupyterLab: both widgets render and follow their sliders.

One notebook run serves both widget cases (running the notebook is most of the cost).
"""
import pytest

from .harness import (assert_no_widget_errors, assert_readable, image_sources, move_slider, open_and_run, slider_count,
                      wait_for_images_change)

NOTEBOOK = "00_why_generative_models.ipynb"


def _status_texts(page):
    # the HTML widget's text sits in its .widget-html-content child
    return page.eval_on_selector_all(".course-widget .widget-html-content", "els => els.map(e => e.innerText)")


@pytest.mark.browser
def test_slice_and_smoothing_sliders_update_figures_and_numbers(lab, page):
    open_and_run(page, lab, NOTEBOOK)
    assert_readable(page, NOTEBOOK)  # 1280x800: text >= 14 px, no image wider than its output area
    assert slider_count(page) == 2, "notebook 00 has two widgets: the x slice, then Laplace κ"
    assert_no_widget_errors(page)

    # widget 1: conditional slice (slider 0, image 0)
    before = image_sources(page)
    status_before = [t for t in _status_texts(page) if t.startswith("x = ")]  # the status line, not the title
    assert len(before) == 2 and len(status_before) == 1
    move_slider(page, 0, presses=8)  # x: 0.50 → 0.66 (step 0.02)
    after = wait_for_images_change(page, before)
    assert after[0] != before[0] and after[1] == before[1]  # only the slice figure changed
    page.wait_for_timeout(500)
    status_after = [t for t in _status_texts(page) if t.startswith("x = ")]  # the status line, not the title
    x_of = lambda texts: float(texts[0].split(":")[0].split("=")[1])  # noqa: E731
    assert x_of(status_after) - x_of(status_before) == pytest.approx(8 * 0.02, abs=1e-6), status_after
    assert_no_widget_errors(page)

    # widget 2: Laplace smoothing (slider 1, image 1)
    before = image_sources(page)
    status_before = [t for t in _status_texts(page) if t.startswith("κ = ")]
    assert len(status_before) == 1 and status_before[0].startswith("κ = 1:"), status_before
    move_slider(page, 1, presses=10)  # log10 κ: 0 → 1
    after = wait_for_images_change(page, before)
    assert after[1] != before[1] and after[0] == before[0]
    page.wait_for_timeout(500)
    status_after = [t for t in _status_texts(page) if t.startswith("κ = ")]
    assert status_after[0].startswith("κ = 10:"), status_after
    assert_no_widget_errors(page)
