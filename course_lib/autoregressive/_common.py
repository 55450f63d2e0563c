"""Shared helpers of the autoregressive/masked package (notebook 08): input checks and the data split.

The likelihood table of notebook 08 uses one split of scikit-learn's 8x8 digits binarised at grey
level >= 8 (of 16): 1000 train / 350 validation / 447 test images, by a fixed permutation.
"""
from __future__ import annotations

import math

import numpy as np
import torch

from course_lib._checks import _INT_DTYPES, as_tensor, check_int

from course_lib.distributions import bernoulli_log_prob  # noqa: F401  (x, logits) → (N,), re-exported for the models


def check_shape(shape, name: str = "shape") -> tuple[int, ...]:
    if isinstance(shape, int):
        shape = (shape,)
    if not isinstance(shape, (tuple, list)) or not shape:
        raise TypeError(f"{name} must be an int or a non-empty tuple of ints, got {shape!r}")
    return tuple(check_int(s, f"{name} entry", min_value=1) for s in shape)


def as_binary(x, shape: tuple[int, ...], fn: str, name: str = "x") -> torch.Tensor:
    """Validate a batch (N, *shape) of 0/1 values; return it flattened to (N, n) float32."""
    t = as_tensor(x, f"{fn}: {name}")
    if t.ndim != len(shape) + 1 or tuple(t.shape[1:]) != shape:
        raise ValueError(f"{fn}: {name} must have shape (N, {', '.join(map(str, shape))}), "
                         f"got shape {tuple(t.shape)}"
                         + (" (binarise images first: course_lib.data.binarize)" if len(shape) == 3 else ""))
    if t.numel() and not ((t == 0) | (t == 1)).all():
        raise ValueError(f"{fn}: {name} must be binary (every value 0 or 1); binarise with course_lib.data.binarize")
    return t.flatten(1)


def mean_nll(log_prob: torch.Tensor, fn: str, name: str = "x") -> torch.Tensor:
    """−mean log p over a batch (N,) → scalar; an empty batch has no mean and is refused (not NaN)."""
    if log_prob.numel() == 0:
        raise ValueError(f"{fn}: {name} is an empty batch (0 examples); the loss averages over at least one")
    return -log_prob.mean()


def as_tokens(x, length: int, vocab: int, fn: str, name: str = "x", shape: tuple[int, ...] | None = None) -> torch.Tensor:
    """Validate integer tokens (N, length) or (N, *shape) in [0, vocab) → (N, length) int64.

    Without ``shape`` any (N, *grid) with prod(grid) = length is read as N sequences."""
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{fn}: {name} must be integer token ids (a tensor or array), got {type(x).__name__}")
    if not isinstance(x, torch.Tensor):
        try:
            x = torch.as_tensor(np.asarray(x))
        except (TypeError, ValueError, RuntimeError) as err:
            raise TypeError(f"{fn}: {name} must be integer token ids, could not convert: {err}") from None
    if x.is_floating_point():
        if x.numel() and not (x == x.round()).all():
            raise TypeError(f"{fn}: {name} must hold integer token ids, got non-integer floats (or NaN)")
    elif x.dtype not in _INT_DTYPES:   # bool, complex and the rest
        raise TypeError(f"{fn}: {name} must hold integer token ids, got dtype {x.dtype}")
    ok = x.ndim >= 2 and (tuple(x.shape[1:]) in ((length,), tuple(shape)) if shape is not None
                          else math.prod(x.shape[1:]) == length)
    if not ok:
        want = f"(N, {', '.join(map(str, shape))}) or (N, {length})" if shape is not None else \
            f"(N, {length}) (or (N, *grid) with {length} cells)"
        raise ValueError(f"{fn}: {name} must have shape {want}, got shape {tuple(x.shape)}"
                         + (" (one example? add the batch dim: x[None])" if shape is not None and
                            tuple(x.shape) == tuple(shape) else ""))
    x = x.reshape(len(x), length).long()
    if x.numel() and (int(x.min()) < 0 or int(x.max()) >= vocab):
        raise ValueError(f"{fn}: {name} must have token ids in [0, {vocab - 1}], "
                         f"got min {int(x.min())}, max {int(x.max())}")
    return x


def binary_digits(threshold: int = 8, split=(1000, 350, 447)):
    """Binarised 8x8 digits of notebook 08: ``(train, val, test)`` tensors (N, 1, 8, 8) in {0, 1}, and labels.

    A pixel is 1 when its grey level (0..16) is >= ``threshold``. Returns a dict with keys
    ``x_train, x_val, x_test, y_train, y_val, y_test``.
    """
    from sklearn.datasets import load_digits as sk_load_digits

    threshold = check_int(threshold, "binary_digits: threshold", min_value=1, max_value=16)
    d = sk_load_digits()
    if sum(split) != len(d.images):
        raise ValueError(f"binary_digits: split must add up to {len(d.images)}, got {split} (sum {sum(split)})")
    order = np.random.default_rng(0).permutation(len(d.images))
    x = torch.tensor(d.images[order] >= threshold, dtype=torch.float32)[:, None]
    y = torch.tensor(d.target[order], dtype=torch.int64)
    a, b = split[0], split[0] + split[1]
    return {"x_train": x[:a], "x_val": x[a:b], "x_test": x[b:],
            "y_train": y[:a], "y_val": y[a:b], "y_test": y[b:]}


def uniform(shape, generator, device=None) -> torch.Tensor:
    """U(0, 1) draws on the CPU generator (reproducible), moved to ``device``."""
    return torch.rand(shape, generator=generator).to(device) if device is not None else torch.rand(shape, generator=generator)


def categorical_from_uniform(probs: torch.Tensor, u: torch.Tensor) -> torch.Tensor:
    """Inverse-CDF sampling: probs (N, V), u (N,) → (N,) int64; deterministic given u (so cached and
    uncached samplers that see equal probabilities draw equal tokens)."""
    cdf = probs.cumsum(-1)
    idx = (cdf < u[:, None] * cdf[:, -1:]).sum(-1)
    return idx.clamp_max(probs.shape[-1] - 1)
