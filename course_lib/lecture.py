"""Projector style for presenting a notebook in a lecture: ``course_lib.setup(..., style="lecture")``.

The course style (:data:`course_lib.viz.COURSE_STYLE`) is readable on a laptop; a lecture hall
shows the notebook on a 1280x720 projector to people sitting 15 m away. This style makes every
piece of text in a figure at least :data:`MIN_TEXT_PX` pixels tall *as rendered* (a font of
``p`` points in a figure of ``dpi`` dots per inch is ``p * dpi / 72`` pixels; the inline backend
saves at the figure's dpi), while one figure still fits a 1280x720 screen without being scaled down.

Widgets: a view builds its :class:`~course_lib.widgets.live.LiveFigure` with a fixed ``dpi``;
it reads :func:`widget_scale` (1.0 outside lecture mode) and multiplies its ``dpi`` by it, so every
widget grows with the style and its text grows with it. :data:`LECTURE_CSS` enlarges the widget
controls (slider labels and readouts) and the notebook text in the browser; :func:`use_lecture_style`
displays it when a notebook runs in a kernel with a frontend.

Taught in: the instructor's guide (docs/instructor_guide.md); every notebook can use it.
"""
from __future__ import annotations

import matplotlib as mpl

__all__ = ["LECTURE_STYLE", "LECTURE_CSS", "MIN_TEXT_PX", "SCREEN", "use_lecture_style", "widget_scale",
           "scaled_dpi", "text_px", "smallest_text_px", "active", "LAB_SETTINGS", "ENV_VAR",
           "write_lab_settings"]

#: the projector we size for (width, height in CSS pixels) and the smallest text we accept on it
SCREEN = (1280, 720)
MIN_TEXT_PX = 18.0

#: dpi 100 and figsize 10 x 5.6 in -> a 1000 x 560 px figure: fits 1280x720 beside JupyterLab's
#: margins, so the browser never shrinks it (shrinking would shrink the text below MIN_TEXT_PX).
#: The smallest fonts (ticks, legend) are 13.5 pt = 18.75 px at dpi 100.
LECTURE_STYLE = {
    "figure.figsize": (10.0, 5.6),
    "figure.dpi": 100,
    "savefig.dpi": "figure",
    "font.size": 16,
    "axes.titlesize": 19,
    "axes.labelsize": 17,
    "xtick.labelsize": 13.5,
    "ytick.labelsize": 13.5,
    "legend.fontsize": 13.5,
    "legend.title_fontsize": 14,
    "figure.titlesize": 20,
    "lines.linewidth": 3.0,
    "lines.markersize": 9,
    "axes.linewidth": 1.5,
    "xtick.major.width": 1.5,
    "ytick.major.width": 1.5,
    "xtick.major.size": 6,
    "ytick.major.size": 6,
}

#: widgets render at this multiple of their own dpi in lecture mode (their figures are ~80 dpi
#: with 10-11 pt text: 80 * 1.6 / 72 * 10.5 pt = 18.7 px)
LECTURE_WIDGET_SCALE = 1.6

#: browser-side part: larger widget controls and notebook prose (JupyterLab, the exported site)
LECTURE_CSS = """
<style id="course-lecture-style">
:root { --course-lecture-scale: %(scale)s; }
.jp-Notebook, .jp-RenderedHTMLCommon { --jp-content-font-size1: 20px; --jp-code-font-size: 18px; }
.jp-RenderedHTMLCommon p, .jp-RenderedHTMLCommon li { font-size: 20px; line-height: 1.45; }
.course-widget .widget-label, .course-widget .widget-readout, .course-widget .widget-html-content,
.course-widget .widget-dropdown select, .course-widget button { font-size: 18px !important; }
.course-widget .widget-slider, .course-widget .widget-hslider { min-height: 36px; }
</style>
"""

#: JupyterLab user settings for presenting (written by scripts/lecture.py into its own settings folder,
#: so a student's JupyterLab settings are never touched): larger notebook text, every cell rendered
#: (widgets scrolled away stay alive), Alt+P toggles Presentation mode, Alt+S the simple interface.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/themes.jupyterlab-settings": {
        "overrides": {"content-font-size1": "20px", "code-font-size": "18px", "ui-font-size1": "16px"}},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none",
                                                                   "autoStartDefaultKernel": True},
    "@jupyterlab/shortcuts-extension/shortcuts.jupyterlab-settings": {"shortcuts": [
        {"command": "application:toggle-presentation-mode", "keys": ["Alt P"], "selector": "body"},
        {"command": "application:toggle-mode", "keys": ["Alt S"], "selector": "body"}]},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
}

#: the environment variable course_lib.setup reads (its default style=True becomes "lecture")
ENV_VAR = "COURSE_LIB_STYLE"

_state = {"active": False}


def active() -> bool:
    """True after :func:`use_lecture_style` in this process."""
    return _state["active"]


def widget_scale() -> float:
    """The factor a widget view multiplies its figure's dpi by: 1.0, or 1.6 in lecture mode."""
    return LECTURE_WIDGET_SCALE if _state["active"] else 1.0


def scaled_dpi(dpi: float) -> float:
    """``dpi * widget_scale()``: what a LiveFigure built for ``dpi`` should use now."""
    return float(dpi) * widget_scale()


def use_lecture_style(*, display_css: bool = True) -> None:
    """Apply the course style, then the projector sizes on top; turn widget scaling on.

    ``display_css`` also shows :data:`LECTURE_CSS` when an IPython kernel with a frontend runs
    this (the style element is invisible; it only enlarges controls and prose).
    """
    from course_lib.viz import use_course_style

    use_course_style()
    mpl.rcParams.update(LECTURE_STYLE)
    _state["active"] = True
    if display_css:
        _display_css()


def reset() -> None:
    """Leave lecture mode (widget scale back to 1.0); rcParams are left to the next style call."""
    _state["active"] = False


def _display_css() -> None:
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:  # plain Python: nothing to style
        return
    shell = get_ipython()
    if shell is None or type(shell).__name__ != "ZMQInteractiveShell":
        return
    display(HTML(LECTURE_CSS % {"scale": LECTURE_WIDGET_SCALE}))


def text_px(text, dpi: float | None = None) -> float:
    """Height in pixels of one line of ``text`` (a matplotlib Text) rendered at ``dpi`` (default: its figure's)."""
    dpi = text.figure.dpi if dpi is None else dpi
    return text.get_fontsize() * dpi / 72.0


def smallest_text_px(fig) -> tuple[float, str]:
    """(pixels, string) of the smallest visible non-empty text in ``fig`` after a draw at its dpi.

    Walks every Text artist (titles, labels, tick labels, legend entries, annotations).
    """
    from matplotlib.text import Text

    fig.canvas.draw()  # tick labels exist only after a draw
    best = (float("inf"), "")
    for t in fig.findobj(Text):
        if not t.get_visible() or not t.get_text().strip():
            continue
        px = text_px(t, fig.dpi)
        if px < best[0]:
            best = (px, t.get_text())
    return best


def write_lab_settings(folder) -> None:
    """Write :data:`LAB_SETTINGS` under ``folder`` (use it as ``JUPYTERLAB_SETTINGS_DIR``)."""
    import json
    from pathlib import Path

    for rel, content in LAB_SETTINGS.items():
        f = Path(folder) / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(content, indent=1))
