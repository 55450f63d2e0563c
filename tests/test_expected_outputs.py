"""The NBVAL_CHECK_OUTPUT mechanism catches a changed result, and a missing baseline."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = """# %%
x = 2

# %%
# NBVAL_CHECK_OUTPUT
print(round(x * 1.5, 3))
"""


def _run(tmp_path, expected_text):
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    nb = jupytext.reads(SRC, fmt="py:percent")
    jupytext.write(nb, tmp_path / "t.ipynb")
    if expected_text is not None:
        (tmp_path / "tests" / "expected_outputs").mkdir(parents=True)
        src = nb.cells[1].source.strip()
        (tmp_path / "tests" / "expected_outputs" / "t.json").write_text(json.dumps({"cells": [
            {"source": src, "outputs": [{"output_type": "stream", "name": "stdout", "text": expected_text}]}]}))
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                           "--nbval-lax", "--nbval-current-env", "--rootdir", str(tmp_path), "-c", "/dev/null",
                           "t.ipynb"], cwd=tmp_path, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("expected,ok", [("3.0\n", True), ("3.5\n", False), (None, False)])
def test_check_output_cells_are_compared(tmp_path, expected, ok):
    res = _run(tmp_path, expected)
    assert (res.returncode == 0) == ok, res.stdout[-2000:]
    if expected is None:
        assert "record_expected_outputs.py" in res.stdout
    elif not ok:
        assert "Cell outputs differ" in res.stdout


def test_every_stored_expectation_matches_a_marked_cell():
    for exp in sorted((ROOT / "tests" / "expected_outputs").glob("*.json")):
        nb = jupytext.read(ROOT / "notebook_sources" / f"{exp.stem}.py")
        sources = {c.source.strip() for c in nb.cells if c.cell_type == "code" and "NBVAL_CHECK_OUTPUT" in c.source}
        stale = [c["source"][:60] for c in json.loads(exp.read_text())["cells"] if c["source"] not in sources]
        assert not stale, f"{exp.name}: stale expectations (re-record): {stale}"


# A checked output prints what float rounding cannot change (README, "Tolerance policy"): no number whose
# magnitude is below 1e-4 (float noise: it differs between CPUs) and no negative zero such as "-0.000".
_NUMBER = r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])"


def _noise_numbers(text: str) -> list[str]:
    import re

    bad = []
    for m in re.finditer(_NUMBER, text):
        tok = m.group(0)
        value = float(tok)
        if value != 0.0 and abs(value) < 1e-4 and not re.fullmatch(r"1e-\d+", tok):
            bad.append(tok)  # (a printed threshold such as "within 1e-5: True" is a verdict, not a value)
        elif value == 0.0 and tok.startswith("-"):
            bad.append(tok)
    return bad


def test_noise_number_detector():
    assert _noise_numbers("angle 2.3e-06 degrees, gap -0.000 nats") == ["2.3e-06", "-0.000"]
    assert _noise_numbers("below 1e-4 degrees; 0.000 exactly; 12.5 nats; 8/8 modes; x_1e-3") == []
    assert _noise_numbers("sum is 1 within 1e-5: True; gap 3e-05") == ["3e-05"]


def test_checked_outputs_print_no_float_noise():
    for exp in sorted((ROOT / "tests" / "expected_outputs").glob("*.json")):
        for cell in json.loads(exp.read_text())["cells"]:
            text = "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in cell["outputs"])
            assert not _noise_numbers(text), (f"{exp.name}: the checked cell {cell['source'][:70]!r} prints float "
                                              f"noise {_noise_numbers(text)}: print a verdict or round it")


def test_recording_machine_is_named():
    text = (ROOT / "tests" / "expected_outputs" / "RECORDED_WITH").read_text()
    assert "cpu_capability=" in text
