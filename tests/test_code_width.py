"""Code cells fit the page: with JupyterLab's file browser open a notebook is about 950 px wide, which holds
about 88 columns of code; a wider line scrolls sideways, in a lecture as on a laptop.

Every code line of every notebook must fit.
"""
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0*.ipynb"))
WIDTH = 88


def wide_lines(path: Path) -> list[str]:
    nb = json.loads(path.read_text())
    return [line.rstrip("\n") for cell in nb["cells"] if cell["cell_type"] == "code"
            for line in "".join(cell["source"]).split("\n") if len(line) > WIDTH]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_code_cells_fit_the_page(path):
    wide = wide_lines(path)
    assert not wide, f"{path.name}: {len(wide)} code lines wider than {WIDTH} columns; the first: {wide[:3]}"
