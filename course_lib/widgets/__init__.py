"""Widgets: views on top of the model packages (model packages never import ipywidgets).

A widget is three parts, kept apart so each can be tested (see :mod:`course_lib.widgets.live`):
a *view* with a plain ``update(**knobs)`` method that changes artists in place; a
:class:`~course_lib.widgets.live.LiveFigure` that blits them into PNG bytes; and :func:`panel`, which
wires ipywidgets controls to ``update``.

| module | view | notebook |
|---|---|---|
| ``mixture_density`` | p(y|x) slice of the mixture density network | 00 |
| ``naive_bayes`` | Laplace smoothing of Naive Bayes | 00 |
| ``likelihood`` | likelihood surface under μ, σ | 01 |
| ``pca`` | PCA reconstruction vs number of components | 02 |
| ``latent`` | latent-space explorer (autoencoders, VAE) | 02, 04 |
| ``denoising`` | noise level → corrupted and reconstructed digits | 03 |
| ``vae_explorer`` | VAE manifold and β sweep | 04 |
| ``mode_collapse`` | recorded GAN runs over training | 05, 06 |
| ``gan_trainer`` | live GAN trainer: play, step D / G, decision surface and gradient arrows | 05, 06 |
| ``emd`` | exact optimal transport plan | 06 |
| ``divergences`` | KL / JS / W on parallel lines | 06 |
"""
from __future__ import annotations

from course_lib.widgets.live import LiveFigure, latencies_ms, median_latency_ms, panel, png_bytes

__all__ = ["LiveFigure", "panel", "latencies_ms", "median_latency_ms", "png_bytes"]
