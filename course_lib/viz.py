"""Plots shared by every notebook, with defaults readable on a lecture-hall projector.

Functions draw on an ``ax`` you pass (or a new one) and return the artist they made,
so widgets can update that artist in place instead of redrawing the figure.
"""
from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import torch

from course_lib._checks import as_images, as_points, check_int

__all__ = ["use_course_style", "fitted_png", "MAX_FIGURE_PX", "image_grid", "scatter_2d", "plot_history", "plot_quality_curve", "to_numpy", "OKABE_ITO", "PALETTE",
           "CLASS_COLORS", "CLASS_MARKERS", "class_style"]

# Okabe & Ito (2008), "Color Universal Design": eight colours that stay distinct for the common forms of
# colour blindness. Named so figures can say what they mean ("model" is always vermillion).
OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7",
}
# The order used for series: the strongest contrasts first (yellow, weak on white, last).
PALETTE = [OKABE_ITO[k] for k in ("blue", "vermillion", "green", "orange", "purple", "sky", "black", "yellow")]
# Ten classes (digits): the seven Okabe-Ito colours readable on white plus three dark/greys, and always a
# second cue, a marker shape per class, because ten colours cannot all stay apart for every viewer.
CLASS_COLORS = [OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["green"], OKABE_ITO["vermillion"],
                OKABE_ITO["purple"], OKABE_ITO["sky"], "#000000", "#8C6D1F", "#7F7F7F", "#332288"]
CLASS_MARKERS = ["o", "s", "^", "v", "D", "P", "X", "*", "<", ">"]


def class_style(k: int) -> dict:
    """Colour and marker of class ``k`` (cycling after ten): pass as ``ax.scatter(..., **class_style(k))``."""
    return {"color": CLASS_COLORS[k % len(CLASS_COLORS)], "marker": CLASS_MARKERS[k % len(CLASS_MARKERS)]}


COURSE_STYLE = {
    "axes.prop_cycle": mpl.cycler(color=PALETTE),
    "figure.figsize": (8, 5),
    "figure.dpi": 90,
    "font.size": 14,
    "axes.titlesize": 15,
    "axes.labelsize": 14,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
    "legend.framealpha": 0.9,
    "lines.linewidth": 2.2,
    "lines.markersize": 7,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "image.cmap": "viridis",
}


# The narrowest notebook output area the course supports (JupyterLab at 1280x800 with the file browser
# open: 848 px). A wider figure would be scaled down by the browser, and its text with it.
MAX_FIGURE_PX = 840


def use_course_style() -> None:
    """Large fonts and thick lines: what a projector at the back of a room still shows.

    In a notebook it also makes inline figures fit the output area: a figure wider than
    :data:`MAX_FIGURE_PX` is re-laid out at that width *with the same font sizes* before it is turned
    into PNG, instead of being shrunk (text included) by the browser.
    """
    mpl.rcParams.update(COURSE_STYLE)
    _fit_inline_figures()


def fitted_png(fig, max_px: int = MAX_FIGURE_PX) -> bytes:
    """PNG bytes of ``fig`` (tight bounding box) drawn at most ``max_px`` wide, fonts unchanged."""
    from IPython.core.pylabtools import print_figure

    w, h = fig.get_size_inches()
    scale = min(1.0, max_px / (w * fig.dpi))
    if scale < 1.0:
        fig.set_size_inches(w * scale, h * scale, forward=False)
    try:
        return print_figure(fig, "png", bbox_inches="tight", base64=False)
    finally:
        if scale < 1.0:
            fig.set_size_inches(w, h, forward=False)


def _fit_inline_figures() -> None:
    try:
        from IPython import get_ipython
    except ImportError:
        return
    ip = get_ipython()
    if ip is None or not hasattr(ip, "display_formatter"):
        return
    from matplotlib.figure import Figure

    # load pyplot's backend now: matplotlib-inline registers its own formatter when it loads
    getattr(plt, "_get_backend_mod", lambda: None)()
    png = ip.display_formatter.formatters["image/png"]
    png.for_type(Figure, fitted_png)

    # matplotlib-inline registers its own formatter when pyplot first loads the backend (lazily, often
    # after this call): put ours back before every cell, so figures shown at the cell's end use it.
    def _keep(*_args):
        if png.lookup_by_type(Figure) is not fitted_png:
            png.for_type(Figure, fitted_png)

    if not getattr(ip, "_course_fit_figures", False):
        ip.events.register("pre_run_cell", _keep)
        ip.events.register("post_execute", _keep)
        ip._course_fit_figures = True


def to_numpy(x) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def image_grid(images, *, nrow: int = 8, ax=None, title: str | None = None, padding: int = 2,
               pad_value: float = 1.0, cmap: str = "gray"):
    """Show a batch (N, C, H, W) with values in [0, 1] as one grid image; returns the AxesImage.

    Update it in place later with ``artist.set_data(grid_array(new_images, nrow=...))``.
    """
    arr = grid_array(images, nrow=nrow, padding=padding, pad_value=pad_value)
    if ax is None:
        _, ax = plt.subplots(figsize=(min(12, 1.2 * nrow + 1), 1.2 * np.ceil(len(images) / nrow) + 1))
    im = ax.imshow(arr, cmap=cmap, vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return im


def grid_array(images, *, nrow: int = 8, padding: int = 2, pad_value: float = 1.0) -> np.ndarray:
    """The (H', W') (grey) or (H', W', 3) array that :func:`image_grid` displays."""
    from torchvision.utils import make_grid

    nrow = check_int(nrow, "nrow", min_value=1)
    images = as_images(images, "grid_array: images", min_rows=1).detach().cpu()
    grid = make_grid(images, nrow=nrow, padding=padding, pad_value=pad_value)  # (3, H', W')
    if images.shape[1] == 1:
        return grid[0].numpy()
    return grid.permute(1, 2, 0).numpy()


def scatter_2d(points, *, ax=None, label: str | None = None, centers=None, s: float = 6, alpha: float = 0.5,
               color=None, title: str | None = None, lim: float | None = None):
    """Scatter a 2-D point cloud (n, 2); optional mode ``centers`` (k, 2) drawn as crosses.

    Returns the PathCollection (update with ``set_offsets``).
    """
    pts = to_numpy(as_points(points, "points", dim=2))
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 5.5))
    sc = ax.scatter(pts[:, 0], pts[:, 1], s=s, alpha=alpha, label=label, color=color)
    if centers is not None:
        c = to_numpy(as_points(centers, "centers", dim=2))
        ax.scatter(c[:, 0], c[:, 1], marker="x", s=80, color="black", linewidths=2, label="modes")
    ax.set_aspect("equal")
    if lim is not None:
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
    if title:
        ax.set_title(title)
    if label or centers is not None:
        ax.legend(loc="upper right", markerscale=2)
    return sc


def plot_history(history, keys=None, *, ax=None, log: bool = False, title: str | None = "Training",
                 ylabel: str = "value"):
    """Plot the curves of a :class:`course_lib.training.History` (or a dict of lists) against step.

    ``ylabel`` names the quantity (say what the loss *is*, e.g. ``"mean ‖x − x̂‖²"``); a legend is drawn only
    when there is more than one curve to tell apart.
    """
    data = history.as_dict() if hasattr(history, "as_dict") else dict(history)
    keys = list(data) if keys is None else list(keys)
    missing = [k for k in keys if k not in data]
    if missing:
        raise ValueError(f"history has no key(s) {missing}; available: {sorted(data)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5))
    for k in keys:
        y = np.asarray(data[k], dtype=float)
        x = np.asarray(history.steps(k)) if hasattr(history, "steps") else np.arange(1, len(y) + 1)
        ax.plot(x, y, label=k)
    ax.set_xlabel("step")
    ax.set_ylabel(ylabel)
    if log:
        ax.set_yscale("log")
    if title:
        ax.set_title(title)
    if len(keys) > 1:
        ax.legend()
    return ax


def plot_quality_curve(points, *, ax=None, target: float | None = None, label: str | None = None,
                       title: str | None = None, ylabel: str = "classifier-FID / floor"):
    """Plot a shipped model's validation curve, ``[(step, value), …]`` from
    :func:`course_lib.checkpoints.quality_curve`, with the floor (1) and an optional target as lines."""
    pts = list(points)
    if not pts:
        raise ValueError("plot_quality_curve: points is empty (the manifest recorded no curve)")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    steps, values = zip(*pts)
    ax.plot(steps, values, "o-", ms=6, lw=2, label=label)
    ax.axhline(1.0, color="black", ls=":", lw=1.5, label="real-vs-real floor")
    if target is not None:
        ax.axhline(target, color=PALETTE[1], ls="--", lw=1.5, label=f"target {target:g}×")
    ax.set_xlabel("training steps")
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, None)
    if title:
        ax.set_title(title)
    ax.legend()
    return ax
