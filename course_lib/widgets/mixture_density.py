"""A slice through the two-answer problem: p(y | x) of a generative model vs an MSE point prediction.

Taught in ``00_why_generative_models``. Left: the training pairs (x, y), the regressor's curve and
a vertical line at the chosen x with samples y ~ p(y | x) from the mixture density network on it.
Right (same y axis): the model's density p(y | x), the true density and the regressor's prediction.
Moving x shows the regressor sitting between the two branches, where no answer ever is.
"""
from __future__ import annotations

import numpy as np
import torch

from course_lib._checks import as_points, check_float, check_int
from course_lib.likelihood.mixture_density import MixtureDensityNetwork, MSERegressor, conditional_mean, true_log_density
from course_lib.viz import OKABE_ITO
from course_lib.widgets.base import View, slider_layout, slider_style

__all__ = ["ConditionalSliceView"]


class ConditionalSliceView(View):
    """Slider x → p(y | x) of ``mdn`` vs ``regressor(x)``, drawn in place.

    Args:
        x, y: training pairs, (n, 1) each (drawn once, static).
        regressor: an :class:`~course_lib.likelihood.mixture_density.MSERegressor` (any module mapping (n, 1) → (n, 1)).
        mdn: a :class:`~course_lib.likelihood.mixture_density.MixtureDensityNetwork`.
        p_upper, noise: the true process, for the reference density.
        n_samples: samples from p(y | x) drawn on the slice (fixed noise, so they move smoothly with x).

    ``update(x=...)`` returns ``{"x", "prediction", "mean", "y_grid" (m,), "density" (m,),
    "true_density" (m,), "samples" (n_samples,), "mass_upper", "mass_lower"}``; the masses are the
    model's probability within 3·noise of +√x and of -√x.
    """

    knobs = ("x",)
    title = "Move x: the MDN keeps both answers, the MSE regressor predicts their mean"

    def __init__(self, x, y, regressor: MSERegressor, mdn: MixtureDensityNetwork, *, p_upper: float = 0.5,
                 noise: float = 0.05, n_samples: int = 40, x_range=(0.02, 1.0), seed: int = 0,
                 figsize=(10.5, 4.6), dpi: int = 72):
        super().__init__()
        x = as_points(x, "x", dim=1)
        y = as_points(y, "y", dim=1)
        if len(x) != len(y):
            raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}")
        if not isinstance(mdn, MixtureDensityNetwork):
            raise TypeError(f"mdn must be a MixtureDensityNetwork, got {type(mdn).__name__}")
        if not isinstance(regressor, torch.nn.Module):
            raise TypeError(f"regressor must be a torch.nn.Module mapping (n, 1) to (n, 1), got {type(regressor).__name__}")
        self.regressor, self.mdn = regressor, mdn
        self.p_upper = check_float(p_upper, "p_upper", min_value=0.0, max_value=1.0)
        self.noise = check_float(noise, "noise", min_value=0.0, strict_min=True)
        n_samples = check_int(n_samples, "n_samples", min_value=1)
        lo, hi = (check_float(v, "x_range", min_value=0.0) for v in x_range)
        if not lo < hi:
            raise ValueError(f"x_range must be an increasing pair (low, high), got {x_range}")
        self.x_range = (lo, hi)
        self.step = 0.02
        self._start = lo + round((0.5 * (lo + hi) - lo) / self.step) * self.step  # on the slider's grid
        gen = torch.Generator().manual_seed(check_int(seed, "seed", min_value=0))
        self._u = torch.rand(n_samples, generator=gen)  # picks the mixture component
        self._eps = torch.randn(n_samples, generator=gen)  # noise within it
        self.y_grid = torch.linspace(-1.5, 1.5, 301)
        self._dy = float(self.y_grid[1] - self.y_grid[0])

        lf = self.figure(1, 2, figsize=figsize, dpi=dpi, sharey=True, gridspec_kw={"width_ratios": [1.4, 1]})
        ax, axd = lf.axes[0]
        blue, red = OKABE_ITO["blue"], OKABE_ITO["vermillion"]
        ax.scatter(x[:, 0].numpy(), y[:, 0].numpy(), s=5, alpha=0.25, color="gray", label="training pairs")
        xs = torch.linspace(lo, hi, 200)[:, None]
        with torch.no_grad():
            ax.plot(xs[:, 0], regressor(xs)[:, 0], color=red, ls="--", label="MSE regressor f(x)")
        (self.vline,) = ax.plot([], [], color="black", lw=1.5, ls=":")
        # A marker-only line draws faster than a scatter collection (no per-point path extents).
        (self.sample_dots,) = ax.plot([], [], "o", ms=6, color=blue, mec="white", mew=0.5, zorder=3,
                                      label="samples y ~ p(y|x)")
        (self.pred_dot,) = ax.plot([], [], marker="*", ms=18, color=red, mec="black", ls="none", zorder=4)
        ax.set_xlim(lo - 0.03, hi + 0.03)
        # room above and below the two branches (±1 at x = 1): the densities' peaks are not cut off
        ax.set_ylim(-1.6, 1.6)
        ax.set_xlabel("input x")
        ax.set_ylabel("answer y")
        ax.set_title("two correct answers y = ±√x")

        (self.dens_line,) = axd.plot([], [], color=blue, label="MDN p(y|x)")
        (self.true_line,) = axd.plot([], [], color="black", ls=":", lw=1.8, label="true p(y|x)")
        (self.pred_line,) = axd.plot([], [], color=red, lw=2.5, ls="--", label="MSE prediction")
        # the x axis holds the tallest density anywhere on the slider's range, the model's or the true one
        # (a sharper-than-true MDN peak would otherwise be cut at the axis limit), with headroom
        peak = 1.0 / (np.sqrt(2 * np.pi) * self.noise) * max(self.p_upper, 1 - self.p_upper)
        with torch.no_grad():
            xg = torch.linspace(lo, hi, 60)[:, None]
            peak = max(peak, float(self.mdn.log_prob(xg, self.y_grid[None].expand(60, -1)).exp().max()))
        peak *= 1.1
        axd.set_xlim(0, peak)
        axd.set_xlabel("density p(y | x)")
        axd.set_title("the slice at x")
        # one legend under both panels: it hides no branch and no sample
        handles = [*ax.get_legend_handles_labels()[0], *axd.get_legend_handles_labels()[0]]
        labels = [*ax.get_legend_handles_labels()[1], *axd.get_legend_handles_labels()[1]]
        lf.fig.legend(handles, labels, loc="outside lower center", ncol=3, frameon=False, markerscale=1.5,
                      columnspacing=1.2)
        lf.animate(self.vline, self.sample_dots, self.pred_dot, self.dens_line, self.true_line,
                        self.pred_line)
        self.update(x=self._start)

    @torch.no_grad()
    def _samples(self, x0: torch.Tensor) -> torch.Tensor:
        log_pi, mu, sigma = self.mdn(x0)  # (1, K) each
        cdf = log_pi.exp()[0].cumsum(0)
        k = torch.searchsorted(cdf, self._u.clamp(max=float(cdf[-1]) - 1e-7))  # inverse-CDF pick of a component
        return mu[0, k] + sigma[0, k] * self._eps

    @torch.no_grad()
    def draw(self, x: float) -> dict:
        lo, hi = self.x_range
        x = min(max(check_float(x, "x", min_value=lo, max_value=hi, rel_tol=1e-6), lo), hi)  # float32 slack
        x0 = torch.tensor([[x]])
        pred = float(self.regressor(x0)[0, 0])
        dens = self.mdn.log_prob(x0, self.y_grid[None])[0].exp()
        true = true_log_density(x0, self.y_grid[None], p_upper=self.p_upper, noise=self.noise)[0].exp()
        samples = self._samples(x0)
        r = x ** 0.5
        near = lambda c: float(dens[(self.y_grid - c).abs() < 3 * self.noise].sum()) * self._dy  # noqa: E731
        out = {"x": x, "prediction": pred, "mean": float(conditional_mean(x0, self.p_upper)[0, 0]),
               "y_grid": self.y_grid.numpy(), "density": dens.numpy(), "true_density": true.numpy(),
               "samples": samples.numpy(), "mass_upper": near(r), "mass_lower": near(-r)}

        self.vline.set_data([x, x], [-1.5, 1.5])
        self.sample_dots.set_data(np.full(len(samples), x), out["samples"])
        self.pred_dot.set_data([x], [pred])
        self.dens_line.set_data(out["density"], out["y_grid"])
        self.true_line.set_data(out["true_density"], out["y_grid"])
        self.pred_line.set_data([0, self.lf.axes[0, 1].get_xlim()[1]], [pred, pred])
        return out

    def status_line(self, out: dict) -> str:
        x, pred = out["x"], out["prediction"]
        return (f"x = {x:.2f}: the answers are ±{x ** 0.5:.2f}. MSE regressor predicts <b>{pred:+.2f}</b> "
                f"(E[y|x] = {out['mean']:+.2f}). MDN probability within 3σ of +√x: "
                f"<b>{out['mass_upper']:.2f}</b>, of -√x: <b>{out['mass_lower']:.2f}</b>")


    def controls(self) -> dict:
        import ipywidgets as W

        lo, hi = self.x_range
        return {"x": W.FloatSlider(value=self.values["x"], min=lo, max=hi, step=self.step, description="x",
                                   continuous_update=True, readout_format=".2f", style=slider_style(),
                                   layout=slider_layout())}
