"""VAE latent explorer and β sweep view (taught in notebooks/04_variational_autoencoders).

:class:`VAELatentView` builds on the course's :class:`~course_lib.widgets.latent.LatentView`
(encoded test set by label, a movable point decoded live, interpolation between two test digits).
For a 2-D latent it adds the decoded manifold, an n x n grid of decoded codes, *beside* the scatter,
with the same movable cross, so a student sees where in the grid the point sits. For a larger latent
there is one slider per dimension (the scatter shows the first two dimensions).

:class:`BetaSweepView` shows VAEs trained with different β (the weight of the KL term): their
encoded test sets, reconstructions and prior samples, switched by one slider, all precomputed so a
knob move only swaps arrays.
"""
from __future__ import annotations

import numpy as np
import torch

from course_lib._checks import as_images, as_tensor, check_float, check_int
from course_lib.viz import grid_array
from course_lib.viz import CLASS_COLORS
from course_lib.widgets.base import View, slider_layout, slider_style
from course_lib.widgets.latent import LatentView, decoded_manifold

__all__ = ["VAELatentView", "BetaSweepView"]


def _check_vae(vae):
    for attr in ("encode", "decode", "latent_dim", "image_shape"):
        if not hasattr(vae, attr):
            raise TypeError(f"vae must be a course_lib.vae.model.VAE (or have encode, decode, latent_dim, image_shape); "
                            f"{type(vae).__name__} has no {attr!r}")


class VAELatentView(LatentView):
    """Latent explorer for a trained VAE (a :class:`~course_lib.widgets.latent.LatentView`).

    Args:
        vae: a trained :class:`course_lib.vae.model.VAE` (put in eval mode).
        images: (N, C, H, W) test images in [0, 1]; their posterior means μ_α(x) are the scattered codes.
        labels: (N,) integer labels.
        lim: the manifold grid and the point sliders cover [-lim, lim] per dimension (2-D latent) — the
            prior N(0, I) puts 99.7 % of its mass per coordinate inside ±3.
        n_grid: the manifold is n_grid x n_grid decoded images (2-D latent only), a second figure
            beside the first with the same × and path.
    """

    def __init__(self, vae, images, labels, *, lim: float = 3.0, n_grid: int = 15, dpi: int = 72,
                 i: int = 0, j: int = 1, t: float = 0.5):
        _check_vae(vae)
        images = as_images(images, "images")
        lim = check_float(lim, "lim", min_value=0.0, strict_min=True)
        n_grid = check_int(n_grid, "n_grid", min_value=2, max_value=40)
        vae.eval()
        self.vae = vae
        d = vae.latent_dim
        with torch.no_grad():
            codes = vae.encode(images)[0]                         # posterior means (N, L)
        self.manifold_lf = None
        self._manifold_args = (lim, n_grid, dpi) if d == 2 else None
        super().__init__(vae.decode, codes, labels, image_shape=vae.image_shape, images=images,
                         slider_range=(-lim, lim) if d == 2 else None, dpi=dpi, i=i, j=j, t=t,
                         title=f"test set encoded (μ), {d}-D latent" + ("" if d == 2 else ": dims 1, 2"))

    def _build(self, class_names, background, title, figsize, dpi):
        super()._build(class_names, background, title, figsize, dpi)
        if self._manifold_args is None:
            return
        lim, n_grid, dpi = self._manifold_args
        img, extent = decoded_manifold(self.vae.decode, xlim=(-lim, lim), ylim=(-lim, lim), n=n_grid,
                                       image_shape=self.vae.image_shape)
        lf = self.figure(1, 1, figsize=(4.6, 4.4), dpi=dpi)
        ax = lf.ax
        ax.imshow(img, extent=extent, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        ax.set_xlabel("$z_1$")
        ax.set_ylabel("$z_2$")
        ax.set_title(f"decoded manifold ({n_grid}×{n_grid})")
        ax.grid(False)
        (self.manifold_point,) = ax.plot([], [], "X", color="#D55E00", mec="white", ms=15)
        (self.manifold_path,) = ax.plot([], [], "-", color="#E69F00", lw=2.5)
        lf.animate(self.manifold_point, self.manifold_path)
        self.manifold_lf = lf
        self.manifold = img

    def draw(self, **values) -> dict:
        out = super().draw(**values)
        if self.manifold_lf is not None:
            z = out["point"]["z"]
            self.manifold_point.set_data([z[0]], [z[1]])
            it = out["interpolation"]
            zi, zj = self.codes[it["i"]].numpy(), self.codes[it["j"]].numpy()
            self.manifold_path.set_data([zi[0], zj[0]], [zi[1], zj[1]])
        return out


def _raster(codes: np.ndarray, labels: np.ndarray, lim: float, size: int = 220) -> np.ndarray:
    """Codes (N, 2) drawn as 2x2-pixel dots coloured by label on white: an (size, size, 3) float image."""
    import matplotlib.colors as mcolors

    img = np.ones((size, size, 3))
    col = ((codes[:, 0] + lim) / (2 * lim) * (size - 2)).astype(int)
    row = ((lim - codes[:, 1]) / (2 * lim) * (size - 2)).astype(int)   # row 0 is the top (largest z2)
    keep = (col >= 0) & (col < size - 1) & (row >= 0) & (row < size - 1)
    colours = np.asarray([mcolors.to_rgb(CLASS_COLORS[int(k) % len(CLASS_COLORS)]) for k in labels])
    for dr in (0, 1):
        for dc in (0, 1):
            img[row[keep] + dr, col[keep] + dc] = colours[keep]
    return img


class BetaSweepView(View):
    """Compare VAEs trained with different β: encoded test set, reconstructions, prior samples.

    Args:
        results: list of dicts, one per β, each with ``beta`` (float), ``codes`` (N, 2) posterior means of
            the test images, ``recon`` (k, C, H, W) and ``samples`` (k, C, H, W) in [0, 1], ``rate`` (mean KL,
            nats) and ``distortion`` (mean -E log p(x|z), nats).
        labels: (N,) integer labels of the encoded test images (colours).
        originals: (k, C, H, W) the images that ``recon`` reconstructs.

    Knob ``beta`` (one of the swept values); ``update`` returns ``{"beta", "rate", "distortion"}``.
    """

    knobs = ("beta",)
    title = "β-VAE: weight of the KL term"

    def __init__(self, results, labels, originals, *, nrow: int = 8, dpi: int = 72):
        super().__init__()
        if not isinstance(results, (list, tuple)) or not results:
            raise ValueError("results must be a non-empty list of dicts (one per β)")
        need = {"beta", "codes", "recon", "samples", "rate", "distortion"}
        for r in results:
            if not isinstance(r, dict) or not need <= set(r):
                raise ValueError(f"each result must be a dict with keys {sorted(need)}, got "
                                 f"{sorted(r) if isinstance(r, dict) else type(r).__name__}")
        labels = as_tensor(labels, "labels", dtype=None).long().numpy()
        originals = as_images(originals, "originals")
        self.betas = [float(r["beta"]) for r in results]
        self.results = results
        self._codes, self._recon, self._samples = [], [], []
        for r in results:
            c = as_tensor(r["codes"], "codes").numpy()
            if c.ndim != 2 or c.shape[1] < 2 or len(c) != len(labels):
                raise ValueError(f"codes must have shape ({len(labels)}, 2), got {c.shape}")
            self._codes.append(c[:, :2])
            rec = as_images(r["recon"], "recon")
            self._recon.append(grid_array(torch.cat([originals, rec]), nrow=nrow))
            self._samples.append(grid_array(as_images(r["samples"], "samples"), nrow=nrow))
        lf = self.figure(1, 3, figsize=(11, 4.2), dpi=dpi, width_ratios=[1.0, 1, 1])
        ax, ax_r, ax_s = lf.axes[0]
        lim = max(3.0, float(np.percentile(np.abs(np.concatenate(self._codes)), 99)))
        self.lim = lim
        # Each β's scatter is rasterised once into an RGB image: a knob move then swaps one array
        # instead of redrawing 1,000 markers (several times cheaper to render).
        self._rasters = [(_raster(c, labels, lim) * 255 + 0.5).astype(np.uint8) for c in self._codes]
        self.scatter = ax.imshow(self._rasters[0], extent=(-lim, lim, -lim, lim), interpolation="nearest",
                                 aspect="auto")
        ax.set_xlabel("$z_1$")
        ax.set_ylabel("$z_2$")
        ax.set_title("test set encoded (μ), dims 1, 2")
        # each digit's name at its median code, per β (colour alone cannot tell ten classes apart)
        self._classes = np.unique(labels)
        self._medians = [np.stack([np.median(c[labels == k], axis=0) for k in self._classes]) for c in self._codes]
        self.class_labels = [ax.text(0, 0, str(int(k)), color="white", fontsize=15, fontweight="bold", ha="center",
                                     va="center", clip_on=True,
                                     bbox=dict(boxstyle="round,pad=0.15", fc=CLASS_COLORS[int(k) % 10], ec="none",
                                               alpha=0.9))
                             for k in self._classes]
        kw = dict(cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        self.recon_image = ax_r.imshow(self._recon[0], **kw)
        ax_r.set_title("originals / reconstructions")
        ax_r.set_axis_off()
        self.sample_image = ax_s.imshow(self._samples[0], **kw)
        ax_s.set_title("samples, z ~ N(0, I)")
        ax_s.set_axis_off()
        lf.paste(self.scatter, self.recon_image, self.sample_image)  # pixels copied straight into the canvas
        lf.animate(*self.class_labels)
        self.update(beta=self.betas[0])

    def draw(self, beta: float) -> dict:
        """Show the model trained with ``beta`` (one of the swept values); returns its rate and distortion."""
        beta = check_float(beta, "beta")
        k = int(np.argmin([abs(b - beta) for b in self.betas]))
        if abs(self.betas[k] - beta) > 1e-9 * max(1.0, abs(beta)):
            raise ValueError(f"beta must be one of the swept values {self.betas}, got {beta}")
        self.scatter.set_data(self._rasters[k])
        self.codes_shown = self._codes[k]
        for text, (x, y) in zip(self.class_labels, self._medians[k]):
            text.set_position((x, y))
        self.recon_image.set_data(self._recon[k])
        self.sample_image.set_data(self._samples[k])
        r = self.results[k]
        return {"beta": self.betas[k], "rate": float(r["rate"]), "distortion": float(r["distortion"])}

    def frame_key(self, state: dict):
        return state["beta"]  # a handful of precomputed models: each picture is rendered once

    def status_line(self, state: dict) -> str:
        return (f"β = {state['beta']:g}: rate KL = {state['rate']:.1f} nats, "
                f"distortion −E log p(x|z) = {state['distortion']:.1f} nats")

    def controls(self) -> dict:
        import ipywidgets as W

        return {"beta": W.SelectionSlider(options=[(f"{b:g}", b) for b in self.betas], value=self.values["beta"],
                                          description="β", continuous_update=True, style=slider_style(),
                                          layout=slider_layout())}
