"""Score every MNIST model of the course on one leaderboard (notebook 09) and save it.

    PYTHONPATH=$PWD .venv/bin/python scripts/leaderboard.py [--n 1000] [--seeds 0 1 2]
    PYTHONPATH=$PWD .venv/bin/python scripts/leaderboard.py --kind digits   # 08's 8x8 binary models, n = 400

Loads each shipped checkpoint (``course_lib.zoo.MNIST_MODELS``: VAEs 04, DCGAN 05, WGAN-GP 06,
DDPM and latent DDPM 07, token transformer and MaskGIT 08; a missing one is skipped and the reason
recorded), scores them with :func:`course_lib.zoo.leaderboard` against the MNIST test split and
writes ``course_lib/zoo/results/leaderboard_mnist.json``: the rows, the settings, the sha256 of
every checkpoint scored, the skipped models and the time taken. Notebook 09 loads the file (sampling the
diffusion models 3 × 1,000 times does not fit its time budget) and recomputes the floor and the DCGAN rows
live, checking them against it. Rerun it whenever a checkpoint changes.

``--kind digits`` scores 08's models of binarised 8x8 digits (``DIGITS_MODELS``) on the digits features
against 08's test split (447 images; the floor and memorisation halves come from its 1,000 training
images, so n ≤ 500), into ``leaderboard_digits.json``.
"""
from __future__ import annotations

import argparse
import os
import time

import torch

import course_lib
from course_lib import data
from course_lib.checkpoints import manifest
from course_lib.zoo import course_samplers, format_leaderboard, leaderboard, save_leaderboard

#: the checkpoints behind each model name (their sha256 goes in the file, so a stale board can be detected)
CHECKPOINTS = {
    "VAE 20-d (04)": ["vae_mnist_20d"], "VAE 2-d (04)": ["vae_mnist_2d"], "DCGAN (05)": ["dcgan_mnist"],
    "WGAN-GP (06)": ["wgangp_mnist"], "transformer, tokens (08)": ["ar_tokens_mnist", "codebook_mnist"],
    "MaskGIT, tokens (08)": ["maskgit_tokens_mnist", "codebook_mnist"],
    "DDPM (07)": ["diffusion_unet_mnist"], "latent DDPM (07)": ["diffusion_latent_mnist", "vae_mnist_20d"],
    "MADE (08)": ["ar_made_digits"], "PixelCNN (08)": ["ar_pixelcnn_digits"],
    "transformer (08)": ["ar_transformer_digits"], "MaskGIT (08)": ["maskgit_digits"],
    "DDPM, binarised (07/08)": ["ddpm_binary_digits"],
}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kind", choices=("mnist", "digits"), default="mnist")
    ap.add_argument("--n", type=int, default=None, help="samples per seed (default 1000 for MNIST, 400 for digits)")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--name", default=None, help="default leaderboard_<kind>")
    args = ap.parse_args()
    n = args.n or (1000 if args.kind == "mnist" else 400)
    course_lib.setup(seed=0, style=False, threads=1)  # 1 thread: the same numbers as the notebook's live rows
    if args.kind == "mnist":
        mnist = data.load_mnist()
        x_test, x_train, data_name = mnist.x_test, mnist.x_train, mnist.name
    else:
        from course_lib.autoregressive._common import binary_digits

        split = binary_digits()
        x_test, x_train, data_name = split["x_test"], split["x_train"], "sklearn digits binarised at >= 8 (08's split)"
    found = course_samplers(kind=args.kind)
    t0 = time.perf_counter()
    rows = leaderboard(found.samplers, x_test, x_train, n=n, seeds=tuple(args.seeds), k=args.k,
                       nlls=found.nlls, token_nlls=found.token_nlls, kind=args.kind)
    seconds = time.perf_counter() - t0
    shas = {}
    for label in found.samplers:
        for ck in CHECKPOINTS[label]:
            shas[ck] = manifest(ck)["sha256"]
    info = {"script": "scripts/leaderboard.py", "data": data_name, "kind": args.kind, "n": n,
            "seeds": args.seeds, "k": args.k, "checkpoints": shas, "skipped": found.skipped,
            "seconds": round(seconds, 1), "load_average_1min": round(os.getloadavg()[0], 2),
            "torch": torch.__version__}
    path = save_leaderboard(args.name or f"leaderboard_{args.kind}", rows, info)
    print(format_leaderboard(rows))
    print(f"saved {path} ({seconds:.0f} s, load average {os.getloadavg()[0]:.1f}); skipped: {list(found.skipped)}")


if __name__ == "__main__":
    main()
