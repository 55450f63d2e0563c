"""A live GAN trainer in the notebook (05_gans, reused in 06_wasserstein_gans), after GAN Lab.

Pick the data, the loss, the two learning rates and the D steps per G step; press play and the game runs
in small chunks between frames (the engine is :mod:`course_lib.gans.live_training`, no widgets there).
Left: the discriminator's decision surface D(x) (or the LSGAN score / WGAN critic) as a heatmap, real
samples, generated samples and, on some of them, the arrow −∇ₓL_G along which the generator's update
pushes each sample. Right: modes covered and the high-quality fraction over generator steps.

:class:`GANTrainerView` is a :class:`~course_lib.widgets.base.View`: its knobs (data, loss, learning rates,
D steps per G step, G steps per frame) go through ``update(**knobs)`` like every course widget. Unlike the
other views it also has *actions* that move the picture without moving a knob: ``play_frame`` (what each tick
of the Play button runs), ``step_d``, ``step_g`` and ``reset``. They are plain methods the unit tests call,
and they end exactly as ``update`` does (status line, PNG bytes), so the controls still say what is drawn.

Speed (benchmarks/widgets_ch05.py): the heatmap is coloured here, by a lookup table, and its pixels are
pasted into the canvas (:meth:`LiveFigure.paste <course_lib.widgets.live.LiveFigure.paste>`) instead of going
through matplotlib's resample-and-colour-map of ``imshow``, the largest part of a redraw.
"""
from __future__ import annotations

import time

import numpy as np

from course_lib._checks import check_choice, check_int
from course_lib.gans.live_training import LIVE_DATA, LIVE_LOSSES, LiveGAN, train_frame
from course_lib.widgets.base import View, slider_style

__all__ = ["GANTrainerView", "OKABE_ITO"]

#: Okabe & Ito's colour-blind-safe palette
OKABE_ITO = {"orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
             "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000"}
_FONT = 14  # px at dpi 72: readable on a projector
_UPSAMPLE = 4  # heatmap pixels per field cell (bilinear), then pasted nearest-neighbour: smooth at ~1.5 px per pixel
#: the learning-rate sliders' range (log10) and the D-steps slider's; values set by code are clamped to them
LR_LOG10 = (-4.0, -1.7)
LR_RANGE = (10 ** LR_LOG10[0], 10 ** LR_LOG10[1])
N_CRITIC_RANGE = (1, 10)
_HEAT_ALPHA = 0.6  # the colour map blended with the white axes, so the samples stay visible on it


def _heat_lut(cmap: str = "cividis", alpha: float = _HEAT_ALPHA) -> np.ndarray:
    """(256, 3) uint8: the colour map at 256 levels, blended with white as ``imshow(alpha=...)`` would."""
    from matplotlib import colormaps

    rgb = colormaps[cmap](np.linspace(0.0, 1.0, 256))[:, :3]
    return np.round(255.0 * (alpha * rgb + (1.0 - alpha))).astype(np.uint8)


def heat_rgb(field: np.ndarray, clim: tuple, lut: np.ndarray, upsample: int = _UPSAMPLE) -> np.ndarray:
    """The heatmap's pixels: field (r, r) (row 0 at the bottom) → (u·r, u·r, 3) uint8, row 0 at the *top*.

    Bilinear upsampling of the values (as ``imshow(interpolation="bilinear")`` does), normalised by ``clim``
    into the 256 levels of ``lut``.
    """
    import torch
    from torch.nn import functional as F

    f = torch.as_tensor(np.ascontiguousarray(field[::-1]), dtype=torch.float32)[None, None]
    r = field.shape[0]
    f = F.interpolate(f, size=(upsample * r, upsample * r), mode="bilinear", align_corners=True)[0, 0].numpy()
    lo, hi = clim
    idx = np.clip((f - lo) * (255.0 / max(hi - lo, 1e-12)), 0, 255).astype(np.uint8)
    return lut[idx]


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
        self.frames = 0
        self._buttons_status = None
        self._last_frame_end = 0.0
        self._lut = _heat_lut()
        self._field_drawn = None

        lf = self.figure(1, 2, figsize=(11.5, 5.4), dpi=dpi, gridspec_kw={"width_ratios": [1, 1.1]})
        ax, axc = lf.axes[0]
        for a in (ax, axc):
            a.tick_params(labelsize=_FONT)
        f = self.state.frame(record=False)
        # origin "upper" with the rows flipped by heat_rgb: what LiveFigure.paste expects
        self.heat = ax.imshow(heat_rgb(f.field, f.clim, self._lut), extent=f.extent, origin="upper",
                              interpolation="nearest")
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
        lf.paste(self.heat)  # pixels copied into the canvas; everything animated is drawn over them
        # the axes' frame too: the pasted heatmap covers the pixels of its edges
        lf.animate(self.real, self.fake, self.quiver, *ax.spines.values(), self.modes_line, self.hq_line)
        self.values = {"data": data, "loss": loss, "lr_g": self.state.lr_g, "lr_d": self.state.lr_d,
                       "n_critic": self.state.model.n_critic, "steps_per_frame": steps_per_frame}
        self._restyle()
        self.show_frame(f)

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
        return self.status

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
            f = self.state.frame()
        else:   # set by code outside the sliders' ranges: drawn at the nearest end, and the status says so
            lo, hi = LR_RANGE
            self.state.set_learning_rates(self.clamp("lr_g", lr_g, lo, hi), self.clamp("lr_d", lr_d, lo, hi))
            self.state.set_n_critic(int(self.clamp("n_critic", check_int(n_critic, "n_critic"), *N_CRITIC_RANGE)))
            f = self.state.frame(record=False)
        self.values["steps_per_frame"] = steps_per_frame
        return self._put(f)

    def status_line(self, state: dict) -> str:
        return (f"G steps {state['g_steps']} · D steps {state['d_steps']} · modes covered {state['modes']}/"
                f"{state['n_modes']} · high quality {state['high_quality']:.0%} · loss D {_num(state['d_loss'])}, "
                f"G {_num(state['g_loss'])} · median |∇ₓL_G| {state['grad_median']:.2g}")

    def controls(self) -> dict:
        import ipywidgets as W

        style = slider_style()
        v = self.values
        return {
            "data": W.Dropdown(options=list(LIVE_DATA), value=v["data"], description="data"),
            "loss": W.Dropdown(options=list(LIVE_LOSSES), value=v["loss"], description="loss",
                               layout=W.Layout(width="330px")),
            "lr_g": W.FloatLogSlider(value=v["lr_g"], base=10, min=LR_LOG10[0], max=LR_LOG10[1], step=0.1,
                                     description="lr G", readout_format=".1e", continuous_update=False, style=style),
            "lr_d": W.FloatLogSlider(value=v["lr_d"], base=10, min=LR_LOG10[0], max=LR_LOG10[1], step=0.1,
                                     description="lr D", readout_format=".1e", continuous_update=False, style=style),
            "n_critic": W.IntSlider(value=v["n_critic"], min=N_CRITIC_RANGE[0], max=N_CRITIC_RANGE[1],
                                    description="D steps per G step",
                                    continuous_update=False, style=style),
            "steps_per_frame": W.IntSlider(value=v["steps_per_frame"], min=1, max=100,
                                           description="G steps per frame", continuous_update=False, style=style),
        }

    # ------------------------------------------------------------------ actions (plain, tested methods)
    def play_frame(self) -> dict:
        """One frame while playing: ``steps_per_frame`` rounds of D/G updates, then redraw."""
        return self.show_frame(train_frame(self.state, self.steps_per_frame))

    def step_d(self) -> dict:
        """One discriminator/critic update (G fixed), then redraw: watch the heatmap move alone."""
        self.state.step_d(1)
        return self.show_frame(self.state.frame())

    def step_g(self) -> dict:
        """One generator update (D fixed), then redraw: watch the samples follow the arrows."""
        self.state.step_g(1)
        return self.show_frame(self.state.frame())

    def reset(self) -> dict:
        """A fresh model with the current data and loss (the recipe's learning rates and D steps)."""
        self.state = LiveGAN(self.data_name, self.loss, seed=self.seed)
        self._new_model()
        state = self.show_frame(self.state.frame())
        self._sync_controls()
        return state

    # ------------------------------------------------------------------ drawing
    def show_frame(self, f) -> dict:
        """Draw frame ``f`` (a :class:`~course_lib.gans.live_training.Frame`), write the status line and push
        the PNG: how every action ends."""
        return self._show(self._put(f))

    def _new_model(self) -> None:
        self.values.update(lr_g=self.state.lr_g, lr_d=self.state.lr_d, n_critic=self.state.model.n_critic)
        real = self.state.data.sample(600, generator=_gen(self.seed + 10)).numpy()
        self.real.set_offsets(real)
        self._restyle()

    def _put(self, f) -> dict:
        """Put frame ``f`` (a :class:`~course_lib.gans.live_training.Frame`) on the artists, in place; the
        state it shows (the knobs' values included)."""
        if f.field is not self._field_drawn:  # the same array after a G step (D unchanged): keep its pixels
            self.heat.set_data(heat_rgb(f.field, f.clim, self._lut))
            self._field_drawn = f.field
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
        self.frames += 1
        return {**self.values, "lr_g": self.state.lr_g, "lr_d": self.state.lr_d,
                "n_critic": self.state.model.n_critic, "g_steps": f.g_steps, "d_steps": f.d_steps,
                "modes": f.modes, "n_modes": k, "high_quality": f.high_quality, "d_loss": _loss(f.d_loss),
                "g_loss": _loss(f.g_loss), "grad_median": float(np.median(norms))}

    def _show(self, state: dict) -> dict:
        """End an action as ``update`` ends: keep the state, write the status line, push the PNG."""
        self.values = {k: state[k] for k in self.knobs}
        self.last = state
        self.status = self.status_line(state)
        if self._status_widget is not None:
            self._status_widget.value = self._status_html()
        self.lf.refresh()
        return state

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
    def _status_html(self) -> str:
        return f"<div class='course-status' style='font-size:15px;line-height:1.4'><b>{self.status}</b></div>"

    def widget(self, title: str | None = None, *, interval_ms: int = 100):
        """Controls + play/step buttons + picture. The Play button ticks every ``interval_ms``; a tick that
        arrives while a frame was still being computed is dropped, so pause takes effect at once even on a
        slow machine."""
        import ipywidgets as W

        box = super().widget(title)
        self._status_widget.add_class("gan-trainer-status")
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
        children = list(box.children)
        at = children.index(self._status_widget)  # the buttons right above the status line they change
        box.children = (*children[:at], W.HBox([play, *buttons]), *children[at:])
        return box

    def _guarded(self, fn):
        try:
            fn()
        except Exception as err:  # a callback's traceback would only reach JupyterLab's log: show it here
            if self._status_widget is not None:
                self._status_widget.value = (f"<pre style='color:#b00020'>trainer failed: "
                                             f"{type(err).__name__}: {err}</pre>")
            raise
        finally:
            self._last_frame_end = time.perf_counter()


def _num(v: float | None) -> str:
    return "–" if v is None else f"{v:.3f}"  # None before the first step of that player


def _loss(v: float) -> float | None:
    """A player's last loss, or None before its first step (LiveGAN marks that with NaN)."""
    return None if v != v else v


def _gen(seed):
    import torch

    return torch.Generator().manual_seed(seed)
