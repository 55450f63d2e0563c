"""Widget latency cases of notebook 07 (collected by benchmarks/widget_latency.py)."""
from __future__ import annotations


def cases():
    import torch

    from course_lib.diffusion import make_ddpm
    from course_lib.widgets.diffusion import DiffusionTimeView, precompute_trajectories

    torch.set_num_threads(1)  # as in the notebook: a small network evaluates fastest on one thread here
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    # the notebook's sizes: T = 1000 steps, 500 points, one digit (untrained nets: latency is the same)
    pts, dig = make_ddpm("points"), make_ddpm("digits")
    pf, pr = precompute_trajectories(pts, torch.randn(500, 2), generator=g)
    df, dr = precompute_trajectories(dig, torch.rand(1, 1, 8, 8), generator=g)
    out = []
    for arrows in (False, True):
        view = DiffusionTimeView(pf, pr, df[:, 0], dr[:, 0], eps_fn=pts.eps_fn() if arrows else None)
        view.lf.image  # noqa: B018
        values = [{"t": t} for t in range(0, 1001, 25)]
        out.append((f"DiffusionTimeView T=1000, 500 points + a digit{', ε arrows' if arrows else ''}: t slider",
                    view.update, values))
    return out
