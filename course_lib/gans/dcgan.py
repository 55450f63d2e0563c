"""A small DCGAN for 28×28 grey images (05_gans).

Radford et al. (2016): strided (transposed) convolutions instead of pooling, batch normalisation in
both nets (not on D's input or G's output), ReLU in G, LeakyReLU(0.2) in D, Adam(2e-4, β1 = 0.5).
Sized for a CPU: G has ~55 k parameters, so its checkpoint is about 0.2 MB. Train with
:class:`course_lib.gans.model.GAN` (non-saturating loss) and ``fit``; ``scripts/train_dcgan.py`` trains the
shipped checkpoint. :func:`make_wgangp` pairs the same generator with a critic without batch norm, trained
with the gradient penalty of 06 (``scripts/train_dcgan.py --recipe wgangp``).
"""
from __future__ import annotations

import torch
from torch import nn

from course_lib._checks import check_choice, check_int

__all__ = ["DCGenerator", "DCDiscriminator", "make_dcgan", "make_wgangp"]


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
        if self.training and len(z) < 2:  # batch norm needs two samples to estimate a variance
            raise ValueError(f"DCGenerator: z holds {len(z)} noise vector(s) in train mode: batch norm needs at "
                             "least 2 (call .eval() to generate one image)")
        return self.deconv(self.fc(z).view(-1, 2 * self.w, 7, 7))


class DCDiscriminator(nn.Module):
    """images (n, 1, 28, 28) → logits (n,).

    ``norm="batch"`` (DCGAN) or ``"layer"``: a WGAN-GP critic must not use batch norm, because the
    penalty constrains the gradient of each sample's score with respect to that sample alone, and batch
    norm makes every score depend on the whole batch; Gulrajani et al. (2017) use layer norm instead,
    here ``GroupNorm(1, C)`` (normalises each sample over channels and positions, per-channel affine).
    """

    def __init__(self, width: int = 16, norm: str = "batch"):
        super().__init__()
        w = check_int(width, "width", min_value=1)
        self.norm = check_choice(norm, "norm", {"batch", "layer"})
        self.sample_shape = (1, 28, 28)  # what it reads (GAN.check_inputs compares the data with it)
        self.net = nn.Sequential(
            nn.Conv2d(1, w, 4, stride=2, padding=1), nn.LeakyReLU(0.2),  # (w, 14, 14)
            nn.Conv2d(w, 2 * w, 4, stride=2, padding=1),  # (2w, 7, 7)
            nn.BatchNorm2d(2 * w) if norm == "batch" else nn.GroupNorm(1, 2 * w), nn.LeakyReLU(0.2),
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


def make_wgangp(z_dim: int = 32, width: int = 16, *, n_critic: int = 5, gp_weight: float = 10.0):
    """The DCGAN generator trained as a WGAN-GP (06): the settings of Gulrajani et al. (2017, Algorithm 1).

    A layer-norm critic (:class:`DCDiscriminator` with ``norm="layer"``), ``n_critic`` = 5 critic steps per
    generator step, λ = 10, Adam with β = (0, 0.9) and learning rate 1e-4 (``model.default_lr``).
    Pass ``fit`` batches of ``n_critic`` × m images (each critic step takes one chunk of m).
    """
    from course_lib.gans.model import GAN

    model = GAN(DCGenerator(z_dim, width), DCDiscriminator(width, norm="layer"), "wgan-gp", n_critic=n_critic,
                gp_weight=gp_weight, betas=(0.0, 0.9))
    model.default_lr = 1e-4
    return model
