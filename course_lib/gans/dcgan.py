"""A small DCGAN for 28×28 grey images (05_gans).

Radford et al. (2016): strided (transposed) convolutions instead of pooling, batch normalisation in
both nets (not on D's input or G's output), ReLU in G, LeakyReLU(0.2) in D, Adam(2e-4, β1 = 0.5).
Sized for a CPU: G has ~55 k parameters, so its checkpoint is about 0.2 MB. Train with
:class:`course_lib.gans.model.GAN` (non-saturating loss) and ``fit``; ``scripts/train_dcgan.py`` trains the
shipped checkpoint.
"""
from __future__ import annotations

import torch
from torch import nn

from course_lib._checks import check_int

__all__ = ["DCGenerator", "DCDiscriminator", "make_dcgan"]


class DCGenerator(nn.Module):
    """z (n, z_dim) → images (n, 1, 28, 28) in [0, 1] (sigmoid output, the course's pixel convention)."""

    def __init__(self, z_dim: int = 32, width: int = 16):
        super().__init__()
        self.z_dim = check_int(z_dim, "z_dim", min_value=1)
        w = check_int(width, "width", min_value=1)
        self.w = w
        self.fc = nn.Sequential(nn.Linear(z_dim, 2 * w * 7 * 7), nn.BatchNorm1d(2 * w * 7 * 7), nn.ReLU())
        self.deconv = nn.Sequential(
            nn.ConvTranspose2d(2 * w, w, 4, stride=2, padding=1),  # (2w, 7, 7) -> (w, 14, 14)
            nn.BatchNorm2d(w), nn.ReLU(),
            nn.ConvTranspose2d(w, 1, 4, stride=2, padding=1),  # (w, 14, 14) -> (1, 28, 28)
            nn.Sigmoid(),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        if z.ndim != 2 or z.shape[1] != self.z_dim:
            raise ValueError(f"z must have shape (n, {self.z_dim}), got {tuple(z.shape)}")
        return self.deconv(self.fc(z).view(-1, 2 * self.w, 7, 7))


class DCDiscriminator(nn.Module):
    """images (n, 1, 28, 28) → logits (n,)."""

    def __init__(self, width: int = 16):
        super().__init__()
        w = check_int(width, "width", min_value=1)
        self.net = nn.Sequential(
            nn.Conv2d(1, w, 4, stride=2, padding=1), nn.LeakyReLU(0.2),  # (w, 14, 14)
            nn.Conv2d(w, 2 * w, 4, stride=2, padding=1), nn.BatchNorm2d(2 * w), nn.LeakyReLU(0.2),  # (2w, 7, 7)
            nn.Flatten(), nn.Linear(2 * w * 7 * 7, 1),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 4 or tuple(x.shape[1:]) != (1, 28, 28):
            raise ValueError(f"x must have shape (n, 1, 28, 28), got {tuple(x.shape)}")
        return self.net(x)[:, 0]


def make_dcgan(z_dim: int = 32, width: int = 16):
    """The course's DCGAN: a :class:`course_lib.gans.model.GAN` with the non-saturating loss and Adam β = (0.5, 0.999).

    Its learning rate, 2e-4, travels with it as ``model.default_lr`` (``fit`` uses it by default).
    """
    from course_lib.gans.model import GAN  # the model module imports nothing from here; the cycle is in the package

    model = GAN(DCGenerator(z_dim, width), DCDiscriminator(width), "nonsaturating", betas=(0.5, 0.999))
    model.default_lr = 2e-4
    return model
