import random
import subprocess
import sys

import numpy as np
import pytest
import torch

import course_lib


def test_setup_seeds_everything_and_returns_device(capsys):
    dev = course_lib.setup(seed=123)
    a = (random.random(), np.random.rand(), torch.rand(1).item())
    course_lib.setup(seed=123)
    b = (random.random(), np.random.rand(), torch.rand(1).item())
    assert a == b
    assert isinstance(dev, torch.device)
    assert dev.type == ("cuda" if torch.cuda.is_available() else dev.type)
    assert "device=" in capsys.readouterr().out


def test_setup_rejects_bad_seed_and_device():
    with pytest.raises(TypeError, match="seed must be an integer"):
        course_lib.setup(seed=1.5)
    with pytest.raises(ValueError, match="seed must be >= 0"):
        course_lib.setup(seed=-1)
    with pytest.raises(ValueError, match="device must be one of"):
        course_lib.setup(device="tpu")


def test_setup_forced_cpu():
    assert course_lib.setup(0, device="cpu", verbose=False).type == "cpu"


def test_import_has_no_side_effects():
    # Importing must not seed, print or load torch submodules such as data sets.
    code = ("import torch; torch.manual_seed(7); a = torch.rand(1);"
            "torch.manual_seed(7); import course_lib; b = torch.rand(1);"
            "import sys; assert a.item() == b.item();"
            "assert 'course_lib.data' not in sys.modules and 'mlxtend' not in sys.modules")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""


def test_lazy_submodules():
    assert course_lib.data.gaussian_ring is not None
    with pytest.raises(AttributeError):
        course_lib.not_a_module
