"""Widget latency cases of notebook 06 (collected by benchmarks/widget_latency.py)."""
from __future__ import annotations

import numpy as np


def cases():
    from course_lib.widgets.divergences import ParallelLinesView
    from course_lib.widgets.emd import EMDView

    out = []
    for n in (40, 100, 200):
        view = EMDView(n=n)
        view.lf.image  # noqa: B018
        values = [{"shift": float(s), "scale": float(1.0 + 0.5 * np.sin(s))} for s in np.linspace(-3, 3, 30)]
        out.append((f"EMDView n={n} per cloud: shift/scale (exact plan)", view.update, values))
    lines = ParallelLinesView()
    lines.lf.image  # noqa: B018
    out.append(("ParallelLinesView: θ slider", lines.update, [{"theta": float(t)} for t in np.linspace(-1, 1, 30)]))
    return out
