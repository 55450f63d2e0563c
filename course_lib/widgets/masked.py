"""Widgets of 08_autoregressive_and_masked_models: the MAE's mask ratio, and MaskGIT's passes beside
autoregressive decoding. Both are :class:`~course_lib.widgets.base.View`\\ s. Everything is precomputed
when the view is built; a knob only picks a frame (rendered once, then replayed)."""
from __future__ import annotations

import numpy as np
import torch

from course_lib._checks import as_images, check_float, check_int
from course_lib.widgets.base import View, slider_layout, slider_style

__all__ = ["MaeRatioView", "MaskGitStepperView", "strip", "to_rgb", "GAP_COLOUR"]

RATIOS = tuple(round(0.1 + 0.05 * i, 2) for i in range(17))    # 0.10, 0.15, …, 0.90
# Gaps between tiles: a colour that is neither ink (black), paper (white) nor "masked" (grey), so that
# tiles never merge into a barcode (Okabe-Ito sky blue).
GAP_COLOUR = "#56B4E9"
MASKED_GREY = 0.5


def strip(rows, pad: int = 1) -> np.ndarray:
    """Rows of (k, H, W) images → one (len(rows)·(H + pad) − pad, k·(W + pad) − pad) array; the gaps
    between tiles and between rows are NaN (drawn in :data:`GAP_COLOUR` by :func:`to_rgb`)."""
    k, h, w = rows[0].shape
    out = np.full((len(rows) * (h + pad) - pad, k * (w + pad) - pad), np.nan, dtype=np.float32)
    for r, images in enumerate(rows):
        for i in range(k):
            out[r * (h + pad): r * (h + pad) + h, i * (w + pad): i * (w + pad) + w] = images[i]
    return out


def to_rgb(grey: np.ndarray) -> np.ndarray:
    """(H, W) grey values in [0, 1] with NaN gaps → (H, W, 3) RGB: ink (1) black on white paper (0),
    grey for values between, the gaps in :data:`GAP_COLOUR` (what the views draw; no NaN reaches a figure)."""
    gap = np.array([int(GAP_COLOUR[i:i + 2], 16) / 255 for i in (1, 3, 5)], dtype=np.float32)
    rgb = np.repeat((1.0 - grey)[..., None], 3, axis=-1).astype(np.float32)
    rgb[np.isnan(grey)] = gap
    return rgb


class _StripView(View):
    """A View whose picture is one image artist showing a precomputed frame per knob value."""

    def _build(self, frame, row_centres, row_names, title, figsize, dpi):
        lf = self.figure(figsize=figsize, dpi=dpi)
        lf.fig.set_layout_engine("compressed")  # an image grid: "constrained" cut the row labels at the left
        ax = lf.ax
        self.img = ax.imshow(frame, interpolation="nearest")
        ax.set_yticks(row_centres, row_names, fontsize=15)
        ax.set_xticks([])
        ax.tick_params(length=0)
        ax.grid(False)
        for s in ax.spines.values():
            s.set_visible(False)
        ax.set_title(title, fontsize=15)
        lf.animate(self.img)       # only the image changes: the blit redraws one artist


class MaeRatioView(_StripView):
    """Top row: the test images with the hidden patches grey; bottom row: the MAE's reconstruction.

    Args:
        mae: a trained :class:`course_lib.autoregressive.MAE`.
        images: (k, 1, H, W) in [0, 1], 1 <= k <= 8.
    Knob: ``ratio`` (snapped to the nearest of 0.10, 0.15, …, 0.90). The state's ``frame`` is the RGB
    image drawn (hidden patches grey at 0.65 = 1 − 0.35, ink black, gaps in :data:`GAP_COLOUR`).
    """

    knobs = ("ratio",)
    title = "masked autoencoder: hide a fraction of the patches, reconstruct them"

    def __init__(self, mae, images, *, seed: int = 0, ratio: float = 0.75, figsize=(8, 4.6), dpi: int = 72):
        super().__init__()
        images = as_images(images, "MaeRatioView: images", channels=1)
        if not 1 <= len(images) <= 8:
            raise ValueError(f"MaeRatioView: images must hold 1 to 8 images, got {len(images)}")
        self.frames, self.errors = {}, {}
        x = images[:, 0].numpy()
        for r in RATIOS:   # one fixed noise seed per ratio: the same ratio always shows the same mask
            rec, m = mae.reconstruct(images, r, torch.Generator().manual_seed(seed))
            hidden = m[:, 0].numpy()
            masked_in = x * (1 - hidden) + 0.35 * hidden
            self.frames[r] = to_rgb(strip([masked_in, rec[:, 0].numpy()]))
            self.errors[r] = float((((rec - images) ** 2) * m).sum() / m.sum().clamp_min(1))
        h = images.shape[2]
        self._build(self.frames[0.75], [h / 2, h + 1 + h / 2], ["masked\ninput", "recon-\nstruction"],
                    "hidden patches in grey", figsize, dpi)
        self.update(ratio=ratio)

    def draw(self, ratio: float) -> dict:
        ratio = check_float(ratio, "MaeRatioView.update: ratio", min_value=0.1, max_value=0.9)
        r = min(RATIOS, key=lambda v: abs(v - ratio))
        self.img.set_data(self.frames[r])
        return {"ratio": r, "mse": self.errors[r], "frame": self.frames[r]}

    def frame_key(self, state: dict):
        return state["ratio"]

    def status_line(self, state: dict) -> str:
        r = state["ratio"]
        return (f"mask ratio {r:.2f} ({r:.0%} of the patches hidden): squared error per hidden pixel "
                f"{state['mse']:.4f}")

    def controls(self) -> dict:
        import ipywidgets as W

        return {"ratio": W.FloatSlider(value=self.values["ratio"], min=0.1, max=0.9, step=0.05,
                                       description="mask ratio", continuous_update=True,
                                       style=slider_style(), layout=slider_layout())}


class MaskGitStepperView(_StripView):
    """MaskGIT after k of K passes (top row) above an autoregressive model after k network evaluations
    (bottom row). Grey = still masked / not generated yet.

    Args: ``maskgit`` (a MaskGIT over binary 8x8 images), ``ar_model`` (a CausalTransformer over the same
    images), K passes, n images. Knob: ``k`` (0 … K).
    """

    knobs = ("k",)
    title = "MaskGIT against token-by-token decoding"

    def __init__(self, maskgit, ar_model, *, K: int = 8, n: int = 4, seed: int = 0, k: int = 0,
                 figsize=(8, 4.6), dpi: int = 72):
        super().__init__()
        self.K = check_int(K, "MaskGitStepperView: K", min_value=1, max_value=64)
        n = check_int(n, "MaskGitStepperView: n", min_value=1, max_value=8)
        _, trace = maskgit.sample(n, generator=torch.Generator().manual_seed(seed), steps=self.K,
                                  return_trace=True)
        ar_final = ar_model.sample(n, generator=torch.Generator().manual_seed(seed)).reshape(n, -1)
        self.T = ar_final.shape[1]
        self.masked_counts, self.frames = [], []
        for j, state in enumerate(trace):
            top = state.float().clone()
            top[state == maskgit.mask_id] = MASKED_GREY
            bottom = torch.full_like(ar_final, MASKED_GREY)
            bottom[:, :j] = ar_final[:, :j]          # after j evaluations the AR model has j pixels
            self.masked_counts.append(int((state[0] == maskgit.mask_id).sum()))
            self.frames.append(to_rgb(strip([top.reshape(n, 8, 8).numpy(), bottom.reshape(n, 8, 8).numpy()])))
        self._build(self.frames[0], [3.5, 12.5], ["MaskGIT", "autoregressive"],
                    "grey: still masked / not generated yet", figsize, dpi)
        self.update(k=k)

    def draw(self, k: int) -> dict:
        k = check_int(k, "MaskGitStepperView.update: k", min_value=0, max_value=self.K)
        self.img.set_data(self.frames[k])
        return {"k": k, "masked": self.masked_counts[k], "ar_decided": k, "frame": self.frames[k]}

    def frame_key(self, state: dict):
        return state["k"]

    def status_line(self, state: dict) -> str:
        k = state["k"]
        return (f"after {k} network evaluation(s): MaskGIT has decided {self.T - state['masked']}/{self.T} "
                f"pixels (pass {k} of {self.K}), the autoregressive model {k}/{self.T}; it needs {self.T} "
                f"evaluations in all")

    def controls(self) -> dict:
        import ipywidgets as W

        return {"k": W.IntSlider(value=self.values["k"], min=0, max=self.K, step=1, description="passes",
                                 continuous_update=True, style=slider_style(), layout=slider_layout())}
