"""Train the DCGAN of 05_gans (or its WGAN-GP version, 06) on the bundled MNIST subset; ship the generator.

    .venv/bin/python scripts/train_dcgan.py [--steps 3000] [--seed 0]
    .venv/bin/python scripts/train_dcgan.py --recipe wgangp --steps 2500 [--max-minutes 40]

Writes course_lib/checkpoints/dcgan_mnist.pt (or wgangp_mnist.pt; generator state_dict, ~0.3 MB) and its
.json (sha256, settings, and the quality reached: exact EMD in pixel space between 500 generated and 500
test images, against the same for the untrained generator and for real train-vs-test images).

Continuing and the curve (issue 30):

    .venv/bin/python scripts/train_dcgan.py --resume --steps 6000 --max-minutes 60 --eval-every 500

``--resume`` starts from the shipped generator and, when this machine still has it, the full training
state the last run left in ``--state`` (discriminator, both optimisers, the averaged generator); without it
the discriminator starts fresh (said in the manifest). ``--ema`` keeps an exponential moving average of the
generator (Yazıcı et al., 2019; its batch-norm statistics re-estimated on 5,000 noise vectors before use);
the shipped generator is the averaged one or the last iterate, whichever has the lower classifier-FID over
floor on 1,000 samples. ``--eval-every K`` records that FID (n = 1,000, both generators) every K steps in the
manifest's "curve": a flat curve says capacity, a falling one budget.

``--recipe wgangp``: :func:`course_lib.gans.make_wgangp`, the settings of Gulrajani et al. (2017): layer-norm
critic, 5 critic steps per generator step (each on its own batch of ``--batch-size`` images), λ = 10,
Adam(1e-4, β = (0, 0.9)). ``--max-minutes`` stops early at a wall-clock budget; the steps actually
taken are recorded in the .json.
"""
from __future__ import annotations

import argparse
import copy
import tempfile
import time
from pathlib import Path

import torch

import course_lib
from course_lib import data
from course_lib.checkpoints import CHECKPOINT_DIR, load_into, manifest, save_checkpoint, sha256_of
from course_lib.gans import make_dcgan, make_wgangp
from course_lib.evaluation import emd, fid_over_floor, mnist_features
from course_lib.nn import ema_of
from course_lib.training import fit


def pixel_emd(model, x_ref, n=500, seed=0):
    """Exact EMD between n generated and n reference images, as flat 784-d vectors."""
    x = model.sample(n, generator=torch.Generator().manual_seed(seed))
    return emd(x.flatten(1), x_ref[:n].flatten(1))


@torch.no_grad()
def standing_stats(G, n=5000, batch=250, seed=123):
    """A copy of generator G whose batch-norm running statistics are re-estimated on n noise vectors (the
    averaged weights never saw the statistics the live generator accumulated)."""
    G = copy.deepcopy(G)
    for m in G.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.reset_running_stats()
            m.momentum = None   # cumulative average over the batches below
    G.train()
    g = torch.Generator().manual_seed(seed)
    for _ in range(n // batch):
        G(torch.randn(batch, G.z_dim, generator=g).to(next(G.parameters()).device))
    return G.eval()


@torch.no_grad()
def fid_of(G, mnist, n=1000, seed=0):
    """Classifier-FID over floor of n samples of generator G (eval mode) against n test images."""
    was = G.training
    G.eval()
    dev = next(G.parameters()).device
    x = G(torch.randn(n, G.z_dim, generator=torch.Generator().manual_seed(seed)).to(dev)).cpu()
    G.train(was)
    m = fid_over_floor(x, mnist.x_test[:n], mnist_features, real_train=mnist.x_train)
    return round(m["fid_over_floor"], 3)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--recipe", choices=("dcgan", "wgangp"), default="dcgan")
    ap.add_argument("--max-minutes", type=float, default=None, help="stop early after this wall-clock time")
    ap.add_argument("--name", default=None, help="checkpoint name (default: dcgan_mnist / wgangp_mnist)")
    ap.add_argument("--resume", action="store_true", help="continue from the shipped generator (and --state)")
    ap.add_argument("--state", default=None, help="full training state file (default: in the temp folder)")
    ap.add_argument("--ema", type=float, default=None, help="EMA decay of the generator, e.g. 0.999")
    ap.add_argument("--eval-every", type=int, default=None, help="FID curve every this many steps")
    ap.add_argument("--lr", type=float, default=None, help="default: the recipe's")
    ap.add_argument("--out-dir", default=str(CHECKPOINT_DIR), help="where the checkpoint is written")
    args = ap.parse_args()
    name = args.name or f"{args.recipe}_mnist"
    state_path = Path(args.state or Path(tempfile.gettempdir()) / "course_lib_train_state" / f"{name}.pt")
    # small convs: one thread is fastest on a shared CPU; a GPU, where there is one, is faster still
    device = course_lib.setup(seed=args.seed, style=False, threads=1)
    mnist = data.load_mnist()
    model = make_dcgan() if args.recipe == "dcgan" else make_wgangp()
    lr = args.lr or model.default_lr
    model.eval()
    before = pixel_emd(model, mnist.x_test)
    resumed, state = None, None
    if args.resume:
        prev = manifest(name)
        load_into(model.G, name)
        resumed = {k: prev[k] for k in ("sha256", "config", "metrics", "train_seconds", "curve", "resumed_from")
                   if k in prev}
        if state_path.is_file():
            state = torch.load(state_path, weights_only=True)
            if state.get("sha256") != prev["sha256"]:
                print(f"{state_path} belongs to another checkpoint: the discriminator starts fresh")
                state = None
        if state is not None:
            model.G.load_state_dict(state["G"])   # the last iterate (the shipped one may be the average)
            model.D.load_state_dict(state["D"])
        resumed["discriminator"] = "resumed from the saved state" if state else "fresh (no saved state here)"
    if args.ema is not None:   # GAN.train_step updates G_ema after each generator step when model.ema is set
        model.ema = args.ema
        model.G_ema = ema_of(model.G, args.ema)
        if state is not None and "G_ema" in state:
            model.G_ema.module.load_state_dict(state["G_ema"])
    model.to(device)
    opts = model.configure_optimizers(lr)
    if state is not None and "opts" in state:
        for k, o in opts.items():
            o.load_state_dict(state["opts"][k])
    curve = []
    t0 = time.perf_counter()
    done = {"steps": 0}

    class TimeBudget(Exception):
        pass

    def budget(step, metrics):
        done["steps"] = step  # fit counts steps from 1
        if args.eval_every and step % args.eval_every == 0:
            point = {"step": step, "fid_over_floor": fid_of(model.G, mnist),
                     "seconds": round(time.perf_counter() - t0, 1)}
            if args.ema is not None:
                point["fid_over_floor_ema"] = fid_of(standing_stats(model.G_ema.module), mnist)
            curve.append(point)
            print(f"curve: {point}", flush=True)
        if args.max_minutes is not None and time.perf_counter() - t0 > 60 * args.max_minutes:
            raise TimeBudget

    from course_lib.training import History

    hist = History()
    try:
        # fit gets n_critic × m images per step: each critic step takes its own chunk of m (GAN.train_step)
        fit(model, mnist.x_train, steps=args.steps, batch_size=args.batch_size * model.n_critic, lr=lr,
            optimizer=opts, device=device, callback=budget, history=hist, generator=torch.Generator().manual_seed(args.seed),
            desc=args.recipe)
    except TimeBudget:
        print(f"stopped by --max-minutes {args.max_minutes} after {done['steps']} of {args.steps} steps")
    seconds = time.perf_counter() - t0
    model.cpu().eval()
    state_path.parent.mkdir(parents=True, exist_ok=True)
    full = {"G": model.G.state_dict(), "D": model.D.state_dict(),
            "opts": {k: o.state_dict() for k, o in opts.items()}}
    shipped_G, which = model.G, "last iterate"
    if args.ema is not None:
        full["G_ema"] = model.G_ema.module.state_dict()
        G_avg = standing_stats(model.G_ema.module)
        scores = {"last iterate": fid_of(model.G, mnist, seed=1), "EMA": fid_of(G_avg, mnist, seed=1)}
        if scores["EMA"] < scores["last iterate"]:
            shipped_G, which = G_avg, "EMA"
        print(f"FID over floor (n = 1000, seed 1): {scores}; shipping the {which}")
    model.G = shipped_G
    model.ema = None
    after = pixel_emd(model, mnist.x_test)
    floor = emd(mnist.x_train[:500].flatten(1), mnist.x_test[:500].flatten(1))
    info = {
        "script": "scripts/train_dcgan.py",
        "config": {"recipe": args.recipe, "loss": model.loss_kind, "steps": done["steps"],
                   "steps_asked": args.steps, "batch_size": args.batch_size, "n_critic": model.n_critic,
                   "gp_weight": model.gp_weight if model.loss_kind == "wgan-gp" else None, "lr": lr,
                   "betas": list(model.betas), "z_dim": model.G.z_dim, "width": model.G.w, "seed": args.seed,
                   "ema": args.ema, "shipped_generator": which, "data": mnist.name,
                   "d_passes": "real and fake separately" if args.recipe == "dcgan" else "one over [real; fake]"},
        "metrics": {"pixel_emd_untrained": round(before, 4), "pixel_emd_trained": round(after, 4),
                    "pixel_emd_real_train_vs_test": round(floor, 4),
                    "d_loss_last100": round(hist.mean_last("d_loss", 100), 4),
                    "g_loss_last100": round(hist.mean_last("g_loss", 100), 4),
                    "fid_over_floor_n1000": fid_of(shipped_G, mnist, seed=2)},
        "budget": {"steps_asked": args.steps, "steps_taken": done["steps"], "max_minutes": args.max_minutes,
                   "threads": 1},
        "curve": curve,
        **({"resumed_from": resumed} if resumed else {}),
        "train_seconds": round(seconds, 1),
        "device": str(device),
        "torch": torch.__version__,
    }
    path = save_checkpoint(name, shipped_G.state_dict(), info, directory=args.out_dir)
    full["sha256"] = sha256_of(path)
    torch.save(full, state_path)
    print(f"training state (for --resume) in {state_path}")
    print(f"saved {path} ({path.stat().st_size / 1e6:.2f} MB): {info['metrics']}")


if __name__ == "__main__":
    main()
