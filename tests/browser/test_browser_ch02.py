"""Notebook 02 in a real JupyterLab: the PCA slider and the latent explorer render and follow their sliders."""
import pytest

from .harness import (assert_no_widget_errors, check_sliders_redraw, open_and_run, slider_count)

NOTEBOOK = "02_pca_and_autoencoders.ipynb"
# Slider order on the page: PCA m (1); latent explorer z1, z2 (2), then i, j, t (3).
PCA_M, Z1, Z2, I, T = 0, 1, 2, 3, 5


@pytest.mark.browser
def test_pca_and_latent_widgets_follow_their_sliders(lab, page):
    open_and_run(page, lab, NOTEBOOK, timeout=400)
    assert slider_count(page) == 6, "PCA m + latent explorer (z1, z2, i, j, t)"
    assert_no_widget_errors(page)
    check_sliders_redraw(page, ((PCA_M, 5), (Z1, 6), (Z2, 6), (I, 3), (T, 4)))
