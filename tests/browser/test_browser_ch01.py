"""Notebook 01 in a real JupyterLab: the likelihood widget renders and follows both sliders."""
import re

import pytest

from .harness import (assert_no_widget_errors, assert_readable, image_sources, move_slider, open_and_run, slider_count,
                      wait_for_images_change, wait_until)

NOTEBOOK = "01_maximum_likelihood.ipynb"


def _likelihood_status(page):
    texts = page.eval_on_selector_all(".course-widget .widget-html-content", "els => els.map(e => e.innerText)")
    for t in texts:
        m = re.search(r"ℒ = (-?[\d.]+) \(maximum (-?[\d.]+) at μ̂ = (-?[\d.]+), σ̂ = ([\d.]+)\)", t)
        if m:
            return tuple(float(g) for g in m.groups())
    raise AssertionError(f"no log-likelihood status line among {texts}")


@pytest.mark.browser
def test_likelihood_sliders_move_density_and_loglik(lab, page):
    open_and_run(page, lab, NOTEBOOK)
    assert_readable(page, NOTEBOOK)  # 1280x800: text >= 14 px, no image wider than its output area
    assert slider_count(page) == 2, "the likelihood widget has two sliders (μ, σ)"
    assert_no_widget_errors(page)
    ll0, ll_max, mu_hat, _ = _likelihood_status(page)
    assert ll0 < ll_max  # the widget starts away from the MLE
    for index in (0, 1):  # μ, then σ
        before = image_sources(page)
        move_slider(page, index, presses=6)
        wait_for_images_change(page, before)
        ll, ll_max_now, _, _ = wait_until(page, lambda: (s := _likelihood_status(page))[0] != ll0 and s,
                                          message="the displayed log-likelihood to follow the slider")
        assert ll <= ll_max_now + 1e-9 and ll_max_now == ll_max, "ℒ can never exceed its maximum"
        ll0 = ll
    assert_no_widget_errors(page)
