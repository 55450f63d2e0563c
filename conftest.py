"""Repository-wide pytest glue: stored expected outputs for nbval; nbval's executed notebooks kept for the pages.

Notebooks are committed without outputs, so nbval would have nothing to compare a
``# NBVAL_CHECK_OUTPUT`` cell against. The expected text of those cells lives in
``tests/expected_outputs/<notebook>.json`` (written by ``scripts/record_expected_outputs.py``,
keyed by the cell's source) and is injected here into nbval's reference cells before they run.
A marked cell without a stored expectation (or whose source changed) fails with instructions.
"""
from __future__ import annotations

import functools
import importlib.util
import json
import os
import sys
import time
import warnings
from pathlib import Path

import pytest

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


def pytest_configure(config):
    """Hand the kernel settings of ``COURSE_KERNEL_CPU`` (``NAME=value`` words, from `make test`) to the notebook
    kernels this process starts (nbval's, and the browser tests' JupyterLab), but not to this process: ATen and
    oneDNN read them once, at first use, so both are used first and the unit tests keep the native kernels. Under xdist only the
    workers start kernels; the controller must not set them, or the workers would inherit them before their import.
    """
    spec = os.environ.get("COURSE_KERNEL_CPU", "").strip()
    if not spec or (config.pluginmanager.hasplugin("xdist") and getattr(config.option, "numprocesses", None)
                    and not hasattr(config, "workerinput")):
        return
    import torch

    # each library reads its variable once, at first use, not at import: use both before the variables change
    torch.backends.cpu.get_cpu_capability()
    torch.nn.functional.conv2d(torch.zeros(1, 1, 4, 4), torch.zeros(1, 1, 3, 3))

    for word in spec.split():
        name, sep, value = word.partition("=")
        if not sep or name not in ("ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA"):
            raise pytest.UsageError(f"COURSE_KERNEL_CPU: expected words ATEN_CPU_CAPABILITY=... "
                                    f"ONEDNN_MAX_CPU_ISA=..., got {word!r}")
        os.environ[name] = value


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


# ---------------------------------------------------------------------------------------------------------
# nbval's executed notebooks feed `make site` / `make slides` (scripts/build_pages.py): when nbval has run a
# whole notebook without an error, its outputs (which nbval keeps per cell in `item.test_outputs`) and the
# frames of its widgets (recorded in the same, still running kernel) are written to build/executed/ under
# the key build_pages uses. The pages check then renders every notebook without executing it a second time.
# ---------------------------------------------------------------------------------------------------------

_RUNS: dict = {}  # nbval file node -> {"outputs": {cell_num: outputs}, "seconds": float, "ok": bool}


def _build_pages():
    spec = importlib.util.spec_from_file_location("_course_build_pages", Path(__file__).parent / "scripts" /
                                                  "build_pages.py")
    mod = sys.modules.get(spec.name)
    if mod is None:
        mod = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mod
        spec.loader.exec_module(mod)
    return mod


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    cell = getattr(item, "cell", None)
    if cell is None or not hasattr(item, "test_outputs") or not hasattr(item.parent, "kernel"):
        yield  # not an nbval cell
        return
    t0 = time.perf_counter()
    outcome = yield
    run = _RUNS.setdefault(item.parent, {"outputs": {}, "seconds": 0.0, "ok": True})
    run["seconds"] += time.perf_counter() - t0
    run["ok"] = run["ok"] and outcome.excinfo is None and item.test_outputs is not None
    run["outputs"][item.cell_num] = item.test_outputs or []
    n_code = sum(c.cell_type == "code" for c in item.parent.nb.cells)
    if item.cell_num == n_code - 1:
        _RUNS.pop(item.parent)
        if run["ok"] and len(run["outputs"]) == n_code and not os.environ.get("COURSE_LIB_STYLE"):
            try:
                _record_executed(item.parent, run)
            except Exception as exc:  # the notebook passed; only its page copy is missing (build_pages says so)
                warnings.warn(f"{Path(str(item.parent.fspath)).name}: executed copy for the pages not recorded: "
                              f"{exc!r}", stacklevel=1)


def _record_executed(nb_item, run) -> None:
    import nbformat

    pages = _build_pages()
    path = Path(str(nb_item.fspath)).resolve()
    if path.parent != pages.NOTEBOOKS:
        return  # only the course's notebooks have pages
    nb = nbformat.read(path, as_version=4)
    k = 0
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [nbformat.from_dict(dict(o)) for o in run["outputs"][k]]
            cell.execution_count = k + 1
            k += 1
    out, frames_dir = pages.start_record(path)
    frames = {}
    t0 = time.perf_counter()
    code = pages.capture_code(nb, frames_dir)
    if code:
        chunks = []

        def hook(msg):
            if msg["msg_type"] == "stream" and msg["content"].get("name") == "stdout":
                chunks.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                chunks.append("\n".join(msg["content"]["traceback"]))

        reply = nb_item.kernel.kc.execute_interactive(code, timeout=300, output_hook=hook, store_history=False)
        if reply["content"]["status"] != "ok":
            raise RuntimeError("widget frames: " + "".join(chunks)[-2000:])
        frames = pages.parse_capture("".join(chunks))
    nb.metadata["course_capture_seconds"] = round(time.perf_counter() - t0, 1)  # what recording adds to the run
    pages.save_executed(nb, out, frames, run["seconds"])
