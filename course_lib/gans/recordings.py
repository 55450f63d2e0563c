"""Recorded 2-D GAN runs: samples every few steps, mode coverage over training (notebooks 05 and 06).

``scripts/record_gan_runs.py`` writes them as a shipped checkpoint; the mode-collapse widget replays them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from course_lib import data
from course_lib._checks import check_choice, check_int
from course_lib.checkpoints import CheckpointError, load_state_dict, manifest
from course_lib.evaluation.coverage import mode_coverage
from course_lib.gans.losses import LOSS_LABELS, LOSSES
from course_lib.gans.recipes import make_gan, train_gan

__all__ = ["Recording", "record_run", "toy_mixture", "recordings_state", "load_recordings", "load_or_record_runs",
           "coverage_table"]


@dataclass
class Recording:
    """Samples of one training run every ``every`` generator steps (replayed by the mode-collapse widget).

    steps: (T,) ints; samples: (T, m, 2) float32; modes: (T,) ints; high_quality: (T,) floats.
    """

    loss: str
    steps: np.ndarray
    samples: np.ndarray
    modes: np.ndarray
    high_quality: np.ndarray
    n_modes: int
    seconds: float = 0.0
    history: dict = field(default_factory=dict, repr=False)


def record_run(loss: str, data_fn, centers, std: float, *, steps: int, every: int = 100, n_show: int = 500,
               n_eval: int = 2500, seed: int = 0, **gan_kw) -> Recording:
    """Train a fresh 2-D GAN with ``loss`` under ``seed`` and record samples and mode coverage every ``every`` steps.

    The coverage uses ``n_eval`` samples (2,500 as in VEEGAN/PacGAN); the first ``n_show`` are kept for display.
    """

    steps = check_int(steps, "steps", min_value=1)
    every = check_int(every, "every", min_value=1)
    torch.manual_seed(seed)
    model = make_gan(loss, **gan_kw)
    lr = model.default_lr
    eval_gen = torch.Generator().manual_seed(seed + 12345)
    rec = {"steps": [], "samples": [], "modes": [], "hq": []}

    def snapshot(step):
        model.eval()
        with torch.no_grad():
            x = model.sample(n_eval, generator=eval_gen)
        model.train()
        cov = mode_coverage(x, centers, std)
        rec["steps"].append(step)
        rec["samples"].append(x[:n_show].cpu().numpy().astype(np.float32))
        rec["modes"].append(cov.modes)
        rec["hq"].append(cov.high_quality)

    snapshot(0)

    def callback(step, _metrics):
        if step % every == 0:
            snapshot(step)

    hist = train_gan(model, data_fn, steps=steps, lr=lr, callback=callback, progress=False)
    return Recording(loss, np.array(rec["steps"]), np.stack(rec["samples"]), np.array(rec["modes"]),
                     np.array(rec["hq"]), len(centers), hist.seconds, hist.as_dict())


# --------------------------------------------------------------------------- recorded runs (shipped)
#: the two mixtures of 05/06: name → (sampler, centres, σ)
def toy_mixture(name: str):
    """("ring" | "grid") → (data_fn(n, generator=None), centres (k, 2), σ): the 8-ring and the 25-grid."""
    check_choice(name, "name", {"ring", "grid"})
    if name == "ring":
        return (lambda n, generator=None: data.gaussian_ring(n, std=0.02, generator=generator)), data.ring_centers(8), 0.02
    return (lambda n, generator=None: data.gaussian_grid(n, std=0.05, generator=generator)), data.grid_centers(5), 0.05


def recordings_state(recordings: dict) -> dict:
    """{data: {loss: Recording}} → flat dict of tensors for :func:`course_lib.checkpoints.save_checkpoint`."""
    out = {}
    for dname, runs in recordings.items():
        for loss, r in runs.items():
            key = f"{dname}/{loss}"
            out[f"{key}/steps"] = torch.as_tensor(r.steps, dtype=torch.int64)
            out[f"{key}/samples"] = torch.as_tensor(r.samples).half()  # display only: half precision halves the file
            out[f"{key}/modes"] = torch.as_tensor(r.modes, dtype=torch.int64)
            out[f"{key}/high_quality"] = torch.as_tensor(r.high_quality, dtype=torch.float64)
    return out


def load_recordings(names=("gan2d_runs_ring", "gan2d_runs_grid")) -> dict:
    """The runs recorded by ``scripts/record_gan_runs.py``, hash-checked: {data: {loss: Recording}}.

    Raises :class:`course_lib.checkpoints.CheckpointError` when a file is missing or corrupted.
    """
    out: dict = {}
    for name in ([names] if isinstance(names, str) else names):
        for dname, runs in _load_recording_file(name).items():
            out.setdefault(dname, {}).update(runs)
    return out


def load_or_record_runs(*, steps: int = 2000, every: int = 100, n_show: int = 400, seed: int = 0) -> dict:
    """The shipped recordings (see :func:`load_recordings`); when missing or corrupted, say so and record
    every loss on the ring and the grid live instead (minutes on a CPU). Used by notebooks 05 and 06."""

    try:
        return load_recordings()
    except CheckpointError as err:
        print(f"{err}\n→ recording the runs live instead (this takes several minutes)")
    return {name: {loss: record_run(loss, fn, c, sd, steps=steps, every=every, n_show=n_show, seed=seed)
                   for loss in LOSSES}
            for name, (fn, c, sd) in {"ring": toy_mixture("ring"), "grid": toy_mixture("grid")}.items()}


def coverage_table(recorded: dict) -> str:
    """Modes covered and high-quality fraction at the end of each recorded run, one row per loss."""

    rows = [f"{'loss':28s} {'ring modes':>10s} {'ring HQ':>8s} {'grid modes':>11s} {'grid HQ':>8s}"]
    for loss in LOSSES:
        r_, g_ = recorded["ring"][loss], recorded["grid"][loss]
        rows.append(f"{LOSS_LABELS[loss]:28s} {r_.modes[-1]:>7d}/{r_.n_modes} {r_.high_quality[-1]:8.3f} "
                    f"{g_.modes[-1]:>8d}/{g_.n_modes} {g_.high_quality[-1]:8.3f}")
    return "\n".join(rows)


def _load_recording_file(name: str) -> dict:

    state = load_state_dict(name)
    meta = manifest(name)
    out: dict = {}
    try:
        for key in state:
            if not key.endswith("/steps"):
                continue
            dname, loss, _ = key.split("/")
            p = f"{dname}/{loss}"
            _, centers, _ = toy_mixture(dname)
            out.setdefault(dname, {})[loss] = Recording(
                loss, state[f"{p}/steps"].numpy(), state[f"{p}/samples"].float().numpy(), state[f"{p}/modes"].numpy(),
                state[f"{p}/high_quality"].numpy(), len(centers), meta.get("seconds", {}).get(p, 0.0))
    except KeyError as err:
        raise CheckpointError(f"checkpoint {name!r} lacks {err}; rerun scripts/record_gan_runs.py") from None
    return out
