"""Widget latency cases of notebook 02 (run by benchmarks/widget_latency.py).

The views are built as in the notebook (MNIST, 100 PCA components, 10 digits; a 2-D code decoder of the
notebook's architecture). The latent explorer's cost does not depend on how well the decoder is trained,
so an untrained decoder of the same size stands in for the notebook's trained one.
"""
from __future__ import annotations

import numpy as np
import torch


def cases():
    from course_lib.autoencoders import Autoencoder
    from course_lib.data import load_mnist
    from course_lib.autoencoders import PCA
    from course_lib.widgets.latent import LatentView, decoded_manifold
    from course_lib.widgets.pca import PCAReconstructionView

    data = load_mnist()
    pca = PCA(100).fit(data.x_train)
    view = PCAReconstructionView(pca, data.x_test[:10], pca.error_curve(data.x_test, range(101)))
    view.lf.image  # noqa: B018  (as in the notebook: the image widget exists, bytes are pushed)
    torch.manual_seed(0)
    ae = Autoencoder(2).eval()
    with torch.no_grad():
        codes = ae.encode(data.x_test)
    lo, hi = codes.min(0).values.tolist(), codes.max(0).values.tolist()
    explorer = LatentView(ae.decode, codes, data.y_test, image_shape=(1, 28, 28), images=data.x_test,
                              background=decoded_manifold(ae.decode, xlim=(lo[0], hi[0]), ylim=(lo[1], hi[1])))
    explorer.lf.image  # noqa: B018
    rng = np.random.default_rng(0)
    point = [dict(z1=float(a), z2=float(b)) for a, b in zip(rng.uniform(lo[0], hi[0], 40), rng.uniform(lo[1], hi[1], 40))]
    interp = [dict(i=int(i), j=int(j), t=float(t))
              for i, j, t in zip(rng.integers(0, 1000, 40), rng.integers(0, 1000, 40), rng.uniform(0, 1, 40))]
    return [("ch02 PCA components (m)", view.update, [dict(m=int(m)) for m in rng.integers(0, 101, 40)]),
            ("ch02 latent explorer point (z1, z2)", explorer.update_point, point),
            ("ch02 latent explorer interpolation (i, j, t)", explorer.update_interpolation, interp)]


if __name__ == "__main__":
    from course_lib.widgets import median_latency_ms

    torch.set_num_threads(1)
    for name, update, values in cases():
        print(f"{name}: {median_latency_ms(update, values):.1f} ms median")
