"""Widgets: views on top of the model packages (model packages never import ipywidgets).

Every widget is a :class:`~course_lib.widgets.base.View` (one pattern, one vocabulary): a figure
``view.lf`` (a :class:`~course_lib.widgets.live.LiveFigure` that blits changed artists into PNG bytes),
the knob values ``view.values``, the last state ``view.last``, one status line ``view.status``, a plain
``update(**knobs)`` (the only way the picture changes; it also moves displayed controls) and
``widget()``, built from the controls dict of ``controls()`` by :func:`panel`.

| module | view | notebook |
|---|---|---|
| ``mixture_density`` | p(y|x) slice of the mixture density network | 00 |
| ``naive_bayes`` | Laplace smoothing of Naive Bayes | 00 |
| ``likelihood`` | likelihood surface under μ, σ | 01 |
| ``pca`` | PCA reconstruction vs number of components | 02 |
| ``latent`` | ``LatentView``: latent-space explorer (autoencoders, VAE) | 02, 04 |
| ``denoising`` | noise level → corrupted and reconstructed digits | 03 |
| ``vae_explorer`` | ``VAELatentView`` (manifold), ``BetaSweepView`` | 04 |
| ``mode_collapse`` | recorded GAN runs over training | 05, 06 |
| ``gan_trainer`` | live GAN trainer: play / pause, step D / G, decision surface and gradient arrows | 05, 06 |
| ``gan_frames`` | the live trainer's picture data: field, colour range, arrows, heatmap pixels | 05, 06 |
| ``emd`` | exact optimal transport plan | 06 |
| ``divergences`` | KL / JS / W on parallel lines | 06 |
| ``diffusion`` | ``DiffusionTimeView``: forward noising and reverse sampling through time t | 07 |
"""
from __future__ import annotations

from course_lib.widgets.base import View
from course_lib.widgets.live import MIN_FONT_PX, LiveFigure, latencies_ms, median_latency_ms, min_font_px, panel

__all__ = ["View", "LiveFigure", "panel", "latencies_ms", "median_latency_ms", "min_font_px",
           "MIN_FONT_PX"]
