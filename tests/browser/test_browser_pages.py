"""`make site` and `make slides` output for every notebook, loaded in Chromium with the network blocked.

Building a page needs the notebook executed. CI does not execute the ten notebooks a second time for this:
its nbval run leaves each executed notebook, with its widgets' frames, in build/executed/ (conftest.py), and
`make test` runs this file afterwards with COURSE_PAGES_CACHED_ONLY=1, so the build only renders (and fails
if a notebook's executed copy is missing instead of executing it). Run alone, the build executes what is not
cached (minutes per notebook; `pytest notebooks/` first fills the cache). Every request that is not to the
local server is aborted and counted as a failure; every page must typeset its math, load every image, and
each static widget must change its picture when its range input moves.
"""
from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CACHED_ONLY = os.environ.get("COURSE_PAGES_CACHED_ONLY") == "1"  # set by `make test` after its nbval run

pytestmark = pytest.mark.pages


def build(kind: str, out: Path) -> None:
    cmd = [sys.executable, "scripts/build_pages.py", kind, *PAGES, "--out", str(out)]
    proc = subprocess.run(cmd + ["--cached-only"] * CACHED_ONLY, cwd=ROOT, capture_output=True, text=True,
                          timeout=3600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    print(proc.stdout[-2000:])


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def built(tmp_path_factory, chromium_path):
    root = tmp_path_factory.mktemp("pages")
    build("site", root / "site")
    build("slides", root / "slides")  # reuses build/executed/: only renders
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


PAGE_STATE = """() => ({
  math: document.querySelectorAll('.MathJax, .MathJax_Display, .MathJax_CHTML').length,
  mathErrors: document.querySelectorAll('.MathJax_Error, merror').length,
  rawDisplayMath: /\\$\\$[^$]+\\$\\$/.test(document.body.innerText),
  images: Array.from(document.images).map(i => ({src: i.src.slice(0, 80), ok: i.complete && i.naturalWidth > 0})),
  frames: document.querySelectorAll('.course-frames').length,
  sections: document.querySelectorAll('.reveal .slides section').length,
  headings: document.querySelectorAll('.reveal .slides section h1, .reveal .slides section h2').length,
})"""


def load(browser_ctx, url: str, failed: list, offsite: list):
    page = browser_ctx.new_page()

    def route(r):
        if r.request.url.startswith(("http://127.0.0.1", "http://localhost", "file:", "data:")):
            r.continue_()
        else:
            offsite.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    # MathJax's HTML-CSS output declares a "MathJax_Blank" font at url('about:blank') on purpose (it
    # times web-font loading against it); that is not a request to anywhere, so about: is not counted
    page.on("requestfailed", lambda req: req.url.startswith("about:") or failed.append(req.url))
    page.on("response", lambda resp: resp.status >= 400 and failed.append(f"{resp.status} {resp.url}"))
    page.goto(url, wait_until="networkidle")
    page.wait_for_function("() => !window.MathJax || (MathJax.Hub && MathJax.Hub.queue.pending === 0 "
                           "&& MathJax.Hub.queue.running === 0)", timeout=60_000)
    page.wait_for_timeout(500)
    return page


def check_pages(kind: str, built, browser) -> list[dict]:
    root, base = built
    names = [Path(p).stem for p in PAGES]
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    states = []
    try:
        for name in ["index", *names]:
            failed, offsite = [], []
            page = load(ctx, f"{base}/{kind}/{name}.html", failed, offsite)
            state = page.evaluate(PAGE_STATE)
            state["name"], state["page"] = name, page
            assert not offsite, f"{kind}/{name} asked the network for {offsite[:5]}"
            assert not failed, f"{kind}/{name}: failed requests {failed[:5]}"
            bad = [i["src"] for i in state["images"] if not i["ok"]]
            assert not bad, f"{kind}/{name}: images that did not load {bad[:5]}"
            if name != "index":
                assert state["math"] > 5 and not state["mathErrors"], f"{kind}/{name}: math not typeset {state}"
                assert not state["rawDisplayMath"], f"{kind}/{name}: $$...$$ left as text"
                assert len(state["images"]) > 3, f"{kind}/{name}: figures missing"
                assert state["frames"] >= 1, f"{kind}/{name}: no widget replaced by frames"
            if kind == "slides" and name != "index":
                for i in range(5):  # the first slides, as the audience sees them: heading on screen
                    page.evaluate(f"() => Reveal.slide({i}, 0)")
                    page.wait_for_timeout(100)
                    top = page.evaluate("() => { const h = Reveal.getCurrentSlide().querySelector('h1, h2, h3');"
                                        " return h ? h.getBoundingClientRect().top : null }")
                    assert top is not None and 0 <= top < 200, f"slides/{name} #{i}: heading not at the top ({top})"
            states.append(state)
    finally:
        for s in states:
            s.pop("page").close()
        ctx.close()
    return states


# The pages use the worker's one Playwright browser (conftest's `browser`): a second sync_playwright in
# the same process is refused when another browser case ran there first.


@pytest.mark.browser
def test_site_offline_every_page_typesets_math_and_loads_every_image(built, browser):
    states = check_pages("site", built, browser)
    assert len(states) == 1 + len(PAGES)


@pytest.mark.browser
def test_site_static_widget_frames_follow_their_range_input(built, browser):
    root, base = built
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    failed, offsite = [], []
    page = load(ctx, f"{base}/site/01_maximum_likelihood.html", failed, offsite)
    box = page.locator(".course-frames").first
    assert "Static frames" in box.inner_text()
    before = box.locator("img.course-frame").first.get_attribute("src")
    rng = box.locator("input.course-frame-control").first
    rng.evaluate("(el) => { el.value = el.value == el.max ? el.min : el.max; "
                 "el.dispatchEvent(new Event('input')); }")
    after = box.locator("img.course-frame").first.get_attribute("src")
    assert after != before, "the frame did not change with its control"
    assert page.evaluate("(s) => { const i = new Image(); i.src = s; return i.decode().then(() => i.naturalWidth) }",
                         after) > 0
    assert not failed and not offsite
    ctx.close()


@pytest.mark.browser
def test_slides_offline_reveal_runs_math_typeset_images_load(built, browser):
    states = check_pages("slides", built, browser)
    for s in states[1:]:
        assert s["sections"] >= 5, f"slides/{s['name']}: only {s['sections']} slides"
        assert s["headings"] >= 5, f"slides/{s['name']}: slide headings not shown ({s['headings']})"
