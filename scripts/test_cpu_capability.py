"""Print the CPU kernel settings that `make test` runs the notebooks under, as shell assignments
(`ATEN_CPU_CAPABILITY=default ONEDNN_MAX_CPU_ISA=AVX2`); the Makefile passes them in COURSE_KERNEL_CPU and the
root conftest.py hands them to every notebook kernel (nbval's and the browser tests' JupyterLab), not to the
test process itself, whose unit tests and latency checks keep the native kernels.

The course's checked outputs and trained-model recordings were made on one machine
(`tests/expected_outputs/RECORDED_WITH`). A check that holds only with that machine's rounding is a defect (a
student's laptop rounds differently), so the notebooks are executed with kernels that round differently:

- ATen's own kernels (element-wise maths, reductions, and on this build the matrix products of small models):
  measured here, its AVX2 and AVX-512 sets give bit-identical results for exp, tanh, sigmoid, log, softplus,
  sums, logsumexp and matrix products, so forcing AVX2 would change nothing. The non-vectorised `default` set
  does round differently (matrix products included), and it is the set under which issue 23 found checks that
  only held on the recording machine. It costs little here (01 + 06 under nbval: 28 s native, 31 s default).
- oneDNN (convolutions): capped at AVX2, which changes their rounding on an AVX-512 machine.
- MKL's products are left alone: its switches (MKL_ENABLE_INSTRUCTIONS=AVX2, MKL_CBWR=AVX2 or AVX512) leave its
  results bit for bit unchanged on this AMD machine, and only its COMPATIBLE path changes them, at about twice
  the time of a small training step.

Outputs recorded under `default` are tested under the native set instead. Variables the user set win:
`ATEN_CPU_CAPABILITY=avx2 make test`.
"""
from __future__ import annotations

import os
from pathlib import Path

RECORDED = Path(__file__).resolve().parents[1] / "tests" / "expected_outputs" / "RECORDED_WITH"
ORDER = ["avx512", "avx2", "default"]  # x86 sets, widest first (others, e.g. Arm's sve256 -> default)
ONEDNN_ISA = {"avx512": "AVX512_CORE", "avx2": "AVX2", "default": "AVX2"}  # oneDNN's cap beside each set


def native_capability() -> str:
    import torch

    return torch.backends.cpu.get_cpu_capability().lower()


def recorded_capability() -> str:
    for line in RECORDED.read_text().splitlines():
        if line.startswith("cpu_capability="):
            return line.split("=", 1)[1].strip().lower()
    raise ValueError(f"{RECORDED}: no cpu_capability= line")


def test_capability(native: str, recorded: str) -> str:
    """ATen's kernel set for the notebooks: the non-vectorised ``default`` unless the outputs were recorded under
    it, then ``native`` (a vectorised set; all of them round alike, see the module docstring)."""
    return "default" if recorded != "default" else native


def assignments(aten: str, onednn: str | None = None) -> str:
    """``ATEN_CPU_CAPABILITY=<aten>`` and, where oneDNN has a name for that level, its ``ONEDNN_MAX_CPU_ISA``."""
    onednn = onednn or ONEDNN_ISA.get(aten.lower())
    return f"ATEN_CPU_CAPABILITY={aten}" + (f" ONEDNN_MAX_CPU_ISA={onednn}" if onednn else "")


def main() -> None:
    user = os.environ.get("ATEN_CPU_CAPABILITY", "").strip()
    aten = user if user else test_capability(native_capability(), recorded_capability())
    print(assignments(aten, os.environ.get("ONEDNN_MAX_CPU_ISA", "").strip() or None))


if __name__ == "__main__":
    main()
