"""Likelihood explorer: move (μ, σ) of a Gaussian and watch Σ log p change (notebooks/01_maximum_likelihood).

Left panel: the data (histogram and rug), the density N(x; μ, σ²) of the current parameters and,
dashed, the maximum-likelihood fit. Right panel: the log-likelihood surface
ℒ(μ, σ) = Σ_i log N(x^(i); μ, σ²) as filled contours (relative to its maximum), the MLE as a
star and the current (μ, σ) as a dot, with the current value of ℒ printed.

Only the density curve, the dot and the text change on a slider move; everything else is a
cached background (see :class:`course_lib.widgets.LiveFigure`).
"""
from __future__ import annotations

import numpy as np

from course_lib.distributions import LOG_2PI
from course_lib._checks import check_float, check_int
from course_lib.likelihood.mle import as_samples_1d, gaussian_mle, log_likelihood_grid
from course_lib.viz import OKABE_ITO
from course_lib.widgets.base import View, slider_layout, slider_style

__all__ = ["LikelihoodView"]



class LikelihoodView(View):
    """A view of the Gaussian log-likelihood of 1-D data ``x`` (n,).

    ``update(mu=..., sigma=...)`` moves the model in place and returns
    ``{"mu", "sigma", "log_likelihood", "mle_mu", "mle_sigma", "mle_log_likelihood"}``.
    ``widget()`` returns the ipywidgets panel (two FloatSliders above one image).
    """

    knobs = ("mu", "sigma")
    title = "Fit a Gaussian by hand: find the top of the log-likelihood"

    def __init__(self, x, *, mu_range=None, sigma_range=None, bins: int = 30, grid: int = 120,
                 floor: float = 10.0, figsize=(11, 4.4), dpi: int = 72, mu: float | None = None,
                 sigma: float | None = None):
        super().__init__()
        self.x = as_samples_1d(x).numpy()
        if len(self.x) < 2:
            raise ValueError("x needs at least 2 samples for a likelihood surface with a finite maximum")
        bins = check_int(bins, "bins", min_value=1)
        grid = check_int(grid, "grid", min_value=10, max_value=1000)
        self.floor = check_float(floor, "floor", min_value=0.0, strict_min=True)
        mu_hat, sigma_hat = (float(v) for v in gaussian_mle(self.x))
        if sigma_hat <= 0:
            raise ValueError("x has zero spread (all samples equal): the Gaussian MLE has σ̂ = 0")
        self.mle = (mu_hat, sigma_hat)
        self.mu_range = self._range(mu_range, (mu_hat - 3 * sigma_hat, mu_hat + 3 * sigma_hat), "mu_range")
        self.sigma_range = self._range(sigma_range, (0.3 * sigma_hat, 3.0 * sigma_hat), "sigma_range",
                                       positive=True)
        self.mle_log_likelihood = float(self.log_likelihood(mu_hat, sigma_hat))
        # sufficient statistics: ℒ(μ, σ) in O(1) per update, whatever n is
        self._m, self._s1, self._s2 = len(self.x), float(self.x.sum()), float((self.x ** 2).sum())

        self.live = self.figure(1, 2, figsize=figsize, dpi=dpi)
        ax_d, ax_l = self.live.axes[0]
        self.ax_density, self.ax_surface = ax_d, ax_l

        # ---- left: data and densities
        lo = min(self.x.min(), self.mu_range[0]) - 0.5 * sigma_hat
        hi = max(self.x.max(), self.mu_range[1]) + 0.5 * sigma_hat
        self.grid_x = np.linspace(lo, hi, 400)
        ax_d.hist(self.x, bins=bins, density=True, color=OKABE_ITO["sky"], alpha=0.6, label=f"data (m={len(self.x)})")
        ax_d.plot(self.x, np.zeros_like(self.x), "|", color=OKABE_ITO["blue"], markersize=14, alpha=0.6)
        ax_d.plot(self.grid_x, self._pdf(mu_hat, sigma_hat), "--", color="black", lw=1.8, label="MLE fit")
        (self.curve,) = ax_d.plot(self.grid_x, self._pdf(mu_hat, sigma_hat), color=OKABE_ITO["vermillion"], lw=2.5,
                                  label="model N(μ, σ²)")
        peak = 1.0 / (np.sqrt(2 * np.pi) * self.sigma_range[0])
        ax_d.set_xlim(lo, hi)
        # headroom above the tallest model density for the legend, which then covers no curve
        ax_d.set_ylim(-0.04 * peak, 1.55 * peak)
        ax_d.set_xlabel("x")
        ax_d.set_ylabel("density")
        ax_d.set_title("data and model density")
        ax_d.legend(loc="upper center", ncol=2, frameon=False, handlelength=1.5, columnspacing=1.0)

        # ---- right: the log-likelihood surface
        mus = np.linspace(*self.mu_range, grid)
        sigmas = np.linspace(*self.sigma_range, grid)
        rel = log_likelihood_grid(self.x, mus, sigmas) - self.mle_log_likelihood  # ≤ 0, 0 at the MLE
        # ℒ falls off over orders of magnitude: log-spaced contour levels show both the peak and the tails
        deepest = min(max(float(-rel.min()), 2.0 * self.floor), 100.0 * self.floor)
        steps = np.array([1.0, 2.0, 5.0])
        nice = np.concatenate([steps * 10.0 ** k for k in range(-1, 6)])  # 0.1, 0.2, 0.5, 1, 2, 5, ...
        levels = np.append(-nice[(nice >= 0.5) & (nice <= deepest)][::-1], 0.0)
        from matplotlib.colors import BoundaryNorm

        cs = ax_l.contourf(mus, sigmas, rel, levels=levels, cmap="viridis", extend="min",
                           norm=BoundaryNorm(levels, 256, extend="min"))
        cbar = self.live.fig.colorbar(cs, ax=ax_l, label="ℒ(μ, σ) − ℒ(MLE)")
        cbar.set_ticks(levels)
        cbar.set_ticklabels([f"{v:g}" for v in levels])
        ax_l.plot([mu_hat], [sigma_hat], marker="*", color="white", markeredgecolor="black", markersize=20,
                  linestyle="none", label=f"MLE, ℒ = {self.mle_log_likelihood:.1f}")
        (self.marker,) = ax_l.plot([mu_hat], [sigma_hat], "o", color=OKABE_ITO["vermillion"], markeredgecolor="white",
                                   markersize=12, label="current (μ, σ)")
        ax_l.set_xlim(*self.mu_range)
        ax_l.set_ylim(*self.sigma_range)
        ax_l.set_xlabel("μ")
        ax_l.set_ylabel("σ")
        ax_l.set_title("log-likelihood ℒ(μ, σ) = Σ log p")
        # the star and the dot are labelled by the status line and the title; no legend over the surface
        # The label is static (cached background); only the number is redrawn on a move: glyph
        # rendering is the most expensive part of an update (text is the slowest artist to rasterise).
        ax_l.text(0.03, 0.17, "current ℒ(μ, σ):", transform=ax_l.transAxes, fontsize=14, color="white")
        self.text = ax_l.text(0.03, 0.04, "", transform=ax_l.transAxes, fontsize=15, color="white",
                              fontweight="bold")
        self.live.animate(self.curve, self.marker, self.text)
        mu0 = self.mu_range[0] + 0.25 * (self.mu_range[1] - self.mu_range[0]) if mu is None else mu
        sigma0 = self.sigma_range[0] + 0.6 * (self.sigma_range[1] - self.sigma_range[0]) if sigma is None else sigma
        self.update(mu=mu0, sigma=sigma0)

    # ------------------------------------------------------------------ maths
    @staticmethod
    def _range(value, default, name, positive=False):
        if value is None:
            return default
        if not isinstance(value, (tuple, list)) or len(value) != 2:
            raise TypeError(f"{name} must be a (low, high) pair, got {value!r}")
        lo = check_float(value[0], f"{name}[0]", min_value=0.0 if positive else None, strict_min=positive)
        hi = check_float(value[1], f"{name}[1]")
        if hi <= lo:
            raise ValueError(f"{name} must have low < high, got {value!r}")
        return (lo, hi)

    def _pdf(self, mu, sigma):
        return np.exp(-0.5 * ((self.grid_x - mu) / sigma) ** 2) / (np.sqrt(2 * np.pi) * sigma)

    def log_likelihood(self, mu, sigma) -> float:
        """ℒ(μ, σ) = Σ_i log N(x^(i); μ, σ²) = −(ℓ/2) log(2πσ²) − Σ(x^(i) − μ)²/(2σ²)."""
        return float(-0.5 * len(self.x) * LOG_2PI - len(self.x) * np.log(sigma)
                     - ((self.x - mu) ** 2).sum() / (2 * sigma ** 2))

    # ------------------------------------------------------------------ view
    def draw(self, mu: float, sigma: float) -> dict:
        """Move the model to (μ, σ): redraw the density, the dot and the printed ℒ in place."""
        # finite, σ > 0 (else a clear error); then at most the sliders' range (1e200 would overflow ℒ)
        mu = self.clamp("mu", check_float(mu, "mu"), *self.mu_range)
        sigma = self.clamp("sigma", check_float(sigma, "sigma", min_value=0.0, strict_min=True), *self.sigma_range)
        m = self._m
        ll = -0.5 * m * LOG_2PI - m * np.log(sigma) - (self._s2 - 2 * mu * self._s1 + m * mu ** 2) / (2 * sigma ** 2)
        self.curve.set_ydata(self._pdf(mu, sigma))
        self.marker.set_data([mu], [sigma])
        self.text.set_text(f"{ll:.2f}")
        return {"mu": mu, "sigma": sigma, "log_likelihood": float(ll), "mle_mu": self.mle[0],
                "mle_sigma": self.mle[1], "mle_log_likelihood": self.mle_log_likelihood}

    def status_line(self, state: dict) -> str:
        return (f"μ = {state['mu']:.2f}, σ = {state['sigma']:.2f}: log-likelihood ℒ = <b>{state['log_likelihood']:.2f}</b> "
                f"(maximum {self.mle_log_likelihood:.2f} at μ̂ = {self.mle[0]:.2f}, σ̂ = {self.mle[1]:.2f})")

    def controls(self) -> dict:
        """Sliders for μ and σ (keyboard: focus a handle, then arrow keys)."""
        import ipywidgets as W

        kw = dict(readout_format=".2f", style=slider_style("30px"), layout=slider_layout(), continuous_update=True)
        return {
            "mu": W.FloatSlider(value=self.values["mu"], min=self.mu_range[0], max=self.mu_range[1],
                                step=(self.mu_range[1] - self.mu_range[0]) / 100, description="μ", **kw),
            "sigma": W.FloatSlider(value=self.values["sigma"], min=self.sigma_range[0], max=self.sigma_range[1],
                                   step=(self.sigma_range[1] - self.sigma_range[0]) / 100, description="σ", **kw),
        }
