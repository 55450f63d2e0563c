"""Per-notebook execution time and kernel peak memory, from a fresh kernel each, as CI runs them.

    python benchmarks/run_notebooks.py [notebooks/NN_name.ipynb ...]

Prints one row per notebook: wall seconds, kernel CPU seconds and peak RSS of the kernel.
The budget is 120 s and 2.5 GB per notebook on the course's 2-core reference machine; machines
here are noisy, so read the numbers side by side in one run.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
BUDGET_S, BUDGET_MB = 120.0, 2500.0


def kernel_peak_mb(client) -> float | None:
    """Peak RSS (VmHWM) of the kernel process, read from /proc while it is still alive."""
    try:
        pid = client.km.provisioner.process.pid
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except Exception:
        return None
    return None


def run(path: Path) -> tuple[float, float | None, float | None]:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    t0 = time.perf_counter()
    peak = cpu = None
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        peak = kernel_peak_mb(client)
        try:
            pid = client.km.provisioner.process.pid
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except Exception:
            cpu = None
    return time.perf_counter() - t0, cpu, peak


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="*", type=Path)
    args = ap.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    print(f"{'notebook':45s} {'wall s':>8s} {'cpu s':>8s} {'peak MB':>8s}  budget")
    over = 0
    for p in paths:
        wall, cpu, peak = run(p)
        ok = wall <= BUDGET_S and (peak is None or peak <= BUDGET_MB)
        over += not ok
        fmt = lambda v, f: f"{v:{f}}" if v is not None else "n/a"  # noqa: E731
        print(f"{p.stem:45s} {wall:8.1f} {fmt(cpu, '8.1f'):>8s} {fmt(peak, '8.0f'):>8s}  "
              f"{'ok' if ok else 'OVER'}", flush=True)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
