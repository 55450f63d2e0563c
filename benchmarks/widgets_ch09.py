"""Widget latency cases of notebook 09 (collected by benchmarks/widget_latency.py)."""
from __future__ import annotations

import numpy as np


def cases():
    import torch

    from course_lib.widgets.metrics import BLUR_SIGMAS, MetricSandbox

    torch.set_num_threads(1)
    view = MetricSandbox()
    view.lf.image  # noqa: B018
    out = []
    for knob, hi in (("noise", 0.5), ("blend", 1.0), ("copy", 1.0)):
        out.append((f"MetricSandbox: {knob} slider (599 images, 7 metrics)", view.update,
                    [{knob: float(v)} for v in np.linspace(0, hi, 30)]))
    out.append(("MetricSandbox: blur slider (its stops)", view.update,
                [{"blur": s} for s in BLUR_SIGMAS * 3]))
    out.append(("MetricSandbox: drop classes", view.update, [{"drop": int(d % 10)} for d in range(30)]))
    return out
