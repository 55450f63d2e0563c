"""Explicit, once-per-notebook setup: seeds and device (taught in every notebook's first cell)."""
from __future__ import annotations

import os
import random

import numpy as np
import torch

from course_lib._checks import check_int


def pick_device(prefer: str | None = None) -> torch.device:
    """cuda if available, then mps, then cpu; ``prefer`` ("cpu", "cuda", "mps") overrides."""
    if prefer is not None:
        if prefer not in {"cpu", "cuda", "mps"}:
            raise ValueError(f"device must be one of 'cpu', 'cuda', 'mps' or None, got {prefer!r}")
        if prefer == "cuda" and not torch.cuda.is_available():
            raise ValueError("device='cuda' was asked for but torch.cuda.is_available() is False")
        if prefer == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
            raise ValueError("device='mps' was asked for but torch.backends.mps.is_available() is False")
        return torch.device(prefer)
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def setup(seed: int = 0, *, device: str | None = None, threads: int | None = None,
          style: bool | str = True, verbose: bool = True) -> torch.device:
    """Seed python, numpy and torch, pick a device and return it.

    Args:
        seed: seed for ``random``, ``numpy.random`` and ``torch`` (CPU and CUDA).
        device: force "cpu", "cuda" or "mps"; by default cuda, then mps, then cpu.
        threads: torch intra-op threads; default leaves torch's choice.
        style: ``True``/``"course"``: the course's readable matplotlib style; ``"lecture"``: the projector
            style of :mod:`course_lib.lecture` (text >= 18 px on 1280x720, widgets scaled up);
            ``False``: leave matplotlib alone. With the default ``True``, the environment variable
            ``COURSE_LIB_STYLE=lecture`` (set by ``make lecture``) picks the lecture style, so an instructor
            presents any notebook unchanged.
        verbose: print what was picked.

    Same seed, same device ⇒ same numbers, every run of a notebook.
    """
    seed = check_int(seed, "seed", min_value=0, max_value=2**32 - 1)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA device
    if threads is not None:
        torch.set_num_threads(check_int(threads, "threads", min_value=1))
    if style is True and os.environ.get("COURSE_LIB_STYLE", "").strip() == "lecture":
        style = "lecture"
    if style not in (True, False, "course", "lecture"):
        raise ValueError(f"setup: style must be True, False, 'course' or 'lecture', got {style!r}")
    dev = pick_device(device)
    if style == "lecture":
        from course_lib.lecture import use_lecture_style

        use_lecture_style()
    elif style:
        from course_lib.lecture import reset
        from course_lib.viz import use_course_style

        reset()
        use_course_style()
    if verbose:
        extra = f" ({torch.cuda.get_device_name(dev)})" if dev.type == "cuda" else ""
        print(f"course_lib.setup: seed={seed}, device={dev.type}{extra}, torch {torch.__version__}")
    return dev
