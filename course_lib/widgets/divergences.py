"""KL, JS and Wasserstein distance on the parallel-lines example (06_wasserstein_gans).

P is uniform on the segment {0} × [0, 1], Q_θ uniform on {θ} × [0, 1] (Arjovsky et al., 2017, Example 1).
For θ ≠ 0 the supports are disjoint, so

* KL(P‖Q_θ) = +∞, JS(P, Q_θ) = ln 2 (a constant: no gradient tells θ which way to move),
* W(P, Q_θ) = |θ| (continuous, with gradient sign(θ) everywhere),

and at θ = 0 all three are 0. The closed forms are checked in the notebook against estimates from
samples (histogram KL/JS, exact EMD).
"""
from __future__ import annotations

import math

import numpy as np

from course_lib._checks import check_float
from course_lib.widgets.live import LiveFigure, panel

__all__ = ["parallel_lines_divergences", "ParallelLinesView"]

_ZERO = 1e-12


def parallel_lines_divergences(theta: float) -> dict:
    """Closed-form KL(P‖Q_θ), KL(Q_θ‖P), JS(P, Q_θ) (natural log, nats) and W1(P, Q_θ)."""
    theta = check_float(theta, "theta")
    same = abs(theta) < _ZERO
    return {"kl": 0.0 if same else math.inf, "js": 0.0 if same else math.log(2.0), "w": abs(theta)}


class ParallelLinesView:
    """Left: the two supports; right: KL, JS and W as functions of θ with a marker at the current θ."""

    def __init__(self, theta_max: float = 1.0, *, kl_cap: float = 2.0):
        self.theta_max = check_float(theta_max, "theta_max", min_value=0.0, strict_min=True)
        self.kl_cap = check_float(kl_cap, "kl_cap", min_value=0.0, strict_min=True)
        self.lf = LiveFigure(1, 2, figsize=(11, 4.3), dpi=72, gridspec_kw={"width_ratios": [1, 1.6]})
        ax, axd = self.lf.axes[0]
        ax.plot([0, 0], [0, 1], color="tab:blue", lw=5, label="P: x₁ = 0")
        (self.q_line,) = ax.plot([0.5, 0.5], [0, 1], color="tab:red", lw=5, label="Q_θ: x₁ = θ")
        ax.set_xlim(-self.theta_max - 0.2, self.theta_max + 0.2)
        ax.set_ylim(-0.1, 1.35)
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.set_title("supports of P and $Q_θ$")
        ax.legend(loc="upper right", fontsize=10)

        th = np.linspace(-self.theta_max, self.theta_max, 401)
        th = np.sort(np.append(th, 0.0))
        vals = [parallel_lines_divergences(t) for t in th]
        kl = np.array([min(v["kl"], self.kl_cap) for v in vals])
        axd.plot(th, kl, color="tab:purple", label=f"KL(P‖Q_θ) (= ∞, drawn at {self.kl_cap:g})")
        axd.plot(th, [v["js"] for v in vals], color="tab:green", label="JS(P, Q_θ)")
        axd.plot(th, [v["w"] for v in vals], color="tab:orange", label="W(P, Q_θ) = |θ|")
        axd.set_ylim(-0.05, self.kl_cap + 0.3)
        axd.set_xlabel("θ")
        axd.set_ylabel("value (nats / distance)")
        axd.set_title("divergences as a function of θ")
        axd.legend(loc="upper center", fontsize=9)
        self.markers = axd.scatter([0, 0, 0], [0, 0, 0], s=70, color=["tab:purple", "tab:green", "tab:orange"],
                                   zorder=4, edgecolors="black")
        self.info = ""  # the current values, shown as HTML beside the image (cheaper than rasterised text)
        self._status = None
        self.lf.animate(self.q_line, self.markers)
        self.update(0.5)

    def update(self, theta: float = 0.5) -> dict:
        theta = check_float(theta, "theta", min_value=-self.theta_max, max_value=self.theta_max)
        d = parallel_lines_divergences(theta)
        self.q_line.set_xdata([theta, theta])
        self.markers.set_offsets([[theta, min(d["kl"], self.kl_cap)], [theta, d["js"]], [theta, d["w"]]])
        kl = "∞" if math.isinf(d["kl"]) else f"{d['kl']:.3f}"
        self.info = f"θ = {theta:+.2f} · KL = {kl} · JS = {d['js']:.3f} · W = {d['w']:.3f}"
        if self._status is not None:
            self._status.value = f"<b>{self.info}</b>"
        self.lf.refresh()
        return d

    def widget(self):
        import ipywidgets as W

        controls = {"theta": W.FloatSlider(value=0.5, min=-self.theta_max, max=self.theta_max, step=0.05,
                                           description="θ", continuous_update=True)}
        self._status = W.HTML(f"<b>{self.info}</b>")
        return panel(controls, self.update, self.lf.image, status=self._status,
                     title="Parallel lines: KL and JS jump, W moves smoothly")
