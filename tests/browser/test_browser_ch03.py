"""Notebook 03 in a real JupyterLab: the denoising view renders and follows its noise-level slider."""
import pytest

from .harness import (assert_no_widget_errors, assert_readable, image_sources, move_slider, open_and_run, slider_count,
                      wait_for_images_change)

NOTEBOOK = "03_autoencoder_family.ipynb"
LEVEL = 0   # the only slider on the page: DenoisingView's noise level


@pytest.mark.browser
def test_denoising_view_follows_its_slider(lab, page):
    open_and_run(page, lab, NOTEBOOK, timeout=400)
    assert_readable(page, NOTEBOOK)  # 1280x800: text >= 14 px, no image wider than its output area
    assert slider_count(page) == 1, "DenoisingView's noise level"
    assert_no_widget_errors(page)
    for presses, key in ((4, "ArrowRight"), (6, "ArrowLeft")):
        before = image_sources(page)
        move_slider(page, LEVEL, presses=presses, key=key)
        after = wait_for_images_change(page, before)
        assert after != before
        assert_no_widget_errors(page)
