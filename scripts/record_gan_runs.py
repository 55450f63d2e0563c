"""Record GAN training runs on the 8-ring and the 25-grid for every loss, over several seeds (05_gans, 06).

    .venv/bin/python scripts/record_gan_runs.py --data ring --steps 1000 --seeds 0 1 2 3 4 --jobs 2 # -> gan2d_runs_ring
    .venv/bin/python scripts/record_gan_runs.py --data grid --steps 6000 --hidden 128 --schedule warmup_cosine \
        --seeds 0 1 2 3 4 --jobs 2                                                      # -> gan2d_runs_grid
    .venv/bin/python scripts/record_gan_runs.py --data ring --losses nonsaturating --stable nonsaturating \
        --steps 3000 --seeds 0 1 2 3 4 --jobs 2 --name gan2d_long_ring                  # 05: trained longer
    .venv/bin/python scripts/record_gan_runs.py --data ring --losses wgan-gp --stable \
        --steps 3000 --seeds 0 1 2 3 4 --jobs 2 --name gan2d_long_ring_wgangp           # 06: the same, WGAN-GP
    .venv/bin/python scripts/record_gan_runs.py --data ring --losses nonsaturating --stable --hidden 128 \
        --steps 3000 --every 250 --seeds 0 3 --jobs 2 --name gan2d_collapse_ring        # 05: 3×128 networks

Runs recorded in parallel under other ``--name``'s (same settings, other losses) are joined into one file by
``--combine NAME ... --name OUT``.

(``course_lib.gans.RECORDING_SETTINGS`` holds the same settings; a test checks they agree with the manifests.)

Each run trains a fresh model with the course's settings (``course_lib.gans.recipes.make_gan``) and stores the
mode coverage (2,500 samples) every ``--every`` generator steps, for every seed; the samples over training (400
shown) are kept for the first seed only, to keep the file small, and the final 2,500 samples of every seed (the
notebooks show recorded seeds from them and compute the share rule and PacGAN's reverse KL from them).
``--stable`` losses are recorded a second time with ``make_gan(..., stable=True)`` under the key ``<loss>+stable``. The notebooks replay the first seed in the mode-collapse widget
and tabulate the final coverage as mean ± sd over the seeds. Saved, hash-checked, as
course_lib/checkpoints/gan2d_runs_<data>.pt + .json (one file per data set, so both can run in parallel).
"""
from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor

import torch

from course_lib.checkpoints import load_state_dict, manifest, save_checkpoint
from course_lib.evaluation import mode_statistics
from course_lib.gans import LOSSES, record_run, recordings_state, toy_mixture
from course_lib.gans.recordings import STABLE_SUFFIX


def _run(job):
    """One (data, loss, seed) run in its own process (one torch thread): → (job, Recording, seconds).

    A loss named ``<loss>+stable`` is ``<loss>`` with ``make_gan(..., stable=True)`` (R1 + averaged G)."""
    dname, loss, seed, kw = job
    torch.set_num_threads(1)  # small MLPs: one thread is fastest on a shared CPU
    data_fn, centers, std = toy_mixture(dname)
    t0 = time.perf_counter()
    base, stable = loss.removesuffix(STABLE_SUFFIX), loss.endswith(STABLE_SUFFIX)
    r = record_run(base, data_fn, centers, std, n_show=400, seed=seed, stable=stable, **kw)
    return job, r, round(time.perf_counter() - t0, 1)


SAME = ("steps", "every", "seeds", "hidden", "schedule")   # settings that recordings merged into one file share


def combine(names):
    """(state, info) of several checkpoints recorded with the same settings, as one (later names win)."""
    state, info = {}, None
    for name in names:
        meta = manifest(name)
        if info is None:
            info = {k: v for k, v in meta.items() if k not in ("name", "sha256", "bytes")}
            info["final"], info["seconds"] = dict(info["final"]), dict(info["seconds"])
        elif any(meta["config"].get(k) != info["config"].get(k) for k in SAME):
            raise SystemExit(f"--combine: {name}'s settings {meta['config']} differ from {info['config']}")
        else:
            info["final"].update(meta["final"])
            info["seconds"].update(meta["seconds"])
            info["config"]["stable"] = sorted({*info["config"].get("stable", []), *meta["config"].get("stable", [])})
        state.update(load_state_dict(name))
    return state, info


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--every", type=int, default=100)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--hidden", type=int, default=64, help="width of both MLPs (3 hidden layers)")
    ap.add_argument("--schedule", default="constant", help="fit's learning-rate schedule (constant, warmup_cosine, ...)")
    ap.add_argument("--data", nargs="+", default=["ring", "grid"])
    ap.add_argument("--losses", nargs="+", default=list(LOSSES))
    ap.add_argument("--stable", nargs="*", default=["nonsaturating"],
                    help="losses also recorded with make_gan(..., stable=True), stored as <loss>+stable")
    ap.add_argument("--jobs", type=int, default=1, help="runs in parallel, one process and one thread each")
    ap.add_argument("--name", default=None, help="checkpoint name (default gan2d_runs_<data>)")
    ap.add_argument("--combine", nargs="+", default=None, metavar="NAME",
                    help="merge these checkpoints (recorded with the same settings, e.g. in parallel under other "
                         "--name's) into --name, then exit without training")
    ap.add_argument("--merge", action="store_true",
                    help="replace only the recorded losses in an existing checkpoint of the same settings, keep the rest")
    args = ap.parse_args()
    if args.combine:
        if not args.name:
            raise SystemExit("--combine needs --name (the checkpoint to write)")
        path = save_checkpoint(args.name, *combine(args.combine))
        print(f"saved {path} ({path.stat().st_size / 1e6:.2f} MB) from {args.combine}")
        return
    torch.set_num_threads(1)
    kw = dict(steps=args.steps, every=args.every, hidden=args.hidden, schedule=args.schedule)
    losses = list(args.losses) + [loss + STABLE_SUFFIX for loss in args.stable]
    jobs = [(d, loss, seed, kw) for d in args.data for loss in losses for seed in args.seeds]
    if args.jobs > 1:   # every run is seeded on its own, so the results do not depend on --jobs
        with ProcessPoolExecutor(args.jobs) as pool:
            done = list(pool.map(_run, jobs))
    else:
        done = map(_run, jobs)
    recs, seconds, final = {}, {}, {}
    for (dname, loss, seed, _), r, sec in done:
        key = f"{dname}/{loss}/seed{seed}"
        seconds[key] = sec
        _, centers, std = toy_mixture(dname)
        st = mode_statistics(torch.as_tensor(r.final_samples), centers, std)
        final[key] = {"modes": int(r.modes[-1]), "of": r.n_modes, "high_quality": round(float(r.high_quality[-1]), 4),
                      "modes_min_share": st.modes_min_share, "reverse_kl": round(st.reverse_kl, 4)}
        print(f"{key:36s} {final[key]}  {sec} s", flush=True)
        first = recs.setdefault(dname, {}).setdefault(loss, r)   # the first seed keeps its samples over training
        first.seeds[seed] = (r.modes, r.high_quality)
        first.seed_samples[seed] = r.final_samples             # every seed keeps its final samples
    info = {"script": "scripts/record_gan_runs.py",
            "config": {"steps": args.steps, "every": args.every, "seeds": args.seeds, "hidden": args.hidden,
                       "schedule": args.schedule, "n_show": 400, "n_eval": 2500, "stable": args.stable},
            "final": final, "seconds": seconds, "torch": torch.__version__}
    name = args.name or "gan2d_runs_" + "_".join(args.data)
    state = recordings_state(recs)
    if args.merge:   # the other losses stay as they were recorded, with their manifest entries
        old_info = manifest(name)
        if any(old_info["config"].get(k, "constant" if k == "schedule" else None) != info["config"][k] for k in SAME):
            raise SystemExit(f"--merge: {name}'s settings {old_info['config']} differ from these {info['config']}")
        new_keys = {f"{d}/{loss}" for d in recs for loss in recs[d]}
        old_state = load_state_dict(name)
        state = {**{k: v for k, v in old_state.items() if "/".join(k.split("/")[:2]) not in new_keys}, **state}
        for part in ("final", "seconds"):
            kept = {k: v for k, v in old_info[part].items() if "/".join(k.split("/")[:2]) not in new_keys}
            info[part] = {**kept, **info[part]}
        info["config"]["stable"] = sorted({*old_info["config"].get("stable", []), *args.stable})
    path = save_checkpoint(name, state, info)
    print(f"saved {path} ({path.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
