"""Train a 2-D GAN a few steps at a time and measure it: the engine of the live trainer (05_gans, 06).

GAN Lab (Kahng et al., 2019) made the game visible: the discriminator's decision surface as a heatmap, the
pull on every generated sample as an arrow, and buttons to step each player. This module is that engine,
with no picture and no ipywidgets (``course_lib.widgets.gan_frames`` turns a state into a picture's data,
``course_lib.widgets.gan_trainer`` draws it):

* :func:`live_data` gives the three toy data sets (8-ring, 25-grid, two moons) with their coverage metric;
* :class:`LiveGAN` holds a :class:`~course_lib.gans.model.GAN`, its optimisers and the metric history in a
  plain object, and steps D or G on demand (:meth:`LiveGAN.step_d`, :meth:`LiveGAN.step_g`, and
  :meth:`LiveGAN.train`: rounds of :meth:`GAN.train_step <course_lib.gans.model.GAN.train_step>`); it answers
  what the picture asks: the generated samples and their coverage (:meth:`LiveGAN.measure`), D's output
  anywhere (:meth:`LiveGAN.discriminator_output`) and the generator's pull −∇ₓL_G
  (:meth:`LiveGAN.generator_pull`).
"""
from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import torch

from course_lib import data
from course_lib._checks import check_choice, check_float, check_int
from course_lib.evaluation.coverage import Coverage, mode_coverage
from course_lib.gans.flat_optim import flat_like
from course_lib.gans.losses import generator_loss
from course_lib.gans.recipes import DEFAULTS, STABLE, make_gan
from course_lib.gans.recordings import toy_mixture
from course_lib.training import EARLY_VALUES, TrainingDiverged, divergence, divergence_message

__all__ = ["LIVE_DATA", "LIVE_LOSSES", "LIVE_BATCH_SIZE", "LiveData", "live_data", "moons_coverage", "LiveGAN", "Measurement"]

#: what the trainer's data menu offers
LIVE_DATA = ("ring", "grid", "moons")
#: menu label → (loss kind, stable recipe?)
LIVE_LOSSES = {
    "minimax (saturating)": ("minimax", False),
    "non-saturating": ("nonsaturating", False),
    "non-saturating + R1 + EMA (stable)": ("nonsaturating", True),
    "LSGAN": ("lsgan", False),
    "WGAN (weight clipping)": ("wgan", False),
    "WGAN-GP": ("wgan-gp", False),
    "WGAN-GP + EMA (stable)": ("wgan-gp", True),
}

#: real samples per D step, by loss kind (128 for the others): weight clipping takes the WGAN paper's m = 64
#: (Arjovsky et al., 2017, Algorithm 1). It is also what keeps its frames fluid: with the paper's 5 critic steps
#: a frame of 20 G steps is 120 updates, which at 128 samples fell below 10 frames per second
#: (benchmarks/widgets_ch05.py prints the rate of every loss).
LIVE_BATCH_SIZE = {"wgan": 64}

_MOONS_SHIFT, _MOONS_SCALE, _MOONS_NOISE = (0.5, 0.25), 2.0, 0.05


def _moons_curve(points_per_moon: int = 200) -> torch.Tensor:
    """(2·points_per_moon, 2) points along the two (scaled, centred) half circles, upper moon first."""
    t = torch.linspace(0, math.pi, points_per_moon, dtype=torch.float64)
    upper = torch.stack([t.cos(), t.sin()], 1)
    lower = torch.stack([1 - t.cos(), 0.5 - t.sin()], 1)
    return (torch.cat([upper, lower]) - torch.tensor(_MOONS_SHIFT, dtype=torch.float64)) * _MOONS_SCALE


_CURVE = _moons_curve()


def moons_coverage(samples, *, segments: int = 8, threshold: float = 3.0) -> Coverage:
    """The mode-coverage metric carried over to two moons: each moon is cut into ``segments // 2`` arcs
    ("modes"); a sample is high-quality within ``threshold``·σ of the curve, and an arc is covered when it
    holds a high-quality sample. σ = 0.1 (the data's noise after scaling). samples: (n, 2)."""
    segments = check_int(segments, "segments", min_value=2)
    x = torch.as_tensor(np.asarray(samples), dtype=torch.float64)
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(f"moons_coverage: samples must have shape (n, 2), got {tuple(x.shape)}")
    d, idx = torch.cdist(x, _CURVE).min(dim=1)
    good = d <= threshold * _MOONS_NOISE * _MOONS_SCALE
    seg = idx * segments // len(_CURVE)  # arc index of each sample's nearest curve point
    return Coverage(int(torch.unique(seg[good]).numel()), float(good.double().mean()))


@dataclass(frozen=True)
class LiveData:
    """A toy data set for the trainer: ``sample(n, generator)`` → (n, 2); ``coverage(samples)`` → Coverage
    out of ``n_modes``; ``lim``: the square [−lim, lim]² that shows it."""

    name: str
    sample: object
    coverage: object
    n_modes: int
    lim: float


def live_data(name: str) -> LiveData:
    """"ring" (8 modes), "grid" (25 modes) or "moons" (8 arcs), with the coverage metric of 05."""
    check_choice(name, "name", set(LIVE_DATA))
    if name == "moons":
        def sample(n, generator=None):
            x = data.two_moons(n, noise=_MOONS_NOISE, generator=generator)
            return (x - torch.tensor(_MOONS_SHIFT)) * _MOONS_SCALE
        return LiveData(name, sample, moons_coverage, 8, 3.6)
    fn, centers, std = toy_mixture(name)
    lim = 2.8 if name == "ring" else 5.5
    return LiveData(name, fn, lambda x: mode_coverage(x, centers, std), len(centers), lim)


class LiveGAN:
    """A GAN being trained step by step on one toy data set; all state lives here (no picture, no widgets).

    Args:
        data: "ring", "grid" or "moons".  loss: a key of :data:`LIVE_LOSSES` or a loss kind
            ("nonsaturating", ...); ``stable`` adds :data:`~course_lib.gans.recipes.STABLE`.
        lr_g, lr_d: learning rates (default: the recipe's). n_critic: D steps per G step (default: the
            recipe's). batch_size: real samples per D step (default :data:`LIVE_BATCH_SIZE`'s).
        seed: seeds the weights, the data and the noise. n_show: generated samples a picture shows (the same
            noise every time, so they move smoothly); n_eval: samples the coverage metric scores.
    """

    def __init__(self, data: str = "ring", loss: str = "non-saturating", *, stable: bool = False,
                 lr_g: float | None = None, lr_d: float | None = None, n_critic: int | None = None,
                 batch_size: int | None = None, seed: int = 0, n_show: int = 400, n_eval: int = 2500,
                 hidden: int = 64):
        if loss in LIVE_LOSSES:
            loss, stable = LIVE_LOSSES[loss]
        self.data = live_data(data)
        self.kind = loss
        self.stable = bool(stable)
        self.batch_size = check_int(LIVE_BATCH_SIZE.get(loss, 128) if batch_size is None else batch_size,
                                    "batch_size", min_value=1)
        self.n_show = check_int(n_show, "n_show", min_value=1)
        self.n_eval = check_int(n_eval, "n_eval", min_value=1)
        self.seed = check_int(seed, "seed")
        torch.manual_seed(seed)
        self.model = make_gan(loss, stable=stable, hidden=hidden)
        cfg = {**DEFAULTS[loss], **(STABLE.get(loss, {}) if stable else {})}
        # the recipe's optimisers, as flat ones: the same update rule in a few whole-vector operations (a
        # frame is many tiny updates; course_lib.gans.flat_optim says what they buy)
        self.optimizers = {k: flat_like(o)
                           for k, o in self.model.configure_optimizers(self.model.default_lr).items()}
        self.set_learning_rates(lr_g if lr_g is not None else cfg["lr"], lr_d if lr_d is not None else cfg["lr"])
        self.set_n_critic(cfg["n_critic"] if n_critic is None else n_critic)
        self.gen = torch.Generator().manual_seed(seed + 1)  # real batches
        self.z_show = torch.randn(self.n_show, self.model.z_dim,
                                  generator=torch.Generator().manual_seed(seed + 2))
        z_eval = torch.randn(self.n_eval, self.model.z_dim, generator=torch.Generator().manual_seed(seed + 3))
        self._z_all = torch.cat([self.z_show, z_eval])
        self._measured = None  # (g_steps, Measurement): G's part, recomputed only after a G step
        self.g_steps = self.d_steps = 0
        self.last = {"d_loss": float("nan"), "g_loss": float("nan")}
        self._loss_log: dict[str, list[float]] = {"d_loss": [], "g_loss": []}  # early values + the latest
        self.history = {"g_steps": [], "modes": [], "high_quality": []}
        # The GAN draws its noise (and WGAN-GP its ε) from torch's global generator; the state keeps a copy
        # of its own, so a run is the same whatever else the notebook draws between frames.
        self._rng = torch.get_rng_state()

    @contextmanager
    def _own_rng(self):
        outer = torch.get_rng_state()
        torch.set_rng_state(self._rng)
        try:
            yield
        finally:
            self._rng = torch.get_rng_state()
            torch.set_rng_state(outer)

    # ------------------------------------------------------------------ knobs
    def set_learning_rates(self, lr_g: float, lr_d: float) -> None:
        """Change both players' step sizes in place (the optimisers' moments are kept)."""
        lr_g = check_float(lr_g, "lr_g", min_value=0.0, strict_min=True)
        lr_d = check_float(lr_d, "lr_d", min_value=0.0, strict_min=True)
        for grp in self.optimizers["g"].param_groups:
            grp["lr"] = lr_g
        for grp in self.optimizers["d"].param_groups:
            grp["lr"] = lr_d
        self.lr_g, self.lr_d = lr_g, lr_d

    def set_n_critic(self, n_critic: int) -> None:
        self.model.n_critic = check_int(n_critic, "n_critic", min_value=1, max_value=20)

    # ------------------------------------------------------------------ stepping
    def _real(self, n: int) -> torch.Tensor:
        return self.data.sample(n, generator=self.gen)

    def step_d(self, n: int = 1) -> None:
        """``n`` discriminator/critic updates with G fixed."""
        n = check_int(n, "n", min_value=0)
        with self._own_rng():
            for _ in range(n):
                out = self.model.discriminator_step(self._real(self.batch_size), self.optimizers["d"])
                self.last["d_loss"] = float(out["d_loss"].detach())
                self.d_steps += 1
        self._watch("d_loss")

    def step_g(self, n: int = 1) -> None:
        """``n`` generator updates with D fixed (and the averaged generator follows, if any)."""
        n = check_int(n, "n", min_value=0)
        with self._own_rng():
            for _ in range(n):
                loss = self.model.generator_step(self.batch_size, self.optimizers["g"])
                self.model.update_ema()
                self.last["g_loss"] = float(loss.detach())
                self.g_steps += 1
        self._watch("g_loss")

    def train(self, g_steps: int) -> None:
        """``g_steps`` rounds of the alternating game, each one
        :meth:`GAN.train_step <course_lib.gans.model.GAN.train_step>`: n_critic D updates on chunks of a real
        batch of n_critic·m samples, then one G update (and the averaged generator follows). The real samples
        of all rounds are drawn in one call."""
        g_steps = check_int(g_steps, "g_steps", min_value=0)
        if g_steps == 0:
            return
        k, m = self.model.n_critic, self.batch_size
        with self._own_rng():
            for batch in self._real(g_steps * k * m).split(k * m):  # g_steps batches of (k·m, 2)
                out = self.model.train_step(batch, self.optimizers)
        self.last.update(d_loss=out["d_loss"], g_loss=out["g_loss"])
        self.g_steps += g_steps
        self.d_steps += k * g_steps
        self._watch("d_loss", "g_loss")

    def _watch(self, *keys: str) -> None:
        """:func:`course_lib.training.divergence` on each player's loss after its steps: a learning rate far
        too large stops the game with a message (the widget shows it in its status line) instead of a picture
        of noise; ``reset`` starts again."""
        for k in keys:
            v = self.last[k]
            log = self._loss_log[k]
            if (self.d_steps if k == "d_loss" else self.g_steps) == 0:  # that player has not stepped yet
                continue
            log[:] = log[:EARLY_VALUES] + [v]
            reason = divergence(log)
            if reason is not None:
                lr = self.lr_d if k == "d_loss" else self.lr_g
                steps = self.g_steps if k == "g_loss" else self.d_steps
                raise TrainingDiverged(
                    divergence_message("LiveGAN", k, steps, lr, reason,
                                       advice="lower lr G and lr D 10 to 100 times, then press reset"),
                    key=k, step=self.g_steps, lr=lr)

    # ------------------------------------------------------------------ measuring
    def measure(self, *, record: bool = True) -> Measurement:
        """The generated samples (``n_show`` of them, from fixed noise) and the coverage of ``n_eval`` more.

        Recomputed only after a G step (they are a function of G's weights alone); the averaged generator's,
        if the recipe keeps one. ``record`` appends the coverage to ``history`` (once per G step count).
        """
        if self._measured is None or self._measured[0] != self.g_steps:
            g = self.model.G_ema if self.model.ema is not None else self.model.G
            with torch.no_grad():
                # shown and evaluation samples in one pass of G; the same noise every time, so the picture and
                # the curves change only because G changed
                shown, evals = g(self._z_all).split([self.n_show, self.n_eval])
            self._measured = (self.g_steps, Measurement(self.g_steps, shown, self.data.coverage(evals)))
        meas = self._measured[1]
        h = self.history
        if record and (not h["g_steps"] or h["g_steps"][-1] != self.g_steps):
            h["g_steps"].append(self.g_steps)
            h["modes"].append(meas.coverage.modes)
            h["high_quality"].append(meas.coverage.high_quality)
        return meas

    def discriminator_output(self, x: torch.Tensor) -> torch.Tensor:
        """D's output at ``x`` (n, 2) → (n,), as its loss reads it: the probability σ(s(x)) that x is real for
        the cross-entropy GANs, the raw score s(x) for LSGAN, the critic's value for the WGANs."""
        with torch.no_grad():
            s = self.model.D(x)
        return torch.sigmoid(s) if self.kind in ("minimax", "nonsaturating") else s

    def generator_pull(self, x: torch.Tensor) -> torch.Tensor:
        """−∇ₓ L_G at ``x`` (n, 2) → (n, 2): where the generator's update pushes a sample sitting at x (the
        gradient of the generator's loss summed over the points, so each row is that point's own)."""
        x = x.detach().clone().requires_grad_(True)
        if len(x) == 0:
            return x.detach()
        (grad,) = torch.autograd.grad(generator_loss(self.kind, self.model.D(x)) * len(x), x)
        return -grad


class Measurement(NamedTuple):
    """:meth:`LiveGAN.measure`: ``samples`` (n_show, 2) generated at ``g_steps``, ``coverage`` of n_eval more."""

    g_steps: int
    samples: torch.Tensor
    coverage: Coverage
