"""Widget plumbing shared by every notebook.

A widget here is three parts, kept apart so each can be tested:

1. a *view* object that owns a matplotlib figure and an ``update(**values)`` method, a plain
   function of the knob values that changes artists in place and returns what it computed;
2. a :class:`LiveFigure` that renders the figure with Agg into the bytes of an
   ``ipywidgets.Image`` (no figure is rebuilt, no pyplot state is touched);
3. :func:`panel`, which wires ipywidgets controls to ``update`` and lays them out.

Kernel-side latency (knob moved → new PNG bytes set) is what ``benchmarks/widget_latency.py``
reports; the course's budget is 16.7 ms median (one frame at 60 Hz), PNG encoding included.

Readability is enforced here rather than trusted to each view: on its first full draw a
:class:`LiveFigure` raises every text (titles, labels, tick labels, legends, colour-bar labels) to at
least ``min_font_px`` pixels at its natural size (14 px, the course minimum for a projector), and its
image scales down with the output area (``max-width: 100%``) but never up.
"""
from __future__ import annotations

import statistics
import struct
import zlib
import time
from collections.abc import Callable

from course_lib import lecture
from course_lib._checks import check_int

__all__ = ["LiveFigure", "PNGStream", "grey_rgb", "panel", "latencies_ms", "median_latency_ms", "enforce_min_font",
           "min_font_px", "MIN_FONT_PX"]

MIN_FONT_PX = 14.0  # the course minimum text height at a widget's natural size


def min_font_px(fig) -> float:
    """The smallest font size (pixels at the figure's dpi) of any visible, non-empty text in ``fig``."""
    from matplotlib.text import Text

    sizes = [t.get_fontsize() * fig.dpi / 72.0 for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip()]
    for ax in fig.axes:  # tick labels not created yet still get the axis' label size
        for axis in (ax.xaxis, ax.yaxis):
            if axis.get_visible() and axis.get_ticklabels():
                sizes.append(axis.get_ticklabels()[0].get_fontsize() * fig.dpi / 72.0)
    return min(sizes) if sizes else float("inf")


def enforce_min_font(fig, px: float = MIN_FONT_PX) -> None:
    """Raise every text of ``fig`` (including future tick labels) to at least ``px`` pixels."""
    from matplotlib.text import Text

    pt = px * 72.0 / fig.dpi
    for ax in fig.axes:
        for which in ("x", "y"):
            size = (ax.xaxis if which == "x" else ax.yaxis).get_ticklabels()
            current = size[0].get_fontsize() if size else 0.0
            if current < pt:
                ax.tick_params(axis=which, labelsize=pt)
    for t in fig.findobj(Text):
        if t.get_fontsize() < pt:
            t.set_fontsize(pt)


def grey_rgb(arr):
    """A grey image in [0, 1] (H, W) as (H, W, 3) uint8: ``imshow`` then skips normalising and colour-mapping
    the resampled array on every update (half the cost of drawing a digit grid)."""
    import numpy as np

    g = (np.clip(np.asarray(arr, dtype=np.float32), 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
    return np.repeat(g[..., None], 3, axis=-1)


class PNGStream:
    """PNG bytes of successive frames of one figure, re-compressing only the rows that changed.

    A widget update usually changes a part of the figure (a curve, a marker, one panel); the titles,
    labels and legends stay. The image is cut into bands of ``band`` rows; each band is deflated on its
    own (a full flush ends it on a byte boundary, so the compressed bands concatenate into one valid
    zlib stream) and kept until its pixels change. Agg's RGBA buffer is encoded as it is (dropping the
    alpha channel would cost a strided copy of every row). The output decodes to exactly the frame's
    pixels (tested against Pillow).
    """

    def __init__(self, band: int = 16):
        self.band = int(band)
        self._raw = None      # (H, 3W + 1) uint8 rows with their filter byte
        self._bands: list = []  # each band's raw bytes, to tell which changed
        self._chunks: list[bytes] = []
        self.recompressed_rows = 0  # rows deflated by the last call (for tests and benchmarks)

    def encode(self, pixels) -> bytes:
        import numpy as np

        pixels = np.asarray(pixels)
        if pixels.ndim != 3 or pixels.shape[2] not in (3, 4) or pixels.dtype != np.uint8:
            raise ValueError(f"PNGStream.encode expects an (H, W, 3) or (H, W, 4) uint8 array, "
                             f"got {pixels.shape} {pixels.dtype}")
        h, w, c = pixels.shape
        raw = np.empty((h, c * w + 1), dtype=np.uint8)
        raw[:, 0] = 0  # filter type "None" for every row
        raw[:, 1:] = pixels.reshape(h, c * w)
        b = self.band
        n_bands = -(-h // b)
        if self._raw is None or self._raw.shape != raw.shape:
            self._bands, self._chunks = [None] * n_bands, [b""] * n_bands
        self.recompressed_rows = 0
        adler = 1
        for k in range(n_bands):
            data = raw[k * b:(k + 1) * b].tobytes()
            adler = zlib.adler32(data, adler)
            if data != self._bands[k]:  # a memcmp: cheap next to deflating the band again
                co = zlib.compressobj(1, zlib.DEFLATED, -15)  # raw deflate, fresh window per band
                self._chunks[k] = co.compress(data) + co.flush(zlib.Z_FULL_FLUSH)
                self._bands[k] = data
                self.recompressed_rows += min(b, h - k * b)
        self._raw = raw
        stream = b"\x78\x01" + b"".join(self._chunks) + _FINAL_BLOCK + struct.pack(">I", adler & 0xFFFFFFFF)
        header = struct.pack(">IIBBBBB", w, h, 8, 2 if c == 3 else 6, 0, 0, 0)  # 8-bit RGB / RGBA
        return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", stream) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


_FINAL_BLOCK = zlib.compressobj(1, zlib.DEFLATED, -15).flush()  # an empty final deflate block


class LiveFigure:
    """A matplotlib ``Figure`` on an Agg canvas, shown through an ``ipywidgets.Image``.

    Mark the artists a knob changes with :meth:`animate`; :meth:`refresh` then restores a cached
    background and redraws only those (blitting: a small fraction of a full redraw for a figure with a
    histogram and a contour plot; benchmarks/widget_latency.py times it). Call :meth:`invalidate` when something static changes
    (axis limits, a new artist) so the next refresh redraws everything.
    """

    def __init__(self, nrows: int = 1, ncols: int = 1, *, figsize=(9, 4), dpi: int = 72,
                 min_font_px: float = MIN_FONT_PX, **subplots_kw):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        # In lecture mode (setup(style="lecture")) widgets grow with the projector text, up to 1000 px wide.
        dpi = min(lecture.scaled_dpi(dpi), max(dpi, 1000 / figsize[0]))
        self.fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        self.canvas = FigureCanvasAgg(self.fig)
        self.axes = self.fig.subplots(nrows, ncols, squeeze=False, **subplots_kw)
        self._animated: list = []
        self._pasted: dict = {}
        self._background = None
        self._image = None
        self.render_count = 0
        self.min_font_px = float(min_font_px)
        self._styled = False
        self._png = PNGStream()

    @property
    def ax(self):
        """The first (or only) axes."""
        return self.axes[0, 0]

    def animate(self, *artists):
        """Declare artists that updates change; they are redrawn on every refresh, the rest is cached."""
        for a in artists:
            a.set_animated(True)
            self._animated.append(a)
        self._background = None
        return artists[0] if len(artists) == 1 else artists

    def paste(self, *images):
        """Declare ``AxesImage`` s (``imshow``, nearest interpolation, origin upper) whose pixels updates
        change: each render copies their data straight into the canvas, nearest-neighbour, instead of
        matplotlib's resample-normalise-colour-map pipeline (the most expensive part of a digit-grid
        update). Data: (h, w, 3) uint8 (see :func:`grey_rgb`) or (h, w) grey in [0, 1]. Pasted images
        sit under the animated artists."""
        for im in images:
            self._pasted[im] = None  # index arrays, computed at the first render (the layout is fixed then)
        self._background = None
        return images[0] if len(images) == 1 else images

    def _paste(self, buf) -> None:
        import numpy as np

        H = buf.shape[0]
        for im, idx in self._pasted.items():
            data = np.asarray(im.get_array())
            if data.ndim == 2:
                data = grey_rgb(data)
            if idx is None or idx[0] != data.shape[:2]:
                h, w = data.shape[:2]
                box = im.get_window_extent().intersection(im.axes.bbox, im.get_window_extent())
                (x0, y0), (x1, y1) = box.get_points()
                (ex0, ey0), (ex1, ey1) = im.get_window_extent().get_points()  # the whole image's box
                cols = np.arange(int(np.ceil(x0 - 0.5)), int(np.ceil(x1 - 0.5)))
                rows = np.arange(int(np.ceil(H - y1 - 0.5)), int(np.ceil(H - y0 - 0.5)))
                src_c = np.clip(((cols + 0.5 - ex0) / (ex1 - ex0) * w).astype(int), 0, w - 1)
                src_r = np.clip(((ey1 - (H - rows - 0.5)) / (ey1 - ey0) * h).astype(int), 0, h - 1)
                idx = (data.shape[:2], slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1), src_r, src_c)
                self._pasted[im] = idx
            _, rs, cs, src_r, src_c = idx
            # rows, then columns: two gathers of whole rows/pixels, about twice as fast as one 2-D fancy index
            buf[rs, cs, :3] = np.take(np.take(data[..., :3], src_r, axis=0), src_c, axis=1)
            buf[rs, cs, 3] = 255

    def invalidate(self) -> None:
        """Forget the cached background (call after changing anything not declared with :meth:`animate`)."""
        self._background = None

    def render(self) -> bytes:
        """Draw (blitting when possible) and return PNG bytes."""
        import numpy as np

        if self._background is None:
            if not self._styled:
                enforce_min_font(self.fig, self.min_font_px)
                self._styled = True
            self.canvas.draw()  # animated artists are skipped by a full draw...
            # ...and constrained layout is fixed from now on, so the cached background stays valid.
            self.fig.set_layout_engine("none")
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        else:
            self.canvas.restore_region(self._background)
        buf = np.asarray(self.canvas.buffer_rgba())
        if self._pasted:
            self._paste(buf)
        for a in self._animated:
            self.fig.draw_artist(a)
        self.render_count += 1
        return self._png.encode(buf)

    @property
    def image(self):
        """The ``ipywidgets.Image`` that displays the figure (created on first use)."""
        if self._image is None:
            import ipywidgets as W

            w, h = self.canvas.get_width_height()
            # natural size on a wide output area, scaled down (aspect kept) on a narrow one
            self._image = W.Image(format="png", layout=W.Layout(width=f"{w}px", max_width="100%", height="auto",
                                                                object_fit="contain"))
            self._image.add_class("course-figure")
            self._image.value = self.render()
        return self._image

    def refresh(self, png: bytes | None = None) -> bytes:
        """Re-render after artists changed (or take ``png``, a frame rendered before) and push the bytes
        to the browser (if shown); returns them."""
        if png is None:
            png = self.render()
        if self._image is not None:
            self._image.value = png
        return png


def panel(controls: dict, update: Callable[..., object], *views, status=None, title: str | None = None):
    """Lay out ``controls`` (name → ipywidget) above ``views`` and call ``update(**values)`` on change.

    ``status`` is an optional ``ipywidgets.HTML`` that the caller's update may write to.
    Returns an ``ipywidgets.VBox``; the observer calls the same ``update`` a unit test calls.
    An exception in ``update`` is shown inside the panel (in JupyterLab a callback's traceback
    would otherwise only reach the log console, and the widget would just seem frozen).
    """
    import traceback

    import ipywidgets as W

    error = W.HTML("", layout=W.Layout(display="none"))
    error.add_class("course-widget-error")

    def on_change(_change=None):
        try:
            update(**{k: c.value for k, c in controls.items()})
        except Exception as err:
            error.value = (f"<pre style='color:#b00020;white-space:pre-wrap'>widget update failed: "
                           f"{type(err).__name__}: {err}</pre>")
            error.layout.display = None
            traceback.print_exc()
        else:
            if error.layout.display != "none":
                error.value, error.layout.display = "", "none"

    for c in controls.values():
        c.observe(on_change, names="value")
    children = []
    if title:
        children.append(W.HTML(f"<b style='font-size:16px'>{title}</b>"))
    # controls right above the picture they move; they wrap (and the images shrink) on a narrow output area
    children.append(W.HBox(list(controls.values()), layout=W.Layout(flex_flow="row wrap", width="100%",
                                                                      grid_gap="0px 16px")))
    if status is not None:
        children.append(status)
    children.append(W.HBox(list(views), layout=W.Layout(flex_flow="row wrap", width="100%", max_width="100%")))
    children.append(error)
    box = W.VBox(children, layout=W.Layout(width="100%", max_width="100%"))
    box.add_class("course-widget")
    return box


def latencies_ms(update: Callable[..., object], values: list[dict], *, warmup: int = 3) -> list[float]:
    """Wall time (ms) of each ``update(**v)`` over ``values``, after ``warmup`` untimed calls."""
    if not callable(update):
        raise TypeError(f"latencies_ms: update must be a function, got {type(update).__name__}")
    if not isinstance(values, (list, tuple)) or not values or not all(isinstance(v, dict) for v in values):
        raise ValueError("latencies_ms: values must be a non-empty list of dicts of keyword arguments for update, "
                         f"got {values!r:.80}")
    warmup = check_int(warmup, "latencies_ms: warmup", min_value=0)
    for v in values[:warmup]:
        update(**v)
    times = []
    for v in values:
        t0 = time.perf_counter()
        update(**v)
        times.append((time.perf_counter() - t0) * 1e3)
    return times


def median_latency_ms(update: Callable[..., object], values: list[dict], *, warmup: int = 3) -> float:
    """Median wall time (ms) of ``update(**v)`` over ``values``: the kernel-side cost of a knob move."""
    return statistics.median(latencies_ms(update, values, warmup=warmup))
