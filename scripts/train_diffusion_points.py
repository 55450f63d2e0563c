"""Train the two small 2-D DDPMs that notebook 07 loads instead of training them live (to keep it under a minute).

    .venv/bin/python scripts/train_diffusion_points.py ring         # diffusion_ring
    .venv/bin/python scripts/train_diffusion_points.py moons_vlb    # diffusion_moons_vlb

Both use exactly the notebook's recipe (``make_ddpm("points")``: EpsMLP 128 wide, linear schedule T = 1000;
``train_ddpm`` with batch 128, peak lr 3e-3, one-cycle, EMA 0.995; torch seed 0, generator seed 0, one thread),
so the notebook's fallback (the same call, run live when a file is missing or corrupted) trains the same model:

* ``ring``: 1,500 steps on notebook 05's 8-Gaussian ring (8,000 points, σ = 0.02, generator seed 3);
* ``moons_vlb``: 2,500 steps on two moons (8,000 points, seed 0) trained on the bound instead of L_simple
  (``DDPM(objective="vlb_is")``: the ELBO's weights, t drawn with probability ∝ λ_t), the model notebook 07
  compares with its live L_simple model. ``benchmarks/diffusion_objectives.py`` measures the comparison over
  five seeds and two roundings.
"""
from __future__ import annotations

import argparse
import time

import torch

import course_lib
from course_lib import data
from course_lib.checkpoints import save_checkpoint
from course_lib.diffusion import train_ddpm, make_ddpm, moons
from course_lib.evaluation import emd, mode_coverage

SETTINGS = {  # name, steps, objective
    "ring": ("diffusion_ring", 1500, "simple"),
    "moons_vlb": ("diffusion_moons_vlb", 2500, "vlb_is"),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", choices=sorted(SETTINGS))
    args = ap.parse_args()
    name, steps, objective = SETTINGS[args.model]
    course_lib.setup(seed=0, style=False, threads=1)
    if args.model == "ring":
        x = data.gaussian_ring(8000, std=0.02, generator=torch.Generator().manual_seed(3))
    else:
        x = moons(8000, generator=torch.Generator().manual_seed(0))
    torch.manual_seed(0)
    model = make_ddpm("points", objective=objective)
    t0 = time.perf_counter()
    _, ema = train_ddpm(model, x, steps=steps, batch_size=128, lr=3e-3, generator=torch.Generator().manual_seed(0),
                        desc=name)
    seconds = time.perf_counter() - t0
    with torch.no_grad():
        if args.model == "ring":
            xs = ema.sample(2500, generator=torch.Generator().manual_seed(7), method="ddim", steps=50)
            cov = mode_coverage(xs, data.ring_centers(8), 0.02)
            metrics = {"modes": cov.modes, "high_quality": round(cov.high_quality, 3), "sampler": "DDIM 50"}
        else:
            held = [moons(1000, generator=torch.Generator().manual_seed(k)) for k in (1, 2, 3, 4)]
            floor = sum(emd(held[k], held[k + 1]) for k in range(3)) / 3
            elbo = float(ema.elbo(held[0], generator=torch.Generator().manual_seed(0)).mean())
            xs = ema.sample(1000, generator=torch.Generator().manual_seed(6), method="ddpm")
            metrics = {"elbo_nats": round(elbo, 3), "emd_over_floor_ddpm": round(emd(xs, held[0]) / floor, 3)}
    info = {"script": f"scripts/train_diffusion_points.py {args.model}",
            "config": {"net": "EpsMLP", "hidden": 128, "blocks": 3, "schedule": "linear", "T": 1000,
                       "objective": objective, "steps": steps, "batch_size": 128, "lr": 3e-3, "ema": 0.995,
                       "schedule_lr": "one_cycle (10% warm-up)", "seed": 0, "device": "cpu"},
            "metrics": metrics, "train_seconds": round(seconds, 1), "torch": torch.__version__}
    path = save_checkpoint(name, ema.state_dict(), info)
    print(f"saved {path} ({path.stat().st_size / 1e6:.2f} MB) after {seconds:.0f} s: {metrics}")


if __name__ == "__main__":
    main()
