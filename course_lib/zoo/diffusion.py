"""Ready diffusion models from the checkpoints that ``scripts/train_diffusion.py`` ships (notebooks 07 and 09).

Each function builds the architecture the script trained, loads the hash-checked weights
(``weights_only=True``) and returns the model in eval mode, or raises
:class:`~course_lib.checkpoints.CheckpointError` when the file is missing or damaged (the message says how to
rebuild it). Every returned object has ``sample(n, generator=...) -> (n, 1, H, W)`` in [0, 1], by DDIM
with ``steps`` network evaluations (deterministic given the generator).

The ``build_*`` functions are the single place where the architectures are defined: the script trains them
and notebook 07 falls back to training them live (``zoo.load_or_train``) when a file is missing.
"""
from __future__ import annotations

import torch

from course_lib.checkpoints import load_into
from course_lib.diffusion import DDPM, EpsMLP, LatentDiffusion, NoiseSchedule, make_ddpm, make_unet_ddpm
from course_lib.vae import VAE

__all__ = ["UNET_CHANNELS", "build_mnist_unet", "build_latent_ddpm", "build_digits_ddpm",
           "mnist_unet", "latent_ddpm_mnist", "digits_ddpm", "vae_mnist_20d"]

UNET_CHANNELS = (16, 32, 64)   # 28 → 14 → 7; 0.4 M parameters


def _ddim(model: DDPM, steps: int) -> DDPM:
    model.default_method, model.default_steps = "ddim", steps   # sample(n, generator) → DDIM with `steps`
    return model.eval()


def build_mnist_unet() -> DDPM:
    """The MNIST U-Net DDPM (``diffusion_unet_mnist``), untrained: (n, 1, 28, 28) in [0, 1]."""
    return make_unet_ddpm(UNET_CHANNELS)


def build_latent_ddpm() -> DDPM:
    """The DDPM on the 20-D latents of ``vae_mnist_20d`` (``diffusion_latent_mnist``), untrained."""
    return DDPM(EpsMLP(20, hidden=256, blocks=3, T=1000), NoiseSchedule.linear(1000), (20,))


def build_digits_ddpm() -> DDPM:
    """The unconditional 8x8 digits DDPM (``diffusion_digits``), untrained: ``make_ddpm("digits")``, the
    architecture of notebook 07's live model without its class embedding (the benchmark's digits model)."""
    return make_ddpm("digits")


def mnist_unet(*, steps: int = 50) -> DDPM:
    """The shipped MNIST U-Net DDPM; ``sample(n, generator)`` → (n, 1, 28, 28) in [0, 1] by DDIM-``steps``."""
    model = build_mnist_unet()
    load_into(model, "diffusion_unet_mnist")
    return _ddim(model, steps)


def digits_ddpm(*, steps: int = 50) -> DDPM:
    """The shipped 8x8 digits DDPM; ``sample(n, generator)`` → unconditional (n, 1, 8, 8) in [0, 1]."""
    model = build_digits_ddpm()
    load_into(model, "diffusion_digits")
    return _ddim(model, steps)


def vae_mnist_20d():
    """Notebook 04's shipped 20-D VAE (``vae_mnist_20d``), in eval mode."""
    vae = VAE(latent_dim=20, hidden=400)
    load_into(vae, "vae_mnist_20d")
    return vae.eval()


def latent_ddpm_mnist(*, steps: int = 50) -> LatentDiffusion:
    """The shipped latent DDPM decoded by the shipped VAE; ``sample(n, generator)`` → (n, 1, 28, 28) in [0, 1]."""
    ddpm = build_latent_ddpm()
    load_into(ddpm, "diffusion_latent_mnist")
    return LatentDiffusion(ddpm.eval(), vae_mnist_20d(), steps=steps).eval()


@torch.no_grad()
def sample_batched(model, n: int, generator: torch.Generator | None = None, batch: int = 250) -> torch.Tensor:
    """``model.sample`` in batches of ``batch`` (bounded memory for a U-Net), concatenated: (n, ...)."""
    return torch.cat([model.sample(min(batch, n - i), generator=generator) for i in range(0, n, batch)])
