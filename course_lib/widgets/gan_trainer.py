"""A live GAN trainer in the notebook (05_gans, reused in 06_wasserstein_gans), after GAN Lab.

Pick the data, the loss, the two learning rates and the D steps per G step; press play and the game runs
in small chunks between frames (the engine is :mod:`course_lib.gans.live_training`, no widgets there).
Left: the discriminator's decision surface D(x) (or the LSGAN score / WGAN critic) as a heatmap, real
samples, generated samples and, on some of them, the arrow −∇ₓL_G along which the generator's update
pushes each sample. Right: modes covered and the high-quality fraction over generator steps.

:class:`GANTrainerView` has plain methods (``update``, ``play_frame``, ``step_d``, ``step_g``, ``reset``) that the
unit tests call; :meth:`GANTrainerView.widget` only wires ipywidgets controls to them.
"""
from __future__ import annotations

import time

import numpy as np

from course_lib._checks import check_choice, check_int
from course_lib.gans.live_training import LIVE_DATA, LIVE_LOSSES, LiveGAN, train_frame
from course_lib.widgets.live import LiveFigure, panel

__all__ = ["GANTrainerView", "OKABE_ITO"]

#: Okabe & Ito's colour-blind-safe palette
OKABE_ITO = {"orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
             "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000"}
_FONT = 14  # px at dpi 72: readable on a projector


class GANTrainerView:
    """The live trainer's picture and state; see the module docstring.

    Args: data, loss (a key of :data:`~course_lib.gans.live_training.LIVE_LOSSES`), seed; ``steps_per_frame``
    generator steps run per frame when playing.
    """

    def __init__(self, data: str = "ring", loss: str = "non-saturating + R1 + EMA (stable)", *, seed: int = 0,
                 steps_per_frame: int = 20, dpi: int = 72):
        self.seed = check_int(seed, "seed")
        self.steps_per_frame = check_int(steps_per_frame, "steps_per_frame", min_value=1, max_value=500)
        self.data_name = check_choice(data, "data", set(LIVE_DATA))
        self.loss = check_choice(loss, "loss", set(LIVE_LOSSES))
        self.state = LiveGAN(self.data_name, self.loss, seed=self.seed)
        self.frames = 0
        self.info = ""
        self._status = None
        self._controls = None
        self._syncing = False
        self._last_frame_end = 0.0

        self.lf = LiveFigure(1, 2, figsize=(11.5, 5.4), dpi=dpi, gridspec_kw={"width_ratios": [1, 1.1]})
        ax, axc = self.lf.axes[0]
        for a in (ax, axc):
            a.tick_params(labelsize=_FONT)
        f = self.state.frame(record=False)
        self.heat = ax.imshow(f.field, extent=f.extent, origin="lower", cmap="cividis", alpha=0.6,
                              vmin=f.clim[0], vmax=f.clim[1], interpolation="bilinear")
        real = self.state.data.sample(600, generator=_gen(self.seed + 10)).numpy()
        self.real = ax.scatter(real[:, 0], real[:, 1], s=5, color="0.3", label="real")
        self.fake = ax.scatter(f.samples[:, 0], f.samples[:, 1], s=10, color=OKABE_ITO["vermillion"],
                               label="generated")
        self.quiver = ax.quiver(f.arrows_at[:, 0], f.arrows_at[:, 1], f.arrows[:, 0], f.arrows[:, 1],
                                color="black", angles="xy", scale_units="xy", scale=1.0, width=0.004,
                                label="−∇ₓ L_G")
        ax.set_aspect("equal")
        ax.set_xlabel("$x_1$", fontsize=_FONT)
        ax.set_ylabel("$x_2$", fontsize=_FONT)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, fontsize=_FONT, markerscale=2,
                  frameon=False)

        (self.modes_line,) = axc.plot([], [], color=OKABE_ITO["blue"], lw=2.5, label="modes covered / k")
        (self.hq_line,) = axc.plot([], [], color=OKABE_ITO["orange"], lw=2.5, ls="--", label="high-quality fraction")
        axc.set_ylim(0, 1.05)
        axc.set_xlabel("generator step", fontsize=_FONT)
        axc.set_ylabel("fraction", fontsize=_FONT)
        axc.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=_FONT, frameon=False)
        axc.grid(alpha=0.3)
        self.axes = (ax, axc)
        self.lf.animate(self.heat, self.fake, self.quiver, self.modes_line, self.hq_line)
        self._restyle()
        self.draw(f)

    # ------------------------------------------------------------------ plain, tested methods
    def update(self, data: str | None = None, loss: str | None = None, lr_g: float | None = None,
               lr_d: float | None = None, n_critic: int | None = None, steps_per_frame: int | None = None) -> dict:
        """Apply the knobs. A new data set or loss starts a fresh model (with that recipe's learning rates and
        D steps, which are returned); learning rates, D steps and steps per frame change the running model."""
        data = self.data_name if data is None else check_choice(data, "data", set(LIVE_DATA))
        loss = self.loss if loss is None else check_choice(loss, "loss", set(LIVE_LOSSES))
        if steps_per_frame is not None:
            self.steps_per_frame = check_int(steps_per_frame, "steps_per_frame", min_value=1, max_value=500)
        if data != self.data_name or loss != self.loss:
            self.data_name, self.loss = data, loss
            self.reset()
        else:
            if lr_g is not None or lr_d is not None:
                self.state.set_learning_rates(lr_g if lr_g is not None else self.state.lr_g,
                                              lr_d if lr_d is not None else self.state.lr_d)
            if n_critic is not None:
                self.state.set_n_critic(n_critic)
        return self.knobs()

    def knobs(self) -> dict:
        return {"data": self.data_name, "loss": self.loss, "lr_g": self.state.lr_g, "lr_d": self.state.lr_d,
                "n_critic": self.state.model.n_critic, "steps_per_frame": self.steps_per_frame}

    def play_frame(self) -> dict:
        """One frame while playing: ``steps_per_frame`` rounds of D/G updates, then redraw."""
        return self.draw(train_frame(self.state, self.steps_per_frame))

    def step_d(self) -> dict:
        """One discriminator/critic update (G fixed), then redraw: watch the heatmap move alone."""
        self.state.step_d(1)
        return self.draw(self.state.frame())

    def step_g(self) -> dict:
        """One generator update (D fixed), then redraw: watch the samples follow the arrows."""
        self.state.step_g(1)
        return self.draw(self.state.frame())

    def reset(self) -> dict:
        """A fresh model with the current data and loss (the recipe's learning rates and D steps)."""
        self.state = LiveGAN(self.data_name, self.loss, seed=self.seed)
        real = self.state.data.sample(600, generator=_gen(self.seed + 10)).numpy()
        self.real.set_offsets(real)
        self._restyle()
        return self.draw(self.state.frame())

    def draw(self, f) -> dict:
        """Put frame ``f`` (a :class:`~course_lib.gans.live_training.Frame`) on the figure, in place."""
        self.heat.set_data(f.field)
        self.heat.set_clim(*f.clim)
        self.fake.set_offsets(f.samples)
        norms = np.linalg.norm(f.arrows, axis=1) if len(f.arrows) else np.zeros(1)
        # Arrows scaled by the frame's largest one (a fixed scale fits no loss: their gradients differ by
        # orders of magnitude); the median size goes to the status line.
        scale = 0.08 * (f.extent[1] - f.extent[0]) / max(float(norms.max()), 1e-12)
        self.quiver.set_offsets(f.arrows_at)
        self.quiver.set_UVC(f.arrows[:, 0] * scale, f.arrows[:, 1] * scale)
        h = self.state.history
        k = f.n_modes
        self.modes_line.set_data(h["g_steps"], np.asarray(h["modes"], dtype=float) / k)
        self.hq_line.set_data(h["g_steps"], h["high_quality"])
        axc = self.axes[1]
        if h["g_steps"] and h["g_steps"][-1] > axc.get_xlim()[1]:
            axc.set_xlim(0, 2 * axc.get_xlim()[1])  # the axis changed: redraw the static parts once
            self.lf.invalidate()
        self.lf.refresh()
        self.frames += 1
        out = {"g_steps": f.g_steps, "d_steps": f.d_steps, "modes": f.modes, "n_modes": k,
               "high_quality": f.high_quality, "d_loss": f.d_loss, "g_loss": f.g_loss,
               "grad_median": float(np.median(norms))}
        self.info = (f"G steps {f.g_steps} · D steps {f.d_steps} · modes covered {f.modes}/{k} · "
                     f"high quality {f.high_quality:.0%} · loss D {_num(f.d_loss)}, G {_num(f.g_loss)} · "
                     f"median |∇ₓL_G| {out['grad_median']:.2g}")
        if self._status is not None:
            self._status.value = f"<span style='font-size:15px'><b>{self.info}</b></span>"
        return out

    def _restyle(self) -> None:
        """Static parts that depend on data and loss: limits, heatmap label; then a full redraw once."""
        ax, axc = self.axes
        lim = self.state.data.lim
        self.heat.set_extent((-lim, lim, -lim, lim))
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        field = "D(x)" if self.state.kind in ("minimax", "nonsaturating") else (
            "score s(x)" if self.state.kind == "lsgan" else "critic f(x)")
        ax.set_title(f"{self.data_name}: heatmap = {field}", fontsize=_FONT)
        axc.set_xlim(0, 400)
        axc.set_title(self.loss, fontsize=_FONT)
        self.lf.invalidate()

    # ------------------------------------------------------------------ ipywidgets wiring
    def widget(self, *, interval_ms: int = 100):
        """Controls + picture. The Play button ticks every ``interval_ms``; a tick that arrives while a frame
        was still being computed is dropped, so pause takes effect at once even on a slow machine."""
        import ipywidgets as W

        style = {"description_width": "initial"}
        k = self.knobs()
        controls = {
            "data": W.Dropdown(options=list(LIVE_DATA), value=k["data"], description="data"),
            "loss": W.Dropdown(options=list(LIVE_LOSSES), value=k["loss"], description="loss",
                               layout=W.Layout(width="330px")),
            "lr_g": W.FloatLogSlider(value=k["lr_g"], base=10, min=-4, max=-1.7, step=0.1, description="lr G",
                                     readout_format=".1e", continuous_update=False, style=style),
            "lr_d": W.FloatLogSlider(value=k["lr_d"], base=10, min=-4, max=-1.7, step=0.1, description="lr D",
                                     readout_format=".1e", continuous_update=False, style=style),
            "n_critic": W.IntSlider(value=k["n_critic"], min=1, max=10, description="D steps per G step",
                                    continuous_update=False, style=style),
            "steps_per_frame": W.IntSlider(value=k["steps_per_frame"], min=1, max=100,
                                           description="G steps per frame", continuous_update=False, style=style),
        }
        self._controls = controls

        def on_knobs(**values):
            if self._syncing:
                return None
            before = (self.data_name, self.loss)
            out = self.update(**values)
            if (out["data"], out["loss"]) != before:  # a new model: show its recipe's settings
                self._syncing = True
                try:
                    for name in ("lr_g", "lr_d", "n_critic"):
                        controls[name].value = out[name]
                finally:
                    self._syncing = False
            return out

        play = W.Play(value=0, min=0, max=10**9, step=1, interval=interval_ms, description="play")
        play.add_class("gan-trainer-play")

        def on_tick(_change):
            if time.perf_counter() - self._last_frame_end < 0.25 * interval_ms / 1e3:
                return  # queued while the previous frame ran: drop it
            self._guarded(self.play_frame)

        play.observe(on_tick, names="value")
        buttons = []
        for label, fn in (("step D", self.step_d), ("step G", self.step_g), ("reset", self.reset)):
            b = W.Button(description=label, layout=W.Layout(width="90px"), style={"font_size": "15px"})
            b.add_class("gan-trainer-" + label.replace(" ", "-").lower())
            b.on_click(lambda _b, fn=fn: self._guarded(fn))
            buttons.append(b)
        self._status = W.HTML(f"<span style='font-size:15px'><b>{self.info}</b></span>")
        self._status.add_class("gan-trainer-status")
        box = panel(controls, on_knobs, self.lf.image, status=W.VBox([W.HBox([play, *buttons]), self._status]),
                    title="Live GAN trainer: press play, or step D and G yourself")
        return box

    def _guarded(self, fn):
        try:
            fn()
        except Exception as err:  # a callback's traceback would only reach JupyterLab's log: show it here
            if self._status is not None:
                self._status.value = f"<pre style='color:#b00020'>trainer failed: {type(err).__name__}: {err}</pre>"
            raise
        finally:
            self._last_frame_end = time.perf_counter()


def _num(v: float) -> str:
    return "–" if v != v else f"{v:.3f}"  # NaN before the first step of that player


def _gen(seed):
    import torch

    return torch.Generator().manual_seed(seed)
