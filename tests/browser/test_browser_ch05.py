"""Notebook 05 in a real JupyterLab: the live GAN trainer plays, pauses (and stays paused) and steps, its buttons
say what they do, its loss labels show in full and its figure does not move while it plays; both mode-collapse
replays follow their step sliders."""
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

    # --- the live trainer's controls: a play/pause pair, step D/G and reset, each with a tooltip
    def button(name):
        return page.locator(f"button.gan-trainer-{name}").first

    for name in ("play", "pause", "step-d", "step-g", "reset"):
        tip = button(name).get_attribute("title") or ""
        assert len(tip) > 20, f"the {name} button has no tooltip ({tip!r})"
    assert page.locator(".gan-trainer-play-loop, .widget-play").count() == 0, "no ipywidgets Play (■ ⟲)"
    assert button("pause").is_disabled() and button("play").is_enabled(), "paused at the start"
    clipped = page.evaluate("""() => [...document.querySelector('.gan-trainer-status').closest('.course-widget')
                                       .querySelectorAll('select')].map(sel => {
        const cs = getComputedStyle(sel), ctx = document.createElement('canvas').getContext('2d');
        ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        const room = sel.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 16;
        return [...sel.options].filter(o => ctx.measureText(o.text).width > room).map(o => o.text);
    }).flat()""")
    assert not clipped, f"dropdown labels cut off: {clipped}"

    # --- play → frames advance, the metrics change, and nothing below the status line moves
    button("play").scroll_into_view_if_needed()
    start = trainer_status(page)
    assert start["g"] == 0
    figure = page.locator(".gan-trainer-status").first.locator("xpath=following::img[1]")
    y0 = figure.bounding_box()["y"]
    images = image_sources(page)
    button("play").click()
    wait_until(page, lambda: trainer_status(page)["g"] >= 60, timeout=120,
               message="the trainer to play 60 generator steps (frames advance)")
    assert button("play").is_disabled() and button("pause").is_enabled()
    # the stable GAN of the default setting covers its first modes within a few hundred generator steps
    wait_until(page, lambda: (s := trainer_status(page))["modes"] > start["modes"] and s["hq"] != start["hq"],
               timeout=180, message="modes covered and the high-quality fraction to change while playing")
    assert image_sources(page) != images, "the trainer's picture did not change while playing"
    assert abs(figure.bounding_box()["y"] - y0) <= 1, "the figure moved when the status line changed"
    assert trainer_status(page)["text"].startswith("playing")

    # --- pause: the kernel writes "paused" with the counts it stopped at (after any frame it had sent), and
    # no frame follows
    button("pause").click()
    paused = wait_until(page, lambda: (s := trainer_status(page))["text"].startswith("paused") and s,
                        timeout=30, message="the status to say paused")
    assert button("play").is_enabled() and button("pause").is_disabled()
    page.wait_for_timeout(3000)
    assert trainer_status(page)["g"] == paused["g"], "the trainer kept training after pause"

    # --- step G once: exactly one generator step, D unchanged
    button("step-g").click()
    after = wait_until(page, lambda: (s := trainer_status(page))["g"] == paused["g"] + 1 and s, timeout=30,
                       message="one generator step")
    assert after["d"] == paused["d"]
    button("step-d").click()
    wait_until(page, lambda: trainer_status(page)["d"] == paused["d"] + 1, timeout=30, message="one D step")
    assert_no_widget_errors(page)

    # --- the replays
    check_sliders_redraw(page, ((RING_STEP, 5), (GRID_STEP, 8)))
