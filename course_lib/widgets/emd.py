"""Exact optimal transport between two small clouds, live (06_wasserstein_gans).

Shift and scale the red cloud Q; the optimal plan (which blue point goes to which red point) and the
EMD are recomputed exactly (the transport LP, by network simplex) and redrawn in place.
"""
from __future__ import annotations

import numpy as np
import torch

from course_lib._checks import check_float, check_int
from course_lib.evaluation.optimal_transport import transport_plan
from course_lib.viz import OKABE_ITO
from course_lib.widgets.base import View, slider_layout, slider_style

__all__ = ["EMDView"]


class EMDView(View):
    """P: n points from a fixed 2-D Gaussian blob; Q: another blob's points × ``scale`` + (``shift``, 0).

    Knobs ``shift``, ``scale``; ``update`` returns ``{"shift", "scale", "emd", "target"}``.
    """

    knobs = ("shift", "scale")
    title = "Earth Mover's distance: move Q, watch the plan"

    def __init__(self, n: int = 40, *, seed: int = 0, lim: float = 4.5):
        super().__init__()
        self.n = check_int(n, "n", min_value=2, max_value=500)
        g = torch.Generator().manual_seed(check_int(seed, "seed", min_value=0))
        self.p = (torch.randn(self.n, 2, generator=g) * 0.6 + torch.tensor([-1.5, 0.0])).double().numpy()
        self.q0 = (torch.randn(self.n, 2, generator=g) * 0.6).double().numpy()
        from matplotlib.collections import LineCollection

        lf = self.figure(figsize=(8.5, 5.0))
        lf.fig.set_layout_engine("compressed")  # equal-aspect axes: "constrained" cut the y label and the legend
        ax = lf.ax
        self.lines = LineCollection([], colors="0.35", linewidths=1.0, alpha=0.8, label="optimal plan γ*")
        ax.add_collection(self.lines)
        ax.scatter(self.p[:, 0], self.p[:, 1], s=30, color=OKABE_ITO["blue"], marker="o", label="P (fixed)",
                   zorder=3)
        self.q_scatter = ax.scatter(self.q0[:, 0], self.q0[:, 1], s=34, color=OKABE_ITO["vermillion"],
                                    marker="^", label="Q (moves)", zorder=3)
        ax.set_xlim(-lim, lim + 1.0)
        ax.set_ylim(-lim * 0.75, lim * 0.75)
        ax.set_aspect("equal")
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        ax.set_title("exact optimal transport between point clouds")
        lf.animate(self.lines, self.q_scatter)
        self.update(shift=0.0, scale=1.0)

    def q(self, shift: float = 0.0, scale: float = 1.0) -> np.ndarray:
        """Q's points (n, 2) for the given knobs."""
        return self.q0 * scale + np.array([shift, 0.0])

    def draw(self, shift: float, scale: float) -> dict:
        shift = check_float(shift, "shift", min_value=-10.0, max_value=10.0)
        scale = check_float(scale, "scale", min_value=0.0, max_value=10.0)
        q = self.q(shift, scale)
        plan = transport_plan(self.p, q, solver="network-simplex")  # exact, ~3× faster than the assignment solver here
        self.lines.set_segments(np.stack([self.p, q[plan.target]], axis=1))
        self.q_scatter.set_offsets(q)
        return {"shift": shift, "scale": scale, "emd": plan.cost, "target": plan.target}

    def status_line(self, state: dict) -> str:
        return f"<b>EMD(P, Q) = {state['emd']:.3f}</b> (shift {state['shift']:+.1f}, scale {state['scale']:.2f})"

    def controls(self) -> dict:
        import ipywidgets as W

        kw = dict(continuous_update=True, layout=slider_layout(), style=slider_style())
        return {"shift": W.FloatSlider(value=self.values["shift"], min=-3.0, max=3.0, step=0.1,
                                       description="shift Q", **kw),
                "scale": W.FloatSlider(value=self.values["scale"], min=0.2, max=2.5, step=0.05,
                                       description="scale Q", **kw)}
