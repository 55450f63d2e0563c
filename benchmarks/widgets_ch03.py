"""Widget latency cases of notebook 03 (run by benchmarks/widget_latency.py).

The denoising view as notebook 03 will use it: 10 MNIST test digits, a plain and a denoising MLP
autoencoder (untrained stand-ins of the same size: the cost does not depend on the weights).
"""
from __future__ import annotations

import numpy as np
import torch


def cases():
    from course_lib.autoencoders import Autoencoder
    from course_lib.data import load_mnist
    from course_lib.widgets.denoising import DenoisingView

    data = load_mnist()
    torch.manual_seed(0)
    models = {"plain AE": Autoencoder(16).eval(), "DAE": Autoencoder(16).eval()}
    view = DenoisingView(models, data.x_test[:10])
    view.lf.image  # noqa: B018  (as in the notebook: the image widget exists, bytes are pushed)
    rng = np.random.default_rng(0)
    values = [dict(kind=str(k), level=float(v))
              for k, v in zip(rng.choice(["gaussian", "masking"], 40), np.round(rng.integers(0, 21, 40) * 0.05, 2))]  # slider positions
    return [("ch03 denoising (kind, level)", view.update, values)]


if __name__ == "__main__":
    from course_lib.widgets import median_latency_ms

    torch.set_num_threads(1)
    for name, update, values in cases():
        print(f"{name}: {median_latency_ms(update, values):.1f} ms median")
