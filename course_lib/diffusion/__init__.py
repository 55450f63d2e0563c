"""Diffusion models (taught in notebook 07_diffusion_models).

File → concept → where in notebook 07:

* ``schedules.py`` → the forward (noising) process, kept apart from any network: :class:`NoiseSchedule`
  (linear, linear rescaled to T, cosine; β_t, α_t, ᾱ_t, SNR; q(x_t | x_0) in one step and the iterated chain) and
  the notes' variance-exploding chain x_t = x_{t−1} + ε_t (:class:`VarianceExploding`) → "Data" and
  "Objective: the forward chain", "Schedules".
* ``oracle.py`` → the closed-form optimal ε-predictor for Gaussian data (:class:`GaussianOracle`): tests a
  sampler without training anything → "Checks: a sampler against an oracle".
* ``samplers.py`` → the reverse process: ancestral DDPM (:func:`ddpm_sample`) and deterministic DDIM with a
  subset of the steps (:func:`ddim_sample`) → "Sampling".
* ``ddpm.py`` → the model: an ε-network (:class:`EpsMLP`, sinusoidal time embedding, optional class
  embedding) + a schedule, trained by the simplified ε-MSE (:class:`DDPM`, :func:`make_ddpm`), with
  classifier-free guidance → "Model", "Training", "Digits", "Guidance".
* ``unet.py`` → :class:`UNet`, a small time-conditioned U-Net ε-network for 28x28 images, and
  :func:`make_unet_ddpm` → "MNIST: a small U-Net".
* ``latent.py`` → :class:`LatentDiffusion`: a DDPM on a VAE's latents, decoded by the VAE → "Latent diffusion".
* ``toy.py`` → :func:`moons`, the 2-D data in tiny-diffusion's scaling → "Data".
* ``recipes.py`` → :func:`train_ddpm`: AdamW, one-cycle learning rate and an EMA copy to sample from → "Training".
"""
from __future__ import annotations

from course_lib.diffusion.ddpm import DDPM, EpsMLP, SinusoidalEmbedding, make_ddpm
from course_lib.diffusion.latent import LatentDiffusion
from course_lib.diffusion.oracle import GaussianOracle
from course_lib.diffusion.samplers import Trajectory, ddim_sample, ddim_timesteps, ddpm_sample, predict_x0
from course_lib.diffusion.schedules import KINDS, NoiseSchedule, VarianceExploding
from course_lib.diffusion.toy import moons
from course_lib.diffusion.recipes import train_ddpm
from course_lib.diffusion.unet import UNet, make_unet_ddpm

__all__ = [
    "NoiseSchedule", "VarianceExploding", "KINDS",
    "GaussianOracle",
    "Trajectory", "ddpm_sample", "ddim_sample", "ddim_timesteps", "predict_x0",
    "SinusoidalEmbedding", "EpsMLP", "DDPM", "make_ddpm", "train_ddpm", "moons",
    "UNet", "make_unet_ddpm", "LatentDiffusion",
]
