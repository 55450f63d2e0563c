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
           "coverage_table", "RECORDING_SETTINGS"]


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
    #: the same run under several seeds: seed → (modes (T,), high_quality (T,)); the samples are seed ``seeds[0]``'s
    seeds: dict = field(default_factory=dict, repr=False)

    def finals(self) -> tuple[np.ndarray, np.ndarray]:
        """(modes, high_quality) at the end of training, one entry per recorded seed (this run's alone if none)."""
        if not self.seeds:
            return np.array([self.modes[-1]]), np.array([self.high_quality[-1]])
        return (np.array([m[-1] for m, _ in self.seeds.values()]),
                np.array([h[-1] for _, h in self.seeds.values()], dtype=float))


def record_run(loss: str, data_fn, centers, std: float, *, steps: int, every: int = 100, n_show: int = 500,
               n_eval: int = 2500, seed: int = 0, schedule: str = "constant", **gan_kw) -> Recording:
    """Train a fresh 2-D GAN with ``loss`` under ``seed`` and record samples and mode coverage every ``every`` steps.

    The coverage uses ``n_eval`` samples (2,500 as in VEEGAN/PacGAN); the first ``n_show`` are kept for display.
    ``schedule`` is ``fit``'s learning-rate schedule ("constant", "one_cycle", "warmup_cosine"); ``gan_kw`` go
    to :func:`~course_lib.gans.recipes.make_gan` (e.g. ``hidden=128``).
    """

    steps = check_int(steps, "record_run: steps", min_value=1)
    every = check_int(every, "record_run: every", min_value=1)
    n_show = check_int(n_show, "record_run: n_show", min_value=1)
    n_eval = check_int(n_eval, "record_run: n_eval", min_value=n_show)
    if not callable(data_fn):
        raise TypeError(f"record_run: data_fn must be a function n -> samples (n, 2), got {type(data_fn).__name__}")
    torch.manual_seed(check_int(seed, "record_run: seed", min_value=0))
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

    hist = train_gan(model, data_fn, steps=steps, lr=lr, schedule=schedule, callback=callback, progress=False)
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
            if r.seeds:  # curves only (no samples) for every seed: a few hundred bytes each
                out[f"{key}/seed_list"] = torch.as_tensor(list(r.seeds), dtype=torch.int64)
                out[f"{key}/seed_modes"] = torch.as_tensor(np.stack([m for m, _ in r.seeds.values()]), dtype=torch.int64)
                out[f"{key}/seed_high_quality"] = torch.as_tensor(
                    np.stack([h for _, h in r.seeds.values()]), dtype=torch.float32)
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


#: the settings of the shipped recordings (scripts/record_gan_runs.py), per data set. The grid needs wider
#: networks and longer training, with the learning rate decayed to zero, before its samples reach the modes.
RECORDING_SETTINGS = {"ring": dict(steps=1000, hidden=64, schedule="constant"),
                      "grid": dict(steps=6000, hidden=128, schedule="warmup_cosine")}


def load_or_record_runs(*, every: int = 100, n_show: int = 400, seed: int = 0, steps: int | None = None) -> dict:
    """The shipped recordings (see :func:`load_recordings`); when missing or corrupted, say so and record
    every loss on the ring and the grid live instead, for one seed only (minutes on a CPU). Used by 05 and 06."""

    try:
        return load_recordings()
    except CheckpointError as err:
        print(f"{err}\n→ recording the runs live instead, seed {seed} only (this takes several minutes)")
    out: dict = {}
    for name in ("ring", "grid"):
        fn, c, sd = toy_mixture(name)
        cfg = {**RECORDING_SETTINGS[name], **({} if steps is None else {"steps": steps})}
        out[name] = {loss: record_run(loss, fn, c, sd, every=every, n_show=n_show, seed=seed, **cfg)
                     for loss in LOSSES}
        for r in out[name].values():
            r.seeds = {seed: (r.modes, r.high_quality)}
    return out


def coverage_table(recorded: dict, data_names=("ring", "grid"), losses=LOSSES) -> str:
    """Modes covered and high-quality fraction at the end of training, mean ± sd over the recorded seeds
    (sample sd, ddof = 1), and the modes of every seed, one row per loss and data set."""
    if not isinstance(recorded, dict):
        raise TypeError(f"coverage_table: recorded must be the dict load_or_record_runs() returns, got "
                        f"{type(recorded).__name__}")
    missing = [(d, k) for d in data_names for k in losses if k not in recorded.get(d, {})]
    if missing:
        raise ValueError(f"coverage_table: recorded has no runs for {missing[:4]} (data set, loss); pass the dict "
                         "load_or_record_runs() returns, or name only the data sets and losses it holds")
    rows = [f"{'loss':28s} {'data':5s} {'seeds':>5s} {'modes (mean ± sd)':>18s} {'per seed':>14s} "
            f"{'high quality (mean ± sd)':>25s}"]
    for dname in data_names:
        for loss in losses:
            r_ = recorded[dname][loss]
            m, h = r_.finals()
            sd_m = m.std(ddof=1) if len(m) > 1 else 0.0
            sd_h = h.std(ddof=1) if len(h) > 1 else 0.0
            per = ",".join(str(int(v)) for v in m)
            rows.append(f"{LOSS_LABELS[loss]:28s} {dname:5s} {len(m):5d} {m.mean():8.1f} ± {sd_m:4.1f} /{r_.n_modes:<2d} "
                        f"{per:>14s} {h.mean():15.3f} ± {sd_h:.3f}")
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
                state[f"{p}/high_quality"].numpy(), len(centers),
                sum(v for k, v in meta.get("seconds", {}).items() if k == p or k.startswith(p + "/")))
            if f"{p}/seed_list" in state:
                out[dname][loss].seeds = {
                    int(sd): (state[f"{p}/seed_modes"][i].numpy(), state[f"{p}/seed_high_quality"][i].double().numpy())
                    for i, sd in enumerate(state[f"{p}/seed_list"].tolist())}
    except KeyError as err:
        raise CheckpointError(f"checkpoint {name!r} lacks {err}; rerun scripts/record_gan_runs.py") from None
    return out
