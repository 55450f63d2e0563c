"""Notebook 09 in a real JupyterLab: the metric sandbox redraws, and its status line follows, for every knob."""
import pytest

from .harness import (assert_no_widget_errors, assert_readable, assert_widgets_show_their_controls,
                      check_sliders_redraw, open_and_run, slider_count, wait_until, widget_states)

NOTEBOOK = "09_evaluating_generative_models.ipynb"
# Slider order on the page (the sandbox is the notebook's only widget): drop, noise, blur, blend, copy.
DROP, NOISE, BLUR, BLEND, COPY = range(5)


def status_text(page) -> str:
    return page.locator(".course-widget .widget-html-content").all_inner_texts().__str__()


@pytest.mark.browser
def test_metric_sandbox_follows_its_sliders(lab, page):
    open_and_run(page, lab, NOTEBOOK, timeout=400)
    assert slider_count(page) == 5, "metric sandbox: drop, noise, blur, blend, copy"
    assert_no_widget_errors(page)
    assert_readable(page, NOTEBOOK)  # 1280x800: text >= 14 px, no image wider than its output area
    # after Run All the sandbox shows its sliders' values: no corruption, so the fresh digits' metrics
    assert_widgets_show_their_controls(page, [lambda r: "FID"])
    assert widget_states(page)[0]["readouts"] == ["0", "0.00", "0", "0.00", "0.00"]
    before = status_text(page)
    check_sliders_redraw(page, ((DROP, 3), (NOISE, 5), (BLUR, 4), (BLEND, 4), (COPY, 6)))
    wait_until(page, lambda: status_text(page) != before, message="the metrics line to change")
