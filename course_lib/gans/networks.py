"""The 2-D generator G(z; α) and discriminator/critic D(x; β) of notebooks 05 and 06: plain MLPs.

Shapes: G maps noise z (n, z_dim) ~ N(0, I) to samples (n, dim); D maps samples (n, dim) to scores (n, 1).
"""
from __future__ import annotations

import torch
from torch import nn

from course_lib.nn import mlp
from course_lib._checks import as_tensor, check_int


def _as_input(module: nn.Module, t, name: str) -> torch.Tensor:
    """numpy, float64 or integer input becomes a tensor of the network's dtype: the same numbers, no
    "mat1 and mat2 must have the same dtype" from inside torch (a dtype check costs nothing per step)."""
    w = next(module.parameters())
    if not isinstance(t, torch.Tensor) or t.dtype != w.dtype:
        t = as_tensor(t, name, dtype=w.dtype)
    return t

__all__ = ["Generator", "Discriminator"]


class Generator(nn.Module):
    """G(z; α): noise z (n, z_dim) ~ N(0, I) → sample (n, out_dim)."""

    def __init__(self, z_dim: int = 2, out_dim: int = 2, hidden: int = 128, layers: int = 3, act: str = "relu"):
        super().__init__()
        self.z_dim = check_int(z_dim, "z_dim", min_value=1)
        self.net = mlp(z_dim, out_dim, hidden, layers, act=act)

    def forward(self, z: torch.Tensor) -> torch.Tensor:  # (n, z_dim) -> (n, out_dim)
        z = _as_input(self, z, "Generator: z")
        if z.ndim != 2 or z.shape[1] != self.z_dim:
            raise ValueError(f"z must have shape (n, {self.z_dim}), got {tuple(z.shape)}")
        return self.net(z)


class Discriminator(nn.Module):
    """D(x; β) as an unbounded score s(x) (n,): a logit for GAN, a regression output for LSGAN, the critic f for WGAN."""

    def __init__(self, in_dim: int = 2, hidden: int = 128, layers: int = 3, act: str = "relu"):
        super().__init__()
        self.in_dim = check_int(in_dim, "in_dim", min_value=1)
        self.net = mlp(in_dim, 1, hidden, layers, act=act)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (n, in_dim) -> (n,)
        x = _as_input(self, x, "Discriminator: x")
        if x.ndim != 2 or x.shape[1] != self.in_dim:
            raise ValueError(f"x must have shape (n, {self.in_dim}), got {tuple(x.shape)}")
        return self.net(x)[:, 0]
