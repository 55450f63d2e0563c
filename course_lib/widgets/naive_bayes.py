"""Laplace smoothing of a Naive Bayes model, live (taught in ``00_why_generative_models``).

One knob, the pseudo-count α. Left: the class-conditional pixel probabilities θ_k (top row) and one
sample per class drawn with fixed random numbers (bottom row: pixel on iff u < θ, so samples change
smoothly with α). Middle and right: test accuracy and mean test log-likelihood log p(x, y) as
functions of α, with a marker at the current value. Small α trusts the counts (and punishes pixels
never seen in a class); large α pulls every θ towards ½ (uniform noise).
"""
from __future__ import annotations

import copy

import numpy as np
import torch

from course_lib._checks import as_tensor, check_float, check_int
from course_lib.likelihood.naive_bayes import NaiveBayes, _flat_codes
from course_lib.viz import grid_array
from course_lib.widgets.live import LiveFigure, panel

__all__ = ["SmoothingView"]


class SmoothingView:
    """Slider α → θ_k images, samples, accuracy and test log-likelihood of a (copied) Naive Bayes.

    Args:
        nb: a fitted :class:`~course_lib.likelihood.naive_bayes.NaiveBayes` on square images (D = side², levels=2);
            the view works on a copy, so the caller's model keeps its α.
        x_test: (N, D) or (N, 1, side, side) binary codes; y_test: (N,) labels.
        alpha_range: (low, high) of the logarithmic slider.

    ``update(alpha=...)`` returns ``{"alpha", "accuracy", "log_lik" (mean log p(x, y) per test image),
    "theta" (K, D), "samples" (K, D)}``.
    """

    def __init__(self, nb: NaiveBayes, x_test, y_test, *, alpha_range=(1e-3, 100.0), seed: int = 0,
                 figsize=(12, 3.6), dpi: int = 72):
        if not isinstance(nb, NaiveBayes):
            raise TypeError(f"nb must be a fitted course_lib.likelihood.naive_bayes.NaiveBayes, got {type(nb).__name__}")
        if nb.levels != 2:
            raise ValueError(f"SmoothingView shows binary pixels: nb must have levels=2, got {nb.levels}")
        side = int(round(nb.n_features ** 0.5))
        if side * side != nb.n_features:
            raise ValueError(f"nb must model square images (D = side²), got D = {nb.n_features}")
        if nb.class_counts.sum() == 0:
            raise ValueError("nb has not been fitted: call nb.fit(x, y) first")
        lo, hi = (check_float(v, "alpha_range", min_value=0.0, strict_min=True) for v in alpha_range)
        if not lo < hi:
            raise ValueError(f"alpha_range must be an increasing pair (low, high), got {alpha_range}")
        self.alpha_range, self.side = (lo, hi), side
        self.nb = copy.deepcopy(nb)
        self.x_test = _flat_codes(x_test, 2, "x_test")  # (N, D) int64, validated
        if self.x_test.shape[1] != nb.n_features:
            raise ValueError(f"x_test must have {nb.n_features} pixels per image, got shape {tuple(self.x_test.shape)}")
        self.y_test = as_tensor(y_test, "y_test", dtype=None).long().reshape(-1)
        if len(self.y_test) != len(self.x_test):
            raise ValueError(f"x_test and y_test must have the same length, got {len(self.x_test)} and {len(self.y_test)}")
        gen = torch.Generator().manual_seed(check_int(seed, "seed", min_value=0))
        self._u = torch.rand(self.nb.n_classes, self.nb.n_features, generator=gen)

        self.lf = LiveFigure(1, 3, figsize=figsize, dpi=dpi, gridspec_kw={"width_ratios": [1.6, 1, 1]})
        ax_img, ax_acc, ax_ll = self.lf.axes[0]
        self.image = ax_img.imshow(self._grid(), cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        ax_img.set_axis_off()
        ax_img.set_title("top: θ_k = p(pixel on | k); bottom: samples")

        alphas = np.geomspace(lo, hi, 41)
        curve = [self._metrics(a) for a in alphas]
        ax_acc.plot(alphas, [c[0] for c in curve], color="tab:blue")
        ax_ll.plot(alphas, [c[1] for c in curve], color="tab:green")
        for ax, ylabel, title in [(ax_acc, "test accuracy", "accuracy"),
                                  (ax_ll, "mean log p(x, y) (nats)", "test log-likelihood")]:
            ax.set_xscale("log")
            ax.set_xlabel("α (pseudo-count)")
            ax.set_ylabel(ylabel)
            ax.set_title(title)
        (self.acc_dot,) = ax_acc.plot([], [], "o", ms=10, color="tab:red", mec="black")
        (self.ll_dot,) = ax_ll.plot([], [], "o", ms=10, color="tab:red", mec="black")
        import ipywidgets as W

        self.status = W.HTML()
        self.lf.animate(self.image, self.acc_dot, self.ll_dot)
        self.update(alpha=1.0 if lo <= 1.0 <= hi else lo)

    def _metrics(self, alpha: float) -> tuple[float, float]:
        self.nb.set_alpha(alpha)
        lj = self.nb.log_joint(self.x_test)  # (N, K)
        acc = float((lj.argmax(1) == self.y_test).float().mean())
        return acc, float(lj.gather(1, self.y_test[:, None]).mean())

    def _grid(self) -> np.ndarray:
        theta = self.nb.log_probs[:, :, 1].exp()  # (K, D)
        samples = (self._u < theta).float()
        imgs = torch.cat([theta, samples]).reshape(-1, 1, self.side, self.side)
        return grid_array(imgs, nrow=self.nb.n_classes, padding=1, pad_value=0.5)

    @torch.no_grad()
    def update(self, alpha: float = 1.0) -> dict:
        lo, hi = self.alpha_range
        alpha = min(max(check_float(alpha, "alpha", min_value=lo * (1 - 1e-6), max_value=hi * (1 + 1e-6)), lo), hi)
        acc, ll = self._metrics(alpha)
        theta = self.nb.log_probs[:, :, 1].exp()
        self.image.set_data(self._grid())
        self.acc_dot.set_data([alpha], [acc])
        self.ll_dot.set_data([alpha], [ll])
        self.status.value = (f"α = {alpha:.3g}: test accuracy <b>{acc:.3f}</b>, mean test log p(x, y) "
                             f"<b>{ll:.1f}</b> nats; θ ranges over [{float(theta.min()):.3f}, {float(theta.max()):.3f}]")
        self.lf.refresh()
        return {"alpha": alpha, "accuracy": acc, "log_lik": ll, "theta": theta.numpy(),
                "samples": (self._u < theta).float().numpy()}

    def widget(self):
        import ipywidgets as W

        lo, hi = self.alpha_range
        controls = {"alpha": W.FloatLogSlider(value=1.0 if lo <= 1.0 <= hi else lo, base=10, min=np.log10(lo),
                                              max=np.log10(hi), step=0.1, description="α",
                                              continuous_update=True, readout_format=".3g")}
        return panel(controls, self.update, self.lf.image, status=self.status,
                     title="Laplace smoothing α: from trusting the counts to uniform noise")
