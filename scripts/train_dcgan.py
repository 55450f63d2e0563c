"""Train the DCGAN of 05_gans (or its WGAN-GP version, 06) on the bundled MNIST subset; ship the generator.

    .venv/bin/python scripts/train_dcgan.py [--steps 3000] [--seed 0]
    .venv/bin/python scripts/train_dcgan.py --recipe wgangp --steps 2500 [--max-minutes 40]

Writes course_lib/checkpoints/dcgan_mnist.pt (or wgangp_mnist.pt; generator state_dict, ~0.3 MB) and its
.json (sha256, settings, and the quality reached: exact EMD in pixel space between 500 generated and 500
test images, against the same for the untrained generator and for real train-vs-test images).

``--recipe wgangp``: :func:`course_lib.gans.make_wgangp`, the settings of Gulrajani et al. (2017): layer-norm
critic, 5 critic steps per generator step (each on its own batch of ``--batch-size`` images), λ = 10,
Adam(1e-4, β = (0, 0.9)). ``--max-minutes`` stops early at a wall-clock budget; the steps actually
taken are recorded in the .json.
"""
from __future__ import annotations

import argparse
import time

import torch

import course_lib
from course_lib import data
from course_lib.checkpoints import save_checkpoint
from course_lib.gans import make_dcgan, make_wgangp
from course_lib.evaluation import emd
from course_lib.training import fit


def pixel_emd(model, x_ref, n=500, seed=0):
    """Exact EMD between n generated and n reference images, as flat 784-d vectors."""
    x = model.sample(n, generator=torch.Generator().manual_seed(seed))
    return emd(x.flatten(1), x_ref[:n].flatten(1))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--recipe", choices=("dcgan", "wgangp"), default="dcgan")
    ap.add_argument("--max-minutes", type=float, default=None, help="stop early after this wall-clock time")
    ap.add_argument("--name", default=None, help="checkpoint name (default: dcgan_mnist / wgangp_mnist)")
    args = ap.parse_args()
    name = args.name or f"{args.recipe}_mnist"
    # small convs: one thread is fastest on a shared CPU; a GPU, where there is one, is faster still
    device = course_lib.setup(seed=args.seed, style=False, threads=1)
    mnist = data.load_mnist()
    model = make_dcgan() if args.recipe == "dcgan" else make_wgangp()
    lr = model.default_lr
    model.eval()
    before = pixel_emd(model, mnist.x_test)
    t0 = time.perf_counter()
    done = {"steps": 0}

    class TimeBudget(Exception):
        pass

    def budget(step, metrics):
        done["steps"] = step  # fit counts steps from 1
        if args.max_minutes is not None and time.perf_counter() - t0 > 60 * args.max_minutes:
            raise TimeBudget

    from course_lib.training import History

    hist = History()
    try:
        # fit gets n_critic × m images per step: each critic step takes its own chunk of m (GAN.train_step)
        fit(model, mnist.x_train, steps=args.steps, batch_size=args.batch_size * model.n_critic, lr=lr,
            device=device, callback=budget, history=hist, generator=torch.Generator().manual_seed(args.seed),
            desc=args.recipe)
    except TimeBudget:
        print(f"stopped by --max-minutes {args.max_minutes} after {done['steps']} of {args.steps} steps")
    seconds = time.perf_counter() - t0
    model.cpu().eval()
    after = pixel_emd(model, mnist.x_test)
    floor = emd(mnist.x_train[:500].flatten(1), mnist.x_test[:500].flatten(1))
    info = {
        "script": "scripts/train_dcgan.py",
        "config": {"recipe": args.recipe, "loss": model.loss_kind, "steps": done["steps"],
                   "steps_asked": args.steps, "batch_size": args.batch_size, "n_critic": model.n_critic,
                   "gp_weight": model.gp_weight if model.loss_kind == "wgan-gp" else None, "lr": lr,
                   "betas": list(model.betas), "z_dim": model.G.z_dim, "width": model.G.w, "seed": args.seed,
                   "data": mnist.name},
        "metrics": {"pixel_emd_untrained": round(before, 4), "pixel_emd_trained": round(after, 4),
                    "pixel_emd_real_train_vs_test": round(floor, 4),
                    "d_loss_last100": round(hist.mean_last("d_loss", 100), 4),
                    "g_loss_last100": round(hist.mean_last("g_loss", 100), 4)},
        "train_seconds": round(seconds, 1),
        "device": str(device),
        "torch": torch.__version__,
    }
    path = save_checkpoint(name, model.G.state_dict(), info)
    print(f"saved {path} ({path.stat().st_size / 1e6:.2f} MB): {info['metrics']}")


if __name__ == "__main__":
    main()
