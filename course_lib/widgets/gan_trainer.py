"""A live GAN trainer in the notebook (05_gans, reused in 06_wasserstein_gans), after GAN Lab.

Pick the data, the loss, the two learning rates and the D steps per G step; press **play** and the game runs
in small chunks between frames until **pause** (the engine is :mod:`course_lib.gans.live_training`, the
picture's data :mod:`course_lib.widgets.gan_frames`). Left: the discriminator's output D(x) (or the LSGAN
score / WGAN critic) as a heatmap with its colour bar, real samples, generated samples on top and, on a few
of them, the arrow −∇ₓL_G along which the generator's update pushes each sample. Right: modes covered and
the high-quality fraction over generator steps.

:class:`GANTrainerView` is a :class:`~course_lib.widgets.base.View`: its knobs (data, loss, learning rates,
D steps per G step, G steps per frame) go through ``update(**knobs)`` like every course widget. It also has
*actions* that move the picture without moving a knob, plain methods the unit tests call: ``play`` and
``pause`` (the pair of buttons), ``tick`` (one frame if playing: what the play loop runs), ``step_d``,
``step_g`` and ``reset``. They end exactly as ``update`` does (status line, PNG bytes).

Playing is a loop on the kernel's event loop: a frame, then a short sleep in which the kernel reads the
messages of the page (a click on pause among them), then the next frame if still playing. So pause stops
after the frame being computed, and no frame runs after it.

Speed (benchmarks/widgets_ch05.py): the heatmap is coloured here, by a lookup table, and its pixels are
pasted into the canvas (:meth:`LiveFigure.paste <course_lib.widgets.live.LiveFigure.paste>`) instead of going
through matplotlib's resample-and-colour-map of ``imshow``, the largest part of a redraw.
"""
from __future__ import annotations

import numpy as np

from course_lib._checks import check_choice, check_float, check_int
from course_lib.gans.live_training import LIVE_DATA, LIVE_LOSSES, LiveGAN
from course_lib.widgets.base import View, slider_style
from course_lib.widgets.gan_frames import Framer, heat_lut, heat_rgb

__all__ = ["GANTrainerView", "OKABE_ITO", "BUTTONS"]

#: Okabe & Ito's colour-blind-safe palette
OKABE_ITO = {"orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
             "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000"}
_FONT = 14  # px at dpi 72: readable on a projector
#: the learning-rate sliders' range (log10) and the D-steps slider's; values set by code are clamped to them
LR_LOG10 = (-4.0, -1.7)
LR_RANGE = (10 ** LR_LOG10[0], 10 ** LR_LOG10[1])
N_CRITIC_RANGE = (1, 10)
#: the buttons: name → (label, FontAwesome icon, tooltip). CSS class: gan-trainer-<name>
BUTTONS = {
    "play": ("play", "play", "Train continuously: each frame runs 'G steps per frame' rounds of "
                             "(D steps per G step) D updates + 1 G update"),
    "pause": ("pause", "pause", "Stop training after the frame being computed; the model is kept"),
    "step-d": ("step D", "", "One discriminator update with G fixed: watch the heatmap move alone"),
    "step-g": ("step G", "", "One generator update with D fixed: watch the samples follow the arrows"),
    "reset": ("reset", "undo", "Start again: a fresh model for this data and loss, with its recipe's "
                               "learning rates and D steps"),
}
_STATUS_PX = 66  # the status line's fixed height: three lines of 15 px text, so the figure never moves


class GANTrainerView(View):
    """The live trainer's picture and state; see the module docstring.

    Args: data, loss (a key of :data:`~course_lib.gans.live_training.LIVE_LOSSES`), seed; ``steps_per_frame``
    generator steps (each after its D steps) run per frame when playing.
    """

    knobs = ("data", "loss", "lr_g", "lr_d", "n_critic", "steps_per_frame")
    title = "Live GAN trainer: press play, or step D and G yourself"

    def __init__(self, data: str = "ring", loss: str = "non-saturating + R1 + EMA (stable)", *, seed: int = 0,
                 steps_per_frame: int = 20, dpi: int = 72):
        super().__init__()
        self.seed = check_int(seed, "seed")
        steps_per_frame = check_int(steps_per_frame, "steps_per_frame", min_value=1, max_value=500)
        data = check_choice(data, "data", set(LIVE_DATA))
        loss = check_choice(loss, "loss", set(LIVE_LOSSES))
        self.state = LiveGAN(data, loss, seed=self.seed)
        self.framer = Framer()
        self.frames = 0
        self.playing = False
        self._buttons: dict = {}
        self._task = None
        self._in_frame = False  # a frame is being computed (pause then leaves the status line to it)
        self._lut = heat_lut()
        self._field_drawn = None

        lf = self.figure(1, 2, figsize=(11.5, 5.4), dpi=dpi, gridspec_kw={"width_ratios": [1, 1]})
        ax, axc = lf.axes[0]
        for a in (ax, axc):
            a.tick_params(labelsize=_FONT)
        f = self.framer(self.state, record=False)
        # origin "upper" with the rows flipped by heat_rgb: what LiveFigure.paste expects
        self.heat = ax.imshow(heat_rgb(f.field, f.clim, self._lut), extent=f.extent, origin="upper",
                              interpolation="nearest")
        self.colorbar = self._colorbar(ax, f)
        # drawn in this order (see animate below): real data, arrows, then the generated samples on top
        real = self.state.data.sample(600, generator=_gen(self.seed + 10)).numpy()
        self.real = ax.scatter(real[:, 0], real[:, 1], s=6, color="0.3", alpha=0.6, linewidths=0,
                               label="real")
        self._n_quiver = self.framer.n_arrows
        zeros = np.zeros(self._n_quiver)
        self.quiver = ax.quiver(zeros + 1e6, zeros, zeros, zeros,
                                color="0.1", alpha=0.8, angles="xy", scale_units="xy", scale=1.0,
                                width=0.0035, headwidth=4, headlength=5, label="−∇ₓ L_G")
        self.fake = ax.scatter(f.samples[:, 0], f.samples[:, 1], s=16, color=OKABE_ITO["vermillion"],
                               edgecolors="white", linewidths=0.4, label="generated")
        ax.set_aspect("equal")
        ax.set_xlabel("$x_1$", fontsize=_FONT)
        ax.set_ylabel("$x_2$", fontsize=_FONT)
        from matplotlib.lines import Line2D

        arrow = Line2D([], [], color="0.1", ls="none", marker=r"$\rightarrow$", markersize=9, label="−∇ₓ L_G")
        ax.legend(handles=[self.real, self.fake, arrow], loc="upper center",
                  bbox_to_anchor=(0.5, -0.12), ncol=3, fontsize=_FONT, markerscale=2, frameon=False)

        (self.modes_line,) = axc.plot([], [], color=OKABE_ITO["blue"], lw=2.5, label="modes covered / k")
        (self.hq_line,) = axc.plot([], [], color=OKABE_ITO["orange"], lw=2.5, ls="--",
                                   label="high-quality fraction")
        axc.set_ylim(0, 1.05)
        axc.set_xlabel("generator step", fontsize=_FONT)
        axc.set_ylabel("fraction", fontsize=_FONT)
        axc.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=_FONT, frameon=False)
        axc.grid(alpha=0.3)
        self.axes = (ax, axc)
        lf.paste(self.heat)  # pixels copied into the canvas; everything animated is drawn over them
        # the axes' frame too: the pasted heatmap covers the pixels of its edges
        lf.animate(self.real, self.quiver, self.fake, *ax.spines.values(), self.modes_line, self.hq_line)
        self.values = {"data": data, "loss": loss, "lr_g": self.state.lr_g, "lr_d": self.state.lr_d,
                       "n_critic": self.state.model.n_critic, "steps_per_frame": steps_per_frame}
        self._restyle()
        self.show_frame(self.framer(self.state))

    def _colorbar(self, ax, f):
        """The heatmap's colour bar: the lookup table's colours (blended with white, as drawn) over ``clim``."""
        from matplotlib.cm import ScalarMappable
        from matplotlib.colors import ListedColormap, Normalize

        self._mappable = ScalarMappable(Normalize(*f.clim), ListedColormap(self._lut / 255.0))
        cb = ax.figure.colorbar(self._mappable, ax=ax, fraction=0.05, pad=0.03)
        cb.ax.tick_params(labelsize=_FONT)
        cb.set_label(f.field_label, fontsize=_FONT)
        return cb

    # ------------------------------------------------------------------ the View contract
    @property
    def data_name(self) -> str:
        return self.values["data"]

    @property
    def loss(self) -> str:
        return self.values["loss"]

    @property
    def steps_per_frame(self) -> int:
        return self.values["steps_per_frame"]

    @property
    def info(self) -> str:
        """The status line as plain text."""
        return self.status.replace("<br>", "\n")

    def draw(self, data, loss, lr_g, lr_d, n_critic, steps_per_frame) -> dict:
        """Apply the knobs and redraw the current state (no training). A new data set or loss starts a fresh
        model with that recipe's learning rates and D steps (returned, so the controls move to them; the
        learning rates and D steps passed with it are ignored); otherwise learning rates, D steps and steps
        per frame change the running model."""
        data = check_choice(data, "data", set(LIVE_DATA))
        loss = check_choice(loss, "loss", set(LIVE_LOSSES))
        steps_per_frame = check_int(steps_per_frame, "steps_per_frame", min_value=1, max_value=500)
        if data != self.state.data.name or loss != self.values.get("loss"):
            self.values.update(data=data, loss=loss)
            self.state = LiveGAN(data, loss, seed=self.seed)
            self._new_model()
            f = self.framer(self.state)
        else:   # set by code outside the sliders' ranges: drawn at the nearest end, and the status says so
            lo, hi = LR_RANGE
            self.state.set_learning_rates(self.clamp("lr_g", lr_g, lo, hi), self.clamp("lr_d", lr_d, lo, hi))
            self.state.set_n_critic(int(self.clamp("n_critic", check_int(n_critic, "n_critic"), *N_CRITIC_RANGE)))
            f = self.framer(self.state, record=False)
        self.values["steps_per_frame"] = steps_per_frame
        return self._put(f)

    def status_line(self, state: dict) -> str:
        """Two lines, always: playing or paused, the counts and the metric; then the losses and the arrows'
        size."""
        return (f"{'playing' if state.get('playing') else 'paused'} · G steps {state['g_steps']} · D steps {state['d_steps']} · modes covered {state['modes']}/"
                f"{state['n_modes']} · high quality {state['high_quality']:.0%}<br>loss D {_num(state['d_loss'])}"
                f" · loss G {_num(state['g_loss'])} · median |∇ₓL_G| {state['grad_median']:.2g}")

    def controls(self) -> dict:
        import ipywidgets as W

        style = slider_style()
        v = self.values
        return {
            "data": W.Dropdown(options=list(LIVE_DATA), value=v["data"], description="data",
                               layout=W.Layout(width="190px"), style=slider_style()),
            # wide enough for the longest label at 15 px ("non-saturating + R1 + EMA (stable)")
            "loss": W.Dropdown(options=list(LIVE_LOSSES), value=v["loss"], description="loss",
                               layout=W.Layout(width="420px"), style=slider_style()),
            "lr_g": W.FloatLogSlider(value=v["lr_g"], base=10, min=LR_LOG10[0], max=LR_LOG10[1], step=0.1,
                                     description="lr G", readout_format=".1e", continuous_update=False,
                                     style=style),
            "lr_d": W.FloatLogSlider(value=v["lr_d"], base=10, min=LR_LOG10[0], max=LR_LOG10[1], step=0.1,
                                     description="lr D", readout_format=".1e", continuous_update=False,
                                     style=style),
            "n_critic": W.IntSlider(value=v["n_critic"], min=N_CRITIC_RANGE[0], max=N_CRITIC_RANGE[1],
                                    description="D steps per G step",
                                    continuous_update=False, style=style),
            "steps_per_frame": W.IntSlider(value=v["steps_per_frame"], min=1, max=100,
                                           description="G steps per frame", continuous_update=False,
                                           style=style),
        }

    # ------------------------------------------------------------------ actions (plain, tested methods)
    def play(self) -> bool:
        """The play button: start playing (frames run until :meth:`pause`). Returns whether it started; on a
        kernel's event loop the frames start at once, elsewhere (a script, a test) call :meth:`tick`."""
        if self.playing:
            return False
        self.playing = True
        self._sync_buttons()
        if self.last:
            self._show({**self.last, "playing": True}, refresh=False)
        self._start_loop()
        return True

    def pause(self) -> bool:
        """The pause button: no frame starts after this call. Returns whether it was playing."""
        was = self.playing
        self.playing = False  # first: a frame that has not started yet will not (see tick)
        self._sync_buttons()
        # The status says "paused" at once, with the step counts it stopped at; if a frame is being computed
        # (a kernel may handle the click while one runs) that frame ends by writing it, with its own counts.
        if was and self.last and not self._in_frame:
            self._show({**self.last, "playing": False}, refresh=False)
        return was

    def tick(self) -> dict | None:
        """One frame if playing (the state drawn), else nothing (None): what the play loop runs."""
        self._in_frame = True  # before reading `playing`, so that pause and tick cannot both miss each other
        try:
            if not self.playing:
                return None
            return self.play_frame()
        except Exception:
            self.pause()  # a diverged or failed frame stops the loop; the status line says why
            raise
        finally:
            self._in_frame = False

    def play_frame(self) -> dict:
        """One frame: ``steps_per_frame`` rounds of ``GAN.train_step``, then redraw."""
        self.state.train(self.steps_per_frame)
        return self.show_frame(self.framer(self.state))

    def step_d(self) -> dict:
        """One discriminator/critic update (G fixed), then redraw: watch the heatmap move alone."""
        self.state.step_d(1)
        return self.show_frame(self.framer(self.state))

    def step_g(self) -> dict:
        """One generator update (D fixed), then redraw: watch the samples follow the arrows."""
        self.state.step_g(1)
        return self.show_frame(self.framer(self.state))

    def reset(self) -> dict:
        """A fresh model with the current data and loss (the recipe's learning rates and D steps); playing
        goes on if it was on."""
        self.state = LiveGAN(self.data_name, self.loss, seed=self.seed)
        self._new_model()
        state = self.show_frame(self.framer(self.state))
        self._sync_controls()
        return state

    # ------------------------------------------------------------------ drawing
    def show_frame(self, f) -> dict:
        """Draw frame ``f`` (a :class:`~course_lib.widgets.gan_frames.Frame`), write the status line and push
        the PNG: how every action ends."""
        return self._show(self._put(f))

    def _new_model(self) -> None:
        self.values.update(lr_g=self.state.lr_g, lr_d=self.state.lr_d, n_critic=self.state.model.n_critic)
        real = self.state.data.sample(600, generator=_gen(self.seed + 10)).numpy()
        self.real.set_offsets(real)
        self._restyle()

    def _put(self, f) -> dict:
        """Put frame ``f`` on the artists, in place; the state it shows (the knobs' values included)."""
        if f.field is not self._field_drawn:  # the same array after a G step (D unchanged): keep its pixels
            self.heat.set_data(heat_rgb(f.field, f.clim, self._lut))
            self._field_drawn = f.field
            if tuple(self._mappable.get_clim()) != tuple(f.clim):  # the colour bar's numbers change: rare
                self._mappable.set_clim(*f.clim)
                self.lf.invalidate()
        self.fake.set_offsets(f.samples)
        norms = np.linalg.norm(f.arrows, axis=1) if len(f.arrows) else np.zeros(1)
        # Arrows scaled by the frame's largest one (a fixed scale fits no loss: their gradients differ by
        # orders of magnitude), the largest 8 % of the square's side; the median size goes to the status line.
        scale = 0.08 * (f.extent[1] - f.extent[0]) / max(float(norms.max()), 1e-12)
        # a quiver keeps its number of arrows: the unused ones wait, of length 0, far outside the axes
        at, uv = np.full((self._n_quiver, 2), 1e6), np.zeros((self._n_quiver, 2))
        at[: len(f.arrows)], uv[: len(f.arrows)] = f.arrows_at, f.arrows * scale
        self.quiver.set_offsets(at)
        self.quiver.set_UVC(uv[:, 0], uv[:, 1])
        h = self.state.history
        k = f.n_modes
        self.modes_line.set_data(h["g_steps"], np.asarray(h["modes"], dtype=float) / k)
        self.hq_line.set_data(h["g_steps"], h["high_quality"])
        axc = self.axes[1]
        if h["g_steps"] and h["g_steps"][-1] > axc.get_xlim()[1]:
            axc.set_xlim(0, 2 * axc.get_xlim()[1])  # the axis changed: redraw the static parts once
            self.lf.invalidate()
        self.frames += 1
        return {**self.values, "lr_g": self.state.lr_g, "lr_d": self.state.lr_d,
                "n_critic": self.state.model.n_critic, "g_steps": f.g_steps, "d_steps": f.d_steps,
                "modes": f.modes, "n_modes": k, "high_quality": f.high_quality, "d_loss": _loss(f.d_loss),
                "g_loss": _loss(f.g_loss), "grad_median": float(np.median(norms)), "clim": f.clim,
                "playing": self.playing,
                "arrows": len(f.arrows)}

    def _show(self, state: dict, refresh: bool = True) -> dict:
        """End an action as ``update`` ends: keep the state, write the status line, push the PNG."""
        self.values = {k: state[k] for k in self.knobs}
        self.last = state
        self.status = self.status_line(state)
        if self._status_widget is not None:
            self._status_widget.value = self._status_html()
        if refresh:
            self.lf.refresh()
        return state

    def _restyle(self) -> None:
        """Static parts that depend on data and loss: limits, heatmap label; then a full redraw once."""
        ax, axc = self.axes
        lim = self.state.data.lim
        self.heat.set_extent((-lim, lim, -lim, lim))
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        f = self.framer(self.state, record=False)
        self._mappable.set_clim(*f.clim)
        self.colorbar.set_label(f.field_label, fontsize=_FONT)
        ax.set_title(f"{self.data_name}: heatmap = {f.field_label}", fontsize=_FONT)
        axc.set_xlim(0, 400)
        axc.set_title(self.loss, fontsize=_FONT)
        self.lf.invalidate()

    # ------------------------------------------------------------------ ipywidgets wiring
    def _status_html(self) -> str:
        # a fixed height (three lines: the two of the status and a clamping note), so that nothing below it
        # moves when the text changes
        return (f"<div class='course-status' style='font-size:15px;line-height:1.4;height:{_STATUS_PX}px;"
                f"overflow:hidden'><b>{self.status}</b></div>")

    def widget(self, title: str | None = None, *, pause_s: float = 0.01):
        """Controls + play/pause, step and reset buttons (with tooltips) + picture. While playing, the kernel
        waits ``pause_s`` between frames for the page's messages (a click on pause)."""
        import ipywidgets as W

        self._pause_s = check_float(pause_s, "pause_s", min_value=0.0, max_value=1.0)
        box = super().widget(title)
        self._status_widget.add_class("gan-trainer-status")
        self._status_widget.layout.height = f"{_STATUS_PX}px"
        actions = {"play": self.play, "pause": self.pause, "step-d": self.step_d, "step-g": self.step_g,
                   "reset": self.reset}
        for name, (label, icon, tip) in BUTTONS.items():
            b = W.Button(description=label, icon=icon, tooltip=tip, layout=W.Layout(width="100px"),
                         style={"font_size": "15px"})
            b.add_class("gan-trainer-" + name)
            b.on_click(lambda _b, fn=actions[name]: self._guarded(fn))
            self._buttons[name] = b
        self._sync_buttons()
        children = list(box.children)
        at = children.index(self._status_widget)  # the buttons right above the status line they change
        box.children = (*children[:at], W.HBox(list(self._buttons.values())), *children[at:])
        return box

    def _sync_buttons(self) -> None:
        if self._buttons:
            self._buttons["play"].disabled = self.playing
            self._buttons["pause"].disabled = not self.playing

    def _start_loop(self) -> None:
        """Run :meth:`tick` on the kernel's event loop while playing (nothing when there is no running loop)."""
        import asyncio

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        if self._task is None or self._task.done():
            self._task = loop.create_task(self._play_loop())

    async def _play_loop(self) -> None:
        import asyncio

        pause_s = getattr(self, "_pause_s", 0.01)
        while self.playing:
            try:
                self._guarded(self.tick)
            except Exception:  # shown in the status line by _guarded; the loop ends (tick paused it)
                return
            await asyncio.sleep(pause_s)  # the kernel reads the page's messages here: a pause click stops us

    def _guarded(self, fn):
        try:
            return fn()
        except Exception as err:  # a callback's traceback would only reach JupyterLab's log: show it here
            if self._status_widget is not None:
                self._status_widget.value = (f"<pre style='color:#b00020;white-space:pre-wrap;"
                                             f"height:{_STATUS_PX}px;overflow:auto;margin:0'>trainer failed: "
                                             f"{type(err).__name__}: {err}</pre>")
            raise


def _num(v: float | None) -> str:
    return "–" if v is None else f"{v:.3f}"  # None before the first step of that player


def _loss(v: float) -> float | None:
    """A player's last loss, or None before its first step (LiveGAN marks that with NaN)."""
    return None if v != v else v


def _gen(seed):
    import torch

    return torch.Generator().manual_seed(seed)
