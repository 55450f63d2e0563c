"""Notebook 00 in a real JupyterLab: the conditional-slice widget renders and follows its slider."""
import pytest

from .harness import (assert_no_widget_errors, image_sources, move_slider, open_and_run, slider_count,
                      wait_for_images_change)

NOTEBOOK = "00_why_generative_models.ipynb"


def _status_texts(page):
    # the HTML widget's text sits in its .widget-html-content child
    return page.eval_on_selector_all(".course-widget .widget-html-content", "els => els.map(e => e.innerText)")


@pytest.mark.browser
def test_conditional_slice_slider_updates_figure_and_numbers(lab, page):
    open_and_run(page, lab, NOTEBOOK)
    assert slider_count(page) == 1, "notebook 00 has one widget with one slider (x)"
    assert_no_widget_errors(page)
    before = image_sources(page)
    status_before = [t for t in _status_texts(page) if t.startswith("x = ")]  # the status line, not the title
    assert len(before) == 1 and len(status_before) == 1
    move_slider(page, 0, presses=8)  # x: 0.50 → 0.66 (step 0.02)
    wait_for_images_change(page, before)
    page.wait_for_timeout(500)
    status_after = [t for t in _status_texts(page) if t.startswith("x = ")]  # the status line, not the title
    x_of = lambda texts: float(texts[0].split(":")[0].split("=")[1])  # noqa: E731
    assert x_of(status_after) - x_of(status_before) == pytest.approx(8 * 0.02, abs=1e-6), status_after
    assert_no_widget_errors(page)
