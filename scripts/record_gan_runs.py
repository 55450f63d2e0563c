"""Record GAN training runs on the 8-ring and the 25-grid for every loss (05_gans, 06_wasserstein_gans).

    .venv/bin/python scripts/record_gan_runs.py --data ring    # -> gan2d_runs_ring.pt/.json
    .venv/bin/python scripts/record_gan_runs.py --data grid    # -> gan2d_runs_grid.pt/.json

Each run trains a fresh model with the course's settings (``course_lib.gans.model.make_gan``) under the same
seed and stores samples (400 shown, 2,500 evaluated) every ``--every`` generator steps. The notebooks
replay them in the mode-collapse widget and tabulate the final coverage; they are saved, hash-checked,
as course_lib/checkpoints/gan2d_runs_<data>.pt + .json (one file per data set, so both can run in parallel).
"""
from __future__ import annotations

import argparse
import time

import torch

from course_lib.checkpoints import save_checkpoint
from course_lib.gans import record_run, recordings_state, toy_mixture
from course_lib.gans import LOSSES


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--every", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data", nargs="+", default=["ring", "grid"])
    ap.add_argument("--losses", nargs="+", default=list(LOSSES))
    ap.add_argument("--name", default=None, help="checkpoint name (default gan2d_runs_<data>)")
    args = ap.parse_args()
    torch.set_num_threads(1)  # small MLPs: one thread is fastest on a shared CPU
    recs, seconds, final = {}, {}, {}
    for dname in args.data:
        data_fn, centers, std = toy_mixture(dname)
        for loss in args.losses:
            t0 = time.perf_counter()
            r = record_run(loss, data_fn, centers, std, steps=args.steps, every=args.every, n_show=400, seed=args.seed)
            seconds[f"{dname}/{loss}"] = round(time.perf_counter() - t0, 1)
            final[f"{dname}/{loss}"] = {"modes": int(r.modes[-1]), "of": len(centers),
                                        "high_quality": round(float(r.high_quality[-1]), 4)}
            recs.setdefault(dname, {})[loss] = r
            print(f"{dname:5s} {loss:14s} {final[f'{dname}/{loss}']}  {seconds[f'{dname}/{loss}']} s", flush=True)
    info = {"script": "scripts/record_gan_runs.py",
            "config": {"steps": args.steps, "every": args.every, "seed": args.seed, "n_show": 400, "n_eval": 2500},
            "final": final, "seconds": seconds, "torch": torch.__version__}
    name = args.name or "gan2d_runs_" + "_".join(args.data)
    path = save_checkpoint(name, recordings_state(recs), info)
    print(f"saved {path} ({path.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
