"""Train the DCGAN of 05_gans on the bundled MNIST subset and ship its generator as a checkpoint.

    .venv/bin/python scripts/train_dcgan.py [--steps 3000] [--seed 0]

Writes course_lib/checkpoints/dcgan_mnist.pt (generator state_dict, ~0.5 MB) and dcgan_mnist.json
(sha256, settings, and the quality reached: exact EMD in pixel space between 500 generated and 500
test images, against the same for the untrained generator and for real train-vs-test images).
"""
from __future__ import annotations

import argparse
import time

import torch

import course_lib
from course_lib import data
from course_lib.checkpoints import save_checkpoint
from course_lib.gans import make_dcgan
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
    ap.add_argument("--name", default="dcgan_mnist")
    args = ap.parse_args()
    course_lib.setup(seed=args.seed, style=False, threads=1)  # small convs: one thread is fastest on a shared CPU
    mnist = data.load_mnist()
    model = make_dcgan()
    lr = model.default_lr
    model.eval()
    before = pixel_emd(model, mnist.x_test)
    t0 = time.perf_counter()
    hist = fit(model, mnist.x_train, steps=args.steps, batch_size=args.batch_size, lr=lr,
               generator=torch.Generator().manual_seed(args.seed), desc="DCGAN")
    seconds = time.perf_counter() - t0
    model.eval()
    after = pixel_emd(model, mnist.x_test)
    floor = emd(mnist.x_train[:500].flatten(1), mnist.x_test[:500].flatten(1))
    info = {
        "script": "scripts/train_dcgan.py",
        "config": {"steps": args.steps, "batch_size": args.batch_size, "lr": lr, "betas": [0.5, 0.999],
                   "z_dim": model.G.z_dim, "width": model.G.w, "seed": args.seed, "data": mnist.name},
        "metrics": {"pixel_emd_untrained": round(before, 4), "pixel_emd_trained": round(after, 4),
                    "pixel_emd_real_train_vs_test": round(floor, 4),
                    "d_loss_last100": round(hist.mean_last("d_loss", 100), 4),
                    "g_loss_last100": round(hist.mean_last("g_loss", 100), 4)},
        "train_seconds": round(seconds, 1),
        "torch": torch.__version__,
    }
    path = save_checkpoint(args.name, model.G.state_dict(), info)
    print(f"saved {path} ({path.stat().st_size / 1e6:.2f} MB): {info['metrics']}")


if __name__ == "__main__":
    main()
