"""Widget latency cases of notebook 08 (collected by benchmarks/widget_latency.py)."""
from __future__ import annotations

import numpy as np


def _views():
    import torch

    from course_lib import zoo
    from course_lib.autoregressive import MAE, CausalTransformer, MaskGIT
    from course_lib.data import load_mnist
    from course_lib.widgets.masked import MaeRatioView, MaskGitStepperView

    torch.set_num_threads(1)
    try:  # the shipped models when present; the latency does not depend on the weights
        mae, maskgit, tf = (zoo.load_or_train(n, progress=False, steps=1)[0]
                            for n in ("mae_mnist", "maskgit_digits", "ar_transformer_digits"))
    except Exception:  # pragma: no cover - untrained stand-ins
        mae, maskgit, tf = MAE(), MaskGIT(), CausalTransformer()
    return MaeRatioView(mae, load_mnist().x_test[:4]), MaskGitStepperView(maskgit, tf, K=8, n=4)


def cases():
    mae_view, stepper = _views()
    mae_view.lf.image  # noqa: B018
    stepper.lf.image  # noqa: B018
    return [("MaeRatioView: mask ratio slider", mae_view.update,
             [{"ratio": float(r)} for r in np.linspace(0.1, 0.9, 30)]),
            ("MaskGitStepperView: pass slider", stepper.update, [{"k": int(k)} for k in list(range(9)) * 3])]


if __name__ == "__main__":
    from course_lib.widgets import median_latency_ms

    for name, update, values in cases():
        print(f"{name}: median {median_latency_ms(update, values):.1f} ms")
