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
from course_lib.evaluation.coverage import mode_coverage, mode_statistics, noise_baselines
from course_lib.gans.losses import LOSS_LABELS, LOSSES
from course_lib.gans.recipes import make_gan, train_gan

__all__ = ["Recording", "record_run", "toy_mixture", "recordings_state", "load_recordings", "load_or_record_runs",
           "coverage_table", "RECORDING_SETTINGS", "STABLE_SUFFIX", "recorded_label"]


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
    #: the final samples of every recorded seed (the ``n_eval`` points the last coverage was measured on):
    #: seed → (n_eval, 2) float32; empty in recordings made before they were kept
    seed_samples: dict = field(default_factory=dict, repr=False)
    #: this run's final ``n_eval`` samples (``record_run`` fills it; the script moves it into ``seed_samples``)
    final_samples: np.ndarray | None = field(default=None, repr=False)

    def final_statistics(self, centers, std: float) -> dict:
        """seed → :class:`~course_lib.evaluation.coverage.CoverageStats` of that seed's recorded final samples
        (modes, high quality, modes by the share rule, PacGAN's reverse KL); {} when none were kept."""
        return {sd: mode_statistics(torch.as_tensor(x), centers, std) for sd, x in self.seed_samples.items()}

    def finals(self) -> tuple[np.ndarray, np.ndarray]:
        """(modes, high_quality) at the end of training, one entry per recorded seed (this run's alone if none)."""
        if not self.seeds:
            return np.array([self.modes[-1]]), np.array([self.high_quality[-1]])
        return (np.array([m[-1] for m, _ in self.seeds.values()]),
                np.array([h[-1] for _, h in self.seeds.values()], dtype=float))


def record_run(loss: str, data_fn, centers, std: float, *, steps: int, every: int = 100, n_show: int = 500,
               n_eval: int = 2500, seed: int = 0, schedule: str = "constant", stable: bool = False,
               **gan_kw) -> Recording:
    """Train a fresh 2-D GAN with ``loss`` under ``seed`` and record samples and mode coverage every ``every`` steps.

    The coverage uses ``n_eval`` samples (2,500 as in VEEGAN/PacGAN); the first ``n_show`` are kept for display.
    ``schedule`` is ``fit``'s learning-rate schedule ("constant", "one_cycle", "warmup_cosine"); ``gan_kw`` go
    to :func:`~course_lib.gans.recipes.make_gan` (e.g. ``hidden=128``), and so does ``stable`` (R1 + averaged G).
    The final ``n_eval`` samples are kept as ``final_samples``.
    """

    steps = check_int(steps, "record_run: steps", min_value=1)
    every = check_int(every, "record_run: every", min_value=1)
    n_show = check_int(n_show, "record_run: n_show", min_value=1)
    n_eval = check_int(n_eval, "record_run: n_eval", min_value=n_show)
    if not callable(data_fn):
        raise TypeError(f"record_run: data_fn must be a function n -> samples (n, 2), got {type(data_fn).__name__}")
    torch.manual_seed(check_int(seed, "record_run: seed", min_value=0))
    model = make_gan(loss, stable=stable, **gan_kw)
    lr = model.default_lr
    eval_gen = torch.Generator().manual_seed(seed + 12345)
    rec = {"steps": [], "samples": [], "modes": [], "hq": [], "last": None}

    def snapshot(step):
        model.eval()
        with torch.no_grad():
            x = model.sample(n_eval, generator=eval_gen)
        model.train()
        cov = mode_coverage(x, centers, std)
        rec["steps"].append(step)
        rec["samples"].append(x[:n_show].cpu().numpy().astype(np.float32))
        rec["last"] = x.cpu().numpy().astype(np.float32)
        rec["modes"].append(cov.modes)
        rec["hq"].append(cov.high_quality)

    snapshot(0)

    def callback(step, _metrics):
        if step % every == 0:
            snapshot(step)

    hist = train_gan(model, data_fn, steps=steps, lr=lr, schedule=schedule, callback=callback, progress=False)
    return Recording(loss, np.array(rec["steps"]), np.stack(rec["samples"]), np.array(rec["modes"]),
                     np.array(rec["hq"]), len(centers), hist.seconds, hist.as_dict(), final_samples=rec["last"])


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
            if r.seed_samples:  # the final samples of every seed (float32: the metrics are recomputed from them)
                out[f"{key}/seed_sample_list"] = torch.as_tensor(list(r.seed_samples), dtype=torch.int64)
                out[f"{key}/seed_samples"] = torch.as_tensor(np.stack(list(r.seed_samples.values())),
                                                             dtype=torch.float32)
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


#: a recorded loss named ``<loss>+stable`` was trained with ``make_gan(<loss>, stable=True)`` (R1 + averaged G)
STABLE_SUFFIX = "+stable"


def recorded_label(key: str) -> str:
    """The label of a recorded loss key: ``LOSS_LABELS`` for a loss, "… + R1 + EMA" for ``<loss>+stable``."""
    from course_lib.gans.recipes import STABLE

    if key.endswith(STABLE_SUFFIX):
        base = key.removesuffix(STABLE_SUFFIX)
        return LOSS_LABELS[base] + (" + R1 + EMA" if "r1" in STABLE[base] else " + EMA")
    return LOSS_LABELS[key]


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
            r.seed_samples = {seed: r.final_samples} if r.final_samples is not None else {}
    return out


def coverage_table(recorded: dict, data_names=("ring", "grid"), losses=None, *, baselines: bool = True) -> str:
    """Mode statistics at the end of training, one row per recorded loss and data set, mean ± sd over the recorded
    seeds (sample sd, ddof = 1), with the no-model baselines of :func:`~course_lib.evaluation.noise_baselines` as
    rows ("no model: …", over 5 draws), so that a loss's row can be read against noise.

    Columns: modes with ≥ 1 high-quality sample (VEEGAN/PacGAN) and the modes of every seed; the high-quality
    fraction; modes by the share rule (≥ ¼ of the fair share n/k as high-quality samples,
    :data:`~course_lib.evaluation.coverage.MIN_SHARE`); PacGAN's reverse KL of the high-quality samples' histogram
    over modes to the uniform one (nats; seeds without any high-quality sample left out). The last two need the
    recorded final samples of every seed (``Recording.seed_samples``); "—" where a recording lacks them.
    ``losses``: keys to show (default: every recorded key, :data:`LOSSES` first)."""
    if not isinstance(recorded, dict):
        raise TypeError(f"coverage_table: recorded must be the dict load_or_record_runs() returns, got "
                        f"{type(recorded).__name__}")
    missing = [(d, k) for d in data_names for k in (losses if losses is not None else ())
               if k not in recorded.get(d, {})] + [(d, '*') for d in data_names if d not in recorded]
    if missing:
        raise ValueError(f"coverage_table: recorded has no runs for {missing[:4]} (data set, loss); pass the dict "
                         "load_or_record_runs() returns, or name only the data sets and losses it holds")

    def pm(v, fmt):
        v = np.asarray(v, dtype=float)
        v = v[np.isfinite(v)]
        if not len(v):
            return f"{'—':>{len(format(0.0, fmt)) * 2 + 3}s}"
        return f"{format(v.mean(), fmt)} ± {format(v.std(ddof=1) if len(v) > 1 else 0.0, fmt)}"

    rows = [f"{'loss':34s} {'data':4s} {'seeds':>5s} {'modes':>11s}    {'per seed':>14s} "
            f"{'high quality':>13s} {'modes ≥¼ share':>14s} {'reverse KL':>11s}"]
    for dname in data_names:
        keys = list(losses) if losses is not None else (
            [k for k in LOSSES if k in recorded[dname]] + [k for k in recorded[dname] if k not in LOSSES])
        for key in keys:
            r_ = recorded[dname][key]
            m, h = r_.finals()
            _, centers, std = toy_mixture(dname) if dname in ("ring", "grid") else (None, None, None)
            stats = list(r_.final_statistics(centers, std).values()) if r_.seed_samples and centers is not None else []
            share = pm([s.modes_min_share for s in stats], ".1f") if stats else f"{'—':>11s}"
            rkl = pm([s.reverse_kl for s in stats], ".2f") if stats else f"{'—':>11s}"
            per = ",".join(str(int(v)) for v in m)
            rows.append(f"{recorded_label(key):34s} {dname:4s} {len(m):5d} {pm(m, '4.1f')} /{r_.n_modes:<2d}"
                        f" {per:>14s} {pm(h, '.2f'):>13s} {share:>14s} {rkl:>11s}")
        if baselines and dname in ("ring", "grid"):
            _, centers, std = toy_mixture(dname)
            draws = [noise_baselines(centers, std, seed=sd) for sd in range(5)]
            for name in draws[0]:
                st = [d[name] for d in draws]
                m = [s.modes for s in st]
                rows.append(f"{'no model: ' + name:34s} {dname:4s} {len(st):5d} {pm(m, '4.1f')} /{len(centers):<2d}"
                            f" {','.join(str(v) for v in m):>14s} {pm([s.high_quality for s in st], '.2f'):>13s} "
                            f"{pm([s.modes_min_share for s in st], '.1f'):>14s} "
                            f"{pm([s.reverse_kl for s in st], '.2f'):>11s}")
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
            if f"{p}/seed_sample_list" in state:
                out[dname][loss].seed_samples = {
                    int(sd): state[f"{p}/seed_samples"][i].numpy()
                    for i, sd in enumerate(state[f"{p}/seed_sample_list"].tolist())}
    except KeyError as err:
        raise CheckpointError(f"checkpoint {name!r} lacks {err}; rerun scripts/record_gan_runs.py") from None
    return out
