"""Cutting images into non-overlapping p×p patches and back (notebook 08: MAE and visual tokens).

Both are layout changes that models call on every step: like the other per-step primitives they check
types and shapes (free), not values (NaN in gives NaN out, in the same place).
"""
from __future__ import annotations

import torch

from course_lib._checks import as_operand, check_int

__all__ = ["patchify", "unpatchify"]


def patchify(images, p: int) -> torch.Tensor:
    """(N, C, H, W) → (N, L, C·p·p) with L = (H/p)(W/p), patches in raster order."""
    x = as_operand(images, "patchify: images")
    p = check_int(p, "patchify: p", min_value=1)
    if x.ndim != 4 or x.shape[2] % p or x.shape[3] % p:
        raise ValueError(f"patchify: images must have shape (N, C, H, W) with H and W divisible by the patch "
                         f"size p={p}, got shape {tuple(x.shape)}")
    N, C, H, W = x.shape
    x = x.reshape(N, C, H // p, p, W // p, p).permute(0, 2, 4, 1, 3, 5)   # (N, H/p, W/p, C, p, p)
    return x.reshape(N, (H // p) * (W // p), C * p * p)


def unpatchify(patches, p: int, hw: tuple[int, int], channels: int = 1) -> torch.Tensor:
    """Inverse of :func:`patchify`: (N, L, C·p·p) → (N, C, H, W)."""
    t = as_operand(patches, "unpatchify: patches")
    p = check_int(p, "unpatchify: p", min_value=1)
    channels = check_int(channels, "unpatchify: channels", min_value=1)
    if not (isinstance(hw, (tuple, list)) and len(hw) == 2):
        raise TypeError(f"unpatchify: hw must be (H, W), got {hw!r}")
    H, W = (check_int(v, "unpatchify: hw entry", min_value=1) for v in hw)
    if t.ndim != 3 or H % p or W % p or t.shape[1:] != ((H // p) * (W // p), channels * p * p):
        raise ValueError(f"unpatchify: patches of shape {tuple(t.shape)} do not tile a {H}x{W} image with p={p} "
                         f"and {channels} channel(s): expected (N, {(H // p) * (W // p)}, {channels * p * p})")
    x = t.reshape(len(t), H // p, W // p, channels, p, p).permute(0, 3, 1, 4, 2, 5)
    return x.reshape(len(t), channels, H, W)
