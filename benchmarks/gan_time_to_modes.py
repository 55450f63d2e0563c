"""Time for each GAN loss to cover 8/8 ring modes with ≥ 90 % high-quality samples (05/06).

Side by side in one run (the machine is shared, so compare ratios): the plain references
(3×128 ReLU MLPs, batch 256; non-saturating GAN with Adam 1e-3, betas (0.5, 0.999); WGAN-GP with
Adam 1e-4, betas (0.5, 0.9), 5 critic steps, λ = 10) and the course's models (``course_lib.gan.make_gan``).
Training time excludes the evaluations (2,500 samples every ``--eval-every`` generator steps), which
cost the same for every model. Also reports the EMD widget's update latency.

    .venv/bin/python benchmarks/gan_time_to_modes.py [--seeds 0 1 2] [--budget 60]
"""
from __future__ import annotations

import argparse
import statistics
import time

import torch

from course_lib import data
from course_lib.gan import GAN, Discriminator, Generator, make_gan
from course_lib.gan_losses import LOSSES
from course_lib.metrics import mode_coverage

CENTERS, STD = data.ring_centers(8), 0.02


def reference(loss: str):
    """The plain 3×128 setups of the brief (None for losses without a stated reference)."""
    G, D = Generator(2, 2, 128, 3), Discriminator(2, 128, 3)
    if loss == "nonsaturating":
        return GAN(G, D, "nonsaturating", betas=(0.5, 0.999)), 1e-3
    if loss == "wgan-gp":
        return GAN(G, D, "wgan-gp", n_critic=5, gp_weight=10.0, betas=(0.5, 0.9)), 1e-4
    return None


def time_to_modes(model: GAN, lr: float, *, seed: int, budget: float, eval_every: int = 50,
                  batch: int = 256, hq: float = 0.9) -> tuple[float | None, int, tuple]:
    """Training seconds until 8/8 modes and ≥ hq high-quality (None if not within ``budget`` seconds)."""
    gen = torch.Generator().manual_seed(seed)
    eval_gen = torch.Generator().manual_seed(seed + 1)
    opts = model.configure_optimizers(lr)
    train_s, step, cov = 0.0, 0, (0, 0.0)
    while train_s < budget:
        t0 = time.perf_counter()
        for _ in range(eval_every):
            model.train_step(data.gaussian_ring(batch * model.n_critic, std=STD, generator=gen), opts)
        train_s += time.perf_counter() - t0
        step += eval_every
        cov = mode_coverage(model.sample(2500, generator=eval_gen), CENTERS, STD)
        if cov.modes == 8 and cov.high_quality >= hq:
            return train_s, step, cov
    return None, step, cov


def emd_latency() -> float:
    from course_lib.widgets.emd import EMDView

    view = EMDView(n=200)
    values = [{"shift": 0.1 * (i % 30), "scale": 0.5 + 0.05 * (i % 20)} for i in range(40)]
    from course_lib.widgets import median_latency_ms

    return median_latency_ms(view.update, values)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--budget", type=float, default=60.0, help="seconds of training per run before giving up")
    ap.add_argument("--losses", nargs="+", default=list(LOSSES))
    args = ap.parse_args()
    torch.set_num_threads(1)  # small MLPs: threads only add overhead, and runs stay comparable

    rows = []
    for loss in args.losses:
        for label, build in (("reference", lambda: reference(loss)), ("course", lambda: make_gan(loss))):
            times, detail = [], []
            for seed in args.seeds:
                torch.manual_seed(seed)
                built = build()
                if built is None:
                    break
                t, step, cov = time_to_modes(*built, seed=seed, budget=args.budget)
                times.append(t)
                detail.append(f"s{seed}:{'%.1fs' % t if t is not None else 'no'}@{step}({cov[0]}/8,{cov[1]:.2f})")
            if not times:
                continue
            ok = [t for t in times if t is not None]
            med = statistics.median(ok) if len(ok) == len(times) else None
            rows.append((loss, label, med, len(ok), len(times), " ".join(detail)))
            print(f"{loss:14s} {label:9s} median {('%.1f s' % med) if med is not None else '  n/a'} "
                  f"({len(ok)}/{len(times)} reached)  {' '.join(detail)}", flush=True)
    print("\nloss            reference   course   ratio")
    by = {(r[0], r[1]): r[2] for r in rows}
    for loss in args.losses:
        ref, ours = by.get((loss, "reference")), by.get((loss, "course"))
        ratio = f"{ours / ref:.2f}" if ref and ours else "-"
        fmt = lambda v: f"{v:7.1f} s" if v is not None else "      - "  # noqa: E731
        print(f"{loss:14s} {fmt(ref)}  {fmt(ours)}  {ratio}")
    try:
        print(f"\nEMD widget update latency (n=200, kernel side): median {emd_latency():.1f} ms")
    except ImportError as err:
        print(f"EMD widget not available: {err}")


if __name__ == "__main__":
    main()
