"""Notebook 05 in a real JupyterLab: the live GAN trainer plays, pauses and steps; both mode-collapse replays
follow their step sliders."""
import re

import pytest

from .harness import (assert_no_widget_errors, assert_readable, check_sliders_redraw, image_sources, open_and_run,
                      slider_count, wait_until)

NOTEBOOK = "05_gans.ipynb"
# Slider order on the page: the trainer (lr G, lr D, D steps per G step, G steps per frame), ring replay, grid replay.
TRAINER_SLIDERS, RING_STEP, GRID_STEP = 4, 4, 5


def trainer_status(page) -> dict:
    text = page.locator(".gan-trainer-status").first.inner_text()
    m = re.search(r"G steps (\d+) · D steps (\d+) · modes covered (\d+)/(\d+) · high quality (\d+)%", text)
    assert m, f"unexpected trainer status: {text!r}"
    g, d, modes, k, hq = map(int, m.groups())
    return {"g": g, "d": d, "modes": modes, "hq": hq, "text": text}


@pytest.mark.browser
def test_live_trainer_and_replays(lab, page):
    open_and_run(page, lab, NOTEBOOK, timeout=600)
    assert_readable(page, NOTEBOOK)  # 1280x800: text >= 14 px, no image wider than its output area
    assert slider_count(page) == TRAINER_SLIDERS + 2, "trainer (4 sliders) + one step slider per replay"
    assert_no_widget_errors(page)

    # --- the live trainer: play → frames advance and the metrics change
    buttons = page.locator(".gan-trainer-play button")  # ipywidgets Play: play, pause, stop, repeat
    buttons.first.scroll_into_view_if_needed()
    start = trainer_status(page)
    assert start["g"] == 0
    images = image_sources(page)
    buttons.nth(0).click()
    wait_until(page, lambda: trainer_status(page)["g"] >= 60, timeout=120,
               message="the trainer to play 60 generator steps (frames advance)")
    # the stable GAN of the default setting covers its first modes within a few hundred generator steps
    wait_until(page, lambda: (s := trainer_status(page))["modes"] > start["modes"] and s["hq"] != start["hq"],
               timeout=180, message="modes covered and the high-quality fraction to change while playing")
    assert image_sources(page) != images, "the trainer's picture did not change while playing"

    # --- pause: the step counter stops
    buttons.nth(1).click()
    page.wait_for_timeout(3000)  # let a frame in flight finish
    paused = trainer_status(page)
    page.wait_for_timeout(2500)
    assert trainer_status(page)["g"] == paused["g"], "the trainer kept training after pause"

    # --- step G once: exactly one generator step, D unchanged
    page.locator(".gan-trainer-step-g").first.click()
    after = wait_until(page, lambda: (s := trainer_status(page))["g"] == paused["g"] + 1 and s, timeout=30,
                       message="one generator step")
    assert after["d"] == paused["d"]
    page.locator(".gan-trainer-step-d").first.click()
    wait_until(page, lambda: trainer_status(page)["d"] == paused["d"] + 1, timeout=30, message="one D step")
    assert_no_widget_errors(page)

    # --- the replays
    check_sliders_redraw(page, ((RING_STEP, 5), (GRID_STEP, 8)))
