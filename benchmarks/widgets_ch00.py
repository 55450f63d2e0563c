"""Widget latency cases of notebook 00 (collected by benchmarks/widget_latency.py).

The slice view is built on briefly trained models (about a second): latency depends on the
network sizes, not on how well they are trained, but trained models draw what students see.
"""
from __future__ import annotations

import numpy as np
import torch


def cases():
    from course_lib.likelihood import MixtureDensityNetwork, MSERegressor, two_branch_data
    from course_lib.training import fit
    from course_lib.widgets.mixture_density import ConditionalSliceView

    gen = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    x, y = two_branch_data(2000, generator=gen)
    reg, mdn = MSERegressor(), MixtureDensityNetwork()
    fit(reg, (x, y), steps=150, batch_size=256, lr=1e-2, progress=False)
    fit(mdn, (x, y), steps=150, batch_size=256, lr=1e-2, progress=False)
    view = ConditionalSliceView(x, y, reg, mdn)
    values = [dict(x=float(v)) for v in np.linspace(0.02, 1.0, 40)]

    from course_lib.data import load_digits
    from course_lib.likelihood import NaiveBayes, discretize
    from course_lib.widgets.naive_bayes import SmoothingView

    d = load_digits()
    codes = lambda x: discretize(x, 2).reshape(len(x), -1)  # noqa: E731
    nb = NaiveBayes(64, 10).fit(codes(d.x_train), d.y_train)
    smoothing = SmoothingView(nb, codes(d.x_test), d.y_test)
    alphas = [dict(alpha=float(a)) for a in np.geomspace(1e-3, 100, 40)]
    return [("ConditionalSliceView (x slider: MDN p(y|x) vs MSE)", view.update, values),
            ("SmoothingView (Naive Bayes Laplace α slider)", smoothing.update, alphas)]
