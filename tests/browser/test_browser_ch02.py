"""Notebook 02 in a real JupyterLab: the PCA slider and the latent explorer render and follow their sliders."""
import pytest

from .harness import (assert_no_widget_errors, assert_readable, check_sliders_redraw, open_and_run, slider_count)

NOTEBOOK = "02_pca_and_autoencoders.ipynb"
# Slider order on the page: PCA m (1); latent explorer i, j, t above its figure (3), then z1, z2 below it (2).
PCA_M, I, T, Z1, Z2 = 0, 1, 3, 4, 5


@pytest.mark.browser
def test_pca_and_latent_widgets_follow_their_sliders(lab, page):
    open_and_run(page, lab, NOTEBOOK, timeout=400)
    assert_readable(page, NOTEBOOK)  # 1280x800: text >= 14 px, no image wider than its output area
    assert slider_count(page) == 6, "PCA m + latent explorer (z1, z2, i, j, t)"
    assert_no_widget_errors(page)
    check_sliders_redraw(page, ((PCA_M, 5), (Z1, 6), (Z2, 6), (I, 3), (T, 4)))
