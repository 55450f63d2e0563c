"""What one picture of the live GAN trainer shows, computed from a training state (05_gans, 06).

The engine (:class:`~course_lib.gans.live_training.LiveGAN`) trains and measures; this module turns a state
into the data of one picture, a :class:`Frame`, and holds the choices that only matter to a picture:

* the field: D's output on a ``resolution``² grid over the data's square (a WGAN critic minus its mean on
  the square: its loss is the same for D + c, so only differences mean something), and its colour range
  ``clim`` (fixed [0, 1] for a probability; for a score or a critic, a symmetric range on a 1-2-5 ladder that
  changes only when the values leave it or shrink well inside it: the colour bar is not redrawn every frame);
* the arrows −∇ₓL_G on a few generated samples at least ``min_spacing`` apart (a cluster of samples, as at
  step 0, gets one arrow instead of a pile of them);
* the heatmap's pixels (:func:`heat_rgb`, coloured by a lookup table :func:`heat_lut`).

:func:`train_frame` is the per-frame function of the trainer's play button: a chunk of training, then a
Frame.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from course_lib._checks import check_float, check_int
from course_lib.gans.live_training import LiveGAN

__all__ = ["Frame", "Framer", "train_frame", "field_label", "sticky_clim", "spread_subset", "heat_lut",
           "heat_rgb", "HEAT_ALPHA"]

HEAT_ALPHA = 0.6  # the colour map blended with the white axes, so the samples stay visible on it


def field_label(kind: str) -> str:
    """What the heatmap of a loss kind shows (00's notation: the critic is D too)."""
    if kind in ("minimax", "nonsaturating"):
        return "D(x)"
    return "score D(x)" if kind == "lsgan" else "critic D(x) − mean"


@dataclass
class Frame:
    """What one picture of the trainer shows.

    samples: (n_show, 2) generated points (from fixed noise, so they move smoothly between frames);
    field: (res, res) D's output on the grid ``extent`` = (−lim, lim, −lim, lim), row 0 at the bottom, shown in
    the colour range ``clim``; arrows_at, arrows: (m, 2) positions (m ≤ n_arrows) and −∇ₓ of the generator's
    loss there (where G's update pushes each sample), unscaled.
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


def sticky_clim(lo: float, hi: float, old: tuple | None = None) -> tuple:
    """A colour range (−a, a) holding [lo, hi], a on the ladder 1, 2, 5, 10, 20, ... (times a power of ten);
    ``old`` is kept while it holds them and they reach beyond a tenth of it. So the colour bar (redrawn in
    full when its numbers change) changes a few times in a run, not every frame."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi < lo:
        raise ValueError(f"sticky_clim: lo and hi must be finite with lo <= hi, got {lo!r}, {hi!r}")
    need = max(abs(lo), abs(hi), 1e-6)
    if old is not None and need <= old[1] and need >= old[1] / 10:
        return old
    e = math.floor(math.log10(need))
    a = min(m * 10.0 ** e for m in (1, 2, 5, 10) if m * 10.0 ** e >= need)
    return (-a, a)


def spread_subset(points: np.ndarray, k: int, min_spacing: float) -> np.ndarray:
    """Indices of at most ``k`` of ``points`` (n, 2), taken in order, each at least ``min_spacing`` from
    those taken before: arrows that do not pile up where the samples cluster."""
    k = check_int(k, "spread_subset: k", min_value=0)
    min_spacing = check_float(min_spacing, "spread_subset: min_spacing", min_value=0.0)
    points = np.asarray(points, dtype=float)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"spread_subset: points must have shape (n, 2), got {points.shape}")
    taken: list[int] = []
    for i, p in enumerate(points):
        if len(taken) == k:
            break
        if not taken or np.min(np.sum((points[taken] - p) ** 2, axis=1)) >= min_spacing ** 2:
            taken.append(i)
    return np.asarray(taken, dtype=int)


class Framer:
    """Makes the Frames of one picture; keeps the field of the last state it saw until D steps again (after
    **step G** the field is the same, and the samples are cached by the state itself after **step D**).

    Args: resolution: field cells per side; n_arrows: at most this many arrows; min_spacing: the arrows'
    least distance, as a fraction of the square's side.
    """

    def __init__(self, resolution: int = 48, n_arrows: int = 48, min_spacing: float = 0.04):
        self.resolution = check_int(resolution, "resolution", min_value=2)
        self.n_arrows = check_int(n_arrows, "n_arrows", min_value=0)
        self.min_spacing = check_float(min_spacing, "min_spacing", min_value=0.0, max_value=1.0)
        self._grid = None  # (lim, (res², 2) tensor)
        self._field = None  # (state, d_steps, field, clim)

    def grid(self, lim: float):
        """(res², 2) points of the square [−lim, lim]², row by row from the bottom (y = −lim) up."""
        import torch

        if self._grid is None or self._grid[0] != lim:
            u = torch.linspace(-lim, lim, self.resolution)
            yy, xx = torch.meshgrid(u, u, indexing="ij")  # row i ↔ y = u[i]: row 0 at the bottom
            self._grid = (lim, torch.stack([xx.ravel(), yy.ravel()], 1))
        return self._grid[1]

    def __call__(self, state: LiveGAN, *, record: bool = True) -> Frame:
        """The current picture of ``state``; ``record`` appends its coverage to ``state.history``."""
        if not isinstance(state, LiveGAN):
            raise TypeError(f"Framer: state must be a LiveGAN, got {type(state).__name__}")
        meas = state.measure(record=record)
        lim = state.data.lim
        cached = self._field
        if cached is None or cached[0] is not state or cached[1] != state.d_steps:
            res = self.resolution
            field = state.discriminator_output(self.grid(lim)).reshape(res, res).numpy()
            if state.kind in ("wgan", "wgan-gp"):
                field = field - field.mean()
            if state.kind in ("minimax", "nonsaturating"):
                clim = (0.0, 1.0)
            else:
                old = cached[3] if cached is not None and cached[0] is state else None
                clim = sticky_clim(float(field.min()), float(field.max()), old)
            self._field = cached = (state, state.d_steps, field, clim)
        _, _, field, clim = cached
        shown = meas.samples.numpy()
        pick = spread_subset(shown, self.n_arrows, self.min_spacing * 2 * lim)
        at = meas.samples[pick]
        pull = state.generator_pull(at)
        return Frame(state.g_steps, state.d_steps, shown, field, field_label(state.kind), clim,
                     (-lim, lim, -lim, lim), at.numpy(), pull.numpy(), meas.coverage.modes,
                     state.data.n_modes, meas.coverage.high_quality, state.last["d_loss"], state.last["g_loss"])


_FRAMER = Framer()


def train_frame(state: LiveGAN, g_steps: int = 20, framer: Framer | None = None) -> Frame:
    """The per-frame function of the live trainer: ``g_steps`` rounds of ``GAN.train_step`` (``n_critic`` D
    updates, then one G update each), then the Frame (made by ``framer``, default a shared one)."""
    if not isinstance(state, LiveGAN):
        raise TypeError(f"train_frame: state must be a LiveGAN, got {type(state).__name__}")
    state.train(g_steps)
    return (framer or _FRAMER)(state)


def heat_lut(cmap: str = "cividis", alpha: float = HEAT_ALPHA) -> np.ndarray:
    """(256, 3) uint8: the colour map at 256 levels, blended with white as ``imshow(alpha=...)`` would."""
    from matplotlib import colormaps

    rgb = colormaps[cmap](np.linspace(0.0, 1.0, 256))[:, :3]
    return np.round(255.0 * (alpha * rgb + (1.0 - alpha))).astype(np.uint8)


def heat_rgb(field: np.ndarray, clim: tuple, lut: np.ndarray, upsample: int = 4) -> np.ndarray:
    """The heatmap's pixels: field (r, r) (row 0 at the bottom) → (u·r, u·r, 3) uint8, row 0 at the *top*.

    Bilinear upsampling of the values (as ``imshow(interpolation="bilinear")`` does), normalised by ``clim``
    into the 256 levels of ``lut``.
    """
    import torch
    from torch.nn import functional as F

    f = torch.as_tensor(np.ascontiguousarray(field[::-1]), dtype=torch.float32)[None, None]
    r = field.shape[0]
    f = F.interpolate(f, size=(upsample * r, upsample * r), mode="bilinear", align_corners=True)[0, 0].numpy()
    lo, hi = clim
    idx = np.clip((f - lo) * (255.0 / max(hi - lo, 1e-12)), 0, 255).astype(np.uint8)
    return lut[idx]
