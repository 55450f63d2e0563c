"""Replay recorded GAN runs on a 2-D mixture: samples, modes covered and quality per step (05_gans).

Training live inside a slider callback would be slow and never the same twice; instead each run is
recorded once (:func:`course_lib.gans.model.record_run`: samples every k steps) and the widget replays it. A
dropdown picks the loss, a slider the training step; the figure updates in place.
"""
from __future__ import annotations

import numpy as np

from course_lib._checks import as_points, check_choice, check_float, check_int
from course_lib.widgets.live import LiveFigure, panel

__all__ = ["ModeCollapseView"]


class ModeCollapseView:
    """Real vs generated samples over training, for several recorded runs (one per loss).

    Args:
        recordings: label → :class:`course_lib.gans.model.Recording` (same data for all).
        real: (n, 2) real samples drawn grey in the background.
        centers: (k, 2) mode centres (crosses); std: the mixture's σ (the 3σ circles mark "high quality").
    """

    def __init__(self, recordings: dict, real, centers, std: float, *, title: str = "", lim: float | None = None):
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
        self.max_frame = max(len(r.steps) for r in recordings.values()) - 1
        lim = lim if lim is not None else float(np.abs(self.centers).max() * 1.35 + 0.3)

        self.lf = LiveFigure(1, 2, figsize=(11, 4.8), dpi=72, gridspec_kw={"width_ratios": [1, 1.25]})
        ax, axc = self.lf.axes[0]
        ax.scatter(real[:, 0], real[:, 1], s=4, color="0.7", label="real")
        ax.scatter(self.centers[:, 0], self.centers[:, 1], marker="x", s=60, color="black", label="modes")
        first = next(iter(recordings.values())).samples[0]
        self.scatter = ax.scatter(first[:, 0], first[:, 1], s=6, color="tab:red", alpha=0.6, label="generated")
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        ax.set_aspect("equal")
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.legend(loc="upper right", markerscale=2, fontsize=9)
        ax.set_title(title or "samples")

        steps_max = max(int(r.steps[-1]) for r in recordings.values())
        axc.set_xlim(0, steps_max)
        axc.set_ylim(0, 1.05)
        axc.set_xlabel("generator step")
        axc.set_ylabel("fraction")
        axc.set_title("modes covered / k and high-quality fraction")
        (self.modes_line,) = axc.plot([], [], color="tab:blue", label="modes covered / k")
        (self.hq_line,) = axc.plot([], [], color="tab:orange", label="high-quality fraction")
        self.marker = axc.axvline(0, color="black", lw=1.5, ls="--")
        axc.legend(loc="lower right", fontsize=9)
        # The changing numbers go to an HTML line beside the image, not into the figure: rasterising text
        # with FreeType was half of an update's time.
        self.info = ""
        self._status = None
        self.lf.animate(self.scatter, self.modes_line, self.hq_line, self.marker)
        self.update(self.labels[0], 0)

    def update(self, loss: str | None = None, frame: int = 0) -> dict:
        """Show recorded frame ``frame`` (clamped to the run's length) of run ``loss``; returns its numbers."""
        loss = self.labels[0] if loss is None else check_choice(loss, "loss", set(self.labels))
        frame = check_int(frame, "frame", min_value=0, max_value=self.max_frame)
        r = self.recordings[loss]
        i = min(frame, len(r.steps) - 1)
        self.scatter.set_offsets(r.samples[i])
        self.modes_line.set_data(r.steps, np.asarray(r.modes) / self.n_modes)
        self.hq_line.set_data(r.steps, r.high_quality)
        self.marker.set_xdata([r.steps[i], r.steps[i]])
        modes, hq = int(r.modes[i]), float(r.high_quality[i])
        self.info = (f"{loss}: step {int(r.steps[i])} · modes covered: {modes}/{self.n_modes} · "
                     f"high quality: {hq:.0%}")
        if self._status is not None:
            self._status.value = f"<b>{self.info}</b>"
        self.lf.refresh()
        return {"loss": loss, "step": int(r.steps[i]), "modes": modes, "high_quality": hq}

    def widget(self):
        import ipywidgets as W

        controls = {
            "loss": W.Dropdown(options=self.labels, value=self.labels[0], description="loss"),
            "frame": W.IntSlider(value=0, min=0, max=self.max_frame, step=1, description="recorded step",
                                 continuous_update=True, style={"description_width": "initial"}),
        }
        self._status = W.HTML(f"<b>{self.info}</b>")
        return panel(controls, self.update, self.lf.image, status=self._status,
                     title="Mode collapse: replay a recorded run")
