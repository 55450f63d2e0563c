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
from course_lib.viz import OKABE_ITO
from course_lib.widgets.base import View, slider_layout, slider_style

__all__ = ["parallel_lines_divergences", "ParallelLinesView"]

_ZERO = 1e-12


def parallel_lines_divergences(theta: float) -> dict:
    """Closed-form KL(P‖Q_θ), KL(Q_θ‖P), JS(P, Q_θ) (natural log, nats) and W1(P, Q_θ)."""
    theta = check_float(theta, "theta")
    same = abs(theta) < _ZERO
    return {"kl": 0.0 if same else math.inf, "js": 0.0 if same else math.log(2.0), "w": abs(theta)}


class ParallelLinesView(View):
    """Left: the two supports; right: KL, JS and W as functions of θ with a marker at the current θ.

    Knob ``theta``; ``update(theta=...)`` returns ``{"theta", "kl", "js", "w"}``.
    """

    knobs = ("theta",)
    title = "Parallel lines: KL and JS jump, W moves smoothly"

    def __init__(self, theta_max: float = 1.0, *, kl_cap: float = 2.0, theta: float = 0.5):
        super().__init__()
        self.theta_max = check_float(theta_max, "theta_max", min_value=0.0, strict_min=True)
        self.kl_cap = check_float(kl_cap, "kl_cap", min_value=0.0, strict_min=True)
        lf = self.figure(1, 2, figsize=(10.5, 4.6), gridspec_kw={"width_ratios": [1, 1.7]})
        ax, axd = lf.axes[0]
        ax.plot([0, 0], [0, 1], color=OKABE_ITO["blue"], lw=5)
        (self.q_line,) = ax.plot([0.5, 0.5], [0, 1], color=OKABE_ITO["vermillion"], lw=5, ls=(0, (4, 1.5)))
        # direct labels instead of a legend: P at the top of its line, Q_θ follows its line
        ax.text(0, 1.06, "P", color=OKABE_ITO["blue"], ha="center", va="bottom", fontweight="bold")
        self.q_label = ax.text(0.5, 1.06, "$Q_θ$", color=OKABE_ITO["vermillion"], ha="center", va="bottom",
                               fontweight="bold")
        ax.set_xlim(-self.theta_max - 0.2, self.theta_max + 0.2)
        ax.set_ylim(-0.1, 1.3)
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.set_title("supports of P and $Q_θ$")

        th = np.linspace(-self.theta_max, self.theta_max, 401)
        th = np.sort(np.append(th, 0.0))
        vals = [parallel_lines_divergences(t) for t in th]
        kl = np.array([min(v["kl"], self.kl_cap) for v in vals])
        colours = [OKABE_ITO["purple"], OKABE_ITO["green"], OKABE_ITO["orange"]]
        axd.plot(th, kl, color=colours[0], label=f"KL(P‖Q_θ) = ∞ (drawn at {self.kl_cap:g})")
        axd.plot(th, [v["js"] for v in vals], color=colours[1], ls="--", label="JS(P, Q_θ) = ln 2")
        axd.plot(th, [v["w"] for v in vals], color=colours[2], ls="-.", label="W(P, Q_θ) = |θ|")
        axd.set_ylim(-0.05, self.kl_cap + 0.15)
        axd.set_xlabel("θ")
        axd.set_ylabel("nats / distance")
        axd.set_title("divergences as a function of θ")
        # outside the axes, to the right: θ = 0, where KL and JS jump, stays visible
        axd.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, handlelength=1.6)
        self.markers = axd.scatter([0, 0, 0], [0, 0, 0], s=90, color=colours, marker="o", zorder=4,
                                   edgecolors="black")
        lf.animate(self.q_line, self.q_label, self.markers)
        self.update(theta=theta)

    def draw(self, theta: float) -> dict:
        theta = check_float(theta, "theta", min_value=-self.theta_max, max_value=self.theta_max)
        d = parallel_lines_divergences(theta)
        self.q_line.set_xdata([theta, theta])
        self.q_label.set_x(theta)
        self.markers.set_offsets([[theta, min(d["kl"], self.kl_cap)], [theta, d["js"]], [theta, d["w"]]])
        return {"theta": theta, **d}

    def status_line(self, state: dict) -> str:
        kl = "∞" if math.isinf(state["kl"]) else f"{state['kl']:.3f}"
        return f"<b>θ = {state['theta']:+.2f} · KL = {kl} · JS = {state['js']:.3f} · W = {state['w']:.3f}</b>"

    def controls(self) -> dict:
        import ipywidgets as W

        return {"theta": W.FloatSlider(value=self.values["theta"], min=-self.theta_max, max=self.theta_max,
                                       step=0.05, description="θ", continuous_update=True,
                                       layout=slider_layout(), style=slider_style())}
