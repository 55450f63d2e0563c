"""Fill the generated parts of docs/instructor_guide.md from the notebooks and measured run times.

    python scripts/instructor_guide.py            # refresh the generated blocks (fast: reads files only)
    python scripts/instructor_guide.py --measure  # first re-measure every notebook (benchmarks/run_notebooks.py
                                                  # -> docs/run_times.txt, minutes), then refresh
    python scripts/instructor_guide.py --check    # exit 1 if the guide is out of date (CI: tests/test_instructor_guide.py)

Hand-written text (pacing advice, student questions) lives outside the markers
``<!-- BEGIN generated: KEY -->`` / ``<!-- END generated: KEY -->`` and is never touched. Inside them:

* ``runtimes``: the table of docs/run_times.txt (the verbatim output of benchmarks/run_notebooks.py) with
  the lecture length estimated from the notebook itself (see :func:`lecture_minutes`);
* ``NN`` (one per notebook): its sections (= its slides, see scripts/build_pages.py), the widgets it displays
  and the section each is in, where a live run can be swapped for a shipped checkpoint, and the numbers the
  audience will see: the notebook's own checked outputs (tests/expected_outputs/NN_name.json, recorded by
  scripts/record_expected_outputs.py from a seeded run) -- nothing here is typed by hand.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "notebook_sources"
GUIDE = ROOT / "docs" / "instructor_guide.md"
RUN_TIMES = ROOT / "docs" / "run_times.txt"
EXPECTED = ROOT / "tests" / "expected_outputs"
CHECKPOINTS = ROOT / "course_lib" / "checkpoints"

#: speaking pace for prose with formulas on screen, and time per widget demonstrated (move, explain, ask)
WORDS_PER_MINUTE = 110
MINUTES_PER_WIDGET = 4
#: sections an instructor leaves to the students
NOT_LECTURED = {"Notation", "Exercises", "References"}  # the table is looked up, not lectured


def markdown_cells(text: str) -> list[tuple[str, str]]:
    """(section heading, markdown text) for every markdown cell of a py:percent source."""
    out, section = [], ""
    for cell in re.split(r"^# %%", text, flags=re.M)[1:]:
        header, _, body = cell.partition("\n")
        if "[markdown]" not in header:
            out.append((section, ""))
            continue
        md = "\n".join(line[2:] if line.startswith("# ") else line.lstrip("#") for line in body.splitlines())
        m = re.search(r"^##\s+(.+)$", md, flags=re.M)
        if m:
            section = m.group(1).strip()
        out.append((section, md))
    return out


def code_cells(text: str) -> list[tuple[str, str]]:
    """(section heading, code) for every code cell."""
    out, section = [], ""
    for cell in re.split(r"^# %%", text, flags=re.M)[1:]:
        header, _, body = cell.partition("\n")
        if "[markdown]" in header:
            m = re.search(r"^# ##\s+(.+)$", body, flags=re.M)
            if m:
                section = m.group(1).strip()
        else:
            out.append((section, body))
    return out


def notebook_facts(src: Path) -> dict:
    text = src.read_text()
    md = markdown_cells(text)
    code = code_cells(text)
    title = next((m.group(1) for _, t in md for m in [re.search(r"^#\s+(.+)$", t, flags=re.M)] if m), src.stem)
    sections = list(dict.fromkeys(s for s, _ in md if s))
    words = sum(len(re.sub(r"\$[^$]*\$", " x ", t).split()) for s, t in md if s not in NOT_LECTURED)
    widgets = []
    for section, body in code:
        for name in re.findall(r"display\((\w+)\.widget\(\)\)", body):
            view = re.search(rf"^{name}\s*=\s*([\w.]+)\(", text, flags=re.M)
            widgets.append((section, name, view.group(1) if view else "?"))
    swaps = []
    for section, body in code:
        for name in re.findall(r"load_or_train\(\s*\"(\w+)\"", body):
            meta = CHECKPOINTS / f"{name}.json"
            script = json.loads(meta.read_text()).get("script", "") if meta.exists() else ""
            size = (CHECKPOINTS / f"{name}.pt").stat().st_size if (CHECKPOINTS / f"{name}.pt").exists() else None
            swaps.append((section, name, size, script))
        if "load_or_record_runs(" in body:  # the GAN replays (05, 06): recorded by scripts/record_gan_runs.py
            for rec in sorted(CHECKPOINTS.glob("gan2d_runs_*.pt")):
                meta = rec.with_suffix(".json")
                script = json.loads(meta.read_text()).get("script", "") if meta.exists() else ""
                swaps.append((section, rec.stem, rec.stat().st_size, script))
    live = [s for s in sections if any(sec == s and re.search(r"\b(fit|train_[a-z_]+)\(", body) for sec, body in code)]
    return {"stem": src.stem, "title": title, "sections": sections, "words": words, "widgets": widgets,
            "swaps": swaps, "live": [s for s in live if s in sections]}


def read_run_times(path: Path = RUN_TIMES) -> dict[str, dict]:
    """Rows of benchmarks/run_notebooks.py's output: {stem: {wall, cpu, peak}}."""
    rows = {}
    if not path.exists():
        return rows
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) >= 5 and re.match(r"\d\d_", parts[0]):
            num = lambda v: float(v) if v != "n/a" else None  # noqa: E731
            rows[parts[0]] = {"wall": num(parts[1]), "cpu": num(parts[2]), "peak": num(parts[3])}
    return rows


def lecture_minutes(facts: dict, wall_s: float | None) -> int:
    """Prose (words / 110 per minute) + 4 min per widget + the notebook's own run time, rounded up to 5 min."""
    minutes = facts["words"] / WORDS_PER_MINUTE + MINUTES_PER_WIDGET * len(facts["widgets"]) + (wall_s or 0) / 60
    return 5 * math.ceil(minutes / 5)


def runtimes_block(all_facts: list[dict], times: dict) -> str:
    lines = ["| notebook | run time (s, wall) | kernel CPU (s) | peak memory (MB) | prose (words) | widgets "
             "| lecture (min, est.) |", "|---|---:|---:|---:|---:|---:|---:|"]
    for f in all_facts:
        t = times.get(f["stem"], {})
        fmt = lambda v, spec: "not measured" if v is None else f"{v:{spec}}"  # noqa: E731
        lines.append(f"| {f['stem']} | {fmt(t.get('wall'), '.0f')} | {fmt(t.get('cpu'), '.0f')} | "
                     f"{fmt(t.get('peak'), '.0f')} | {f['words']} | {len(f['widgets'])} | "
                     f"{lecture_minutes(f, t.get('wall'))} |")
    header = RUN_TIMES.read_text().splitlines()[:1] if RUN_TIMES.exists() else []
    src = "docs/run_times.txt" if header else "no docs/run_times.txt yet: run `make guide`"
    return ("\n".join(lines) + f"\n\nMeasured by `benchmarks/run_notebooks.py` ({src}; a fresh kernel per notebook "
            "on the course's 2-core reference machine, other jobs running). Lecture length = prose words / "
            f"{WORDS_PER_MINUTE} per minute + {MINUTES_PER_WIDGET} min per widget + the run time, rounded up to "
            "5 min; Exercises and References are left to the students.")


def expected_numbers(stem: str, max_lines: int = 6) -> list[str]:
    path = EXPECTED / f"{stem}.json"
    if not path.exists():
        return []
    out = []
    for cell in json.loads(path.read_text()).get("cells", []):
        text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
        text = "\n".join(text.strip().splitlines()[:max_lines])
        if text:
            out.append(text)
    return out


def notebook_block(f: dict, times: dict) -> str:
    t = times.get(f["stem"], {})
    wall = t.get("wall")
    lines = [f"*{f['title']}* — about **{lecture_minutes(f, wall)} min** of lecture; runs in "
             f"{'%.0f s' % wall if wall is not None else 'not measured yet'} from a fresh kernel.", "",
             "Slides / sections (each `##` heading opens a slide): " + " → ".join(f["sections"]) + ".", ""]
    if f["widgets"]:
        lines.append("Widgets to show:")
        lines += [f"- `{name}` ({view}) in *{section}*" for section, name, view in f["widgets"]]
    else:
        lines.append("Widgets to show: none.")
    lines.append("")
    if f["swaps"]:
        lines.append("Live run ↔ checkpoint:")
        for section, name, size, script in f["swaps"]:
            size_txt = f", {size / 1e6:.1f} MB" if size else ""
            by = f", written by `{script}`" if script else ""
            lines.append(f"- *{section}*: `{name}` loads the shipped checkpoint (course_lib/checkpoints/{name}.pt"
                         f"{size_txt}{by}) and recomputes it live only when the file is missing or fails its hash check.")
    if f["live"]:
        lines.append("- Short live training runs (`fit`) in: " + ", ".join(f"*{s}*" for s in f["live"]) +
                     ". Run them before the lecture if the room's machine is slow (Run > Run All Cells).")
    nums = expected_numbers(f["stem"])
    if nums:
        lines += ["", "Numbers the audience will see (the notebook's checked outputs, seeded):", "", "```text"]
        lines += [n + "\n" for n in nums]
        lines[-1] = lines[-1].rstrip("\n")
        lines.append("```")
    return "\n".join(lines)


def generated_blocks() -> dict[str, str]:
    times = read_run_times()
    facts = [notebook_facts(p) for p in sorted(SOURCES.glob("[0-9][0-9]_*.py"))]
    blocks = {"runtimes": runtimes_block(facts, times)}
    for f in facts:
        blocks[f["stem"][:2]] = notebook_block(f, times)
    return blocks


NEW_NOTEBOOKS_BEFORE = "## Running for a class"


def fill(text: str, blocks: dict[str, str], titles: dict[str, str] | None = None) -> str:
    for key, body in blocks.items():
        pattern = re.compile(rf"(<!-- BEGIN generated: {key} -->\n).*?(<!-- END generated: {key} -->)", re.S)
        if not pattern.search(text) and titles and key in titles and NEW_NOTEBOOKS_BEFORE in text:
            # a notebook added since the guide was written: its generated section goes in; pacing and
            # questions are for its author to add below it
            new = f"### {titles[key]}\n\n<!-- BEGIN generated: {key} -->\n<!-- END generated: {key} -->\n\n"
            text = text.replace(NEW_NOTEBOOKS_BEFORE, new + NEW_NOTEBOOKS_BEFORE, 1)
        if not pattern.search(text):
            raise SystemExit(f"instructor_guide.py: docs/instructor_guide.md has no block {key!r}: add\n"
                             f"<!-- BEGIN generated: {key} -->\n<!-- END generated: {key} -->")
        text = pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)
    return text


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--measure", action="store_true", help="re-measure run times first (runs every notebook)")
    ap.add_argument("--check", action="store_true", help="fail if the guide is not up to date")
    args = ap.parse_args(argv)
    if args.measure:
        out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run_notebooks.py")], cwd=ROOT,
                             capture_output=True, text=True)
        RUN_TIMES.write_text(out.stdout)
        print(out.stdout)
    text = GUIDE.read_text()
    titles = {f["stem"][:2]: f["title"] for f in map(notebook_facts, sorted(SOURCES.glob("[0-9][0-9]_*.py")))}
    new = fill(text, generated_blocks(), titles)
    if args.check:
        if new != text:
            print("docs/instructor_guide.md is out of date: run `python scripts/instructor_guide.py`")
            return 1
        return 0
    GUIDE.write_text(new)
    print(f"updated {GUIDE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
