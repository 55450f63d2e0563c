"""The registry of shipped models: checkpoint name → how to build the model, its recipe, its script.

Every notebook, script and the leaderboard loads a shipped model through these three functions:

* :func:`build` (name) → a fresh, untrained model of the checkpoint's architecture;
* :func:`load` (name) → that model with the hash-checked shipped weights, in eval mode, or
  :class:`course_lib.checkpoints.CheckpointError` (nothing is trained);
* :func:`load_or_train` (name, train=None, **recipe_kwargs) → the shipped weights when they load, else a live
  run of ``train`` (a notebook's shorter fallback) or of the registered recipe.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from torch import nn

from course_lib import checkpoints
from course_lib._checks import check_choice
from course_lib.gans import make_dcgan, make_wgangp
from course_lib.vae import VAE
from course_lib.zoo import autoregressive, diffusion

__all__ = ["Shipped", "SHIPPED", "build", "load", "load_or_train"]


@dataclass(frozen=True)
class Shipped:
    """One shipped checkpoint: ``build()`` → fresh model, the ``script`` that writes it, and optionally the
    library's ``recipe(model, **kwargs)`` that trains it and ``part(model)``, the sub-module the file holds."""
    build: Callable[[], nn.Module]
    script: str
    recipe: Callable[..., object] | None = None
    part: Callable[[nn.Module], nn.Module] | None = None


def _generator(gan: nn.Module) -> nn.Module:   # the GAN checkpoints hold the generator only
    return gan.G


#: every shipped model (the feature classifiers of ``evaluation.features`` and the recorded GAN runs of
#: ``gans.recordings`` are metric and recording files, loaded by their own modules)
SHIPPED: dict[str, Shipped] = {
    "vae_mnist_20d": Shipped(partial(VAE, latent_dim=20, hidden=400), "scripts/train_vae.py"),
    "vae_mnist_2d": Shipped(partial(VAE, latent_dim=2, hidden=256), "scripts/train_vae.py"),
    "dcgan_mnist": Shipped(make_dcgan, "scripts/train_dcgan.py", part=_generator),
    "wgangp_mnist": Shipped(make_wgangp, "scripts/train_dcgan.py", part=_generator),
    "diffusion_unet_mnist": Shipped(diffusion.build_mnist_unet, "scripts/train_diffusion.py"),
    "diffusion_latent_mnist": Shipped(diffusion.build_latent_ddpm, "scripts/train_diffusion.py"),
    "diffusion_digits": Shipped(diffusion.build_digits_ddpm, "scripts/train_diffusion.py"),
    **{name: Shipped(partial(autoregressive.build, name), "scripts/train_autoregressive.py",
                     partial(autoregressive.train_shipped, name)) for name in autoregressive.SPECS},
}


def _entry(name: str, fn: str) -> Shipped:
    return SHIPPED[check_choice(name, f"{fn}: name", set(SHIPPED))]


def build(name: str) -> nn.Module:
    """A fresh, untrained model of shipped checkpoint ``name``."""
    return _entry(name, "zoo.build").build()


def load(name: str, directory=checkpoints.CHECKPOINT_DIR) -> nn.Module:
    """The shipped model ``name`` with its hash-checked weights, in eval mode (CheckpointError when the file is
    missing, altered or of another architecture)."""
    entry = _entry(name, "zoo.load")
    model = entry.build()
    checkpoints.load_into(entry.part(model) if entry.part else model, name, directory)
    return model.eval()


def load_or_train(name: str, train: Callable[[nn.Module], object] | None = None, *,
                  directory=checkpoints.CHECKPOINT_DIR, verbose: bool = True, **recipe_kwargs):
    """(model, manifest or None): the shipped weights of ``name``, else a live run, saying why.

    ``train(model)`` is the live fallback (a notebook's shorter run); None runs the registered recipe with
    ``recipe_kwargs`` (a model without one raises ValueError only when its file does not load) (e.g. ``steps=300``, ``codebook=...``, ``progress=False`` for notebook 08's models).
    """
    entry = _entry(name, "zoo.load_or_train")
    if train is None and entry.recipe is None:
        def train(model):   # only needed when the shipped file does not load
            raise ValueError(f"zoo.load_or_train: {name!r} did not load and has no recipe in the library; pass "
                             f"train=, a function that trains a fresh model live (its script is {entry.script})")
    elif train is None:
        train = partial(entry.recipe, **recipe_kwargs)
    elif recipe_kwargs:
        raise TypeError(f"zoo.load_or_train: recipe arguments {sorted(recipe_kwargs)} go to the registered "
                        f"recipe, not to train=")
    return checkpoints.load_or_train(name, entry.build, train, part=entry.part, directory=directory,
                                     verbose=verbose)
