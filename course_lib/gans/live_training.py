"""Train a 2-D GAN a few steps at a time and describe each frame: the engine of the live trainer (05_gans, 06).

GAN Lab (Kahng et al., 2019) made the game visible: the discriminator's decision surface as a heatmap, the
pull on every generated sample as an arrow, and buttons to step each player. This module is that engine,
without any drawing or ipywidgets (``course_lib.widgets.gan_trainer`` draws it):

* :func:`live_data` gives the three toy data sets (8-ring, 25-grid, two moons) with their coverage metric;
* :class:`LiveGAN` holds a :class:`~course_lib.gans.model.GAN`, its optimisers and the metric history in a
  plain object, and steps D or G on demand (:meth:`LiveGAN.step_d`, :meth:`LiveGAN.step_g`,
  :meth:`LiveGAN.train`);
* :func:`train_frame` is the per-frame function: a small chunk of alternating updates, then a :class:`Frame`
  with everything a picture needs (samples, field on a grid, gradient arrows, modes covered, quality).
"""
from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass

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

__all__ = ["LIVE_DATA", "LIVE_LOSSES", "LIVE_BATCH_SIZE", "LiveData", "live_data", "moons_coverage", "Frame", "LiveGAN", "train_frame"]

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


@dataclass
class Frame:
    """What one picture of the trainer shows.

    samples: (n_show, 2) generated points (from fixed noise, so they move smoothly between frames);
    field: (res, res) D(x) ∈ [0, 1] for the cross-entropy GANs, the raw score s(x) for LSGAN, the critic f(x)
    for WGAN, on the grid ``extent`` = (−lim, lim, −lim, lim), row 0 at the bottom; arrows_at, arrows:
    (m, 2) positions and −∇ₓ of the generator's loss there (where G's update pushes each sample).
    """

    g_steps: int
    d_steps: int
    samples: np.ndarray
    field: np.ndarray
    field_label: str
    clim: tuple
    extent: tuple
    arrows_at: np.ndarray
    arrows: np.ndarray
    modes: int
    n_modes: int
    high_quality: float
    d_loss: float
    g_loss: float


class LiveGAN:
    """A GAN being trained step by step on one toy data set; all state lives here (no widgets).

    Args:
        data: "ring", "grid" or "moons".  loss: a key of :data:`LIVE_LOSSES` or a loss kind
            ("nonsaturating", ...); ``stable`` adds :data:`~course_lib.gans.recipes.STABLE`.
        lr_g, lr_d: learning rates (default: the recipe's). n_critic: D steps per G step (default: the recipe's).
        batch_size: real samples per D step (default :data:`LIVE_BATCH_SIZE`'s); seed: seeds the weights, the
            data and the noise.
    """

    def __init__(self, data: str = "ring", loss: str = "non-saturating", *, stable: bool = False,
                 lr_g: float | None = None, lr_d: float | None = None, n_critic: int | None = None,
                 batch_size: int | None = None, seed: int = 0, n_show: int = 400, n_eval: int = 2500,
                 n_arrows: int = 48, resolution: int = 48, hidden: int = 64):
        if loss in LIVE_LOSSES:
            loss, stable = LIVE_LOSSES[loss]
        self.data = live_data(data)
        self.kind = loss
        self.stable = bool(stable)
        self.batch_size = check_int(LIVE_BATCH_SIZE.get(loss, 128) if batch_size is None else batch_size,
                                    "batch_size", min_value=1)
        self.n_eval = check_int(n_eval, "n_eval", min_value=1)
        self.n_arrows = check_int(n_arrows, "n_arrows", min_value=0, max_value=n_show)
        self.seed = check_int(seed, "seed")
        torch.manual_seed(seed)
        self.model = make_gan(loss, stable=stable, hidden=hidden)
        cfg = {**DEFAULTS[loss], **(STABLE.get(loss, {}) if stable else {})}
        # the recipe's optimisers, as flat ones: the same update rule in a few whole-vector operations (a frame is
        # many tiny updates; see course_lib.gans.flat_optim)
        self.optimizers = {k: flat_like(o) for k, o in self.model.configure_optimizers(self.model.default_lr).items()}
        self.set_learning_rates(lr_g if lr_g is not None else cfg["lr"], lr_d if lr_d is not None else cfg["lr"])
        self.set_n_critic(cfg["n_critic"] if n_critic is None else n_critic)
        self.gen = torch.Generator().manual_seed(seed + 1)  # real batches
        self.z_show = torch.randn(n_show, self.model.z_dim, generator=torch.Generator().manual_seed(seed + 2))
        z_eval = torch.randn(self.n_eval, self.model.z_dim, generator=torch.Generator().manual_seed(seed + 3))
        self._z_all = torch.cat([self.z_show, z_eval])
        self._g_part = self._d_part = None  # (step count, what frame() computed from that player's weights)
        lim = self.data.lim
        res = check_int(resolution, "resolution", min_value=2)
        u = torch.linspace(-lim, lim, res)
        yy, xx = torch.meshgrid(u, u, indexing="ij")  # row i ↔ y = u[i]: row 0 at the bottom with origin="lower"
        self.grid = torch.stack([xx.ravel(), yy.ravel()], 1)  # (res², 2)
        self.res = res
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
            self._step_d(n)

    def _step_d(self, n):
        for _ in range(n):
            out = self.model.discriminator_step(self._real(self.batch_size), self.optimizers["d"])
            self.last["d_loss"] = float(out["d_loss"].detach())
            self.d_steps += 1
        self._watch("d_loss")

    def step_g(self, n: int = 1) -> None:
        """``n`` generator updates with D fixed (and the averaged generator follows, if any)."""
        n = check_int(n, "n", min_value=0)
        with self._own_rng():
            self._step_g(n)

    def _step_g(self, n):
        for _ in range(n):
            loss = self.model.generator_step(self.batch_size, self.optimizers["g"])
            self.model.update_ema()
            self.last["g_loss"] = float(loss.detach())
            self.g_steps += 1
        self._watch("g_loss")

    def train(self, g_steps: int) -> None:
        """``g_steps`` rounds of the alternating game: n_critic D updates, then one G update (05's train_step).

        The same updates as :meth:`GAN.train_step <course_lib.gans.model.GAN.train_step>`, batched for speed
        (a frame is many tiny steps, so per-call overhead is most of its cost): the real samples of all rounds
        are drawn in one call, and the n_critic fake batches of a round in one pass of G, which the critic
        steps do not change. Only the order of the random draws differs from ``train_step``.
        """
        k, m = self.model.n_critic, self.batch_size
        g_steps = check_int(g_steps, "g_steps", min_value=0)
        if g_steps == 0:
            return
        model, opt = self.model, self.optimizers
        with self._own_rng():
            real = self._real(g_steps * k * m).split(m)  # (g_steps·k) batches of (m, 2)
            for r in range(g_steps):
                with torch.no_grad():
                    fakes = model.G(model.noise(k * m)).split(m)
                for j in range(k):
                    d_out = model.discriminator_step(real[r * k + j], opt["d"], fake=fakes[j])
                g_loss = model.generator_step(m, opt["g"])
                model.update_ema()
            self.last.update(d_loss=float(d_out["d_loss"].detach()), g_loss=float(g_loss.detach()))
        self.g_steps += g_steps
        self.d_steps += k * g_steps
        self._watch("d_loss", "g_loss")

    def _watch(self, *keys: str) -> None:
        """:func:`course_lib.training.divergence` on each player's loss after its steps: a learning rate far too
        large stops the game with a message (the widget shows it in its status line) instead of a picture of
        noise; ``reset`` starts again."""
        for k in keys:
            v = self.last[k]
            log = self._loss_log[k]
            if (self.d_steps if k == "d_loss" else self.g_steps) == 0:  # that player has not stepped yet
                continue
            log[:] = log[:EARLY_VALUES] + [v]
            reason = divergence(log)
            if reason is not None:
                lr = self.lr_d if k == "d_loss" else self.lr_g
                raise TrainingDiverged(
                    divergence_message("LiveGAN", k, self.g_steps if k == "g_loss" else self.d_steps, lr, reason,
                                       advice="lower lr G and lr D 10 to 100 times, then press reset"),
                    key=k, step=self.g_steps, lr=lr)

    # ------------------------------------------------------------------ describing
    def frame(self, *, record: bool = True) -> Frame:
        """The current picture: samples, D's field, gradient arrows, coverage (appended to ``history``).

        G's part (samples, coverage) is recomputed only after a G step and D's field only after a D step:
        after **step G** the field is the same, after **step D** the samples are (each is a function of one
        player's weights, which only that player's steps change)."""
        m = self.model
        was_training = m.training
        m.eval()
        if self._g_part is None or self._g_part[0] != self.g_steps:
            with torch.no_grad():
                # shown and evaluation samples in one pass of G; the same noise every frame, so the picture
                # and the curves change only because G changed
                shown, evals = self._generate(self._z_all).split([len(self.z_show), self.n_eval])
            self._g_part = (self.g_steps, shown, self.data.coverage(evals))
        if self._d_part is None or self._d_part[0] != self.d_steps:
            with torch.no_grad():
                s = m.D(self.grid)
            if self.kind in ("minimax", "nonsaturating"):
                field, clim = torch.sigmoid(s), (0.0, 1.0)
            else:
                field, lo, hi = s, float(s.min()), float(s.max())
                clim = (lo, hi if hi > lo else lo + 1e-6)
            self._d_part = (self.d_steps, field.reshape(self.res, self.res).numpy(), clim)
        _, shown, cov = self._g_part
        _, field, clim = self._d_part
        label = {"minimax": "D(x)", "nonsaturating": "D(x)", "lsgan": "score s(x)"}.get(self.kind, "critic f(x)")
        x = shown[: self.n_arrows].clone().requires_grad_(True)
        (grad,) = torch.autograd.grad(generator_loss(self.kind, m.D(x)) * len(x), x) if len(x) else (x,)
        m.train(was_training)
        if record:
            self.history["g_steps"].append(self.g_steps)
            self.history["modes"].append(cov.modes)
            self.history["high_quality"].append(cov.high_quality)
        lim = self.data.lim
        return Frame(self.g_steps, self.d_steps, shown.numpy(), field, label, clim,
                     (-lim, lim, -lim, lim), x.detach().numpy(), (-grad).numpy(), cov.modes, self.data.n_modes,
                     cov.high_quality, self.last["d_loss"], self.last["g_loss"])

    def _generate(self, z: torch.Tensor) -> torch.Tensor:
        g = self.model.G_ema if self.model.ema is not None else self.model.G
        return g(z)


def train_frame(state: LiveGAN, g_steps: int = 20) -> Frame:
    """The per-frame function of the live trainer: ``g_steps`` rounds of alternating updates, then a Frame."""
    if not isinstance(state, LiveGAN):
        raise TypeError(f"train_frame: state must be a LiveGAN, got {type(state).__name__}")
    state.train(g_steps)
    return state.frame()
