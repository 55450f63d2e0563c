"""Replay recorded GAN runs on a 2-D mixture: samples, modes covered and quality per step (05_gans).

Training live inside a slider callback would be slow and never the same twice; instead each run is
recorded once (:func:`course_lib.gans.model.record_run`: samples every k steps) and the widget replays it. A
dropdown picks the loss, a slider the training step; the figure updates in place.
"""
from __future__ import annotations

import numpy as np

from course_lib._checks import as_points, check_choice, check_float, check_int
from course_lib.viz import OKABE_ITO
from course_lib.widgets.base import View, slider_layout, slider_style

__all__ = ["ModeCollapseView"]


class ModeCollapseView(View):
    """Real vs generated samples over training, for several recorded runs (one per loss).

    Args:
        recordings: label → :class:`course_lib.gans.model.Recording` (same data for all).
        real: (n, 2) real samples drawn grey in the background.
        centers: (k, 2) mode centres; std: the mixture's σ (the 3σ circles mark "high quality").

    Knobs ``loss`` (a label) and ``frame`` (index of a recorded frame; the slider's readout shows the
    training step it was recorded at). ``update`` returns ``{"loss", "frame", "step", "modes", "high_quality"}``.
    """

    knobs = ("loss", "frame")
    title = "Mode collapse: replay a recorded run"

    def __init__(self, recordings: dict, real, centers, std: float, *, title: str = "", lim: float | None = None):
        super().__init__()
        if not isinstance(recordings, dict) or not recordings:
            raise ValueError("recordings must be a non-empty dict label -> Recording")
        for k, r in recordings.items():
            if not all(hasattr(r, a) for a in ("steps", "samples", "modes", "high_quality")):
                raise TypeError(f"recordings[{k!r}] must be a course_lib.gans.model.Recording, got {type(r).__name__}")
        self.recordings = recordings
        self.labels = list(recordings)
        real = as_points(real, "real", dim=2).cpu().numpy()
        self.centers = as_points(centers, "centers", dim=2).cpu().numpy()
        self.std = check_float(std, "std", min_value=0.0, strict_min=True)
        self.n_modes = len(self.centers)
        longest = max(recordings.values(), key=lambda r: len(r.steps))
        self.frame_steps = [int(s) for s in longest.steps]  # the slider's readout: the step of each frame
        self.max_frame = len(self.frame_steps) - 1
        lim = lim if lim is not None else float(np.abs(self.centers).max() * 1.35 + 0.3)

        from matplotlib.collections import EllipseCollection
        from matplotlib.lines import Line2D

        lf = self.figure(1, 2, figsize=(10.5, 5.0), gridspec_kw={"width_ratios": [1, 1.25]})
        ax, axc = lf.axes[0]
        ax.scatter(real[:, 0], real[:, 1], s=5, color="0.6", marker="o", linewidths=0)
        # modes as 3σ circles (the "high quality" region), hollow: the real points stay visible inside
        d = 6 * self.std
        ax.add_collection(EllipseCollection(np.full(self.n_modes, d), np.full(self.n_modes, d), 0.0, units="xy",
                                            offsets=self.centers, offset_transform=ax.transData,
                                            facecolors="none", edgecolors="black", linewidths=1.2))
        first = next(iter(recordings.values())).samples[0]
        # generated samples on top of the data and the mode circles, large enough to see where they pile up
        self.scatter = ax.scatter(first[:, 0], first[:, 1], s=18, color=OKABE_ITO["vermillion"], marker="o",
                                  alpha=0.8, linewidths=0, zorder=3)
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        ax.set_aspect("equal")
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.set_title(title or "samples")

        steps_max = max(int(r.steps[-1]) for r in recordings.values())
        axc.set_xlim(0, steps_max)
        axc.set_ylim(0, 1.05)
        axc.set_xlabel("generator step")
        axc.set_ylabel("fraction")
        axc.set_title("modes covered / k, high-quality fraction")
        (self.modes_line,) = axc.plot([], [], color=OKABE_ITO["blue"])
        (self.hq_line,) = axc.plot([], [], color=OKABE_ITO["orange"], ls="--")
        self.marker = axc.axvline(0, color="black", lw=1.5, ls=":")
        # one legend for both panels, under them: it covers no mode and no curve
        handles = [Line2D([], [], ls="none", marker="o", color="0.6", ms=6),
                   Line2D([], [], ls="none", marker="o", mfc="none", mec="black", ms=11),
                   Line2D([], [], ls="none", marker="o", color=OKABE_ITO["vermillion"], ms=7),
                   Line2D([], [], color=OKABE_ITO["blue"]), Line2D([], [], color=OKABE_ITO["orange"], ls="--")]
        lf.fig.legend(handles, ["real", "modes (3σ)", "generated", "modes covered / k", "high quality"],
                      loc="outside lower center", ncol=5, frameon=False, handlelength=1.5, columnspacing=1.0)
        lf.animate(self.scatter, self.modes_line, self.hq_line, self.marker)
        self.update(loss=self.labels[0], frame=0)

    def draw(self, loss: str, frame: int) -> dict:
        """Show recorded frame ``frame`` (clamped to the run's length) of run ``loss``; returns its numbers."""
        loss = check_choice(loss, "loss", set(self.labels))
        frame = check_int(frame, "frame", min_value=0, max_value=self.max_frame)
        r = self.recordings[loss]
        i = min(frame, len(r.steps) - 1)
        self.scatter.set_offsets(r.samples[i])
        self.modes_line.set_data(r.steps, np.asarray(r.modes) / self.n_modes)
        self.hq_line.set_data(r.steps, r.high_quality)
        self.marker.set_xdata([r.steps[i], r.steps[i]])
        return {"loss": loss, "frame": frame, "step": int(r.steps[i]), "modes": int(r.modes[i]),
                "high_quality": float(r.high_quality[i])}

    def frame_key(self, state: dict):
        return (state["loss"], state["step"])  # recorded frames: each picture is rendered once

    def status_line(self, state: dict) -> str:
        return (f"<b>{state['loss']}: step {state['step']} · modes covered: {state['modes']}/{self.n_modes} · "
                f"high quality: {state['high_quality']:.0%}</b>")

    def controls(self) -> dict:
        import ipywidgets as W

        return {
            "loss": W.Dropdown(options=self.labels, value=self.values["loss"], description="loss",
                               style=slider_style()),
            # the readout shows the training step (what the status line and the curve's x axis name)
            "frame": W.SelectionSlider(options=[(str(s), i) for i, s in enumerate(self.frame_steps)],
                                       value=self.values["frame"], description="training step",
                                       continuous_update=True, style=slider_style(), layout=slider_layout()),
        }
