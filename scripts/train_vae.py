"""Train the VAE checkpoints that notebook 04 loads in lecture mode.

* ``vae_mnist_20d``: the PyTorch-examples architecture (784-400-20, Bernoulli decoder);
* ``vae_mnist_2d``: 784-256-2, Bernoulli decoder, for the decoded manifold.

Both on the bundled MNIST split (``course_lib.data.load_mnist()``), binarised at 0.5, trained by
``course_lib.vae.model.train_vae`` (``fit`` + one-cycle learning rate), one CPU thread, seed 0, so a rerun
gives the same weights. Weights are stored in float16 (half the size; the manifest's metrics are
measured *after* that rounding) with a sha256 manifest via ``course_lib.checkpoints.save_checkpoint``.

    python scripts/train_vae.py            # (re)write the shipped checkpoints
    python scripts/train_vae.py --check    # retrain into a temp folder and compare with the shipped ones
    python scripts/train_vae.py --only vae_mnist_20d --budgets 1000 3000 6000   # + the curve over budgets

``--budgets`` trains the same recipe once per budget (each run its own one-cycle schedule, so each ends
annealed: a curve of one run's checkpoints would flatten only because its learning rate does), scores each by
classifier-FID over the real-vs-real floor of 1,000 prior samples (decoder means, as on notebook 09's board)
and its test ELBO, and stores them in the manifest's "curve"; the run shipped is the one of ``--steps``.
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
from course_lib.evaluation import fid_over_floor, mnist_features
from course_lib.vae import VAE, train_vae

MODELS = {
    "vae_mnist_20d": {"latent_dim": 20, "hidden": 400, "steps": 1000},
    "vae_mnist_2d": {"latent_dim": 2, "hidden": 256, "steps": 1000},
}
BATCH, PEAK_LR, SEED = 128, 5e-3, 0


def build(name: str) -> VAE:
    cfg = MODELS[name]
    return VAE(latent_dim=cfg["latent_dim"], hidden=cfg["hidden"], decoder="bernoulli")


def _trained(name: str, steps: int, progress: bool):
    """(VAE trained for ``steps`` with float16 weights as shipped, its half state dict, seconds)."""
    torch.set_num_threads(1)  # thread count changes float summation order: fixed for reproducibility
    torch.manual_seed(SEED)
    x_train = binarize(load_mnist().x_train)
    vae = build(name)
    t0 = time.perf_counter()
    train_vae(vae, x_train, steps=steps, batch_size=BATCH, peak_lr=PEAK_LR,
              generator=torch.Generator().manual_seed(SEED), progress=progress, desc=f"{name} ({steps} steps)")
    seconds = time.perf_counter() - t0
    half = {k: v.half() for k, v in vae.state_dict().items()}
    vae.load_state_dict(half)  # copy_ casts back to float32: evaluate exactly what is shipped
    return vae.eval(), half, seconds


@torch.no_grad()
def _scores(vae) -> tuple[float, float, float]:
    """(test ELBO, IWAE-100 log p(x) of the first 200 test images, FID / floor of 1,000 prior samples)."""
    data = load_mnist()
    x_test = binarize(data.x_test)
    with torch.random.fork_rng():
        torch.manual_seed(1234)
        elbo = float(vae.elbo(x_test, n_samples=10).mean())
        iwae = float(vae.log_prob(x_test[:200], n_samples=100).mean())
    x = vae.sample(1000, generator=torch.Generator().manual_seed(0))
    fid = fid_over_floor(x, data.x_test, mnist_features, real_train=data.x_train)["fid_over_floor"]
    return elbo, iwae, fid


def train_one(name: str, directory: Path, progress: bool = True, steps: int | None = None,
              budgets=()) -> dict:
    steps = steps or MODELS[name]["steps"]
    curve = []
    for b in sorted(set(budgets) - {steps}):
        elbo_b, _, fid_b = _scores(_trained(name, b, progress)[0])
        curve.append({"step": b, "fid_over_floor": round(fid_b, 3), "test_elbo": round(elbo_b, 3)})
        print(f"{name}, {b} steps: FID / floor {fid_b:.2f}, test ELBO {elbo_b:.2f}", flush=True)
    vae, half, seconds = _trained(name, steps, progress)
    elbo, iwae, fid = _scores(vae)
    data = load_mnist()
    if budgets:
        curve = sorted(curve + [{"step": steps, "fid_over_floor": round(fid, 3), "test_elbo": round(elbo, 3)}],
                       key=lambda p: p["step"])
    info = {"script": "scripts/train_vae.py", "config": vae.config(),
            **({"curve": curve, "curve_kind": "one run per budget (each its own one-cycle schedule)"}
               if curve else {}),
            "training": {"steps": steps, "batch_size": BATCH, "peak_lr": PEAK_LR, "seed": SEED,
                         "schedule": "one_cycle (5% warm-up, cosine), Adam betas (0.9, 0.99)", "data": data.name + ", binarised at 0.5",
                         "dtype": "float16 weights", "torch": torch.__version__},
            "metrics": {"test_elbo": round(elbo, 3), "test_log_px_iwae100_first200": round(iwae, 3),
                        "fid_over_floor_n1000": round(fid, 3), "train_seconds": round(seconds, 1)}}
    save_checkpoint(name, half, info, directory)
    print(f"{name}: test ELBO {elbo:.2f} nats, IWAE(100) log p(x) {iwae:.2f} nats, trained in {seconds:.1f} s")
    return manifest(name, directory)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true", help="retrain in a temp folder and compare with the shipped files")
    p.add_argument("--only", choices=sorted(MODELS), help="train just this checkpoint")
    p.add_argument("--steps", type=int, default=None, help="steps of the shipped run (default: per model)")
    p.add_argument("--budgets", type=int, nargs="*", default=(), help="also train these budgets for the curve")
    p.add_argument("--out-dir", default=str(CHECKPOINT_DIR), help="where the checkpoint is written")
    args = p.parse_args(argv)
    names = [args.only] if args.only else list(MODELS)
    if not args.check:
        for name in names:
            train_one(name, Path(args.out_dir), steps=args.steps, budgets=args.budgets)
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
