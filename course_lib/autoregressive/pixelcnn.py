"""A PixelCNN-style masked-convolution model for small binary images (van den Oord et al. 2016), notebook 08.

Each convolution kernel is multiplied by a mask that zeroes the weights on pixels *after* the
centre in raster order (rows below, and the right part of the centre row). The first layer's mask
("A") also zeroes the centre itself, so output (i, j) never sees x_ij; later layers ("B") keep the
centre, which now holds features of pixels strictly before (i, j). Stacking them keeps the
autoregressive property, so log p(x) = Σ_ij log p(x_ij | pixels before) is exact and one pass gives
all H·W conditionals; sampling takes H·W passes. (Plain stacks have a "blind spot" to the upper
right; the gated PixelCNN fixes it with two stacks — here the receptive field is what it is.)
"""
from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

from course_lib._checks import check_int
from course_lib.autoregressive._common import as_binary, bernoulli_log_prob, check_shape, mean_nll

__all__ = ["MaskedConv2d", "PixelCNN", "conv_mask"]


def conv_mask(k: int, kind: str) -> torch.Tensor:
    """(k, k) 0/1 mask: 1 above the centre row and left of the centre; the centre itself only for "B"."""
    if kind not in ("A", "B"):
        raise ValueError(f"conv_mask: kind must be 'A' or 'B', got {kind!r}")
    k = check_int(k, "conv_mask: k", min_value=1)
    m = torch.zeros(k, k)
    c = k // 2
    m[:c] = 1
    m[c, :c + (kind == "B")] = 1
    return m


class MaskedConv2d(nn.Conv2d):
    """``nn.Conv2d`` (same padding, odd kernel) whose kernel is multiplied by :func:`conv_mask`."""

    def __init__(self, c_in: int, c_out: int, k: int, kind: str):
        c_in = check_int(c_in, "MaskedConv2d: c_in", min_value=1)
        c_out = check_int(c_out, "MaskedConv2d: c_out", min_value=1)
        k = check_int(k, "MaskedConv2d: k", min_value=1)
        if k % 2 == 0:
            raise ValueError(f"MaskedConv2d: kernel size must be odd, got {k}")
        super().__init__(c_in, c_out, k, padding=k // 2)
        self.register_buffer("mask", conv_mask(k, kind)[None, None])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.conv2d(x, self.weight * self.mask, self.bias, padding=self.padding)


class PixelCNN(nn.Module):
    """Masked-convolution model of binary images (N, 1, H, W).

    Layers: a 'A' conv (k×k), ``layers`` 'B' convs (3×3) with ReLU and residual connections, then
    1×1 convs to one logit per pixel. ``log_prob`` (N,) exact; ``sample(n, generator)`` H·W passes.
    """

    def __init__(self, shape=(1, 8, 8), channels: int = 64, layers: int = 4, first_kernel: int = 5):
        super().__init__()
        self.shape = check_shape(shape)
        if len(self.shape) != 3 or self.shape[0] != 1:
            raise ValueError(f"PixelCNN: shape must be (1, H, W), got {self.shape}")
        self.D = math.prod(self.shape)
        c = check_int(channels, "PixelCNN: channels", min_value=1)
        self.first = MaskedConv2d(1, c, check_int(first_kernel, "PixelCNN: first_kernel", min_value=1), "A")
        self.convs = nn.ModuleList(MaskedConv2d(c, c, 3, "B") for _ in range(check_int(layers, "layers", min_value=0)))
        self.out = nn.Sequential(nn.ReLU(), MaskedConv2d(c, c, 1, "B"), nn.ReLU(), MaskedConv2d(c, 1, 1, "B"))

    def _logits_img(self, img: torch.Tensor) -> torch.Tensor:  # (N, 1, H, W) → (N, D)
        h = self.first(img)
        for conv in self.convs:
            h = h + conv(torch.relu(h))          # residual: keeps the raster-order mask intact
        return self.out(h).flatten(1)

    def logits(self, x) -> torch.Tensor:
        """Conditional logits in raster order: (N, 1, H, W) → (N, D)."""
        flat = as_binary(x, self.shape, "PixelCNN.logits").to(self.first.weight)
        return self._logits_img(flat.view(-1, *self.shape))

    def log_prob(self, x) -> torch.Tensor:
        """Exact log p(x) = Σ_ij log Bernoulli(x_ij; σ(a_ij)) in nats → (N,)."""
        flat = as_binary(x, self.shape, "PixelCNN.log_prob").to(self.first.weight)
        return bernoulli_log_prob(flat, self._logits_img(flat.view(-1, *self.shape)))

    def loss(self, x) -> torch.Tensor:
        return mean_nll(self.log_prob(x), "PixelCNN.loss")

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Raster-order ancestral sampling, one full pass per pixel → (n, 1, H, W) in {0, 1}."""
        n = check_int(n, "PixelCNN.sample: n", min_value=1)
        dev = self.first.weight.device
        u = torch.rand(n, self.D, generator=generator).to(dev)
        x = torch.zeros(n, *self.shape, device=dev)
        flat = x.view(n, -1)
        for d in range(self.D):
            p = torch.sigmoid(self._logits_img(x)[:, d])
            flat[:, d] = (u[:, d] < p).float()
        return x
