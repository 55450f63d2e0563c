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
