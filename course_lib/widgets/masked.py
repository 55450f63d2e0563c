"""Widgets of 08_autoregressive_and_masked_models: the MAE's mask ratio, and MaskGIT's passes beside
autoregressive decoding. Everything is precomputed when the view is built; a knob only picks frames
and updates two image artists in place."""
from __future__ import annotations

import numpy as np
import torch

from course_lib._checks import as_images, check_float, check_int
from course_lib.widgets.live import LiveFigure, panel

__all__ = ["MaeRatioView", "MaskGitStepperView"]

RATIOS = tuple(round(0.1 + 0.05 * i, 2) for i in range(17))    # 0.10, 0.15, …, 0.90


def _row(images: np.ndarray, pad: int = 2) -> np.ndarray:
    """(k, H, W) → (H, k·(W + pad) − pad) strip with white gaps."""
    k, h, w = images.shape
    out = np.ones((h, k * (w + pad) - pad), dtype=np.float32)
    for i in range(k):
        out[:, i * (w + pad): i * (w + pad) + w] = images[i]
    return out


class MaeRatioView:
    """Top: the test images with the hidden patches greyed; bottom: the MAE's reconstruction.

    Args:
        mae: a trained :class:`course_lib.autoregressive.MAE`.
        images: (k, 1, H, W) in [0, 1], 1 <= k <= 8.
    """

    def __init__(self, mae, images, *, seed: int = 0, figsize=(7, 2.8), dpi: int = 72):
        images = as_images(images, "MaeRatioView: images", channels=1)
        if not 1 <= len(images) <= 8:
            raise ValueError(f"MaeRatioView: images must hold 1 to 8 images, got {len(images)}")
        self.frames, self.errors = {}, {}
        for r in RATIOS:   # one fixed noise seed per ratio: the same ratio always shows the same mask
            rec, m = mae.reconstruct(images, r, torch.Generator().manual_seed(seed))
            x = images[:, 0].numpy()
            masked_in = x * (1 - m[:, 0].numpy()) + 0.35 * m[:, 0].numpy()
            self.frames[r] = np.concatenate([_row(masked_in), np.ones((2, _row(x).shape[1])), _row(rec[:, 0].numpy())])
            self.errors[r] = float((((rec - images) ** 2) * m).sum() / m.sum().clamp_min(1))
        self.lf = LiveFigure(figsize=figsize, dpi=dpi)
        self.lf.fig.set_layout_engine("compressed")  # an image grid: "constrained" cut the row labels at the left
        ax = self.lf.ax
        self.img = ax.imshow(self.frames[0.75], cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        h = images.shape[2]
        ax.set_yticks([h / 2, h + 2 + h / 2], ["masked input", "reconstruction"])
        ax.set_xticks([])
        ax.grid(False)
        ax.set_title("MAE: hidden patches in grey")
        self.lf.animate(self.img)       # only the image changes: the blit redraws one artist
        import ipywidgets as W

        self.status = W.HTML()
        self.last = self.update(ratio=0.75)

    def update(self, ratio: float) -> dict:
        """Show the precomputed frame nearest to ``ratio``; returns the ratio used and the masked-pixel MSE."""
        ratio = check_float(ratio, "MaeRatioView.update: ratio", min_value=0.1, max_value=0.9)
        r = min(RATIOS, key=lambda v: abs(v - ratio))
        self.img.set_data(self.frames[r])
        self.lf.refresh()
        self.status.value = (f"mask ratio {r:.2f} ({r:.0%} of the patches hidden): squared error per hidden "
                             f"pixel {self.errors[r]:.4f}")
        self.last = {"ratio": r, "mse": self.errors[r], "frame": self.frames[r]}
        return self.last

    def widget(self):
        import ipywidgets as W

        s = W.FloatSlider(value=0.75, min=0.1, max=0.9, step=0.05, description="mask ratio",
                          continuous_update=True, style={"description_width": "initial"})
        return panel({"ratio": s}, self.update, self.lf.image, status=self.status, title="masked autoencoder")


class MaskGitStepperView:
    """MaskGIT after k of K passes (top) beside an autoregressive model after k network evaluations (bottom).

    Grey = still masked / not generated yet. Args: ``maskgit`` (a MaskGIT over binary 8x8 images),
    ``ar_model`` (a CausalTransformer over the same images), K passes, n images.
    """

    def __init__(self, maskgit, ar_model, *, K: int = 8, n: int = 4, seed: int = 0, figsize=(7, 2.8), dpi: int = 72):
        self.K = check_int(K, "MaskGitStepperView: K", min_value=1, max_value=64)
        n = check_int(n, "MaskGitStepperView: n", min_value=1, max_value=8)
        _, trace = maskgit.sample(n, generator=torch.Generator().manual_seed(seed), steps=self.K, return_trace=True)
        ar_final = ar_model.sample(n, generator=torch.Generator().manual_seed(seed)).reshape(n, -1)
        T = ar_final.shape[1]
        self.masked_counts, self.frames = [], []
        for k, state in enumerate(trace):
            top = state.float().clone()
            top[state == maskgit.mask_id] = 0.5
            bottom = torch.full_like(ar_final, 0.5)
            bottom[:, :k] = ar_final[:, :k]          # after k evaluations the AR model has k pixels
            self.masked_counts.append(int((state[0] == maskgit.mask_id).sum()))
            self.frames.append(np.concatenate([_row(top.reshape(n, 8, 8).numpy()), np.ones((2, _row(top.reshape(n, 8, 8).numpy()).shape[1])),
                                               _row(bottom.reshape(n, 8, 8).numpy())]))
        self.T = T
        self.lf = LiveFigure(figsize=figsize, dpi=dpi)
        self.lf.fig.set_layout_engine("compressed")  # an image grid: "constrained" cut the row labels at the left
        ax = self.lf.ax
        self.img = ax.imshow(self.frames[0], cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        ax.set_yticks([4, 14], ["MaskGIT", "autoregressive"])
        ax.set_xticks([])
        ax.grid(False)
        ax.set_title("grey: still masked / not generated yet")
        self.lf.animate(self.img)
        import ipywidgets as W

        self.status = W.HTML()
        self.last = self.update(k=0)

    def update(self, k: int) -> dict:
        """Show both decoders after k network evaluations; returns the counts drawn."""
        k = check_int(k, "MaskGitStepperView.update: k", min_value=0, max_value=self.K)
        self.img.set_data(self.frames[k])
        decided = self.T - self.masked_counts[k]
        self.lf.refresh()
        self.status.value = (f"after {k} network evaluation(s): MaskGIT has decided {decided}/{self.T} pixels "
                             f"(pass {k} of {self.K}), the autoregressive model {k}/{self.T}; it needs "
                             f"{self.T} evaluations in all")
        self.last = {"k": k, "masked": self.masked_counts[k], "ar_decided": k, "frame": self.frames[k]}
        return self.last

    def widget(self):
        import ipywidgets as W

        s = W.IntSlider(value=0, min=0, max=self.K, step=1, description="passes",
                        continuous_update=True, style={"description_width": "initial"})
        return panel({"k": s}, self.update, self.lf.image, status=self.status, title="MaskGIT against token-by-token")
