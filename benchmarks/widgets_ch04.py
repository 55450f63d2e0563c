"""Widget latency cases of notebook 04 (collected by benchmarks/widget_latency.py).

The explorers use the shipped checkpoints (what the notebook shows in lecture mode); the β view
uses four quickly trained 8-D VAEs: latency depends on array sizes, not on training quality.
"""
from __future__ import annotations

import numpy as np
import torch


def _load(name):
    from course_lib import checkpoints
    from course_lib.vae import VAE

    cfg = dict(checkpoints.manifest(name)["config"])
    cfg["image_shape"] = tuple(cfg["image_shape"])
    vae = VAE(**cfg)
    vae.load_state_dict(checkpoints.load_state_dict(name))
    return vae.eval()


def cases():
    from course_lib import data
    from course_lib.vae import VAE, train_vae
    from course_lib.widgets.vae_explorer import BetaSweepView, VAELatentView

    mnist = data.load_mnist()
    x_test, y_test = data.binarize(mnist.x_test), mnist.y_test
    ex2 = VAELatentView(_load("vae_mnist_2d"), x_test, y_test)
    ex20 = VAELatentView(_load("vae_mnist_20d"), x_test, y_test)
    for ex in (ex2, ex20):
        ex.lf.image  # noqa: B018  (as in the notebook: the image widgets exist)
        if ex.manifold_lf is not None:
            ex.manifold_lf.image  # noqa: B018
    sweep = []
    for b in (0.25, 1.0, 4.0, 16.0):
        torch.manual_seed(0)
        m = VAE(latent_dim=8, hidden=64, beta=b)
        train_vae(m, data.binarize(mnist.x_train), steps=20, batch_size=64, progress=False)
        with torch.no_grad():
            sweep.append({"beta": b, "codes": m.encode(x_test)[0], "recon": m.decode(m.encode(x_test[:8])[0]),
                          "samples": m.sample(8), "rate": 1.0, "distortion": 1.0})
    beta_view = BetaSweepView(sweep, y_test, x_test[:8])
    beta_view.lf.image  # noqa: B018
    pts = [{"z1": float(a), "z2": float(-0.5 * a)} for a in np.linspace(-2.5, 2.5, 30)]
    interp = [{"i": 0, "j": 1, "t": float(t)} for t in np.linspace(0, 1, 30)]
    z20 = [{"z3": float(a)} for a in np.linspace(-2, 2, 30)]
    betas = [{"beta": b} for b in [0.25, 1.0, 4.0, 16.0] * 8]
    return [
        ("VAELatentView 2-D: move the point (explorer + manifold)", ex2.update_point, pts),
        ("VAELatentView 2-D: interpolation t", ex2.update_interpolation, interp),
        ("VAELatentView 20-D: one latent slider", ex20.update_point, z20),
        ("BetaSweepView: β slider", beta_view.update, betas),
    ]
