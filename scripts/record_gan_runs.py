"""Record GAN training runs on the 8-ring and the 25-grid for every loss, over several seeds (05_gans, 06).

    .venv/bin/python scripts/record_gan_runs.py --data ring --steps 1000 --seeds 0 1 2 3 4 --jobs 2    # -> gan2d_runs_ring
    .venv/bin/python scripts/record_gan_runs.py --data grid --steps 6000 --hidden 128 --schedule warmup_cosine \
        --seeds 0 1 2 3 4 --jobs 2                                                                      # -> gan2d_runs_grid

(``course_lib.gans.RECORDING_SETTINGS`` holds the same settings; a test checks they agree with the manifests.)

Each run trains a fresh model with the course's settings (``course_lib.gans.recipes.make_gan``) and stores the
mode coverage (2,500 samples) every ``--every`` generator steps, for every seed; the samples (400 shown) are kept
for the first seed only, to keep the file small. The notebooks replay the first seed in the mode-collapse widget
and tabulate the final coverage as mean ± sd over the seeds. Saved, hash-checked, as
course_lib/checkpoints/gan2d_runs_<data>.pt + .json (one file per data set, so both can run in parallel).
"""
from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor

import torch

from course_lib.checkpoints import save_checkpoint
from course_lib.gans import LOSSES, record_run, recordings_state, toy_mixture


def _run(job):
    """One (data, loss, seed) run in its own process (one torch thread): → (job, Recording, seconds)."""
    dname, loss, seed, kw = job
    torch.set_num_threads(1)  # small MLPs: one thread is fastest on a shared CPU
    data_fn, centers, std = toy_mixture(dname)
    t0 = time.perf_counter()
    r = record_run(loss, data_fn, centers, std, n_show=400, seed=seed, **kw)
    return job, r, round(time.perf_counter() - t0, 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--every", type=int, default=100)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--hidden", type=int, default=64, help="width of both MLPs (3 hidden layers)")
    ap.add_argument("--schedule", default="constant", help="fit's learning-rate schedule (constant, warmup_cosine, ...)")
    ap.add_argument("--data", nargs="+", default=["ring", "grid"])
    ap.add_argument("--losses", nargs="+", default=list(LOSSES))
    ap.add_argument("--jobs", type=int, default=1, help="runs in parallel, one process and one thread each")
    ap.add_argument("--name", default=None, help="checkpoint name (default gan2d_runs_<data>)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    kw = dict(steps=args.steps, every=args.every, hidden=args.hidden, schedule=args.schedule)
    jobs = [(d, loss, seed, kw) for d in args.data for loss in args.losses for seed in args.seeds]
    if args.jobs > 1:   # every run is seeded on its own, so the results do not depend on --jobs
        with ProcessPoolExecutor(args.jobs) as pool:
            done = list(pool.map(_run, jobs))
    else:
        done = map(_run, jobs)
    recs, seconds, final = {}, {}, {}
    for (dname, loss, seed, _), r, sec in done:
        key = f"{dname}/{loss}/seed{seed}"
        seconds[key] = sec
        final[key] = {"modes": int(r.modes[-1]), "of": r.n_modes, "high_quality": round(float(r.high_quality[-1]), 4)}
        print(f"{key:28s} {final[key]}  {sec} s", flush=True)
        first = recs.setdefault(dname, {}).setdefault(loss, r)   # the first seed keeps its samples
        first.seeds[seed] = (r.modes, r.high_quality)
    info = {"script": "scripts/record_gan_runs.py",
            "config": {"steps": args.steps, "every": args.every, "seeds": args.seeds, "hidden": args.hidden,
                       "schedule": args.schedule, "n_show": 400, "n_eval": 2500},
            "final": final, "seconds": seconds, "torch": torch.__version__}
    name = args.name or "gan2d_runs_" + "_".join(args.data)
    path = save_checkpoint(name, recordings_state(recs), info)
    print(f"saved {path} ({path.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
