"""Generative adversarial networks (notebooks 05 and 06).

| module | concept | notebook |
|---|---|---|
| ``losses`` | every GAN objective: minimax, non-saturating, LSGAN, WGAN (clip), WGAN-GP, R1 | 05, 06 |
| ``networks`` | the 2-D generator and discriminator/critic (MLPs) | 05, 06 |
| ``model`` | the GAN: alternating D/G updates, EMA generator, R1, clipping | 05, 06 |
| ``recipes`` | settings per loss (DEFAULTS, STABLE), ``make_gan``, ``train_gan`` | 05, 06 |
| ``recordings`` | recorded runs (several seeds) replayed by the mode-collapse widget, coverage table | 05, 06 |
| ``live_training`` | the live trainer's engine: a GAN stepped a chunk at a time (``GAN.train_step``), its coverage | 05, 06 |
| ``flat_optim`` | RMSprop and Adam over one flat vector: the live trainer's many tiny updates, fast | 05, 06 |
| ``dcgan`` | a small DCGAN for 28×28 digits, and its WGAN-GP version | 05, 06 |
"""
from __future__ import annotations

from course_lib.gans.dcgan import DCGenerator, DCDiscriminator, make_dcgan, make_wgangp
from course_lib.gans.losses import LOSSES, LOSS_LABELS, discriminator_loss, generator_loss, gradient_penalty, r1_penalty, clip_weights, value_function
from course_lib.gans.model import GAN
from course_lib.gans.networks import Generator, Discriminator
from course_lib.gans.recipes import DEFAULTS, STABLE, make_gan, train_gan
from course_lib.gans.recordings import Recording, record_run, toy_mixture, recordings_state, load_recordings, load_or_record_runs, coverage_table, RECORDING_SETTINGS

__all__ = [
    "DCGenerator",
    "DCDiscriminator",
    "make_dcgan",
    "make_wgangp",
    "LOSSES",
    "LOSS_LABELS",
    "discriminator_loss",
    "generator_loss",
    "gradient_penalty",
    "r1_penalty",
    "clip_weights",
    "value_function",
    "GAN",
    "Generator",
    "Discriminator",
    "DEFAULTS",
    "STABLE",
    "make_gan",
    "train_gan",
    "Recording",
    "record_run",
    "toy_mixture",
    "recordings_state",
    "load_recordings",
    "load_or_record_runs",
    "coverage_table",
    "RECORDING_SETTINGS",
]
