"""Laplace smoothing of a Naive Bayes model, live (taught in ``00_why_generative_models``).

One knob, the pseudo-count κ (argument `alpha`). Left: the class-conditional pixel probabilities θ_k (top row) and one
sample per class drawn with fixed random numbers (bottom row: pixel on iff u < θ, so samples change
smoothly with κ). Middle and right: test accuracy and mean test log-likelihood log p(x, y) as
functions of κ, with a marker at the current value. Small κ trusts the counts (and punishes pixels
never seen in a class); large κ pulls every θ towards ½ (uniform noise).
"""
from __future__ import annotations

import copy

import numpy as np
import torch

from course_lib._checks import as_tensor, check_float, check_int
from course_lib.likelihood.naive_bayes import NaiveBayes
from course_lib.viz import grid_array
from course_lib.viz import OKABE_ITO
from course_lib.widgets.base import View, slider_layout, slider_style
from course_lib.widgets.live import grey_rgb

__all__ = ["SmoothingView"]


class SmoothingView(View):
    """Slider κ → θ_k images, samples, accuracy and test log-likelihood of a (copied) Naive Bayes.

    Args:
        nb: a fitted :class:`~course_lib.likelihood.naive_bayes.NaiveBayes` on square images (D = side², levels=2);
            the view works on a copy, so the caller's model keeps its κ.
        x_test: (N, D) or (N, 1, side, side) binary codes; y_test: (N,) labels.
        alpha_range: (low, high) of the logarithmic slider.

    ``update(alpha=...)`` returns ``{"alpha", "accuracy", "log_lik" (mean log p(x, y) per test image),
    "theta" (K, D), "samples" (K, D)}``.
    """

    knobs = ("alpha",)
    title = "Laplace smoothing κ: from trusting the counts to uniform noise"

    def __init__(self, nb: NaiveBayes, x_test, y_test, *, alpha_range=(1e-3, 100.0), seed: int = 0,
                 figsize=(11, 4.0), dpi: int = 72):
        super().__init__()
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
        x_test = as_tensor(x_test, "x_test", dtype=None)
        if x_test.ndim < 2:
            raise ValueError(f"x_test must be a batch of shape (N, D) or (N, C, H, W), got shape {tuple(x_test.shape)}")
        self.nb.log_joint(x_test[:1])  # the model's own checks: binary codes with D = nb.n_features
        self.x_test = x_test.reshape(len(x_test), -1).long()  # (N, D)
        self.y_test = as_tensor(y_test, "y_test", dtype=None).long().reshape(-1)
        if len(self.y_test) != len(self.x_test):
            raise ValueError(f"x_test and y_test must have the same length, got {len(self.x_test)} and {len(self.y_test)}")
        gen = torch.Generator().manual_seed(check_int(seed, "seed", min_value=0))
        self._u = torch.rand(self.nb.n_classes, self.nb.n_features, generator=gen)

        self._cache: dict = {}
        lf = self.figure(1, 3, figsize=figsize, dpi=dpi, gridspec_kw={"width_ratios": [1.6, 1, 1]})
        ax_img, ax_acc, ax_ll = self.lf.axes[0]
        self.image = ax_img.imshow(grey_rgb(self._grid()), interpolation="nearest")  # RGB bytes: no colour-mapping per update
        ax_img.set_axis_off()
        ax_img.set_title("θ_k = p(on | k) (top), samples")

        alphas = np.geomspace(lo, hi, 41)
        curve = [self._metrics(a) for a in alphas]
        ax_acc.plot(alphas, [c[0] for c in curve], color=OKABE_ITO["blue"])
        ax_ll.plot(alphas, [c[1] for c in curve], color=OKABE_ITO["green"])
        for ax, ylabel, title in [(ax_acc, "accuracy", "test accuracy"),
                                  (ax_ll, "mean log p(x, y)", "test log-lik. (nats)")]:
            ax.set_xscale("log")
            ax.set_xlabel("κ")
            ax.set_ylabel(ylabel)
            ax.set_title(title)
        (self.acc_dot,) = ax_acc.plot([], [], "o", ms=11, color=OKABE_ITO["vermillion"], mec="black")
        (self.ll_dot,) = ax_ll.plot([], [], "o", ms=11, color=OKABE_ITO["vermillion"], mec="black")
        lf.paste(self.image)  # pixels copied straight into the canvas on every update
        lf.animate(self.acc_dot, self.ll_dot)
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
    def _state(self, alpha: float) -> dict:
        # The slider has a few dozen positions: each one's numbers and image are computed once.
        if alpha not in self._cache:
            acc, ll = self._metrics(alpha)
            theta = self.nb.log_probs[:, :, 1].exp()
            if len(self._cache) > 256:
                self._cache.clear()
            self._cache[alpha] = {"alpha": alpha, "accuracy": acc, "log_lik": ll, "theta": theta.numpy(),
                                  "samples": (self._u < theta).float().numpy(), "grid": grey_rgb(self._grid())}
        return self._cache[alpha]

    def draw(self, alpha: float) -> dict:
        lo, hi = self.alpha_range
        alpha = min(max(check_float(alpha, "alpha", min_value=lo, max_value=hi, rel_tol=1e-6), lo), hi)
        state = self._state(alpha)
        self.image.set_data(state["grid"])
        self.acc_dot.set_data([alpha], [state["accuracy"]])
        self.ll_dot.set_data([alpha], [state["log_lik"]])
        return {k: v for k, v in state.items() if k != "grid"}

    def frame_key(self, state: dict):
        return round(state["alpha"], 12)

    def status_line(self, state: dict) -> str:
        theta = state["theta"]
        return (f"κ = {state['alpha']:.3g}: test accuracy <b>{state['accuracy']:.3f}</b>, mean test log p(x, y) "
                f"<b>{state['log_lik']:.1f}</b> nats; θ ranges over [{float(theta.min()):.3f}, {float(theta.max()):.3f}]")

    def controls(self) -> dict:
        import ipywidgets as W

        lo, hi = self.alpha_range
        return {"alpha": W.FloatLogSlider(value=self.values["alpha"], base=10, min=np.log10(lo), max=np.log10(hi),
                                          step=0.1, description="κ (pseudo-count)", continuous_update=True,
                                          readout_format=".3g", style=slider_style(), layout=slider_layout())}
