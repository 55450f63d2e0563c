"""Latent diffusion: a DDPM on a VAE's latent codes, decoded by the VAE's decoder (notebook 07, "Latent diffusion").

Rombach et al. (2022) compress images with an autoencoder and run the diffusion model on the codes: every
network evaluation of the sampler then works on 20 numbers instead of 784, and the decoder runs once per
sample at the end. Here the autoencoder is notebook 04's VAE (``vae_mnist_20d``); the diffusion model learns
the distribution of its encoder means μ_α(x) (the aggregate posterior), which the VAE itself replaces by
its N(0, I) prior when it samples.
"""
from __future__ import annotations

import torch
from torch import nn

from course_lib._checks import check_int
from course_lib.diffusion.ddpm import DDPM

__all__ = ["LatentDiffusion"]


class LatentDiffusion(nn.Module):
    """``ddpm`` over latents (n, L) + ``vae`` (encode/decode): ``sample(n)`` → decoded images (n, C, H, W) in [0, 1].

    Args:
        ddpm: a :class:`DDPM` with ``data_shape == (vae.latent_dim,)``.
        vae: a course VAE (``encode(x) -> (μ, log σ²)``, ``decode(z) -> mean image``).
        steps: DDIM steps used by :meth:`sample` (deterministic given the starting noise).
    """

    def __init__(self, ddpm: DDPM, vae: nn.Module, *, steps: int = 50):
        super().__init__()
        if not isinstance(ddpm, DDPM):
            raise TypeError(f"LatentDiffusion: ddpm must be a DDPM, got {type(ddpm).__name__}")
        if ddpm.data_shape != (vae.latent_dim,):
            raise ValueError(f"LatentDiffusion: the DDPM's data_shape {ddpm.data_shape} must be "
                             f"({vae.latent_dim},), the VAE's latent size")
        self.ddpm, self.vae = ddpm, vae
        self.steps = check_int(steps, "LatentDiffusion: steps", min_value=1)

    def loss(self, x: torch.Tensor) -> torch.Tensor:
        """The DDPM's loss on the encoder means of images x (n, C, H, W); the VAE stays fixed."""
        with torch.no_grad():
            z = self.vae.encode(x)[0]                                  # (n, L)
        return self.ddpm.loss(z)

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None, *, steps: int | None = None) -> torch.Tensor:
        """n images (n, C, H, W) in [0, 1]: latents by DDIM (``steps``), then the VAE's mean image."""
        z = self.ddpm.sample(n, generator=generator, method="ddim", steps=self.steps if steps is None else check_int(
            steps, "LatentDiffusion.sample: steps", min_value=1))   # (n, L)
        return self.vae.decode(z).clamp(0, 1)
