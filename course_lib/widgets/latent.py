"""The latent-space explorer: a 2-D (or d-D) code space scattered by label, decoded live.

Taught in ``02_pca_and_autoencoders`` (autoencoder with a 2-D code) and reused by
``04_variational_autoencoders``. It depends only on two callables, not on a model class:

* ``decode``: a (k, d) float tensor of codes -> a (k, C, H, W) image tensor with values in [0, 1];
* optionally ``encode``: a (N, C, H, W) image tensor -> (N, d) codes (used when ``codes`` is None).

Three panels share one :class:`~course_lib.widgets.LiveFigure`:

1. the encoded test set, coloured by label (static, cached), with a movable point (cross) and the
   straight interpolation path between two chosen test images (both updated in place);
2. the image decoded at the movable point;
3. the image decoded at z(t) = (1 - t) z_i + t z_j, beside the originals x_i and x_j when ``images``
   is given.

One :class:`LatentView` (a :class:`~course_lib.widgets.base.View`) holds all of it: knobs z1..zd move
the point, i, j, t the interpolation; ``update(**knobs)`` redraws what they change.
:meth:`LatentView.update_point` and :meth:`LatentView.update_interpolation` are shorthands for it.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from course_lib._checks import as_images, as_points, as_tensor, check_float, check_int
from course_lib.viz import class_style
from course_lib.widgets.base import View, slider_layout, slider_style
from course_lib.widgets.live import panel

__all__ = ["LatentView", "decoded_manifold"]


# |z| beyond this is clamped to the slider range: no decoder has seen such codes, and float32 overflows
FAR = 1e6

def _decode_checked(decode: Callable, z: torch.Tensor, image_shape: tuple[int, ...]) -> np.ndarray:
    """Call ``decode`` on (k, d) codes and return a (k, C, H, W) numpy array, or explain what is wrong."""
    with torch.no_grad():
        out = decode(z)
    if not isinstance(out, torch.Tensor):
        raise TypeError(f"decode must return a torch.Tensor of shape (k, C, H, W), got {type(out).__name__}")
    k = z.shape[0]
    want = (k, *image_shape)
    if out.ndim == 2 and out.shape[1] == int(np.prod(image_shape)):
        out = out.reshape(want)  # flattened decoders are common; the shape is unambiguous
    if tuple(out.shape) != want:
        raise ValueError(f"decode must map (k, d) codes to images of shape (k, C, H, W) = {want}, "
                         f"got shape {tuple(out.shape)}")
    return out.detach().float().cpu().clamp_(0.0, 1.0).numpy()


def _to_display(img: np.ndarray) -> np.ndarray:
    """(C, H, W) -> (H, W) for grey images or (H, W, 3) for colour, as imshow wants."""
    return img[0] if img.shape[0] == 1 else np.moveaxis(img, 0, -1)


def decoded_manifold(decode: Callable, *, xlim=(-3.0, 3.0), ylim=(-3.0, 3.0), n: int = 15,
                     image_shape=(1, 28, 28)) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """Decode an n x n grid of 2-D codes into one big image, to use as the explorer's ``background``.

    Returns ``(image, extent)`` where ``image`` is (n H, n W) (grey) or (n H, n W, 3) and ``extent`` is
    ``(x0, x1, y0, y1)`` for ``imshow``; the image's top row is the largest z2, as on a scatter plot.
    """
    n = check_int(n, "n", min_value=2, max_value=60)
    x0, x1 = (check_float(v, "xlim") for v in xlim)
    y0, y1 = (check_float(v, "ylim") for v in ylim)
    if not (x0 < x1 and y0 < y1):
        raise ValueError(f"xlim and ylim must be increasing pairs, got {xlim}, {ylim}")
    gx = torch.linspace(x0, x1, n)
    gy = torch.linspace(y1, y0, n)  # top row first
    zz = torch.stack(torch.meshgrid(gy, gx, indexing="ij")[::-1], dim=-1).reshape(-1, 2)
    imgs = _decode_checked(decode, zz.float(), tuple(image_shape))  # (n*n, C, H, W), row-major
    c, h, w = imgs.shape[1:]
    grid = imgs.reshape(n, n, c, h, w).transpose(0, 3, 1, 4, 2).reshape(n * h, n * w, c)
    return (grid[..., 0] if c == 1 else grid), (x0, x1, y0, y1)


class LatentView(View):
    """Scatter of codes coloured by label, a movable decoded point, and interpolation between two images.

    Args:
        decode: (k, d) codes -> (k, C, H, W) images in [0, 1] (e.g. ``model.decode``); called under
            ``torch.no_grad``; a flat (k, C*H*W) output is reshaped.
        codes: (N, d) codes of the test set, d >= 2; or None to compute ``encode(images)``.
        labels: (N,) integer labels used for the colours.
        image_shape: (C, H, W) of one decoded image.
        images: optional (N, C, H, W) originals in [0, 1], shown beside the interpolation.
        encode: optional (N, C, H, W) -> (N, d), used only when ``codes`` is None.
        class_names: optional names for the legend (default: the label values).
        dims: the two code dimensions drawn on the scatter (default (0, 1)).
        background: optional ``(image, extent)`` drawn under the scatter, e.g. from :func:`decoded_manifold`.
        slider_range: (low, high) of the point sliders; default: the codes' range plus 10 % margin.
        title: title of the scatter panel.

    Shapes: ``update_point`` returns ``{"z": (d,), "image": (C, H, W)}``; ``update_interpolation``
    returns ``{"z": (d,), "image": (C, H, W), "i", "j", "t"}``; ``update(**knobs)`` returns
    ``{"point": ..., "interpolation": ...}`` (both, as now shown).
    """

    title = "latent space: move the red × (decoded live) and interpolate between test images i and j"

    def __init__(self, decode: Callable, codes, labels, *, image_shape, images=None, encode: Callable | None = None,
                 class_names=None, dims=(0, 1), background=None, slider_range=None,
                 title: str = "latent codes of the test set", figsize=(11, 4.4), dpi: int = 72,
                 i: int = 0, j: int = 1, t: float = 0.5):
        super().__init__()
        if not callable(decode):
            raise TypeError(f"decode must be callable (codes (k, d) -> images (k, C, H, W)), got {type(decode).__name__}")
        image_shape = tuple(image_shape)
        if len(image_shape) != 3 or not all(isinstance(s, (int, np.integer)) and s > 0 for s in image_shape):
            raise ValueError(f"image_shape must be (C, H, W) with positive ints, got {image_shape}")
        if image_shape[0] not in (1, 3):
            raise ValueError(f"image_shape must have 1 (grey) or 3 (RGB) channels, got {image_shape}")
        self.image_shape = image_shape
        if images is not None:
            images = as_images(images, "images", channels=image_shape[0])
            if tuple(images.shape[1:]) != image_shape:
                raise ValueError(f"images must have shape (N, {', '.join(map(str, image_shape))}), "
                                 f"got {tuple(images.shape)}")
        if codes is None:
            if encode is None or images is None:
                raise ValueError("pass codes (N, d), or both encode and images to compute them")
            with torch.no_grad():
                codes = encode(images)
        codes = as_points(codes, "codes", min_rows=2).detach().cpu()
        if codes.shape[1] < 2:
            raise ValueError(f"codes must have at least 2 dimensions, got shape {tuple(codes.shape)}")
        labels = as_tensor(labels, "labels", dtype=None).detach().cpu()
        if labels.ndim != 1 or len(labels) != len(codes):
            raise ValueError(f"labels must have shape ({len(codes)},) to match codes, got {tuple(labels.shape)}")
        if labels.is_floating_point() and not torch.equal(labels, labels.round()):
            raise TypeError("labels must be integers (class indices)")
        labels = labels.long()
        if images is not None and len(images) != len(codes):
            raise ValueError(f"images ({len(images)}) and codes ({len(codes)}) must have the same length")
        d = codes.shape[1]
        dims = tuple(check_int(k, "dims", min_value=0, max_value=d - 1) for k in dims)
        if len(dims) != 2 or dims[0] == dims[1]:
            raise ValueError(f"dims must be two different code dimensions, got {dims}")
        self.decode, self.codes, self.labels, self.images, self.dims, self.d = decode, codes, labels, images, dims, d
        self.n = len(codes)
        lo, hi = codes.min(0).values, codes.max(0).values
        if slider_range is None:
            margin = 0.1 * (hi - lo).clamp_min(1e-3)
            self.low, self.high = (lo - margin).numpy(), (hi + margin).numpy()
        else:
            a, b = (check_float(v, "slider_range") for v in slider_range)
            if not a < b:
                raise ValueError(f"slider_range must be (low, high) with low < high, got {slider_range}")
            self.low, self.high = np.full(d, a, dtype=np.float32), np.full(d, b, dtype=np.float32)
        _decode_checked(decode, codes[:1], image_shape)  # fail now, with a clear message, not in a callback
        self.knobs = tuple(f"z{k + 1}" for k in range(d)) + ("i", "j", "t")
        self._build(class_names, background, title, figsize, dpi)
        self.z = codes.mean(0).numpy()
        self.update(**{f"z{k + 1}": float(v) for k, v in enumerate(self.z)}, i=i, j=j if self.n > 1 else 0, t=t)

    # ------------------------------------------------------------------ figure
    def _build(self, class_names, background, title, figsize, dpi):
        has_originals = self.images is not None
        lf = self.figure(1, 3, figsize=figsize, dpi=dpi, width_ratios=[1.6, 1, 1.9 if has_originals else 1])
        ax, ax_pt, ax_int = lf.axes[0]
        a, b = self.dims
        c = self.codes.numpy()
        if background is not None:
            img, extent = background
            ax.imshow(img, extent=extent, cmap="gray", vmin=0, vmax=1, alpha=0.35, aspect="auto", zorder=0)
        classes = torch.unique(self.labels).tolist()
        # colour-blind-safe colours, a marker shape per class, and each class's name written at its median
        # code: three cues, so no one needs to tell ten colours apart
        for k, cls in enumerate(classes):
            m = (self.labels == cls).numpy()
            name = class_names[cls] if class_names is not None and 0 <= cls < len(class_names) else str(cls)
            st = class_style(k)
            ax.scatter(c[m, a], c[m, b], s=9, alpha=0.55, linewidths=0, label=name, zorder=1, **st)
            mx, my = np.median(c[m, a]), np.median(c[m, b])
            ax.text(mx, my, name, color="white", fontsize=15, fontweight="bold", ha="center", va="center", zorder=2,
                    bbox=dict(boxstyle="round,pad=0.15", fc=st["color"], ec="none", alpha=0.9))
        ax.set_xlim(self.low[a], self.high[a])
        ax.set_ylim(self.low[b], self.high[b])
        ax.set_xlabel(f"$z_{a + 1}$")
        ax.set_ylabel(f"$z_{b + 1}$")
        ax.set_title(title)
        if len(classes) > 10:  # names at the medians say which class is where; a legend only for many classes
            ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), markerscale=2.0, frameon=False,
                      handletextpad=0.1, borderaxespad=0.2)
        (self.path_line,) = ax.plot([], [], "-", color="black", lw=2, zorder=3)
        (self.path_ends,) = ax.plot([], [], "o", color="black", mfc="white", ms=8, zorder=3)
        (self.path_point,) = ax.plot([], [], "D", color="white", mec="black", mew=2, ms=10, zorder=4)
        (self.point,) = ax.plot([], [], "X", color="#D55E00", mec="black", ms=15, zorder=5)
        blank = np.zeros(self.image_shape[1:] + ((3,) if self.image_shape[0] == 3 else ()))
        kw = dict(cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
        self.point_image = ax_pt.imshow(blank, **kw)
        ax_pt.set_axis_off()
        ax_pt.set_title("decoded at ×")
        h, w = self.image_shape[1:]
        width = 3 * w + 4 if has_originals else w
        self.interp_image = ax_int.imshow(np.ones((h, width) + blank.shape[2:]), **kw)
        ax_int.set_axis_off()
        ax_int.set_title("path i → j at ◇")
        if has_originals:
            for x, txt in ((w / 2, "$x_i$"), (w + 2 + w / 2, "$z(t)$"), (2 * w + 4 + w / 2, "$x_j$")):
                ax_int.text(x, h + 1.5, txt, ha="center", va="top", fontsize=14)
        lf.paste(self.point_image, self.interp_image)  # pixels copied straight into the canvas on every update
        lf.animate(self.path_line, self.path_ends, self.path_point, self.point)
        # Changing text goes to the HTML status line, not the figure: glyph rendering would double the latency.

    def _decode_one(self, z: np.ndarray) -> np.ndarray:
        return _decode_checked(self.decode, torch.as_tensor(z, dtype=torch.float32)[None], self.image_shape)[0]

    # ------------------------------------------------------------------ updates
    def _point_from(self, z, kw) -> np.ndarray:
        z = list(z)
        for key, val in kw.items():
            if not (key.startswith("z") and key[1:].isdigit() and 1 <= int(key[1:]) <= self.d):
                raise TypeError(f"unknown knob {key!r}; the point knobs are z1..z{self.d}")
            while len(z) < int(key[1:]):
                z.append(None)
            z[int(key[1:]) - 1] = val
        if len(z) > self.d:
            raise ValueError(f"the code has {self.d} dimensions, got {len(z)} values")
        out = self.z.copy() if hasattr(self, "z") else np.zeros(self.d, dtype=np.float32)
        for k, v in enumerate(z):
            if v is not None:
                v = check_float(v, f"z{k + 1}")
                # past the slider by code is fine (exploring); far past it the decoder overflows float32
                out[k] = self.clamp(f"z{k + 1}", v, self.low[k], self.high[k]) if abs(v) > FAR else v
        return out.astype(np.float32)

    def _draw_point(self, z: np.ndarray) -> dict:
        img = self._decode_one(z)
        a, b = self.dims
        self.point.set_data([z[a]], [z[b]])
        self.point_image.set_data(_to_display(img))
        self.z = z
        return {"z": z.copy(), "image": img}

    def update_point(self, *z, **named) -> dict:
        """Move the point to z (positional values or keywords z1=..., z2=...; missing ones keep their value).

        Decodes it, moves the cross, shows the image; returns ``{"z": (d,), "image": (C, H, W)}``.
        """
        z = self._point_from(z, named)
        return self.update(**{f"z{k + 1}": float(v) for k, v in enumerate(z)})["point"]

    def interpolate(self, i: int, j: int, t: float) -> np.ndarray:
        """z(t) = (1 - t) z_i + t z_j, the straight line between the codes of test images i and j."""
        i = check_int(i, "i", min_value=0, max_value=self.n - 1)
        j = check_int(j, "j", min_value=0, max_value=self.n - 1)
        t = check_float(t, "t", min_value=0.0, max_value=1.0)
        return ((1 - t) * self.codes[i] + t * self.codes[j]).numpy()

    def _draw_interpolation(self, i: int, j: int, t: float) -> dict:
        z = self.interpolate(i, j, t)
        img = self._decode_one(z)
        a, b = self.dims
        zi, zj = self.codes[int(i)].numpy(), self.codes[int(j)].numpy()
        self.path_line.set_data([zi[a], zj[a]], [zi[b], zj[b]])
        self.path_ends.set_data([zi[a], zj[a]], [zi[b], zj[b]])
        self.path_point.set_data([z[a]], [z[b]])
        shown = _to_display(img)
        if self.images is not None:
            xi, xj = (_to_display(self.images[k].numpy()) for k in (int(i), int(j)))
            gap = np.ones((shown.shape[0], 2) + shown.shape[2:])
            shown = np.concatenate([xi, gap, shown, gap, xj], axis=1)
        self.interp_image.set_data(shown)
        return {"z": z, "image": img, "i": int(i), "j": int(j), "t": float(t)}

    def update_interpolation(self, i: int, j: int, t: float) -> dict:
        """Decode z(t) between test images i and j, draw the path and the point on it; returns what it showed."""
        return self.update(i=i, j=j, t=t)["interpolation"]

    def draw(self, **values) -> dict:
        """Redraw what changed: z1..zd move the point, i/j/t the interpolation."""
        zkeys = [f"z{k + 1}" for k in range(self.d)]
        first = not self.last
        if first or any(values[k] != self.values.get(k) for k in zkeys):
            point = self._draw_point(self._point_from([], {k: values[k] for k in zkeys}))
        else:
            point = self.last["point"]
        if first or any(values[k] != self.values.get(k) for k in ("i", "j", "t")):
            interp = self._draw_interpolation(values["i"], values["j"], values["t"])
        else:
            interp = self.last["interpolation"]
        return {"point": point, "interpolation": interp}

    @property
    def last_point(self) -> dict:
        return self.last["point"]

    @property
    def last_interpolation(self) -> dict:
        return self.last["interpolation"]

    def status_line(self, state: dict) -> str:
        z = state["point"]["z"]
        coords = ", ".join(f"{v:.2f}" for v in z[:4]) + (", …" if self.d > 4 else "")
        it = state["interpolation"]
        li, lj = int(self.labels[it["i"]]), int(self.labels[it["j"]])
        return (f"× decoded at z = ({coords}) · path: test image #{it['i']} (label {li}) → #{it['j']} (label {lj}), "
                f"◇ at t = {it['t']:.2f}")

    # ------------------------------------------------------------------ ipywidgets
    def controls(self, steps: int = 100) -> dict:
        """Sliders z1..zd (the point) and i, j, t (the interpolation), at the current values."""
        import ipywidgets as W

        steps = check_int(steps, "steps", min_value=2)
        kw = dict(continuous_update=True, layout=slider_layout(), style=slider_style())
        point = {f"z{k + 1}": W.FloatSlider(value=float(self.values[f"z{k + 1}"]), min=float(self.low[k]),
                                            max=float(self.high[k]), step=float(self.high[k] - self.low[k]) / steps,
                                            description=f"z{k + 1}", readout_format=".2f", **kw)
                 for k in range(self.d)}
        interp = {"i": W.IntSlider(value=self.values["i"], min=0, max=self.n - 1, description="image i", **kw),
                  "j": W.IntSlider(value=self.values["j"], min=0, max=self.n - 1, description="image j", **kw),
                  "t": W.FloatSlider(value=self.values["t"], min=0.0, max=1.0, step=0.05, description="t", **kw)}
        return {**interp, **point}

    def widget(self, title: str | None = None):
        """The interpolation sliders above the figure, the point sliders right under it (20 of them for a
        20-D code would otherwise push the picture off the screen)."""
        import ipywidgets as W

        from course_lib.widgets.base import STATUS_CSS

        controls = self.controls()
        self._controls = controls
        self._status_widget = W.HTML(self._status_html())
        interp = {k: controls[k] for k in ("i", "j", "t")}
        point = {k: v for k, v in controls.items() if k not in interp}
        top = panel(interp, self._from_controls, *self.image_widgets(), status=self._status_widget,
                    title=title if title is not None else self.title)
        bottom = panel(point, self._from_controls)
        style = W.HTML(f"<style>{STATUS_CSS}</style>", layout=W.Layout(display="none"))
        box = W.VBox([top, bottom, style], layout=W.Layout(width="100%", max_width="100%"))
        box.add_class("course-widget")
        return box
