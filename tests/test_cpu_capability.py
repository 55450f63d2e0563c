"""`make test` runs under a PyTorch CPU kernel set other than the one the outputs were recorded with."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("test_cpu_capability_script", ROOT / "scripts" / "test_cpu_capability.py")
cap = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cap)


@pytest.mark.parametrize("native,recorded,expected", [
    ("avx512", "avx512", "avx2"),   # the recording machine: test under the narrower set
    ("avx2", "avx512", "avx2"),     # another machine already rounds differently
    ("avx2", "avx2", "default"),
    ("sve256", "avx512", "sve256"),
    ("default", "default", "default"),
])
def test_capability_differs_from_the_recording_where_it_can(native, recorded, expected):
    assert cap.test_capability(native, recorded) == expected


def test_recorded_capability_is_read():
    assert cap.recorded_capability() in cap.ORDER


def test_the_user_choice_wins():
    env = {**os.environ, "ATEN_CPU_CAPABILITY": "default"}
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "test_cpu_capability.py")], env=env,
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == "default"


def test_torch_honours_the_forced_set():
    """The variable really changes PyTorch's kernels (in a fresh interpreter: torch reads it at import)."""
    env = {**os.environ, "ATEN_CPU_CAPABILITY": "default"}
    out = subprocess.run([sys.executable, "-c", "import torch; print(torch.backends.cpu.get_cpu_capability())"],
                         env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert out.lower() == "default"
