"""Kernel-side latency of every course widget: time from a knob value to new PNG bytes.

    python benchmarks/widget_latency.py

Collects ``cases()`` from every ``benchmarks/widgets_chNN.py`` (each case: a name, the view's
plain ``update`` function and a list of knob values sweeping its range) and prints the median
and 90th percentile over the sweep. Budget: 16.7 ms median (one frame at 60 Hz).
"""
from __future__ import annotations

import importlib.util
import os
import statistics
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
HERE = Path(__file__).resolve().parent
BUDGET_MS = 16.7  # one frame at 60 Hz, PNG encoding included


def load_cases():
    for path in sorted(HERE.glob("widgets_ch*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        mod = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(mod)
            cases = mod.cases()
        except Exception as err:  # one broken module must not hide the other widgets' figures
            yield f"{path.stem[8:]}: (could not build cases)", err, None
            continue
        for name, update, values in cases:
            yield f"{path.stem[8:]}: {name}", update, values


def measure(update, values):
    from course_lib.widgets import latencies_ms

    times = sorted(latencies_ms(update, values))
    return statistics.median(times), times[int(0.9 * (len(times) - 1))]


def cpu_median(update, values) -> float:
    """Median CPU time (ms) of this process per update: what the update costs on an idle core. On a
    shared machine (load above the core count) the wall-clock median also counts waiting for a core."""
    import time

    times = []
    for v in values:
        t0 = time.process_time()
        update(**v)
        times.append((time.process_time() - t0) * 1e3)
    return statistics.median(times)


def main() -> int:
    import torch

    torch.set_num_threads(1)  # a kernel beside a running notebook gets about one core
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average {load:.1f} on {os.cpu_count()} cores")
    print(f"{'widget':55s} {'median ms':>10s} {'p90 ms':>8s} {'CPU ms':>7s}  budget {BUDGET_MS:g} ms")
    over = 0
    for name, update, values in load_cases():
        if values is None:
            over += 1
            print(f"{name:55s} ERROR {type(update).__name__}: {update}", flush=True)
            continue
        med, p90 = measure(update, values)
        cpu = cpu_median(update, values)
        over += med > BUDGET_MS
        print(f"{name:55s} {med:10.1f} {p90:8.1f} {cpu:7.1f}  {'ok' if med <= BUDGET_MS else 'OVER'}", flush=True)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
