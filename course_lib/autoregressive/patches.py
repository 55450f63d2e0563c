"""Cutting images into non-overlapping p×p patches and back (notebook 08: MAE and visual tokens)."""
from __future__ import annotations

import torch

from course_lib._checks import as_images, as_tensor, check_int

__all__ = ["patchify", "unpatchify"]


def patchify(images, p: int) -> torch.Tensor:
    """(N, C, H, W) → (N, L, C·p·p) with L = (H/p)(W/p), patches in raster order."""
    x = as_images(images, "patchify: images", value_range=None)
    p = check_int(p, "patchify: p", min_value=1)
    N, C, H, W = x.shape
    if H % p or W % p:
        raise ValueError(f"patchify: images of size {H}x{W} must be divisible by the patch size p={p}")
    x = x.reshape(N, C, H // p, p, W // p, p).permute(0, 2, 4, 1, 3, 5)   # (N, H/p, W/p, C, p, p)
    return x.reshape(N, (H // p) * (W // p), C * p * p)


def unpatchify(patches: torch.Tensor, p: int, hw: tuple[int, int], channels: int = 1) -> torch.Tensor:
    """Inverse of :func:`patchify`: (N, L, C·p·p) → (N, C, H, W). Any real values (a layout change only)."""
    t = as_tensor(patches, "unpatchify: patches", dtype=None)
    if not t.is_floating_point():
        t = t.float()
    p = check_int(p, "unpatchify: p", min_value=1)
    channels = check_int(channels, "unpatchify: channels", min_value=1)
    if not (isinstance(hw, (tuple, list)) and len(hw) == 2):
        raise TypeError(f"unpatchify: hw must be (H, W), got {hw!r}")
    H, W = (check_int(v, "unpatchify: hw entry", min_value=1) for v in hw)
    if t.ndim != 3:
        raise ValueError(f"unpatchify: patches must have shape (N, L, C·p·p), got shape {tuple(t.shape)}"
                         + (" (one example? add the batch dim: patches[None])" if t.ndim == 2 else ""))
    if t.numel() and not torch.isfinite(t).all():
        raise ValueError("unpatchify: patches contains NaN or inf values")
    patches = t
    N, L, D = patches.shape
    if H % p or W % p or L != (H // p) * (W // p) or D != channels * p * p:
        raise ValueError(f"unpatchify: patches of shape {tuple(patches.shape)} do not tile a {H}x{W} image "
                         f"with p={p} and {channels} channel(s)")
    x = patches.reshape(N, H // p, W // p, channels, p, p).permute(0, 3, 1, 4, 2, 5)
    return x.reshape(N, channels, H, W)
