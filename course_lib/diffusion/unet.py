"""A small time-conditioned U-Net ε-network for 28x28 images (notebook 07, "MNIST: a small U-Net").

The residual MLP of :mod:`.ddpm` treats the 784 pixels of an MNIST digit as an unordered vector; a U-Net
(Ronneberger et al., 2015, as used by DDPM) knows that neighbouring pixels belong together. It encodes the
noisy image at falling resolutions (28 → 14 → 7), decodes it back up, and hands each decoder level the encoder
features of the same resolution (the skip connections), so fine detail need not pass through the bottleneck.
Each residual block adds the time embedding to its feature maps, so one network denoises at every noise level.

Shapes for the default ``channels=(16, 32, 64)`` (the shipped ``diffusion_unet_mnist``)::

    x (n, 784) → (n, 1, 28, 28) → conv → (n, 16, 28, 28)
    down:  Res(16→16) @28 ─skip─┐  ↓2  Res(16→32) @14 ─skip─┐  ↓2  Res(32→64) @7 ─skip─┐
    mid:   Res(64→64) @7                                                             │
    up:    Res(64+64→64) @7 ◄────────────────────────────────────────────────────────┘  ↑2
           Res(64+32→32) @14 ◄────────────────────┘  ↑2  Res(32+16→16) @28 ◄┘
    out:   GroupNorm, SiLU, conv → (n, 1, 28, 28) → ε̂ (n, 784)

About 0.4 M parameters (1.6 MB in float32); most of the compute is at full resolution, so the channels there
are kept few. It takes and returns flat vectors, like :class:`.ddpm.EpsMLP`,
so :class:`.ddpm.DDPM` and the samplers use it unchanged.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from course_lib._checks import check_int
from course_lib.diffusion.ddpm import DDPM, SinusoidalEmbedding
from course_lib.diffusion.schedules import NoiseSchedule

__all__ = ["UNet", "make_unet_ddpm"]


def _norm(c: int) -> nn.GroupNorm:
    # up to 8 groups (as many as divide c): batch-size independent, where BatchNorm would couple the samples
    return nn.GroupNorm(math.gcd(8, c), c)


class _ResBlock(nn.Module):
    """(n, c_in, h, w), time vector (n, e) → (n, c_out, h, w): two 3x3 convs, the time added in between."""

    def __init__(self, c_in: int, c_out: int, emb_dim: int):
        super().__init__()
        self.n1, self.c1 = _norm(c_in), nn.Conv2d(c_in, c_out, 3, padding=1)
        self.t = nn.Linear(emb_dim, c_out)
        self.n2, self.c2 = _norm(c_out), nn.Conv2d(c_out, c_out, 3, padding=1)
        self.skip = nn.Identity() if c_in == c_out else nn.Conv2d(c_in, c_out, 1)
        self.act = nn.SiLU()

    def forward(self, h, e):
        out = self.c1(self.act(self.n1(h)))                        # (n, c_out, h, w)
        out = out + self.t(e)[:, :, None, None]                    # the noise level shifts every channel
        out = self.c2(self.act(self.n2(out)))
        return self.skip(h) + out


class UNet(nn.Module):
    """ε_θ(x_t, t) for images (n, c·s·s) given flat, with ``image_shape = (c, s, s)``.

    Args:
        image_shape: (channels, height, width); height and width divisible by 2^(len(channels) − 1).
        channels: feature maps per resolution (the first at full resolution, then halved each level).
        emb_dim: size of the sinusoidal time embedding (then an MLP to 2·emb_dim).
        T: the number of diffusion steps (the embedding sees t/T·1000, whatever T is).
    """

    def __init__(self, image_shape=(1, 28, 28), channels=(16, 32, 64), *, emb_dim: int = 64, T: int = 1000):
        super().__init__()
        if len(image_shape) != 3:
            raise ValueError(f"UNet: image_shape must be (channels, height, width), got {tuple(image_shape)}")
        self.image_shape = tuple(check_int(s, "UNet: image_shape entries", min_value=1) for s in image_shape)
        channels = tuple(check_int(c, "UNet: channels entries", min_value=1) for c in channels)
        if not channels:
            raise ValueError("UNet: channels must name at least one resolution")
        f = 2 ** (len(channels) - 1)
        if self.image_shape[1] % f or self.image_shape[2] % f:
            raise ValueError(f"UNet: height and width must be divisible by {f} for {len(channels)} resolutions, "
                             f"got {self.image_shape[1:]}")
        self.channels, self.T, self.n_classes = channels, check_int(T, "UNet: T", min_value=1), None
        self.dim = math.prod(self.image_shape)
        emb_dim = check_int(emb_dim, "UNet: emb_dim", min_value=2)  # sin and cos halves: at least one of each
        e = 2 * emb_dim
        self.t_emb = nn.Sequential(SinusoidalEmbedding(emb_dim), nn.Linear(emb_dim, e), nn.SiLU(), nn.Linear(e, e))
        c_img = self.image_shape[0]
        self.inp = nn.Conv2d(c_img, channels[0], 3, padding=1)
        self.down = nn.ModuleList()
        self.pool = nn.ModuleList()
        prev = channels[0]
        for i, c in enumerate(channels):
            self.down.append(_ResBlock(prev, c, e))
            # strided conv halves the resolution (a learned pooling); none after the last level
            self.pool.append(nn.Conv2d(c, c, 3, stride=2, padding=1) if i < len(channels) - 1 else nn.Identity())
            prev = c
        self.mid = _ResBlock(prev, prev, e)
        self.up = nn.ModuleList()
        for c in reversed(channels):
            self.up.append(_ResBlock(prev + c, c, e))                # + c: the skip from the same resolution
            prev = c
        self.out = nn.Sequential(_norm(prev), nn.SiLU(), nn.Conv2d(prev, c_img, 3, padding=1))
        nn.init.zeros_(self.out[-1].weight)                          # start as ε̂ = 0: a calm first step
        nn.init.zeros_(self.out[-1].bias)

    def forward(self, x: torch.Tensor, t: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        """x (n, c·h·w) flat (or (n, c, h, w)), t (n,) long in 1..T → ε̂ shaped like x."""
        if y is not None:
            raise ValueError("UNet: this network is unconditional (y must be None)")
        shape = x.shape
        h = self.inp(x.reshape(len(x), *self.image_shape))          # (n, C0, H, W)
        e = self.t_emb(t.float() * (1000.0 / self.T))                 # (n, 2·emb_dim)
        skips = []
        for block, pool in zip(self.down, self.pool):
            h = block(h, e)                                           # (n, C_i, H/2^i, W/2^i)
            skips.append(h)
            h = pool(h)                                               # halved, except after the last level
        h = self.mid(h, e)
        for i, block in enumerate(self.up):
            h = block(torch.cat([h, skips.pop()], dim=1), e)          # (n, C_i, ·, ·), deepest level first
            if i < len(self.up) - 1:
                h = nn.functional.interpolate(h, scale_factor=2, mode="nearest")
        return self.out(h).reshape(shape)


def make_unet_ddpm(channels=(16, 32, 64), *, T: int = 1000, emb_dim: int = 64) -> DDPM:
    """The MNIST DDPM of notebook 07 and ``scripts/train_diffusion.py``: a :class:`UNet` on (n, 1, 28, 28)
    images in [0, 1] scaled to [−1, 1], cosine schedule, x̂_0 clipped to the pixel range while sampling
    (the settings of :func:`.ddpm.make_ddpm`'s digits model)."""
    net = UNet((1, 28, 28), channels, emb_dim=emb_dim, T=T)
    return DDPM(net, NoiseSchedule.make("cosine", T), (1, 28, 28), shift=0.5, scale=0.5, clip=1.0)
