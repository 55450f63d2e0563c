"""Input validation shared by every public function of course_lib.

Each helper raises a ``TypeError``/``ValueError`` whose message names the
argument and what was expected (type, shape, dtype, range), so a student sees
what to fix instead of a stack trace from deep inside torch.
"""
from __future__ import annotations

import math
import numbers

import numpy as np
import torch

__all__ = [
    "check_int",
    "check_float",
    "check_choice",
    "as_points",
    "as_images",
    "as_tensor",
    "check_generator",
    "as_operand",
    "check_broadcast",
    "check_labels",
]


def check_int(value, name: str, *, min_value: int | None = None, max_value: int | None = None) -> int:
    """Return ``value`` as an int, or raise naming ``name`` and the allowed range."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} ({value!r})")
    value = int(value)
    if min_value is not None and value < min_value:
        raise ValueError(f"{name} must be >= {min_value}, got {value}")
    if max_value is not None and value > max_value:
        raise ValueError(f"{name} must be <= {max_value}, got {value}")
    return value


def check_float(value, name: str, *, min_value: float | None = None, max_value: float | None = None,
                strict_min: bool = False, rel_tol: float = 0.0) -> float:
    """Return ``value`` as a finite float within the given range, or raise naming ``name``.

    ``rel_tol`` lets a value miss a bound by that fraction of it (at least of 1; a slider's float32 readout); the message
    still names the bound itself, never the bound plus its tolerance.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        if isinstance(value, torch.Tensor) and value.numel() == 1:
            value = value.item()
        elif isinstance(value, np.ndarray) and value.size == 1:
            value = value.item()
        else:
            raise TypeError(f"{name} must be a real number, got {type(value).__name__} ({value!r})")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if min_value is not None:
        lo = min_value - rel_tol * max(abs(min_value), 1.0)
        if strict_min and value <= lo:
            raise ValueError(f"{name} must be > {min_value}, got {value}")
        if not strict_min and value < lo:
            raise ValueError(f"{name} must be >= {min_value}, got {value}")
    if max_value is not None and value > max_value + rel_tol * max(abs(max_value), 1.0):
        raise ValueError(f"{name} must be <= {max_value}, got {value}")
    return value


def check_choice(value, name: str, choices) -> str:
    if not isinstance(value, (str, bool, int, float, type(None))):  # a list is not hashable: say what was meant
        raise TypeError(f"{name} must be one of {sorted(choices)!r}, got {type(value).__name__} {value!r:.60}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {sorted(choices)!r}, got {value!r}")
    return value


def as_tensor(x, name: str, *, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """Turn an array-like into a tensor of ``dtype`` (keeping its device), or raise naming ``name``."""
    if isinstance(x, torch.Tensor):
        t = x
    elif isinstance(x, (np.ndarray, list, tuple)) or isinstance(x, numbers.Real):
        try:
            t = torch.as_tensor(np.asarray(x))
        except (TypeError, ValueError) as err:
            raise TypeError(f"{name} must be numeric array-like, could not convert: {err}") from None
    else:
        raise TypeError(f"{name} must be a torch.Tensor or numpy array, got {type(x).__name__}")
    if t.dtype == torch.bool or t.is_complex() or not (t.is_floating_point() or t.dtype in _INT_DTYPES):
        raise TypeError(f"{name} must hold real numbers, got dtype {t.dtype}")
    return t.to(dtype) if dtype is not None else t


_INT_DTYPES = {torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64}


def as_points(x, name: str = "x", *, dim: int | None = None, min_rows: int = 1,
              finite: bool = True) -> torch.Tensor:
    """Validate a point cloud: a float tensor of shape (n, d) (d = ``dim`` if given)."""
    t = as_tensor(x, name)
    if t.ndim != 2:
        want = f"(n, {dim})" if dim is not None else "(n, d)"
        raise ValueError(f"{name} must have shape {want}, got shape {tuple(t.shape)}")
    if dim is not None and t.shape[1] != dim:
        raise ValueError(f"{name} must have shape (n, {dim}), got shape {tuple(t.shape)}")
    if t.shape[0] < min_rows:
        raise ValueError(f"{name} needs at least {min_rows} row(s), got shape {tuple(t.shape)}")
    if finite and not torch.isfinite(t).all():
        raise ValueError(f"{name} contains NaN or inf values")
    return t


def as_images(x, name: str = "images", *, channels: int | None = None, shape=None,
              value_range=(0.0, 1.0), min_rows: int = 0) -> torch.Tensor:
    """Validate an image batch: float tensor of shape (N, C, H, W) with values in ``value_range``.

    ``shape`` (C, H, W), if given, must match each image exactly.

    A single image (C, H, W) or (H, W) is *not* silently promoted: the message says how to fix it.
    """
    t = as_tensor(x, name)
    if t.ndim != 4:
        hint = ""
        if t.ndim == 3:
            hint = " (a single image? use x.unsqueeze(0); a batch of grey images? use x.unsqueeze(1))"
        elif t.ndim == 2:
            hint = " (flattened images? reshape to (N, 1, H, W))"
        want = f"(N, {', '.join(map(str, shape))})" if shape is not None else "(N, C, H, W)"
        raise ValueError(f"{name} must have shape {want}, got shape {tuple(t.shape)}{hint}")
    if channels is not None and t.shape[1] != channels:
        raise ValueError(f"{name} must have {channels} channel(s) in dim 1, got shape {tuple(t.shape)}")
    if shape is not None and tuple(t.shape[1:]) != tuple(shape):
        raise ValueError(f"{name} must have shape (N, {', '.join(map(str, shape))}), got {tuple(t.shape)}")
    if len(t) < min_rows:
        raise ValueError(f"{name} needs at least {min_rows} image(s), got shape {tuple(t.shape)}")
    if t.numel() and not torch.isfinite(t).all():
        raise ValueError(f"{name} contains NaN or inf values")
    if value_range is not None and t.numel():
        lo, hi = value_range
        tmin, tmax = float(t.min()), float(t.max())
        if tmin < lo - 1e-6 or tmax > hi + 1e-6:
            hint = " (0..255 pixels? divide by 255 first)" if hi <= 1.0 and tmax > 1.0 else ""
            raise ValueError(f"{name} must have values in [{lo}, {hi}], got min {tmin:.3g}, max {tmax:.3g}{hint}")
    return t


def check_generator(generator, name: str = "generator"):
    """``generator`` if it is a ``torch.Generator`` or None, else a TypeError naming the argument."""
    if generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(f"{name} must be a torch.Generator or None, got {type(generator).__name__}")
    return generator


def as_operand(x, name: str, *, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """The cheap check of a per-step primitive (a log-density, a loss term): ``x`` is a real tensor.

    A tensor passes through untouched (no copy, no look at its values: that would sync a GPU on every
    training step); numpy arrays, lists and numbers are converted to ``dtype``; anything else is refused.
    """
    if isinstance(x, torch.Tensor):
        if x.dtype == torch.bool or x.is_complex():
            raise TypeError(f"{name} must hold real numbers, got dtype {x.dtype}")
        return x
    return as_tensor(x, name, dtype=dtype)


def check_broadcast(fn: str, **tensors) -> torch.Size:
    """The broadcast shape of the named tensors, or a ValueError naming ``fn`` and every shape."""
    try:
        return torch.broadcast_shapes(*(t.shape for t in tensors.values()))
    except RuntimeError:
        got = ", ".join(f"{k} {tuple(t.shape)}" for k, t in tensors.items())
        raise ValueError(f"{fn}: shapes do not broadcast together: {got}") from None


def check_labels(y, name: str, n_classes: int, *, n: int | None = None) -> torch.Tensor:
    """Class labels: an integer tensor of shape (n,) with values 0..n_classes-1, returned as int64."""
    t = as_tensor(y, name, dtype=None)
    if t.is_floating_point():
        if t.numel() and not (torch.isfinite(t).all() and torch.equal(t, t.round())):
            raise ValueError(f"{name} must hold integer class labels 0..{n_classes - 1}, got non-integer floats")
    if t.ndim != 1:
        raise ValueError(f"{name} must have shape (n,), got shape {tuple(t.shape)}")
    if n is not None and len(t) != n:
        raise ValueError(f"{name} must have {n} labels (one per example), got {len(t)}")
    t = t.long()
    if t.numel() and (int(t.min()) < 0 or int(t.max()) >= n_classes):
        raise ValueError(f"{name} must hold class labels 0..{n_classes - 1}, got min {int(t.min())}, "
                         f"max {int(t.max())}")
    return t
