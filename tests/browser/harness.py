"""Drive course notebooks in a real JupyterLab in headless Chromium (Playwright).

Reusable by every widget's browser case::

    @pytest.mark.browser
    def test_likelihood_slider(lab, page):
        open_and_run(page, lab, "01_maximum_likelihood.ipynb")
        before = image_sources(page)
        move_slider(page, 0, presses=5)
        wait_for_images_change(page, before)
        assert_no_widget_errors(page)
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
LAB_SETTINGS = {
    # Render every cell (the "full" windowing mode can drop widget outputs that are scrolled away).
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none",
                                                                   "autoStartDefaultKernel": True},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
}


def find_chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Lab:
    """A running JupyterLab serving a scratch copy of ``notebooks/``."""

    process: subprocess.Popen
    port: int
    token: str
    root: Path
    log: Path

    def url(self, path: str = "lab") -> str:
        return f"http://127.0.0.1:{self.port}/{path}?token={self.token}"


def start_lab(notebooks: Path, workdir: Path, timeout: float = 90) -> Lab:
    """Copy ``notebooks`` to ``workdir`` and start JupyterLab there on a free loopback port."""
    root = workdir / "notebooks"
    shutil.copytree(notebooks, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.py"))
    settings = workdir / "lab-settings"
    for rel, content in LAB_SETTINGS.items():
        f = settings / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(content))
    env = dict(os.environ,
               JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(workdir / "workspaces"),
               JUPYTER_RUNTIME_DIR=str(workdir / "runtime"),
               MPLBACKEND="module://matplotlib_inline.backend_inline")
    port, token = free_port(), "course-browser-test"
    log = workdir / "lab.log"
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--port={port}", f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}",
           "--LabApp.expose_app_in_browser=True", "--ServerApp.open_browser=False",
           "--ServerApp.disable_check_xsrf=True"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)
    lab = Lab(proc, port, token, root, log)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited early:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(lab.url("api/status"), timeout=2)
            return lab
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise RuntimeError(f"JupyterLab did not answer within {timeout}s:\n{log.read_text()[-3000:]}")


def shutdown_sessions(lab: Lab) -> int:
    """Shut down every kernel session of ``lab`` (REST API), so the next case starts clean; returns how many."""
    def call(method: str, path: str):
        req = urllib.request.Request(lab.url(path), method=method)
        with urllib.request.urlopen(req, timeout=30) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    sessions = call("GET", "api/sessions") or []
    for sess in sessions:
        call("DELETE", f"api/sessions/{sess['id']}")
    return len(sessions)


def stop_lab(lab: Lab) -> None:
    lab.process.terminate()
    try:
        lab.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        lab.process.kill()


_NOTEBOOK_STATE = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!w || !w.content || !w.sessionContext) return null;
  const cells = w.content.widgets.filter(c => c.model.type === 'code');
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  const errors = [];
  cells.forEach((c, i) => c.model.outputs.toJSON().forEach(o => {
    if (o.output_type === 'error') errors.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
  }));
  return {
    kernel: kernel ? kernel.status : 'none',
    executed: cells.filter(c => c.model.executionCount !== null).length,
    total: cells.length,
    running: document.querySelectorAll('.jp-InputArea-prompt').length &&
             Array.from(document.querySelectorAll('.jp-InputArea-prompt')).some(p => p.textContent.includes('*')),
    errors,
  };
}"""


def notebook_state(page) -> dict | None:
    return page.evaluate(_NOTEBOOK_STATE)


def open_and_run(page, lab: Lab, name: str, timeout: float = 300) -> dict:
    """Open ``name`` in JupyterLab, run all cells, wait until every cell ran; fail on any error output."""
    # "reset" starts from an empty workspace: a lab shared by several cases would otherwise restore the
    # notebooks opened before, and the page would hold several notebook panels.
    page.goto(lab.url(f"lab/tree/{name}") + "&reset")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook", timeout=90_000)
    panels = page.locator(".jp-NotebookPanel").count()
    assert panels == 1, f"expected only {name} open, found {panels} notebook panels"
    deadline = time.time() + 90
    while time.time() < deadline:  # kernel start (accept a "Select Kernel" dialog if one appears)
        dialog = page.locator(".jp-Dialog .jp-mod-accept")
        if dialog.count():
            dialog.first.click()
        state = notebook_state(page)
        if state and state["kernel"] == "idle":
            break
        page.wait_for_timeout(500)
    else:
        raise AssertionError(f"kernel of {name} did not become idle: {notebook_state(page)}")
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    deadline = time.time() + timeout
    state = None
    while time.time() < deadline:
        page.wait_for_timeout(1000)
        state = notebook_state(page)
        if state["errors"]:
            raise AssertionError(f"{name} raised in JupyterLab: {state['errors']}")
        if state["executed"] == state["total"] and state["kernel"] == "idle" and not state["running"]:
            page.wait_for_timeout(1000)  # let the last widget views render
            return state
    raise AssertionError(f"{name} did not finish running within {timeout}s: {state}")


def widget_errors(page) -> list[str]:
    """Texts of 'Error displaying widget' views and of course widgets' in-panel error boxes."""
    # only in outputs: the notebooks' own text explains that message to students
    texts = page.locator(".jp-OutputArea-output").filter(has_text="Error displaying widget").all_inner_texts()
    texts += [t for t in page.locator(".course-widget-error").all_inner_texts() if t.strip()]
    return texts


def assert_no_widget_errors(page) -> None:
    errors = widget_errors(page)
    assert not errors, f"widget errors shown in JupyterLab: {errors}"


def slider_count(page) -> int:
    return page.locator(".widget-slider .noUi-handle").count()


def move_slider(page, index: int, presses: int = 5, key: str = "ArrowRight") -> None:
    """Focus the ``index``-th slider handle on the page and press ``key`` ``presses`` times."""
    handles = page.locator(".widget-slider .noUi-handle")
    n = handles.count()
    assert n > index, f"expected more than {index} slider(s), found {n}"
    handle = handles.nth(index)
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(presses):
        handle.press(key)
        page.wait_for_timeout(60)


def image_sources(page) -> list[str]:
    """The ``src`` of every widget image (a new blob URL each time the kernel sends new bytes)."""
    return page.eval_on_selector_all("img.widget-image", "els => els.map(e => e.src)")


def wait_for_images_change(page, before: list[str], timeout: float = 15) -> list[str]:
    deadline = time.time() + timeout
    while time.time() < deadline:
        now = image_sources(page)
        if now != before:
            return now
        page.wait_for_timeout(200)
    raise AssertionError(f"no widget image changed within {timeout}s after moving the control")


def wait_until(page, predicate, timeout: float = 15, message: str = "condition"):
    """Poll ``predicate()`` until it returns a truthy value (returned); a loaded CI machine may lag."""
    deadline = time.time() + timeout
    last_error = None
    while time.time() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except AssertionError as err:
            last_error = err
        page.wait_for_timeout(200)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}" + (f": {last_error}" if last_error else ""))


def check_sliders_redraw(page, moves) -> None:
    """For each ``(slider index, key presses)``: move that slider, wait until a widget image changes,
    and check that no widget error appeared. The common body of most widget cases."""
    for index, presses in moves:
        before = image_sources(page)
        move_slider(page, index, presses=presses)
        wait_for_images_change(page, before)
        assert_no_widget_errors(page)


# ---------------------------------------------------------------------------- readability (issue 17)
MIN_TEXT_PX = 14.0       # the course minimum for text a student reads (projector, laptop)
STATIC_FIGURE_TEXT_PX = 15.0  # smallest text of a static figure at its natural size (course style: 12 pt at 90 dpi)
WIDGET_FIGURE_TEXT_PX = 14.0  # smallest text of a widget figure at its natural size (enforced by LiveFigure)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"

_MEASURE = """() => {
  const out = {images: [], texts: [], outputWidth: 0};
  const outputs = Array.from(document.querySelectorAll('.jp-OutputArea-output'));
  outputs.forEach(o => { out.outputWidth = Math.max(out.outputWidth, o.clientWidth); });
  document.querySelectorAll('.jp-OutputArea-output img').forEach((img, i) => {
    const area = img.closest('.jp-OutputArea-output');
    const r = img.getBoundingClientRect();
    const ar = area.getBoundingClientRect();
    out.images.push({index: i, widget: img.classList.contains('widget-image'), width: r.width,
                     natural: img.naturalWidth, area: ar.width, overflow: r.right - ar.right});
  });
  document.querySelectorAll('.course-widget *').forEach(el => {
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.closest('style') || el.offsetParent === null) return;
    const size = parseFloat(getComputedStyle(el).fontSize);
    out.texts.push({text: el.textContent.trim().slice(0, 40), size});
  });
  return out;
}"""


def readability_problems(page) -> list[str]:
    """What a student at the back of the room (or on a 1280x800 laptop) could not read or see whole:
    widget text under 14 px, a figure image wider than its output area, or one scaled down so far
    that its smallest text falls under 14 px."""
    m = page.evaluate(_MEASURE)
    problems = []
    for t in m["texts"]:
        if t["size"] < MIN_TEXT_PX - 0.01:
            problems.append(f"widget text {t['text']!r} is {t['size']:.1f} px")
    for im in m["images"]:
        if im["width"] > im["area"] + 1 or im["overflow"] > 1:
            problems.append(f"image {im['index']} is {im['width']:.0f} px wide in a {im['area']:.0f} px output area")
        if im["natural"] and im["width"]:
            base = WIDGET_FIGURE_TEXT_PX if im["widget"] else STATIC_FIGURE_TEXT_PX
            shown = base * im["width"] / im["natural"]
            if shown < MIN_TEXT_PX - 0.01:
                problems.append(f"{'widget' if im['widget'] else 'static'} image {im['index']} is scaled to "
                                f"{im['width']:.0f}/{im['natural']} px: its smallest text shows at {shown:.1f} px")
    return problems


def photograph_outputs(page, notebook: str, folder: Path = SCREENSHOTS) -> list[Path]:
    """Screenshot every widget and every figure output of the open notebook into ``folder/<notebook>/``
    (a maintainer opens them after a run; ``build/`` is git-ignored)."""
    target = folder / Path(notebook).stem
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target / "page.png"))
    shots = []
    outputs = page.locator(".jp-OutputArea-output:has(img)")
    for k in range(outputs.count()):
        el = outputs.nth(k)
        el.scroll_into_view_if_needed()
        path = target / f"output_{k:02d}.png"
        el.screenshot(path=str(path))
        shots.append(path)
    return shots


def assert_readable(page, notebook: str) -> None:
    """Photograph every figure and widget of ``notebook`` and fail on unreadable text or clipped images."""
    photograph_outputs(page, notebook)
    problems = readability_problems(page)
    assert not problems, f"{notebook} at {page.viewport_size}: " + "; ".join(problems[:12])


# ---------------------------------------------------------------------------- key press → new image
_INSTALL_LATENCY_PROBE = """() => {
  if (window.__courseProbe) return;
  const probe = window.__courseProbe = {keys: [], changes: []};
  document.addEventListener('keydown', () => probe.keys.push(performance.now()), true);
  new MutationObserver(ms => {
    if (ms.some(m => m.type === 'attributes' && m.attributeName === 'src' && m.target.classList.contains('widget-image')))
      probe.changes.push(performance.now());
  }).observe(document.body, {attributes: true, subtree: true, attributeFilter: ['src']});
}"""


def keypress_latencies_ms(page, index: int, presses: int = 6, key: str = "ArrowRight") -> list[float]:
    """Press ``key`` on slider ``index`` ``presses`` times, each after the previous image arrived, and
    return the browser-side times (ms) from the key press to the next widget image change: the whole
    loop a student feels (browser → kernel update → PNG → browser)."""
    page.evaluate(_INSTALL_LATENCY_PROBE)
    handle = page.locator(".widget-slider .noUi-handle").nth(index)
    handle.scroll_into_view_if_needed()
    handle.focus()
    out = []
    for _ in range(presses):
        page.evaluate("() => { window.__courseProbe.keys = []; window.__courseProbe.changes = []; }")
        handle.press(key)
        times = wait_until(page, lambda: (p := page.evaluate("() => window.__courseProbe")) and p["keys"]
                           and p["changes"] and p, message="a new widget image after a key press")
        out.append(times["changes"][0] - times["keys"][0])
        page.wait_for_timeout(100)
    return out


def record_keypress_latency(notebook: str, name: str, times: list[float]) -> float:
    """Append the median to build/screenshots/keypress_latency.json (what the benchmark summary reads)."""
    import statistics

    med = statistics.median(times)
    path = SCREENSHOTS / "keypress_latency.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(path.read_text()) if path.exists() else {}
    data[f"{Path(notebook).stem}: {name}"] = {"median_ms": round(med, 1), "all_ms": [round(t, 1) for t in times]}
    path.write_text(json.dumps(data, indent=1))
    print(f"{notebook} {name}: key press → new image, median {med:.0f} ms over {len(times)} presses")
    return med


# ---------------------------------------------------------------------------- controls' state after Run All
_WIDGET_STATE = """async () => {
  const out = [];
  for (const w of document.querySelectorAll('.course-widget')) {
    const readouts = Array.from(w.querySelectorAll('.widget-readout')).map(r => r.textContent.trim());
    const status = Array.from(w.querySelectorAll('.widget-html-content')).map(h => h.textContent).join(' ');
    const imgs = [];
    for (const img of w.querySelectorAll('img.widget-image')) {
      const buf = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
      let h = 0;
      for (const b of buf) h = (h * 31 + b) >>> 0;
      imgs.push(buf.length + ':' + h);
    }
    out.push({readouts, status, imgs});
  }
  return out;
}"""


def widget_states(page) -> list[dict]:
    """Per course widget on the page: its sliders' readouts, its status text and a hash of each image."""
    return page.evaluate(_WIDGET_STATE)


def assert_widgets_show_their_controls(page, expected) -> None:
    """After Run All, each widget's status names its sliders' values, and its picture is the one those
    values draw: moving the first slider one step away and back brings the very same picture back.

    ``expected``: per widget (page order), a function of its slider readouts returning the text its status
    line must contain."""
    states = widget_states(page)
    assert len(states) == len(expected), f"expected {len(expected)} course widgets, found {len(states)}"
    first_slider = 0
    for n, (state, want) in enumerate(zip(states, expected)):
        text = want(state["readouts"])
        assert text in state["status"], f"widget {n}: sliders read {state['readouts']} but the status says " \
                                         f"{state['status']!r} (expected {text!r} in it)"
        move_slider(page, first_slider, presses=1, key="ArrowRight")
        wait_until(page, lambda: widget_states(page)[n]["imgs"] != state["imgs"], message="a new picture")
        move_slider(page, first_slider, presses=1, key="ArrowLeft")
        wait_until(page, lambda: widget_states(page)[n]["imgs"] == state["imgs"],
                   message=f"widget {n}: the picture of its sliders' values after Run All to come back")
        first_slider += len(state["readouts"])
