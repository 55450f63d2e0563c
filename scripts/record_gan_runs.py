"""Record GAN training runs on the 8-ring and the 25-grid for every loss, over several seeds (05_gans, 06).

    .venv/bin/python scripts/record_gan_runs.py --data ring --steps 1000 --seeds 0 1 2 3 4            # -> gan2d_runs_ring
    .venv/bin/python scripts/record_gan_runs.py --data grid --steps 1000 --hidden 128 --seeds 0 1 2   # -> gan2d_runs_grid

Each run trains a fresh model with the course's settings (``course_lib.gans.recipes.make_gan``) and stores the
mode coverage (2,500 samples) every ``--every`` generator steps, for every seed; the samples (400 shown) are kept
for the first seed only, to keep the file small. The notebooks replay the first seed in the mode-collapse widget
and tabulate the final coverage as mean ± sd over the seeds. Saved, hash-checked, as
course_lib/checkpoints/gan2d_runs_<data>.pt + .json (one file per data set, so both can run in parallel).
"""
from __future__ import annotations

import argparse
import time

import torch

from course_lib.checkpoints import save_checkpoint
from course_lib.gans import LOSSES, record_run, recordings_state, toy_mixture


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--every", type=int, default=100)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--hidden", type=int, default=64, help="width of both MLPs (3 hidden layers)")
    ap.add_argument("--data", nargs="+", default=["ring", "grid"])
    ap.add_argument("--losses", nargs="+", default=list(LOSSES))
    ap.add_argument("--name", default=None, help="checkpoint name (default gan2d_runs_<data>)")
    args = ap.parse_args()
    torch.set_num_threads(1)  # small MLPs: one thread is fastest on a shared CPU
    recs, seconds, final = {}, {}, {}
    for dname in args.data:
        data_fn, centers, std = toy_mixture(dname)
        for loss in args.losses:
            first = None
            for seed in args.seeds:
                t0 = time.perf_counter()
                r = record_run(loss, data_fn, centers, std, steps=args.steps, every=args.every, n_show=400,
                               seed=seed, hidden=args.hidden)
                key = f"{dname}/{loss}/seed{seed}"
                seconds[key] = round(time.perf_counter() - t0, 1)
                final[key] = {"modes": int(r.modes[-1]), "of": len(centers),
                              "high_quality": round(float(r.high_quality[-1]), 4)}
                print(f"{key:28s} {final[key]}  {seconds[key]} s", flush=True)
                if first is None:
                    first = r
                first.seeds[seed] = (r.modes, r.high_quality)
            recs.setdefault(dname, {})[loss] = first
    info = {"script": "scripts/record_gan_runs.py",
            "config": {"steps": args.steps, "every": args.every, "seeds": args.seeds, "hidden": args.hidden,
                       "n_show": 400, "n_eval": 2500},
            "final": final, "seconds": seconds, "torch": torch.__version__}
    name = args.name or "gan2d_runs_" + "_".join(args.data)
    path = save_checkpoint(name, recordings_state(recs), info)
    print(f"saved {path} ({path.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
