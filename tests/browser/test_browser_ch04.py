"""Notebook 04 in a real JupyterLab: the β view and both latent explorers render and follow their sliders."""
import pytest

from .harness import (assert_no_widget_errors, assert_readable, check_sliders_redraw, open_and_run, slider_count)

NOTEBOOK = "04_variational_autoencoders.ipynb"
# Slider order on the page: β (1); 2-D explorer i, j, t, z1, z2 (5); 20-D explorer i, j, t, z1..z20 (23).
BETA, T_2D, Z1_2D, T_20D, Z3_20D = 0, 3, 4, 8, 11


@pytest.mark.browser
def test_vae_widgets_follow_their_sliders(lab, page):
    open_and_run(page, lab, NOTEBOOK, timeout=400)
    assert_readable(page, NOTEBOOK)  # 1280x800: text >= 14 px, no image wider than its output area
    assert slider_count(page) == 29, "β slider + 2-D explorer (2 + 3) + 20-D explorer (20 + 3)"
    assert_no_widget_errors(page)
    check_sliders_redraw(page, ((BETA, 2), (Z1_2D, 6), (T_2D, 3), (Z3_20D, 8), (T_20D, 4)))
