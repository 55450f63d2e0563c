"""Run notebooks and store the printed output of their ``# NBVAL_CHECK_OUTPUT`` cells.

    python scripts/record_expected_outputs.py notebooks/01_maximum_likelihood.ipynb [...]

Writes ``tests/expected_outputs/<name>.json``; nbval then compares those cells against it
(see the root ``conftest.py``). Review the diff before committing: it is a regression baseline.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from conftest import CHECK_MARKER, expected_path  # noqa: E402


def record(path: Path, timeout: int = 600) -> Path:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code" or CHECK_MARKER not in cell.source:
            continue
        outs = []
        for o in cell.outputs:
            if o.output_type == "stream":
                if outs and outs[-1]["output_type"] == "stream" and outs[-1]["name"] == o.name:
                    outs[-1]["text"] += o.text  # one print may arrive in several chunks
                else:
                    outs.append({"output_type": "stream", "name": o.name, "text": o.text})
            elif o.output_type in ("execute_result", "display_data") and "text/plain" in o.get("data", {}):
                outs.append({"output_type": o.output_type, "data": {"text/plain": o.data["text/plain"]},
                             "metadata": {}, **({"execution_count": 1} if o.output_type == "execute_result" else {})})
        cells.append({"source": cell.source.strip(), "outputs": outs})
    out = expected_path(path)
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"notebook": path.name, "cells": cells}, indent=1, ensure_ascii=False) + "\n")
    print(f"{path.name}: {len(cells)} checked cell(s) -> {out}")
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="+", type=Path)
    for p in ap.parse_args().notebooks:
        record(p.with_suffix(".ipynb"))
