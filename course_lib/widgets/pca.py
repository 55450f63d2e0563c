"""Widget of 02_pca_and_autoencoders: number of principal components -> reconstructions and the error curve."""
from __future__ import annotations

import numpy as np
import torch

from course_lib._checks import as_images, check_int
from course_lib.autoencoders.pca import PCA
from course_lib.viz import OKABE_ITO
from course_lib.widgets.base import View, slider_layout, slider_style
from course_lib.widgets.live import grey_rgb

__all__ = ["PCAReconstructionView"]


class PCAReconstructionView(View):
    """A few test digits (top row) and their rank-m PCA reconstructions (bottom row), beside the
    test error curve with the current m marked.

    Args:
        pca: a fitted :class:`course_lib.autoencoders.pca.PCA`.
        images: (k, C, H, W) digits to reconstruct (k <= 12 reads well).
        errors: test reconstruction errors for m = 0 .. len(errors) - 1 (e.g. ``pca.error_curve(x_test, range(101))``).

    Knob ``m``; ``update(m=...)`` returns ``{"m", "error", "grid"}``.
    """

    knobs = ("m",)
    title = "PCA: reconstruction with m components"

    def __init__(self, pca: PCA, images, errors, *, m: int = 10, figsize=(11, 3.6), dpi: int = 72):
        super().__init__()
        if not isinstance(pca, PCA) or pca.mean is None:
            raise TypeError("pca must be a fitted course_lib.autoencoders.pca.PCA (call .fit(x_train) first)")
        images = as_images(images, "images")
        if not 1 <= len(images) <= 16:
            raise ValueError(f"images must hold between 1 and 16 digits, got {len(images)}")
        errors = np.asarray(errors, dtype=float)
        if errors.ndim != 1 or len(errors) < 2:
            raise ValueError(f"errors must be a 1-D sequence for m = 0, 1, ..., got shape {errors.shape}")
        self.max_m = len(errors) - 1
        if self.max_m > len(pca.singular_values):
            raise ValueError(f"errors has {len(errors)} entries but the PCA has only {len(pca.singular_values)} axes")
        self.k, self.shape = len(images), tuple(images.shape[1:])
        F = images.reshape(self.k, -1).double()
        self.basis = pca.components(self.max_m).T.contiguous()  # (max_m, n)
        self.coords = (F - pca.mean) @ self.basis.T  # (k, max_m): coordinates in the principal basis
        self.mean = pca.mean
        self.errors = errors
        self.originals = images[:, 0].numpy() if self.shape[0] == 1 else None
        if self.originals is None:
            raise ValueError("PCAReconstructionView shows grey images (C = 1)")

        lf = self.figure(1, 2, figsize=figsize, dpi=dpi, width_ratios=[1.7, 1])
        ax_img, ax_err = lf.axes[0]
        self.grid = ax_img.imshow(grey_rgb(self._grid(0)), interpolation="nearest")  # RGB bytes: no colour-mapping per update
        ax_img.set_axis_off()
        ax_img.set_title("test digits (top), rank-m reconstructions (bottom)")
        ax_err.plot(np.arange(len(errors)), errors, color=OKABE_ITO["blue"])
        ax_err.set_xlabel("number of components m")
        ax_err.set_ylabel(r"mean $\|x - \hat x\|^2$")
        ax_err.set_title("reconstruction error")
        # one curve and one marker: the status line names them, no legend needed
        (self.marker,) = ax_err.plot([], [], "o", color=OKABE_ITO["vermillion"], mec="black", ms=11)
        lf.paste(self.grid)  # pixels copied straight into the canvas on every update
        lf.animate(self.marker)
        # the image grid is drawn at its pixel size: nearest-neighbour resampling of a small image is cheap
        self.update(m=min(check_int(m, "m", min_value=0), self.max_m))

    def _grid(self, m: int) -> np.ndarray:
        rec = (self.mean + self.coords[:, :m] @ self.basis[:m]).clamp(0, 1)
        rec = rec.reshape(self.k, *self.shape[1:]).numpy()
        h, w = self.shape[1:]
        out = np.ones((2 * h + 2, self.k * (w + 2) - 2))
        for i in range(self.k):
            out[:h, i * (w + 2): i * (w + 2) + w] = self.originals[i]
            out[h + 2:, i * (w + 2): i * (w + 2) + w] = rec[i]
        return out

    def reconstructions(self, m: int) -> torch.Tensor:
        """(k, C, H, W) rank-m reconstructions of the shown digits (unclipped)."""
        m = check_int(m, "m", min_value=0, max_value=self.max_m)
        return (self.mean + self.coords[:, :m] @ self.basis[:m]).reshape(self.k, *self.shape).float()

    def draw(self, m: int) -> dict:
        """Show rank-m reconstructions and mark (m, error) on the curve; returns both."""
        m = check_int(m, "m", min_value=0, max_value=self.max_m)
        grid = self._grid(m)
        self.grid.set_data(grey_rgb(grid))
        err = float(self.errors[m])
        self.marker.set_data([m], [err])
        return {"m": m, "error": err, "grid": grid}

    def status_line(self, state: dict) -> str:
        err, m = state["error"], state["m"]
        kept = 1.0 - err / self.errors[0] if self.errors[0] > 0 else 1.0
        return f"m = {m} components: test error <b>{err:.1f}</b> ({kept:.0%} of the squared error of m = 0 removed)"

    def controls(self) -> dict:
        import ipywidgets as W

        return {"m": W.IntSlider(value=self.values["m"], min=0, max=self.max_m, description="components m",
                                 continuous_update=True, style=slider_style(), layout=slider_layout())}
