"""Train the VAE checkpoints that notebook 04 loads in lecture mode.

* ``vae_mnist_20d``: the PyTorch-examples architecture (784-400-20, Bernoulli decoder);
* ``vae_mnist_2d``: 784-256-2, Bernoulli decoder, for the decoded manifold.

Both on the bundled MNIST split (``course_lib.data.load_mnist()``), binarised at 0.5, trained by
``course_lib.vae.model.train_vae`` (``fit`` + one-cycle learning rate), one CPU thread, seed 0, so a rerun
gives the same weights. Weights are stored in float16 (half the size; the manifest's metrics are
measured *after* that rounding) with a sha256 manifest via ``course_lib.checkpoints.save_checkpoint``.

    python scripts/train_vae.py            # (re)write the shipped checkpoints
    python scripts/train_vae.py --check    # retrain into a temp folder and compare with the shipped ones
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import torch

from course_lib.checkpoints import CHECKPOINT_DIR, manifest, save_checkpoint
from course_lib.data import binarize, load_mnist
from course_lib.vae import VAE, train_vae

MODELS = {
    "vae_mnist_20d": {"latent_dim": 20, "hidden": 400, "steps": 1000},
    "vae_mnist_2d": {"latent_dim": 2, "hidden": 256, "steps": 1000},
}
BATCH, PEAK_LR, SEED = 128, 5e-3, 0


def build(name: str) -> VAE:
    cfg = MODELS[name]
    return VAE(latent_dim=cfg["latent_dim"], hidden=cfg["hidden"], decoder="bernoulli")


def train_one(name: str, directory: Path, progress: bool = True) -> dict:
    torch.set_num_threads(1)  # thread count changes float summation order: fixed for reproducibility
    torch.manual_seed(SEED)
    data = load_mnist()
    x_train, x_test = binarize(data.x_train), binarize(data.x_test)
    vae = build(name)
    t0 = time.perf_counter()
    train_vae(vae, x_train, steps=MODELS[name]["steps"], batch_size=BATCH, peak_lr=PEAK_LR,
              generator=torch.Generator().manual_seed(SEED), progress=progress, desc=name)
    seconds = time.perf_counter() - t0
    half = {k: v.half() for k, v in vae.state_dict().items()}
    vae.load_state_dict(half)  # copy_ casts back to float32: evaluate exactly what is shipped
    vae.eval()
    with torch.random.fork_rng():
        torch.manual_seed(1234)
        elbo = float(vae.elbo(x_test, n_samples=10).mean())
        iwae = float(vae.log_prob(x_test[:200], n_samples=100).mean())
    info = {"script": "scripts/train_vae.py", "config": vae.config(),
            "training": {"steps": MODELS[name]["steps"], "batch_size": BATCH, "peak_lr": PEAK_LR, "seed": SEED,
                         "schedule": "one_cycle (5% warm-up, cosine), Adam betas (0.9, 0.99)", "data": data.name + ", binarised at 0.5",
                         "dtype": "float16 weights", "torch": torch.__version__},
            "metrics": {"test_elbo": round(elbo, 3), "test_log_px_iwae100_first200": round(iwae, 3),
                        "train_seconds": round(seconds, 1)}}
    save_checkpoint(name, half, info, directory)
    print(f"{name}: test ELBO {elbo:.2f} nats, IWAE(100) log p(x) {iwae:.2f} nats, trained in {seconds:.1f} s")
    return manifest(name, directory)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true", help="retrain in a temp folder and compare with the shipped files")
    p.add_argument("--only", choices=sorted(MODELS), help="train just this checkpoint")
    args = p.parse_args(argv)
    names = [args.only] if args.only else list(MODELS)
    if not args.check:
        for name in names:
            train_one(name, CHECKPOINT_DIR)
        return 0
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            new = train_one(name, Path(tmp), progress=False)
            old = manifest(name)
            same = new["sha256"] == old["sha256"]
            print(f"{name}: {'identical bytes' if same else 'DIFFERENT bytes'} "
                  f"(shipped test ELBO {old['metrics']['test_elbo']}, retrained {new['metrics']['test_elbo']})")
            ok &= same
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
