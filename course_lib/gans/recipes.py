"""Recipes: the course's settings per GAN objective (notebooks 05 and 06), and the one-call trainer.

A recipe is settings, not a loop: :func:`make_gan` builds a :class:`~course_lib.gans.model.GAN` with them and
:func:`train_gan` hands it to :func:`course_lib.training.fit`, which owns the training process.
"""
from __future__ import annotations

import torch

from course_lib._checks import check_choice, check_int
from course_lib.gans.losses import LOSSES
from course_lib.gans.model import GAN
from course_lib.gans.networks import Discriminator, Generator
from course_lib.training import fit

__all__ = ["DEFAULTS", "STABLE", "make_gan", "train_gan"]


#: The plain settings per loss for 2-D data (05/06): the losses compared side by side, nothing else added.
DEFAULTS = {
    "minimax": dict(lr=1e-3, betas=(0.5, 0.999), n_critic=1),
    "nonsaturating": dict(lr=1e-3, betas=(0.5, 0.999), n_critic=1),
    "lsgan": dict(lr=1e-3, betas=(0.5, 0.999), n_critic=1),
    "wgan": dict(lr=5e-4, betas=(0.5, 0.999), n_critic=5, optimizer="rmsprop", clip=0.1),
    # 2 critic steps and λ = 1 instead of the paper's 5 and 10: cheaper per generator step. On the ring it
    # reaches 8/8 modes at ≥ 90 % high quality, which the paper's setting on the 3×128 reference does not
    # within the same CPU budget (benchmarks/gan_time_to_modes.py).
    "wgan-gp": dict(lr=1e-3, betas=(0.5, 0.9), n_critic=2, gp_weight=1.0),
}

#: ``make_gan(loss, stable=True)``: what 05_gans adds to make the game converge instead of circling its
#: equilibrium: an averaged generator (EMA) and, for the cross-entropy GAN, the R1 penalty; with both, a
#: larger learning rate is safe. Chosen among a few settings by generator steps to 8/8 ring modes at ≥ 90 %
#: high quality (five seeds for the non-saturating GAN; one or two per learning rate for WGAN-GP);
#: benchmarks/gan_time_to_modes.py times both against the plain reference over five seeds (5/5 reach it),
#: tests/test_gan_training.py checks them.
STABLE = {
    "nonsaturating": dict(lr=5e-3, ema=0.98, r1=0.1, r1_every=4),
    "wgan-gp": dict(lr=3e-3, ema=0.98),
}


def make_gan(loss: str = "nonsaturating", *, z_dim: int = 2, dim: int = 2, hidden: int = 64, layers: int = 3,
             act: str = "relu", stable: bool = False, **overrides) -> GAN:
    """A 2-D GAN with the course's settings for ``loss`` (plus :data:`STABLE` if ``stable``).

    The recipe's learning rate travels with the model as ``model.default_lr``, which ``fit`` uses by default.
    """
    check_choice(loss, "loss", set(LOSSES))
    if stable and loss not in STABLE:
        raise ValueError(f"stable=True has settings for {sorted(STABLE)}, not for loss={loss!r}")
    cfg = {**DEFAULTS[loss], **(STABLE[loss] if stable else {}), **overrides}
    lr = cfg.pop("lr")
    model = GAN(Generator(z_dim, dim, hidden, layers, act), Discriminator(dim, hidden, layers, act), loss, **cfg)
    model.default_lr = lr
    return model


def train_gan(model: GAN, data_fn, *, steps: int, batch_size: int = 256, lr: float | None = None, **fit_kw):
    """``fit`` for a :class:`GAN`: ``steps`` generator updates, each after ``n_critic`` critic updates on
    batches of ``batch_size`` (``data_fn(n)`` must return n fresh real samples)."""
    if not isinstance(model, GAN):
        raise TypeError(f"model must be a course_lib.gans.model.GAN, got {type(model).__name__}")
    batch_size = check_int(batch_size, "train_gan: batch_size", min_value=1)
    if not (callable(data_fn) or isinstance(data_fn, torch.Tensor)):
        raise TypeError(f"train_gan: data_fn must be a function n -> n real samples (or a tensor of samples), "
                        f"got {type(data_fn).__name__}")
    fit_kw.setdefault("desc", model.loss_kind)
    return fit(model, data_fn, steps=steps, batch_size=batch_size * model.n_critic, lr=lr, **fit_kw)
