"""The instructor's guide stays generated, and the page builder's slide rule and frame stand-ins behave."""
import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _script(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def test_instructor_guide_generated_parts_are_up_to_date():
    guide = _script("instructor_guide")
    assert guide.main(["--check"]) == 0, "run `python scripts/instructor_guide.py` and commit docs/instructor_guide.md"


def test_instructor_guide_covers_every_notebook_with_measured_times():
    guide = _script("instructor_guide")
    blocks = guide.generated_blocks()
    stems = sorted(p.stem for p in (ROOT / "notebook_sources").glob("[0-9][0-9]_*.py"))
    assert {s[:2] for s in stems} <= set(blocks)
    times = guide.read_run_times()
    for stem in stems:
        assert stem in blocks["runtimes"]
        if stem in times:  # the table shows the measured seconds, not a typed number
            assert f"| {stem} | {times[stem]['wall']:.0f} |" in blocks["runtimes"]


def test_lecture_minutes_follow_the_documented_formula():
    guide = _script("instructor_guide")
    facts = {"words": 1100, "widgets": [("s", "v", "V")] * 2}
    assert guide.lecture_minutes(facts, 60.0) == 5 * -(-(10 + 8 + 1) // 5)  # 19 min -> 20


def test_slide_rule_from_headings_and_tags():
    pages = _script("build_pages")
    md = nbformat.v4.new_markdown_cell
    code = nbformat.v4.new_code_cell
    assert pages.slide_type(md("# 05 · GANs\ntext")) == "slide"
    assert pages.slide_type(md("## Model")) == "slide"
    assert pages.slide_type(md("### The optimal discriminator")) == "subslide"
    assert pages.slide_type(md("Some prose with a #hashtag")) == "-"
    assert pages.slide_type(code("x = 1")) == "-"
    assert pages.slide_type(md("## Setup", metadata={"tags": ["skip"]})) == "skip"
    assert pages.slide_type(code("x", metadata={"tags": ["fragment"]})) == "fragment"


def test_widget_outputs_become_frames_with_a_note_or_text():
    pages = _script("build_pages")
    nb = nbformat.v4.new_notebook()
    view = {pages.WIDGET_MIME: {"model_id": "abc", "version_major": 2, "version_minor": 0}, "text/plain": "VBox()"}
    bar = {pages.WIDGET_MIME: {"model_id": "bar", "version_major": 2, "version_minor": 0}}
    cell = nbformat.v4.new_code_cell("display(view.widget())", outputs=[
        nbformat.v4.new_output("display_data", data=view), nbformat.v4.new_output("display_data", data=bar)])
    nb.cells = [cell]
    nb.metadata["course_frames"] = {
        "abc": {"initial": ["a.png"], "text": "", "controls": [
            {"description": "step", "labels": ["0", "10"], "frames": [["a.png"], ["b.png"]], "start": 0}]},
        "bar": {"initial": [], "controls": [], "text": "Training 100% 400/400"}}
    assert pages.replace_widgets(nb, "05_files") == 1  # one widget as frames, one progress bar as text
    frames, text = (o["data"]["text/html"] for o in cell.outputs)
    assert pages.WIDGET_MIME not in cell.outputs[0]["data"]
    assert "Static frames" in frames and 'src="05_files/a.png"' in frames and 'max="1"' in frames
    assert "05_files/b.png" in frames  # the second frame, in the data the range input switches to
    assert "400/400" in text and "course-frames" not in text


def test_pages_cached_only_refuses_to_execute_and_names_the_missing_copy(tmp_path, monkeypatch):
    # `make test` renders the pages from nbval's executed copies (conftest.py): a missing copy must fail
    # loudly instead of silently executing the notebook a second time
    pages = _script("build_pages")
    monkeypatch.setattr(pages, "EXECUTED", tmp_path / "executed")
    nb = ROOT / "notebooks" / "00_why_generative_models.ipynb"
    with pytest.raises(SystemExit, match="--cached-only.*00_why_generative_models.ipynb"):
        pages.main(["site", str(nb), "--cached-only", "--out", str(tmp_path / "site")])
    out, frames = pages.cache_paths(nb)
    assert out.parent == tmp_path / "executed" and out.name.startswith("00_why_generative_models-")
    assert frames.name == out.stem + "_frames"  # where render() looks for the widget pictures
