"""Widget latency cases of notebook 05 (collected by benchmarks/widget_latency.py): the mode-collapse replay
on the shipped recordings, as the notebook shows it."""
from __future__ import annotations


def cases():
    import torch

    from course_lib import gans
    from course_lib.gans import LOSS_LABELS
    from course_lib.widgets.mode_collapse import ModeCollapseView

    recorded = gans.load_recordings()
    out = []
    for dname in ("ring", "grid"):
        fn, centers, std = gans.toy_mixture(dname)
        runs = {LOSS_LABELS[k]: v for k, v in recorded[dname].items()}
        view = ModeCollapseView(runs, fn(1000, generator=torch.Generator().manual_seed(2)), centers, std)
        view.lf.image  # noqa: B018  (as in the notebook: the image widget exists)
        labels = list(runs)
        values = [{"loss": labels[(i // 10) % len(labels)], "frame": i % (view.max_frame + 1)} for i in range(40)]
        out.append((f"ModeCollapseView ({dname}): step slider / loss dropdown", view.update, values))
    return out
