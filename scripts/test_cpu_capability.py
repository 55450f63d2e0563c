"""Print the PyTorch CPU kernel set (ATEN_CPU_CAPABILITY) that `make test` runs the suite under.

The course's checked outputs and trained-model recordings were made on one machine, with one kernel set
(`tests/expected_outputs/RECORDED_WITH`). A check that holds only with that set's rounding is a defect (a
student's laptop picks another set), so the suite runs under a different one: the native set when it already
differs from the recording's, else the next narrower set this CPU supports (AVX-512 -> AVX2 -> default).
AVX2 costs about the same time as AVX-512 here; the non-vectorised `default` set is about 2x slower, and is
only chosen on a machine whose native set is AVX2 and equals the recording's.

A variable already set by the user wins: `ATEN_CPU_CAPABILITY=default make test` tests that set.
"""
from __future__ import annotations

import os
from pathlib import Path

RECORDED = Path(__file__).resolve().parents[1] / "tests" / "expected_outputs" / "RECORDED_WITH"
ORDER = ["avx512", "avx2", "default"]  # x86 sets, widest first (others, e.g. Arm's sve256 -> default)


def native_capability() -> str:
    import torch

    return torch.backends.cpu.get_cpu_capability().lower()


def recorded_capability() -> str:
    for line in RECORDED.read_text().splitlines():
        if line.startswith("cpu_capability="):
            return line.split("=", 1)[1].strip().lower()
    raise ValueError(f"{RECORDED}: no cpu_capability= line")


def test_capability(native: str, recorded: str) -> str:
    """The kernel set to test under: ``native`` unless it equals ``recorded``, else the next narrower one."""
    if native != recorded:
        return native
    if native in ORDER[:-1]:
        return ORDER[ORDER.index(native) + 1]
    return "default" if native != "default" else native  # an Arm or default-only machine: nothing narrower


def main() -> None:
    user = os.environ.get("ATEN_CPU_CAPABILITY", "").strip()
    print(user if user else test_capability(native_capability(), recorded_capability()))


if __name__ == "__main__":
    main()
