"""Build the course's slides and reading site from the notebooks, offline.

    python scripts/build_pages.py site   [NOTEBOOK ...] [--out build/site]    # make site
    python scripts/build_pages.py slides [NOTEBOOK ...] [--out build/slides]  # make slides

1. **Execute** each notebook from a fresh kernel (as CI's nbval run does), cached in
   ``build/executed/`` under a hash of the notebook and of course_lib: a second build is instant.
   The test suite's nbval run fills the same cache (conftest.py), so after ``make test`` (or
   ``pytest notebooks/``) the pages render without executing anything (``--cached-only`` insists on it).
2. **Widgets become frames.** After the last cell, the same kernel walks every widget the notebook
   displayed, moves each of its controls through up to ``--frames`` values and saves the images the
   widget's *own view* draws (the same ``update`` the live widget calls). The page shows them under a
   range input with a note saying they are static; nothing needs a kernel or a widget manager.
3. **Render** with nbconvert's lab / reveal templates, every CDN script removed
   (scripts/page_templates/): MathJax 2 comes from the pip package ``jupyter-server-mathjax``,
   reveal.js 4 from ``vendor/reveal.js``; both are copied into ``OUT/_static``. Figures are embedded.
4. **Slides** follow a rule computed from the source, so notebook files carry no slide marks:
   a markdown cell starting with ``#`` or ``##`` opens a slide, with ``###`` a sub-slide (below it);
   every other cell continues the current one. A cell tag ``slide``, ``subslide``, ``fragment``,
   ``skip`` or ``notes`` overrides the rule for that cell (``skip``: not shown; ``notes``: speaker notes).
   Code inputs are hidden on slides (outputs stay): code is shown live in JupyterLab (make lecture).

Serve the result locally, e.g. ``python -m http.server -d build/site``: MathJax's web fonts are
blocked by browsers on ``file://`` pages (the pages still open; formulas then use a fallback font).
"""
from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import re
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build"
EXECUTED = BUILD / "executed"
TEMPLATES = ROOT / "scripts" / "page_templates"
REVEAL = ROOT / "vendor" / "reveal.js"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
SLIDE_TAGS = ("slide", "subslide", "fragment", "skip", "notes")
FRAMES_NOTE = ("Static frames: recorded from this widget's own view when this page was built (no kernel runs "
               "here). Moving a control shows the picture for that value, one control at a time; run the "
               "notebook for the live widget.")

# Runs in the notebook's kernel after its last cell. Defines a function so nothing leaks into the
# notebook's namespace except one underscored name.
CAPTURE = r'''
def __course_capture(model_ids, folder, n_frames):
    import hashlib, json, os
    import numpy as np
    import ipywidgets as W
    from ipywidgets.widgets.widget import _instances

    def walk(w):
        yield w
        for c in getattr(w, "children", ()) or ():
            yield from walk(c)

    def save(png):
        png = bytes(png)
        name = hashlib.sha256(png).hexdigest()[:16] + ".png"
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(png)
        return name

    def pictures(ws):
        out = []
        for w in ws:
            if isinstance(w, W.Image) and w.value:
                out.append(save(w.value))
            elif isinstance(w, W.Output):
                for o in w.outputs:
                    data = o.get("data", {}).get("image/png")
                    if data:
                        import base64
                        out.append(save(base64.b64decode(data)))
        return out

    def candidates(c):
        if isinstance(c, (W.SelectionSlider, W.Dropdown, W.ToggleButtons, W.RadioButtons, W.Select)):
            idx = sorted(set(np.linspace(0, len(c.options) - 1, min(n_frames, len(c.options))).round().astype(int))
                         | {c.index})
            return [("index", int(i), str(c._options_labels[i])) for i in idx]
        if isinstance(c, (W.Checkbox, W.ToggleButton)):
            return [("value", v, str(v)) for v in (False, True)]
        if isinstance(c, W.IntSlider):
            vals = np.linspace(c.min, c.max, n_frames).round().astype(int)
            vals = sorted({int(c.min + round((v - c.min) / c.step) * c.step) for v in vals} | {c.value})
            return [("value", v, str(v)) for v in vals if c.min <= v <= c.max]
        if isinstance(c, (W.FloatSlider, W.FloatLogSlider)):
            lo, hi = (c.min, c.max)
            vals = np.linspace(lo, hi, n_frames) if isinstance(c, W.FloatSlider) else \
                c.base ** np.linspace(lo, hi, n_frames)
            vals = sorted({float(v) for v in vals} | {float(c.value)})
            return [("value", v, f"{v:.4g}") for v in vals]
        return []

    result = {}
    for mid in model_ids:
        top = _instances.get(mid)
        if top is None:
            continue
        ws = list(walk(top))
        # what a widget without pictures shows (a tqdm bar, a status line): its final text
        import re as _re
        words = [_re.sub(r"<[^>]+>", " ", w.value) for w in ws if isinstance(w, (W.HTML, W.Label)) and w.value]
        words += [f"{w.value:g}/{w.max:g}" for w in ws if isinstance(w, (W.FloatProgress, W.IntProgress))]
        entry = {"initial": pictures(ws), "controls": [], "text": " ".join(" ".join(words).split())}
        for c in ws:
            if getattr(c, "disabled", False) or not isinstance(c, W.ValueWidget) or isinstance(c, (W.Image, W.HTML,
                                                                                                  W.Label, W.Text)):
                continue
            cands = candidates(c)
            if len(cands) < 2:
                continue
            start = c.index if cands[0][0] == "index" else c.value
            frames, labels, first = [], [], 0
            for k, (attr, v, label) in enumerate(cands):
                setattr(c, attr, v)  # the widget's own observer redraws its view
                frames.append(pictures(ws))
                labels.append(label)
                if v == start:
                    first = k
            setattr(c, cands[0][0], start)
            entry["controls"].append({"description": c.description or type(c).__name__, "labels": labels,
                                      "frames": frames, "start": first})
        result[mid] = entry
    return json.dumps(result)
print(__course_capture(%(ids)r, %(folder)r, %(n)d))
'''


def source_hash(path: Path) -> str:
    """Hash of the notebook, of what it imports from the course (library, checkpoints) and of the recorder."""
    h = hashlib.sha256(path.read_bytes())
    for f in sorted((ROOT / "course_lib").rglob("*")):
        if f.is_file() and f.suffix in {".py", ".pt", ".json", ".npz"}:
            h.update(f.relative_to(ROOT).as_posix().encode())
            h.update(f.read_bytes())
    h.update(CAPTURE.encode())  # the recording code; rendering changes need no re-execution
    return h.hexdigest()[:16]


def displayed_widgets(nb) -> list[str]:
    ids = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(WIDGET_MIME)
            if view:
                ids.append(view["model_id"])
    return ids


def cache_paths(path: Path) -> tuple[Path, Path]:
    """Where the executed copy of ``path`` and its widget frames live (``build/executed/NAME-HASH...``)."""
    key = source_hash(path)
    return EXECUTED / f"{path.stem}-{key}.ipynb", EXECUTED / f"{path.stem}-{key}_frames"


def start_record(path: Path) -> tuple[Path, Path]:
    """Clear older executed copies of ``path``; returns (executed notebook, empty frames folder) to fill."""
    out, frames_dir = cache_paths(path)
    EXECUTED.mkdir(parents=True, exist_ok=True)
    for old in EXECUTED.glob(f"{path.stem}-*"):
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    frames_dir.mkdir(parents=True, exist_ok=True)
    return out, frames_dir


def capture_code(nb, frames_dir: Path, n_frames: int = 9) -> str | None:
    """The code that, run in the kernel after the notebook's last cell, records its widgets (None: no widget)."""
    ids = displayed_widgets(nb)
    return CAPTURE % {"ids": ids, "folder": str(frames_dir), "n": n_frames} if ids else None


def parse_capture(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


def save_executed(nb, out: Path, frames: dict, seconds: float) -> Path:
    """Write the executed notebook where :func:`execute` (and so ``render``) finds it."""
    nb.metadata.pop("widgets", None)
    nb.metadata["course_frames"] = frames
    nb.metadata["course_seconds"] = round(seconds, 1)
    nbformat.write(nb, out)
    return out


def execute(path: Path, n_frames: int = 9, timeout: int = 600, cached_only: bool = False) -> tuple[Path, float]:
    """Run ``path`` in a fresh kernel, record its widgets' frames; returns (executed notebook, seconds).

    Cached: build/executed/NAME-HASH.ipynb and NAME-HASH_frames/ are reused when nothing changed. They are
    also written by the test suite's nbval run (conftest.py), so CI renders pages without executing again;
    ``cached_only`` turns a missing copy into an error instead of an execution.
    """
    from nbclient import NotebookClient

    out, _ = cache_paths(path)
    if out.exists():
        return out, 0.0
    if cached_only:
        raise FileNotFoundError(f"build_pages.py: {path.name} has no executed copy {out.name} in {EXECUTED} "
                                f"(--cached-only; nbval writes it when it runs the whole notebook)")
    out, frames_dir = start_record(path)
    nb = nbformat.read(path, as_version=4)
    env_style = os.environ.pop("COURSE_LIB_STYLE", None)  # the site shows the reading style
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=False,
                            resources={"metadata": {"path": str(path.parent)}})
    t0 = time.perf_counter()
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
            seconds = time.perf_counter() - t0
            frames = {}
            code = capture_code(nb, frames_dir, n_frames)
            if code:
                probe = nbformat.v4.new_code_cell(code)
                nb.cells.append(probe)
                try:
                    client.execute_cell(probe, len(nb.cells) - 1)
                finally:
                    nb.cells.pop()
                frames = parse_capture("".join(o.get("text", "") for o in probe.outputs if o.get("name") == "stdout"))
    finally:
        if env_style is not None:
            os.environ["COURSE_LIB_STYLE"] = env_style
    return save_executed(nb, out, frames, seconds), seconds


def frames_html(entry: dict | None, rel: str) -> str:
    """The static stand-in for one displayed widget: its pictures, one range input per control, a note."""
    if entry and not (entry["initial"] or entry["controls"]):  # a progress bar or a status line
        return f'<pre class="course-widget-text">{html.escape(entry.get("text", ""))}</pre>'
    if not entry:
        return ('<div class="course-frames"><p class="course-frames-note">Interactive widget: it needs a running '
                'kernel, and nothing of it could be recorded. Run the notebook to use it.</p></div>')
    data = {"controls": [{"labels": c["labels"], "frames": [[f"{rel}/{p}" for p in fr] for fr in c["frames"]]}
                         for c in entry["controls"]]}
    rows = []
    for k, c in enumerate(entry["controls"]):
        rows.append(f'<div class="course-frame-row"><label>{html.escape(c["description"])} '
                    f'<input type="range" class="course-frame-control" data-control="{k}" min="0" '
                    f'max="{len(c["labels"]) - 1}" value="{c["start"]}" step="1" '
                    f'aria-label="{html.escape(c["description"])}"></label> '
                    f'<span class="course-frame-value">{html.escape(c["labels"][c["start"]])}</span></div>')
    imgs = "".join(f'<img class="course-frame" src="{rel}/{p}" alt="widget picture {i + 1}">'
                   for i, p in enumerate(entry["initial"]))
    return (f'<div class="course-frames" data-frames="{html.escape(json.dumps(data))}">'
            f'<p class="course-frames-note">{FRAMES_NOTE}</p>{"".join(rows)}<div>{imgs}</div></div>')


def replace_widgets(nb, rel: str) -> int:
    """Swap every widget view output for its stand-in (see :func:`frames_html`); returns how many are frames."""
    frames = nb.metadata.get("course_frames", {})
    n = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(WIDGET_MIME)
            if view:
                out["data"] = {"text/html": frames_html(frames.get(view["model_id"]), rel)}
                n += "course-frames" in out["data"]["text/html"]  # progress bars (plain text) not counted
    return n


def slide_type(cell) -> str:
    """The rule (module docstring): ``#``/``##`` heading -> slide, ``###`` -> subslide, else continue."""
    tags = [t for t in cell.metadata.get("tags", []) if t in SLIDE_TAGS]
    if tags:
        return tags[0]
    if cell.cell_type == "markdown":
        first = cell.source.lstrip().split("\n", 1)[0]
        if re.match(r"#{1,2} ", first):
            return "slide"
        if first.startswith("### "):
            return "subslide"
    return "-"


def title_of(nb, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return fallback


def copy_static(out: Path, slides: bool) -> None:
    import jupyter_server_mathjax

    static = out / "_static"
    static.mkdir(parents=True, exist_ok=True)
    mathjax = Path(jupyter_server_mathjax.__file__).parent / "static"
    if not (static / "mathjax").exists():
        shutil.copytree(mathjax, static / "mathjax")
    for f in (TEMPLATES / "static").iterdir():
        shutil.copy2(f, static / f.name)
    if slides:
        shutil.copytree(REVEAL, static / "reveal.js", dirs_exist_ok=True)
        (static / "reveal.js" / "dist" / "theme").mkdir(parents=True, exist_ok=True)
        shutil.copy2(TEMPLATES / "static" / "course_reveal_theme.css", static / "reveal.js/dist/theme/course.css")


def render(executed: Path, name: str, out: Path, slides: bool, nav: str) -> dict:
    from nbconvert import HTMLExporter, SlidesExporter

    nb = nbformat.read(executed, as_version=4)
    asset = f"{name}_files"
    (out / asset).mkdir(parents=True, exist_ok=True)
    for f in executed.with_name(executed.stem + "_frames").glob("*.png"):
        shutil.copy2(f, out / asset / f.name)
    n_widgets = replace_widgets(nb, asset)
    resources = {"course_static": "_static"}
    if slides:
        for cell in nb.cells:
            cell.metadata.setdefault("slideshow", {})["slide_type"] = slide_type(cell)
        exporter = SlidesExporter(template_name="course_slides", extra_template_basedirs=[str(TEMPLATES)], extra_template_paths=[str(TEMPLATES)],
                                  reveal_url_prefix="_static/reveal.js", reveal_theme="course",
                                  reveal_scroll=True, exclude_input=True, exclude_input_prompt=True)
    else:
        exporter = HTMLExporter(template_name="course_site", extra_template_basedirs=[str(TEMPLATES)], extra_template_paths=[str(TEMPLATES)],
                                exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    if nav:
        body = body.replace("<main>", f"<main>{nav}", 1)
    (out / f"{name}.html").write_text(body, encoding="utf-8")
    return {"name": name, "title": title_of(nb, name), "widgets": n_widgets,
            "seconds": nb.metadata.get("course_seconds"),
            "slides": sum(c.metadata.get("slideshow", {}).get("slide_type") == "slide" for c in nb.cells)}


def index_page(entries: list[dict], slides: bool) -> str:
    kind = "Slides" if slides else "Notebooks"
    rows = "".join(
        f'<li><a href="{html.escape(e["name"])}.html">{html.escape(e["title"])}</a> '
        f'<span class="course-meta">({e["name"]}; {e["widgets"]} widget(s) as static frames'
        f'{"; " + str(e["slides"]) + " slides" if slides else ""})</span></li>' for e in entries)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Deep generative models: {kind.lower()}</title>
<link rel="stylesheet" href="_static/course_pages.css">
<style>body {{ font-family: system-ui, sans-serif; max-width: 52em; margin: 2em auto; font-size: 18px;
line-height: 1.5; }} .course-meta {{ color: #555; font-size: 15px; }}</style></head>
<body><h1>Deep generative models: {kind.lower()}</h1>
<p>Every notebook executed from a fresh kernel when this {"deck" if slides else "site"} was built
(<code>make {"slides" if slides else "site"}</code>); figures are the notebook's own.
Widgets need a running kernel: here each one is shown as static frames that its own view drew at build time
(dashed boxes). To use them live, run the notebooks in JupyterLab (<code>make lab</code>) or present them with
<code>make lecture NB=05</code>.</p>
<ol class="course-index">{rows}</ol></body></html>
"""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", choices=("site", "slides"))
    ap.add_argument("notebooks", nargs="*", type=Path, help="default: every notebooks/NN_*.ipynb")
    ap.add_argument("--out", type=Path, default=None, help="default: build/site or build/slides")
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("JOBS", 2)), help="notebooks executed at once")
    ap.add_argument("--frames", type=int, default=9, help="frames recorded per widget control")
    ap.add_argument("--cached-only", action="store_true",
                    help="render only from build/executed/ (as the test suite's nbval run leaves it); never execute")
    args = ap.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise SystemExit(f"build_pages.py: no such notebook: {missing}")
    if args.cached_only:
        absent = [p.name for p in paths if not cache_paths(p)[0].exists()]
        if absent:
            raise SystemExit(f"build_pages.py --cached-only: no executed copy in {EXECUTED} for {absent} "
                             "(the nbval run writes one when it runs a whole notebook: `pytest notebooks/`)")
    slides = args.kind == "slides"
    out = (args.out or BUILD / args.kind).resolve()
    EXECUTED.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        done = list(pool.map(execute, paths, [args.frames] * len(paths), [600] * len(paths),
                             [args.cached_only] * len(paths)))
    for p, (_, s) in zip(paths, done):
        print(f"  executed {p.stem:40s} {'cached' if s == 0 else f'{s:6.1f} s'}", flush=True)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    copy_static(out, slides)
    entries = []
    for i, (p, (executed, _)) in enumerate(zip(paths, done)):
        prev = f'<a href="{paths[i - 1].stem}.html">&larr; previous</a>' if i else ""
        nxt = f'<a href="{paths[i + 1].stem}.html">next &rarr;</a>' if i + 1 < len(paths) else ""
        nav = "" if slides else f'<nav class="course-nav"><a href="index.html">All notebooks</a>{prev}{nxt}</nav>'
        entries.append(render(executed, p.stem, out, slides, nav))
    (out / "index.html").write_text(index_page(entries, slides), encoding="utf-8")
    (out / "pages.json").write_text(json.dumps(entries, indent=1))
    print(f"{args.kind}: {len(entries)} page(s) in {out} ({time.perf_counter() - t0:.0f} s). "
          f"Serve it offline with: python -m http.server -d {os.path.relpath(out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
