"""VAE latent explorer and β sweep view (taught in notebooks/04_variational_autoencoders).

:class:`VAEExplorer` builds on the course's :class:`~course_lib.widgets.latent.LatentExplorer`
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
from course_lib.widgets.live import LiveFigure, panel
from course_lib.widgets.latent import LatentExplorer, decoded_manifold, dispatch_knobs

__all__ = ["VAEExplorer", "BetaSweepView"]


def _check_vae(vae):
    for attr in ("encode", "decode", "latent_dim", "image_shape"):
        if not hasattr(vae, attr):
            raise TypeError(f"vae must be a course_lib.vae.model.VAE (or have encode, decode, latent_dim, image_shape); "
                            f"{type(vae).__name__} has no {attr!r}")


class VAEExplorer:
    """Latent explorer for a trained VAE.

    Args:
        vae: a trained :class:`course_lib.vae.model.VAE` (put in eval mode).
        images: (N, C, H, W) test images in [0, 1]; their posterior means μ_α(x) are the scattered codes.
        labels: (N,) integer labels.
        lim: the manifold grid and the point sliders cover [-lim, lim] per dimension (2-D latent) — the
            prior N(0, I) puts 99.7 % of its mass per coordinate inside ±3.
        n_grid: the manifold is n_grid x n_grid decoded images (2-D latent only).
    """

    def __init__(self, vae, images, labels, *, lim: float = 3.0, n_grid: int = 15, dpi: int = 72):
        _check_vae(vae)
        images = as_images(images, "images")
        lim = check_float(lim, "lim", min_value=0.0, strict_min=True)
        n_grid = check_int(n_grid, "n_grid", min_value=2, max_value=40)
        vae.eval()
        self.vae, self.d = vae, vae.latent_dim
        with torch.no_grad():
            codes = vae.encode(images)[0]                         # posterior means (N, L)
        decode = vae.decode
        background = None
        slider_range = None
        if self.d == 2:
            slider_range = (-lim, lim)
        self.explorer = LatentExplorer(decode, codes, labels, image_shape=vae.image_shape, images=images,
                                       slider_range=slider_range, background=background,
                                       title=f"test set encoded (μ), {self.d}-D latent" + (
                                           "" if self.d == 2 else ": dims 1, 2"))
        self.manifold_lf = None
        if self.d == 2:
            img, extent = decoded_manifold(decode, xlim=(-lim, lim), ylim=(-lim, lim), n=n_grid,
                                           image_shape=vae.image_shape)
            lf = LiveFigure(1, 1, figsize=(4.4, 4.2), dpi=dpi)
            ax = lf.ax
            ax.imshow(img, extent=extent, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
            ax.set_xlabel("$z_1$")
            ax.set_ylabel("$z_2$")
            ax.set_title(f"decoded manifold ({n_grid}×{n_grid})")
            ax.grid(False)
            (self.manifold_point,) = ax.plot([], [], "X", color="red", mec="white", ms=14)
            (self.manifold_path,) = ax.plot([], [], "-", color="tab:orange", lw=2)
            lf.animate(self.manifold_point, self.manifold_path)
            self.manifold_lf = lf
            self.manifold = img
        self.update_point(*self.explorer.z)
        last = self.explorer.last_interpolation
        self.update_interpolation(last["i"], last["j"], last["t"])

    @property
    def z(self) -> np.ndarray:
        return self.explorer.z

    def update_point(self, *z, **named) -> dict:
        """Move the decoded point (z1=..., z2=..., or positional); returns ``{"z", "image"}``."""
        out = self.explorer.update_point(*z, **named)
        if self.manifold_lf is not None:
            self.manifold_point.set_data([out["z"][0]], [out["z"][1]])
            self.manifold_lf.refresh()
        return out

    def update_interpolation(self, i: int, j: int, t: float) -> dict:
        """Decode z(t) = (1-t) μ(x_i) + t μ(x_j); returns ``{"z", "image", "i", "j", "t"}``."""
        out = self.explorer.update_interpolation(i, j, t)
        if self.manifold_lf is not None:
            zi, zj = self.explorer.codes[out["i"]].numpy(), self.explorer.codes[out["j"]].numpy()
            self.manifold_path.set_data([zi[0], zj[0]], [zi[1], zj[1]])
            self.manifold_lf.refresh()
        return out

    def update(self, **knobs) -> dict:
        """z1..zd move the point; i, j, t move the interpolation."""
        return dispatch_knobs(self, self.explorer.last_interpolation, knobs)

    def widget(self, *, i: int = 0, j: int = 1, steps: int = 60):
        """Point sliders z1..zd, interpolation sliders i, j, t; the manifold beside the explorer (2-D)."""
        import ipywidgets as W

        ex = self.explorer
        steps = check_int(steps, "steps", min_value=2)
        lay = W.Layout(width="260px")
        point = {f"z{k + 1}": W.FloatSlider(value=float(ex.z[k]), min=float(ex.low[k]), max=float(ex.high[k]),
                                            step=float(ex.high[k] - ex.low[k]) / steps, description=f"z{k + 1}",
                                            continuous_update=True, readout_format=".2f", layout=lay)
                 for k in range(self.d)}
        i = check_int(i, "i", min_value=0, max_value=ex.n - 1)
        j = check_int(j, "j", min_value=0, max_value=ex.n - 1)
        interp = {"i": W.IntSlider(value=i, min=0, max=ex.n - 1, description="digit i", layout=lay),
                  "j": W.IntSlider(value=j, min=0, max=ex.n - 1, description="digit j", layout=lay),
                  "t": W.FloatSlider(value=0.5, min=0.0, max=1.0, step=0.05, description="t", layout=lay)}
        self.update_interpolation(i, j, 0.5)
        views = [ex.lf.image] + ([self.manifold_lf.image] if self.manifold_lf is not None else [])
        top = panel(point, self.update_point, status=ex.point_status, title="move the red × (decoded live)")
        bottom = panel(interp, self.update_interpolation, *views, status=ex.interp_status,
                       title="interpolate between the codes of test digits i and j")
        return W.VBox([top, bottom])


def _raster(codes: np.ndarray, labels: np.ndarray, lim: float, cmap, size: int = 220) -> np.ndarray:
    """Codes (N, 2) drawn as 2x2-pixel dots coloured by label on white: an (size, size, 3) float image."""
    img = np.ones((size, size, 3))
    col = ((codes[:, 0] + lim) / (2 * lim) * (size - 2)).astype(int)
    row = ((lim - codes[:, 1]) / (2 * lim) * (size - 2)).astype(int)   # row 0 is the top (largest z2)
    keep = (col >= 0) & (col < size - 1) & (row >= 0) & (row < size - 1)
    colours = np.asarray([cmap(int(k) % 10)[:3] for k in labels])
    for dr in (0, 1):
        for dc in (0, 1):
            img[row[keep] + dr, col[keep] + dc] = colours[keep]
    return img


class BetaSweepView:
    """Compare VAEs trained with different β: encoded test set, reconstructions, prior samples.

    Args:
        results: list of dicts, one per β, each with ``beta`` (float), ``codes`` (N, 2) posterior means of
            the test images, ``recon`` (k, C, H, W) and ``samples`` (k, C, H, W) in [0, 1], ``rate`` (mean KL,
            nats) and ``distortion`` (mean -E log p(x|z), nats).
        labels: (N,) integer labels of the encoded test images (colours).
        originals: (k, C, H, W) the images that ``recon`` reconstructs.
    """

    def __init__(self, results, labels, originals, *, nrow: int = 8, dpi: int = 72):
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
        lf = LiveFigure(1, 3, figsize=(13, 4.4), dpi=dpi, width_ratios=[1.1, 1, 1])
        ax, ax_r, ax_s = lf.axes[0]
        lim = max(3.0, float(np.percentile(np.abs(np.concatenate(self._codes)), 99)))
        self.lim = lim
        # Each β's scatter is rasterised once into an RGB image: a knob move then swaps one array
        # instead of redrawing 1,000 markers (several times cheaper to render).
        import matplotlib as mpl

        cmap = mpl.colormaps["tab10"]
        self._rasters = [_raster(c, labels, lim, cmap) for c in self._codes]
        self.scatter = ax.imshow(self._rasters[0], extent=(-lim, lim, -lim, lim), interpolation="nearest",
                                 aspect="auto")
        ax.set_xlabel("$z_1$")
        ax.set_ylabel("$z_2$")
        ax.set_title("test set encoded (μ), dims 1, 2")
        norm = mpl.colors.Normalize(-0.5, 9.5)
        lf.fig.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, ticks=range(10), label="digit")
        kw = dict(cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        self.recon_image = ax_r.imshow(self._recon[0], **kw)
        ax_r.set_title("originals (top) / reconstructions")
        ax_r.set_axis_off()
        self.sample_image = ax_s.imshow(self._samples[0], **kw)
        ax_s.set_title("samples z ~ N(0, I)")
        ax_s.set_axis_off()
        lf.animate(self.scatter, self.recon_image, self.sample_image)
        self.lf = lf
        import ipywidgets as W

        self.status = W.HTML()
        self.update(beta=self.betas[0])

    def update(self, beta: float) -> dict:
        """Show the model trained with ``beta`` (one of the swept values); returns its rate and distortion."""
        beta = check_float(beta, "beta")
        k = int(np.argmin([abs(b - beta) for b in self.betas]))
        if abs(self.betas[k] - beta) > 1e-9 * max(1.0, abs(beta)):
            raise ValueError(f"beta must be one of the swept values {self.betas}, got {beta}")
        self.scatter.set_data(self._rasters[k])
        self.codes_shown = self._codes[k]
        self.recon_image.set_data(self._recon[k])
        self.sample_image.set_data(self._samples[k])
        r = self.results[k]
        self.status.value = (f"β = {self.betas[k]:g}: rate KL = {float(r['rate']):.1f} nats, "
                             f"distortion −E log p(x|z) = {float(r['distortion']):.1f} nats")
        self.lf.refresh()
        self.shown = {"beta": self.betas[k], "rate": float(r["rate"]), "distortion": float(r["distortion"])}
        return self.shown

    def widget(self):
        import ipywidgets as W

        slider = W.SelectionSlider(options=[(f"{b:g}", b) for b in self.betas], value=self.betas[0],
                                   description="β", continuous_update=True, layout=W.Layout(width="400px"))
        return panel({"beta": slider}, self.update, self.lf.image, status=self.status,
                     title="β-VAE: weight of the KL term")
