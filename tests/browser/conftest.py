"""Fixtures for the real-browser tests: one JupyterLab and one Chromium per test worker."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from .harness import CHROMIUM_ARGS, find_chromium, shutdown_sessions, start_lab, stop_lab

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"  # .ipynb only; sources in notebook_sources/


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path():
    path = find_chromium()
    if path is None:
        msg = "Chromium not found: run `make browser-deps` (Debian's chromium) or set CHROMIUM=/path"
        if os.environ.get("CI"):
            pytest.fail(msg)  # CI must never skip the browser tests
        pytest.skip(msg)
    return path


@pytest.fixture(scope="session")
def lab(tmp_path_factory, chromium_path):
    lab = start_lab(NOTEBOOKS, tmp_path_factory.mktemp("lab"))
    yield lab
    stop_lab(lab)


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, lab, request):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        shot = lab.root.parent / f"{request.node.name}.png"
        pg.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}\nlab log tail:\n{lab.log.read_text()[-2000:]}")
    context.close()
    shutdown_sessions(lab)  # the next case in this worker's lab starts with no kernels running


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.when == "call":
        item.rep_call = rep
