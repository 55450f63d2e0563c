"""Train the diffusion checkpoints that notebooks 07 and 09 load (``course_lib.zoo.diffusion``).

    .venv/bin/python scripts/train_diffusion.py unet   [--steps 1500]   # diffusion_unet_mnist
    .venv/bin/python scripts/train_diffusion.py latent [--steps 3000]   # diffusion_latent_mnist
    .venv/bin/python scripts/train_diffusion.py digits [--steps 4000]   # diffusion_digits
    .venv/bin/python scripts/train_diffusion.py unet --resume --steps 1600 --lr 1e-3 --seed 2   # continue
    .venv/bin/python scripts/train_diffusion.py unet --resume --steps 20000 --max-minutes 80 --eval-every 1000

``--eval-every K`` records a validation curve every K steps (classifier-FID over floor of ``--curve-n`` EMA
samples, DDIM ``--eval-steps``; and the EMA's own loss on a fixed held-out batch with fixed noise): it goes
in the manifest under "curve", so a reader sees whether training stopped on a flat curve (capacity) or a
still-falling one (budget). ``--max-minutes`` stops at a wall-clock budget (the steps taken are recorded).

The shipped U-Net is 1,500 steps then four resumed runs (800, 800, 1,600 and 3,002 steps; peak lr 1e-3; seeds
0, 0, 2, 3; the last with EMA 0.999, stopped by --max-minutes 64 and its curve still falling), trained on one
CPU thread of a shared 2-core machine; each manifest keeps the one before under "resumed_from".

* ``unet``: the small U-Net DDPM on the bundled MNIST subset (4,000 training images in [0, 1]).
* ``latent``: a DDPM on the 20-D encoder means of notebook 04's shipped VAE (``vae_mnist_20d``, needed).
* ``digits``: an unconditional 8x8 digits DDPM (``make_ddpm("digits")``), trained longer than notebook 07 can.

All use the course recipe (:func:`course_lib.diffusion.train_ddpm`: AdamW, warm-up then cosine decay, an EMA
copy that is what gets shipped) on the device of ``course_lib.setup()`` (a GPU makes the U-Net fast; on a CPU
one thread is fastest for these small networks). Each manifest records the settings and the quality reached:
classifier-FID (features of the course's classifier, ``course_lib.evaluation``) of n generated images to the
n held-out images, beside the real-vs-real floor at the same n, and their ratio (1 = as good as real data).
"""
from __future__ import annotations

import argparse
import time

import torch

import course_lib
from course_lib import data
from course_lib.checkpoints import load_into, manifest, save_checkpoint
from course_lib.nn import ema_of
from course_lib.training import fit
from course_lib.diffusion.latent import LatentDiffusion
from course_lib.zoo.diffusion import (UNET_CHANNELS, build_digits_ddpm, build_latent_ddpm, build_mnist_unet,
                                      sample_batched, vae_mnist_20d)
from course_lib.evaluation import digits_features, fid_over_floor, mnist_features

DEFAULTS = {  # steps, batch size, peak lr, EMA decay
    "unet": dict(steps=1500, batch_size=32, lr=2e-3, ema=0.998),   # --ema 0.999 for long resumed runs
    "latent": dict(steps=3000, batch_size=128, lr=2e-3, ema=0.998),
    "digits": dict(steps=4000, batch_size=128, lr=2e-3, ema=0.998),
}


def fid_ratio(x_gen, x_test, features, *, x_train) -> dict:
    """Classifier-FID of x_gen to x_test, the real-vs-real floor at the same n, and their ratio (3 decimals)."""
    m = fid_over_floor(x_gen, x_test, features, real_train=x_train)
    return {k: v if k == "n" else round(v, 3) for k, v in m.items()}


def validation_set(x_val, seed, n=500):
    """The model's own loss on n held-out images with fixed t and noise (a cheap, low-variance curve);
    ``val(net)`` → float."""
    x = x_val[:n]

    @torch.no_grad()
    def val(net):
        with torch.random.fork_rng():
            torch.manual_seed(10_000 + seed)
            return float(net.loss(x.to(next(net.parameters()).device)))
    return val


def curve_scorer(args, split, vae):
    """``score(ema_net)`` → {"fid_over_floor": …} of ``args.curve_n`` DDIM samples (empty for digits)."""
    if args.model == "digits" or args.curve_n <= 0:
        return lambda net: {}
    mnist = data.load_mnist()

    def score(net):
        net.default_method, net.default_steps = "ddim", args.eval_steps
        g = torch.Generator().manual_seed(777)
        t0 = time.perf_counter()
        if vae is None:
            x = sample_batched(net, args.curve_n, g).cpu()
        else:
            x = LatentDiffusion(net, vae, steps=args.eval_steps).sample(args.curve_n, generator=g).cpu()
        m = fid_ratio(x, mnist.x_test[:args.curve_n], mnist_features, x_train=mnist.x_train)
        net.train()
        return {"fid_over_floor": m["fid_over_floor"], "n": m["n"], "seconds": round(time.perf_counter() - t0, 1)}
    return score


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", choices=sorted(DEFAULTS))
    ap.add_argument("--steps", type=int)
    ap.add_argument("--batch-size", type=int)
    ap.add_argument("--lr", type=float)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--resume", action="store_true",
                    help="start from the shipped weights of this model and train --steps more (recorded in the manifest)")
    ap.add_argument("--eval-steps", type=int, default=None, help="DDIM steps for the FID in the manifest")
    ap.add_argument("--ema", type=float, default=None, help="EMA decay (default per model)")
    ap.add_argument("--eval-every", type=int, default=None, help="validation curve every this many steps")
    ap.add_argument("--curve-n", type=int, default=500, help="samples per point of the FID curve")
    ap.add_argument("--max-minutes", type=float, default=None, help="stop after this wall-clock time")
    ap.add_argument("--out-dir", default=None, help="where the checkpoint is written (default: the package's)")
    ap.add_argument("--threads", type=int, default=None,
                    help="torch CPU threads (default: 2 for the U-Net, whose 28x28 convolutions gain from both "
                         "cores, 219 → 113 ms a step measured on 2 cores; 1 for the small MLPs)")
    args = ap.parse_args()
    cfg = dict(DEFAULTS[args.model])
    if args.eval_steps is None:   # the U-Net's network evaluations are costly; the MLPs' are not
        args.eval_steps = 20 if args.model == "unet" else 50
    for k in ("steps", "batch_size", "lr", "ema"):
        if getattr(args, k) is not None:
            cfg[k] = getattr(args, k)
    threads = args.threads or (2 if args.model == "unet" else 1)   # small MLPs: one CPU thread is fastest
    device = course_lib.setup(seed=args.seed, style=False, threads=threads)
    gen = torch.Generator().manual_seed(args.seed)

    if args.model == "unet":
        split = data.load_mnist()
        model, x_train, name = build_mnist_unet(), split.x_train, "diffusion_unet_mnist"
        x_val = split.x_test
        arch = {"net": "UNet", "channels": list(UNET_CHANNELS), "emb_dim": 64, "schedule": "cosine", "T": 1000,
                "data": split.name + ", grey levels in [0, 1] scaled to [-1, 1]"}
    elif args.model == "latent":
        split = data.load_mnist()
        vae = vae_mnist_20d().to(device)
        with torch.no_grad():
            x_train = vae.encode(data.binarize(split.x_train).to(device))[0].cpu()     # (4000, 20) encoder means
            x_val = vae.encode(data.binarize(split.x_test).to(device))[0].cpu()
        model, name = build_latent_ddpm(), "diffusion_latent_mnist"
        arch = {"net": "EpsMLP", "hidden": 256, "blocks": 3, "schedule": "linear", "T": 1000,
                "data": "encoder means of vae_mnist_20d on " + split.name + " (binarised at 0.5)"}
    else:
        split = data.load_digits()
        model, name = build_digits_ddpm(), "diffusion_digits"
        x_train, x_val = split.x_train, split.x_test
        arch = {"net": "EpsMLP", "hidden": 256, "blocks": 3, "schedule": "cosine", "T": 1000, "data": str(split)}

    resumed = None
    if args.resume:   # continue a run: the previous manifest is kept inside the new one
        prev = manifest(name)
        load_into(model, name)
        resumed = {k: prev[k] for k in ("sha256", "config", "metrics", "train_seconds", "curve", "resumed_from")
                   if k in prev}
    # train_ddpm's recipe (AdamW, warm-up then cosine, EMA, clip 1), written out to add the curve and the budget
    opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"])
    average = ema_of(model, cfg["ema"])
    curve = []
    val = validation_set(x_val, args.seed)
    score = curve_scorer(args, split if args.model != "latent" else None, vae if args.model == "latent" else None)

    def eval_fn(_model, step=None):
        point = {"step": None, "ema_val_loss": round(val(average.module), 5), **score(average.module)}
        curve.append(point)
        print(f"curve: {point}", flush=True)
        return {k: v for k, v in point.items() if isinstance(v, float)}

    class TimeBudget(Exception):
        pass

    done = {"steps": 0}

    def budget(step, metrics):
        done["steps"] = step
        if curve and curve[-1]["step"] is None:
            curve[-1]["step"] = step
        if args.max_minutes is not None and time.perf_counter() - t0 > 60 * args.max_minutes:
            raise TimeBudget

    t0 = time.perf_counter()
    stopped_by = "steps"
    try:
        fit(model, x_train, steps=cfg["steps"], batch_size=cfg["batch_size"], lr=cfg["lr"], optimizer=opt,
            schedule="warmup_cosine", warmup=0.05, grad_clip=1.0, device=device, ema=average, generator=gen,
            eval_fn=eval_fn if args.eval_every else None, eval_every=args.eval_every, callback=budget,
            desc=name)
    except TimeBudget:
        stopped_by = f"--max-minutes {args.max_minutes}"
        print(f"stopped by {stopped_by} after {done['steps']} of {cfg['steps']} steps", flush=True)
    seconds = time.perf_counter() - t0
    if curve and curve[-1]["step"] is None:
        curve[-1]["step"] = done["steps"]
    ema = average.module
    ema.to(device).eval()
    g = torch.Generator().manual_seed(args.seed + 1)
    t0 = time.perf_counter()
    ema.default_method, ema.default_steps = "ddim", args.eval_steps
    if args.model == "unet":
        x_gen = sample_batched(ema, len(split.x_test), g).cpu()
        metrics = fid_ratio(x_gen, split.x_test, mnist_features, x_train=split.x_train)
    elif args.model == "latent":
        sampler = LatentDiffusion(ema, vae, steps=args.eval_steps)
        x_gen = sampler.sample(len(split.x_test), generator=g).cpu()
        metrics = fid_ratio(x_gen, split.x_test, mnist_features, x_train=split.x_train)
        x_prior = vae.sample(len(split.x_test), generator=torch.Generator().manual_seed(args.seed + 1)).cpu()
        metrics["vae_prior_fid_over_floor"] = fid_ratio(x_prior, split.x_test, mnist_features,
                                                        x_train=split.x_train)["fid_over_floor"]
    else:
        x_gen = sample_batched(ema, len(split.x_test), g).cpu()
        metrics = fid_ratio(x_gen, split.x_test, digits_features, x_train=split.x_train)
    metrics["sampler"] = f"DDIM {args.eval_steps} steps (EMA weights)"
    metrics["sample_seconds"] = round(time.perf_counter() - t0, 1)
    info = {
        "script": "scripts/train_diffusion.py",
        "config": {**arch, **cfg, "steps": done["steps"], "optimizer": "AdamW", "schedule_lr": "warmup_cosine (5% warm-up)",
                   "grad_clip": 1.0, "seed": args.seed, "device": str(device)},
        "metrics": metrics,
        "train_seconds": round(seconds, 1),
        "budget": {"steps_asked": cfg["steps"], "steps_taken": done["steps"], "stopped_by": stopped_by,
                   "max_minutes": args.max_minutes, "threads": threads},
        "curve": curve,
        **({"resumed_from": resumed} if resumed else {}),
        "torch": torch.__version__,
    }
    path = save_checkpoint(name, ema.cpu().state_dict(), info,
                           **({"directory": args.out_dir} if args.out_dir else {}))
    print(f"saved {path} ({path.stat().st_size / 1e6:.2f} MB) after {seconds:.0f} s: {metrics}")


if __name__ == "__main__":
    main()
