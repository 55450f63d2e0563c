"""The one pattern every course widget follows: a :class:`View`.

A view owns

* a figure, ``view.lf`` (a :class:`~course_lib.widgets.live.LiveFigure`; a view may add more in
  ``view.figures``), whose artists ``draw`` changes in place;
* its knob values, ``view.values`` (name → value, in the order of ``view.knobs``), and the state of
  the last update, ``view.last`` (what ``update`` returned);
* one status line, ``view.status`` (HTML text naming the quantities the picture shows);
* its controls, built by ``widget()`` from the dict that ``controls()`` returns, through
  :func:`~course_lib.widgets.live.panel`.

``update(**knobs)`` is the only way the picture changes. It merges the given knobs into the current
values, calls the subclass's ``draw(**values)``, sets ``last`` and the status line, pushes new PNG
bytes, and, when the widget is displayed, moves the controls to the values just drawn. So a
displayed picture always shows what its controls say, even when a notebook cell calls ``update``
itself. Checks and latency measurements should still use their own, undisplayed view (a displayed
view moved by code jumps under the student's eyes).

Subclasses implement ``draw(**values) -> dict``, ``status_line(state) -> str`` and
``controls() -> dict[str, ipywidget]`` (built from ``self.values``), and set the class attribute
``knobs`` (names, in positional order). Model packages never import this module.
"""
from __future__ import annotations

import math

from course_lib.widgets.live import LiveFigure, panel

__all__ = ["View", "slider_layout", "STATUS_CSS"]

# Slider tracks long enough to aim (the issue measured 120 px tracks as too short, 420 px as good):
# at least 300 px, growing with the output area up to 520 px.
SLIDER_MIN_PX, SLIDER_MAX_PX = 340, 560
# Text of the controls and the status line, at least the course minimum (ipywidgets' default is 13 px).
STATUS_CSS = (".course-widget .widget-label, .course-widget .widget-readout, .course-widget .widget-html,"
              " .course-widget .widget-toggle-button, .course-widget .widget-dropdown select,"
              " .course-widget .widget-label-basic {font-size: 15px !important;}"
              " .course-widget .widget-readout {min-width: 52px;}")


def slider_layout(**kw):
    """An ``ipywidgets.Layout`` for a slider: ≥ 340 px, up to 560 px, shrinking with a narrow output area."""
    import ipywidgets as W

    kw.setdefault("width", "100%")
    kw.setdefault("min_width", f"{SLIDER_MIN_PX}px")
    kw.setdefault("max_width", f"{SLIDER_MAX_PX}px")
    return W.Layout(**kw)


def slider_style(width: str = "initial") -> dict:
    return {"description_width": width}


class View:
    """Base of every course widget (see the module docstring for the contract)."""

    knobs: tuple[str, ...] = ()
    title: str = ""

    def __init__(self):
        self.values: dict = {}
        self.last: dict = {}
        self.status: str = ""
        self.figures: list[LiveFigure] = []
        self._status_widget = None
        self._controls: dict | None = None
        self._syncing = False
        self._frames: dict = {}  # (figure index, frame_key) -> PNG bytes
        self._clamped: dict = {}  # knob -> (value given, value drawn), for the current update

    FRAME_CACHE = 128  # PNG frames kept per view (tens of kB each)

    def frame_key(self, state: dict):
        """A hashable key when the picture is a function of a few discrete knob values (a recorded frame,
        a swept β): its PNG is then rendered once and replayed. ``None`` (the default) renders every time."""
        return None

    # ------------------------------------------------------------------ to implement
    def draw(self, **values) -> dict:  # pragma: no cover - abstract
        """Change the artists for ``values`` (all knobs); return the state (numbers the picture shows)."""
        raise NotImplementedError

    def status_line(self, state: dict) -> str:
        """The HTML status line for ``state`` (default: none)."""
        return ""

    def controls(self) -> dict:  # pragma: no cover - abstract
        """name → ipywidget, one per knob, starting at ``self.values``."""
        raise NotImplementedError

    def clamp(self, knob: str, value, lo: float, hi: float) -> float:
        """``value`` of ``knob`` as a float in the control's range [lo, hi].

        A value set by code outside the range (a huge or tiny number, ±inf) is drawn at the nearest end,
        and the status line says so; NaN or a non-number is refused with an error naming the knob.
        """
        name = f"{type(self).__name__}.update: {knob}"
        if isinstance(value, (bool, str, bytes)) or value is None:
            raise TypeError(f"{name} must be a number, got {type(value).__name__} ({value!r})")
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be a number, got {type(value).__name__}") from None
        if math.isnan(v):
            raise ValueError(f"{name} must be a number, got nan")
        c = min(max(v, float(lo)), float(hi))
        if c != v:
            self._clamped[knob] = (v, c)
        return c

    # ------------------------------------------------------------------ the pattern
    def figure(self, nrows: int = 1, ncols: int = 1, **kw) -> LiveFigure:
        """Create (and own) a LiveFigure; the first one is ``self.lf``."""
        lf = LiveFigure(nrows, ncols, **kw)
        self.figures.append(lf)
        if len(self.figures) == 1:
            self.lf = lf
        return lf

    def update(self, *args, **knobs) -> dict:
        """Set knobs (positional in the order of ``knobs``, or by name; missing ones keep their value)
        and redraw; returns the state that ``draw`` computed (also kept as ``last``)."""
        if len(args) > len(self.knobs):
            raise TypeError(f"{type(self).__name__}.update takes at most {len(self.knobs)} positional "
                            f"knob(s) {self.knobs}, got {len(args)}")
        given = dict(zip(self.knobs, args))
        twice = set(given) & set(knobs)
        if twice:
            raise TypeError(f"{type(self).__name__}.update got knob(s) {sorted(twice)} twice")
        given.update(knobs)
        unknown = set(given) - set(self.knobs)
        if unknown:
            raise TypeError(f"{type(self).__name__}.update: unknown knob(s) {sorted(unknown)}; "
                            f"expected {list(self.knobs)}")
        values = {**self.values, **given}
        missing = [k for k in self.knobs if k not in values]
        if missing:
            raise TypeError(f"{type(self).__name__}.update: no value yet for knob(s) {missing}")
        self._clamped = {}
        state = self.draw(**values)
        # draw may normalise a value (clamp, snap to a recorded frame): keep what it drew
        self.values = {k: state.get(k, values[k]) if isinstance(state, dict) else values[k] for k in self.knobs}
        for k, (_, c) in self._clamped.items():
            self.values[k] = c
        self.last = state
        self.status = self.status_line(state)
        if self._clamped:   # a value set by code beyond the control: say what was drawn instead
            self.status += " <i>(" + "; ".join(f"{k} = {v:g} is outside the control's range: clamped to {c:g}"
                                               for k, (v, c) in self._clamped.items()) + ")</i>"
        if self._status_widget is not None:
            self._status_widget.value = self._status_html()
        key = self.frame_key(state)
        for n, lf in enumerate(self.figures):
            cached = self._frames.get((n, key)) if key is not None else None
            png = lf.refresh(cached)
            if key is not None and cached is None and len(self._frames) < self.FRAME_CACHE * len(self.figures):
                self._frames[(n, key)] = png
        self._sync_controls()
        return state

    def _status_html(self) -> str:
        return f"<div class='course-status' style='font-size:15px;line-height:1.4'>{self.status}</div>"

    def _sync_controls(self) -> None:
        """Move displayed controls to ``values`` (a direct ``update`` call must not leave them behind)."""
        if not self._controls:
            return
        self._syncing = True
        try:
            for k, c in self._controls.items():
                v = self.values.get(k)
                if v is not None and c.value != v:
                    try:
                        c.value = v
                    except Exception:  # a value the control cannot show (e.g. outside its range)
                        pass
        finally:
            self._syncing = False

    def _from_controls(self, **values):
        if not self._syncing:
            self.update(**values)

    def image_widgets(self) -> list:
        """The ``ipywidgets.Image`` of each figure."""
        return [lf.image for lf in self.figures]

    def widget(self, title: str | None = None):
        """The panel: the controls (from :meth:`controls`), the status line and the figure(s)."""
        import ipywidgets as W

        controls = self.controls()
        missing = set(self.knobs) - set(controls)
        if missing:
            raise RuntimeError(f"{type(self).__name__}.controls() has no control for knob(s) {sorted(missing)}")
        self._controls = controls
        self._status_widget = W.HTML(self._status_html())
        # start the picture at the controls' values (they are built from self.values, so usually a no-op)
        start = {k: c.value for k, c in controls.items()}
        if start != {k: self.values.get(k) for k in controls}:
            self.update(**start)
        box = panel(controls, self._from_controls, *self.image_widgets(), status=self._status_widget,
                    title=title if title is not None else self.title)
        style = W.HTML(f"<style>{STATUS_CSS}</style>", layout=W.Layout(display="none"))
        box.children = (*box.children, style)
        return box

    def png(self) -> bytes:
        """PNG bytes of the main figure as it is now (what the displayed image holds)."""
        return self.lf.render()
