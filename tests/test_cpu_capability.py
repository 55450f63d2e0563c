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
    ("avx512", "avx512", "default"),   # the recording machine: the non-vectorised set rounds differently
    ("avx2", "avx512", "default"),
    ("sve256", "avx512", "default"),
    ("avx512", "default", "avx512"),   # outputs recorded without vectorisation: test with it
])
def test_capability_differs_from_the_recording(native, recorded, expected):
    assert cap.test_capability(native, recorded) == expected


def test_recorded_capability_is_read():
    assert cap.recorded_capability() in cap.ORDER


def _printed(**env):
    env = {**{k: v for k, v in os.environ.items() if k not in ("ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA")}, **env}
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "test_cpu_capability.py")], env=env,
                          capture_output=True, text=True, check=True).stdout.strip()


def test_the_user_choice_wins():
    assert _printed(ATEN_CPU_CAPABILITY="avx512") == "ATEN_CPU_CAPABILITY=avx512 ONEDNN_MAX_CPU_ISA=AVX512_CORE"
    assert _printed(ATEN_CPU_CAPABILITY="avx2", ONEDNN_MAX_CPU_ISA="ALL") == \
        "ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=ALL"


def test_printed_assignments_are_for_export():
    """`make test` runs `export $(python scripts/test_cpu_capability.py)`: NAME=value words only."""
    words = _printed().split()
    assert words[0].startswith("ATEN_CPU_CAPABILITY=")
    assert all("=" in w for w in words)
    assert words[0] != f"ATEN_CPU_CAPABILITY={cap.recorded_capability()}"   # never the recording's own set


def test_the_chosen_settings_change_rounding():
    """What the notebooks run under really rounds differently from the native kernels (fresh interpreters:
    the libraries read the variables once, at first use)."""
    code = ("import torch, hashlib; torch.manual_seed(0); torch.set_num_threads(1); a = torch.randn(256, 384); "
            "b = torch.randn(384, 128); print(hashlib.sha256((a @ b).numpy().tobytes()).hexdigest())")
    forced = dict(w.split("=", 1) for w in _printed().split())
    clean = {k: v for k, v in os.environ.items() if k not in ("ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA")}
    native = subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=True)
    other = subprocess.run([sys.executable, "-c", code], env={**clean, **forced}, capture_output=True, text=True,
                           check=True)
    if cap.native_capability() == "default":
        pytest.skip("this CPU has no vectorised kernel set to compare with")
    assert native.stdout != other.stdout


@pytest.mark.parametrize("xdist", [False, True])
def test_notebook_kernels_get_the_settings_and_the_test_process_does_not(tmp_path, xdist):
    """conftest.py hands COURSE_KERNEL_CPU to nbval's kernels (with and without xdist workers)."""
    import shutil

    import jupytext

    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_here.py").write_text(
        "import torch\n\ndef test_process_keeps_native():\n"
        "    assert torch.backends.cpu.get_cpu_capability() != 'DEFAULT'\n")
    nb = jupytext.reads("# %%\nimport torch\nassert torch.backends.cpu.get_cpu_capability() == 'DEFAULT'\n",
                        fmt="py:percent")
    jupytext.write(nb, tmp_path / "k.ipynb")
    env = {**{k: v for k, v in os.environ.items() if k not in ("ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA")},
           "COURSE_KERNEL_CPU": "ATEN_CPU_CAPABILITY=default ONEDNN_MAX_CPU_ISA=AVX2"}
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env",
            "--rootdir", str(tmp_path), "-c", "/dev/null", "k.ipynb", "test_here.py"]
    args += ["-n", "2", "--dist", "loadfile"] if xdist else ["-p", "no:xdist"]
    if cap.native_capability() == "default":
        pytest.skip("this CPU has no vectorised kernel set")
    done = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:]
