"""Widget of 03_autoencoder_family: noise level -> clean, corrupted and reconstructed digits side by side."""
from __future__ import annotations

import numpy as np
import torch

from course_lib._checks import as_images, check_choice, check_float
from course_lib.widgets.base import View, slider_layout, slider_style
from course_lib.widgets.live import grey_rgb

__all__ = ["DenoisingView"]


class DenoisingView(View):
    """Rows: clean digits, their corruption x̃ ~ M_D(x̃ | x) at the chosen level, and each model's g(f(x̃)).

    The noise is drawn once (ε ~ N(0, I) and u ~ U(0, 1) per pixel) and only rescaled/thresholded by the
    knob, so moving the slider changes the *level* of one fixed corruption: x̃ = clip(x + σε, 0, 1) for
    Gaussian noise, x̃ = x ⊙ [u ≥ p] for masking noise (the same maps as :mod:`course_lib.autoencoders.corruption`).

    Args:
        models: name -> autoencoder (images (N, 1, H, W) -> reconstructions of the same shape).
        images: (k, 1, H, W) clean digits in [0, 1], k <= 12.

    Knobs ``kind`` ("gaussian" or "masking") and ``level`` (σ or p); ``update`` returns
    ``{"kind", "level", "corrupted", "errors", "grid"}``.
    """

    knobs = ("kind", "level")
    title = "denoising autoencoder against a plain autoencoder"

    def __init__(self, models: dict, images, *, seed: int = 0, figsize=(10, 4.4), dpi: int = 72):
        super().__init__()
        if not models or not all(callable(m) for m in models.values()):
            raise TypeError("models must be a non-empty dict name -> autoencoder (callable on images)")
        images = as_images(images, "images", channels=1)
        if not 1 <= len(images) <= 12:
            raise ValueError(f"images must hold between 1 and 12 digits, got {len(images)}")
        self.models, self.x = dict(models), images
        g = torch.Generator().manual_seed(seed)
        self.eps = torch.randn(images.shape, generator=g)
        self.u = torch.rand(images.shape, generator=g)
        self.k, (self.h, self.w) = len(images), images.shape[2:]
        self._cache: dict = {}
        self.step = 0.05
        self.levels = np.round(np.arange(0.0, 1.0 + 1e-9, self.step), 6)  # the slider's positions
        self._precompute()
        lf = self.figure(figsize=figsize, dpi=dpi)
        ax = lf.ax
        rows = 2 + len(self.models)
        # drawn as RGB bytes: no per-update normalising and colour-mapping of the resampled image
        self.grid = ax.imshow(grey_rgb(np.ones((rows * (self.h + 2) - 2, self.k * (self.w + 2) - 2))),
                              interpolation="nearest")
        ax.set_yticks([r * (self.h + 2) + self.h / 2 for r in range(rows)],
                      ["clean x", "corrupted x̃", *[f"{n}: g(f(x̃))" for n in self.models]])
        ax.set_xticks([])
        ax.grid(False)
        ax.set_title("denoising: clean, corrupted, reconstructed")
        lf.paste(self.grid)  # pixels copied straight into the canvas on every update
        self.update(kind="gaussian", level=0.5)

    def corrupt(self, kind: str, level: float) -> torch.Tensor:
        """The fixed corruption of the shown digits at ``level`` (σ for gaussian, p for masking)."""
        check_choice(kind, "kind", {"gaussian", "masking"})
        level = check_float(level, "level", min_value=0.0, max_value=None if kind == "gaussian" else 1.0)
        if kind == "gaussian":
            return (self.x + level * self.eps).clamp(0.0, 1.0)
        return self.x * (self.u >= level)

    def _precompute(self) -> None:
        """Every slider position of both kinds in one batched forward pass per model (42 × k images)."""
        keys = [(kind, float(lv)) for kind in ("gaussian", "masking") for lv in self.levels]
        x_all = torch.cat([self.corrupt(kind, lv) for kind, lv in keys])  # (len(keys) * k, 1, H, W)
        with torch.no_grad():
            recs = {name: model(x_all).reshape(len(keys), self.k, *self.x.shape[1:]) for name, model in self.models.items()}
        for n, (kind, lv) in enumerate(keys):
            self._cache[(kind, round(lv, 6))] = self._compute(kind, lv, {name: r[n] for name, r in recs.items()})

    def _compute(self, kind: str, level: float, recs: dict | None = None) -> dict:
        x_tilde = self.corrupt(kind, level)
        rows = [self.x, x_tilde]
        errors = {}
        with torch.no_grad():
            for name, model in self.models.items():
                rec = model(x_tilde) if recs is None else recs[name]
                rows.append(rec)
                errors[name] = float(((rec - self.x) ** 2).reshape(self.k, -1).sum(1).mean())
        h, w = self.h, self.w
        grid = np.ones((len(rows) * (h + 2) - 2, self.k * (w + 2) - 2), dtype=np.float32)
        for r, imgs in enumerate(rows):
            arr = imgs[:, 0].detach().numpy()
            for i in range(self.k):
                grid[r * (h + 2): r * (h + 2) + h, i * (w + 2): i * (w + 2) + w] = arr[i]
        return {"kind": kind, "level": float(level), "corrupted": x_tilde, "errors": errors, "grid": grid,
                "_rgb": grey_rgb(grid)}

    def draw(self, kind: str, level: float) -> dict:
        """Corrupt, reconstruct with every model, show the rows; returns the images and per-model errors."""
        check_choice(kind, "kind", {"gaussian", "masking"})
        level = self.clamp("level", check_float(level, "level", min_value=0.0, max_value=None if kind == "gaussian"
                                                else 1.0), 0.0, 1.0)
        # The slider's positions were computed at construction (the networks' forward passes were most
        # of an update's cost); any other level is computed live and kept.
        key = (kind, round(level, 6))
        state = self._cache.get(key)
        if state is None:
            state = self._compute(kind, level)
            if len(self._cache) < 512:
                self._cache[key] = state
        self.grid.set_data(state["_rgb"])
        return {k: v for k, v in state.items() if k != "_rgb"}

    def frame_key(self, state: dict):
        return (state["kind"], round(state["level"], 6))

    def status_line(self, state: dict) -> str:
        name = "σ" if state["kind"] == "gaussian" else "p"
        return (f"{state['kind']} noise, {name} = {state['level']:.2f}; error ‖x − g(f(x̃))‖² on these digits: "
                + ", ".join(f"{n} <b>{e:.1f}</b>" for n, e in state["errors"].items()))

    def controls(self) -> dict:
        import ipywidgets as W

        # the options say what the corruption process M_D(x̃ | x) does, not its symbol
        kind = W.ToggleButtons(options=[("Gaussian noise (σ)", "gaussian"), ("masking noise (p)", "masking")],
                               value=self.values["kind"], description="corruption", style=slider_style())
        level = W.FloatSlider(value=self.values["level"], min=0.0, max=1.0, step=self.step, description="noise level",
                              continuous_update=True, style=slider_style(), layout=slider_layout())
        return {"kind": kind, "level": level}
