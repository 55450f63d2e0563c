"""Cutting images into non-overlapping p×p patches and back (notebook 08: MAE and visual tokens)."""
from __future__ import annotations

import torch

from .._checks import as_images, check_int

__all__ = ["patchify", "unpatchify"]


def patchify(images, p: int) -> torch.Tensor:
    """(N, C, H, W) → (N, L, C·p·p) with L = (H/p)(W/p), patches in raster order."""
    x = as_images(images, "patchify: images", value_range=None)
    p = check_int(p, "patchify: p", min_value=1)
    N, C, H, W = x.shape
    if H % p or W % p:
        raise ValueError(f"patchify: image size {H}x{W} must be divisible by the patch size p={p}")
    x = x.reshape(N, C, H // p, p, W // p, p).permute(0, 2, 4, 1, 3, 5)   # (N, H/p, W/p, C, p, p)
    return x.reshape(N, (H // p) * (W // p), C * p * p)


def unpatchify(patches: torch.Tensor, p: int, hw: tuple[int, int], channels: int = 1) -> torch.Tensor:
    """Inverse of :func:`patchify`: (N, L, C·p·p) → (N, C, H, W)."""
    H, W = hw
    N, L, D = patches.shape
    if L != (H // p) * (W // p) or D != channels * p * p:
        raise ValueError(f"unpatchify: patches of shape {tuple(patches.shape)} do not tile a {H}x{W} image "
                         f"with p={p} and {channels} channel(s)")
    x = patches.reshape(N, H // p, W // p, channels, p, p).permute(0, 3, 1, 4, 2, 5)
    return x.reshape(N, channels, H, W)
