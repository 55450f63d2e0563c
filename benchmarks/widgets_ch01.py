"""Widget latency cases of notebook 01 (run by benchmarks/widget_latency.py)."""
from __future__ import annotations

import numpy as np
import torch


def cases():
    from course_lib.widgets.likelihood import LikelihoodView

    # the notebook's data: 200 draws from N(2, 1.5²)
    x = 2.0 + 1.5 * torch.randn(200, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    view = LikelihoodView(x)
    view.live.image  # noqa: B018  (as in the notebook: the image widget exists, bytes are pushed)
    rng = np.random.default_rng(0)
    values = [dict(mu=float(m), sigma=float(s))
              for m, s in zip(rng.uniform(*view.mu_range, 40), rng.uniform(*view.sigma_range, 40))]
    return [("ch01 likelihood (μ, σ)", view.update, values)]


if __name__ == "__main__":
    from course_lib.widgets import median_latency_ms

    for name, update, values in cases():
        print(f"{name}: {median_latency_ms(update, values):.1f} ms median")
