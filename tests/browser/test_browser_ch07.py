"""Notebook 07 in a real JupyterLab: the diffusion time slider redraws the forward and reverse processes."""
import pytest

from .harness import (assert_no_widget_errors, check_sliders_redraw, open_and_run, slider_count)

NOTEBOOK = "07_diffusion_models.ipynb"
TIME = 0  # the only slider on the page: step t of the forward/reverse time view


@pytest.mark.browser
def test_diffusion_time_slider_redraws(lab, page):
    open_and_run(page, lab, NOTEBOOK, timeout=500)
    assert slider_count(page) == 1, "one time slider (DiffusionTimeView)"
    assert_no_widget_errors(page)
    check_sliders_redraw(page, ((TIME, 8),))
