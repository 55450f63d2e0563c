"""Repository-wide pytest glue: stored expected outputs for nbval.

Notebooks are committed without outputs, so nbval would have nothing to compare a
``# NBVAL_CHECK_OUTPUT`` cell against. The expected text of those cells lives in
``tests/expected_outputs/<notebook>.json`` (written by ``scripts/record_expected_outputs.py``,
keyed by the cell's source) and is injected here into nbval's reference cells before they run.
A marked cell without a stored expectation (or whose source changed) fails with instructions.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

CHECK_MARKER = "NBVAL_CHECK_OUTPUT"
EXPECTED_DIR = Path(__file__).resolve().parent / "tests" / "expected_outputs"


def expected_path(notebook: Path) -> Path:
    return EXPECTED_DIR / f"{notebook.stem}.json"


def load_expected(notebook: Path) -> dict[str, list]:
    path = expected_path(notebook)
    if not path.exists():
        return {}
    return {c["source"]: c["outputs"] for c in json.loads(path.read_text())["cells"]}


class MissingExpectation(Exception):
    pass


def pytest_collection_modifyitems(session, config, items):
    cache: dict[Path, dict] = {}
    for item in items:
        cell = getattr(item, "cell", None)
        options = getattr(item, "options", None)
        if cell is None or options is None or not options.get("check"):
            continue
        if CHECK_MARKER not in cell.source:
            continue  # checked because of strict --nbval, not because of the marker
        nb_path = Path(str(item.parent.fspath))
        expected = cache.setdefault(nb_path, load_expected(nb_path))
        source = cell.source.strip()
        if source in expected:
            import nbformat

            cell.outputs = [nbformat.from_dict(o) for o in expected[source]]
            cell.execution_count = 1  # nbval compares only cells whose reference "ran"
        else:
            item.runtest = functools.partial(_missing_expectation, nb_path, expected_path(nb_path))


def _missing_expectation(nb_path: Path, exp: Path):
    raise MissingExpectation(
        f"{nb_path.name}: a '# {CHECK_MARKER}' cell has no stored expected output in {exp} "
        f"(new cell, or its source changed). Record it with "
        f"`.venv/bin/python scripts/record_expected_outputs.py {nb_path}` and review the diff."
    )
