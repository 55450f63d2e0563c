"""Lecture mode (scripts/lecture.py / `make lecture NB=05`): notebook 05 presented live on a 1280x720 screen.

The lab here is started exactly as the launcher starts it: ``COURSE_LIB_STYLE=lecture`` in the kernel's
environment and the lecture settings folder. JupyterLab's Presentation mode and simple interface are
switched on with the launcher's shortcuts (Alt+P, Alt+S); then a widget is moved and must redraw.
"""
import pytest

from course_lib.lecture import ENV_VAR, write_lab_settings

from .conftest import NOTEBOOKS
from .harness import (assert_no_widget_errors, check_sliders_redraw, open_and_run,
                      shutdown_sessions, start_lab, stop_lab)

NOTEBOOK = "05_gans.ipynb"
RING_STEP = 4  # slider order: the live trainer's four, then the ring replay's step
SHELL = "() => ({presentation: window.jupyterapp.shell.presentationMode, mode: window.jupyterapp.shell.mode})"


@pytest.fixture(scope="module")
def lecture_lab(tmp_path_factory, chromium_path):
    mp = pytest.MonkeyPatch()
    mp.setenv(ENV_VAR, "lecture")  # inherited by the server, hence by the notebook's kernel
    work = tmp_path_factory.mktemp("lecture-lab")
    write_lab_settings(work / "lab-settings")  # start_lab adds its own two files beside these
    try:
        lab = start_lab(NOTEBOOKS, work)
    finally:
        mp.undo()
    write_lab_settings(work / "lab-settings")  # the launcher's versions of the shared files win
    yield lab
    stop_lab(lab)


@pytest.mark.browser
def test_present_notebook_05_live_in_lecture_mode(lecture_lab, browser):
    # the worker's one Playwright browser (a second sync_playwright in the same process is refused)
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        open_and_run(page, lecture_lab, NOTEBOOK, timeout=400)
        # the kernel picked the lecture style from the environment: its CSS is on the page and the
        # inline figures are 1000 px wide (10 in at 100 dpi) instead of the course style's 720
        assert page.locator("#course-lecture-style").count() >= 1
        widths = page.evaluate("() => Array.from(document.querySelectorAll('.jp-RenderedImage img'))"
                               ".map(i => i.naturalWidth)")
        assert widths and max(widths) > 800, widths
        page.locator(".jp-Notebook").first.click()
        page.keyboard.press("Alt+P")
        page.keyboard.press("Alt+S")
        page.wait_for_timeout(500)
        assert page.evaluate(SHELL) == {"presentation": True, "mode": "single-document"}
        # notebook prose is at least 18 px (theme override + lecture CSS)
        px = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector("
                           "'.jp-RenderedMarkdown p')).fontSize)")
        assert px >= 18, px
        assert_no_widget_errors(page)
        check_sliders_redraw(page, ((RING_STEP, 5),))  # the ring replay follows its step slider, live
    except Exception:
        page.screenshot(path=str(lecture_lab.root.parent / "lecture-failure.png"), full_page=True)
        raise
    finally:
        context.close()
        shutdown_sessions(lecture_lab)
