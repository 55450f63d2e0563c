"""The course's MNIST U-Net DDPM beside HuggingFace diffusers' ``UNet2DModel`` + ``DDPMScheduler``, one run.

    .venv/bin/python benchmarks/diffusion_vs_diffusers.py [--steps 1500] [--n 500] [--seed 0]

Same data (the bundled MNIST subset, 4,000 training images scaled to [−1, 1]), same number of steps, batch 32,
AdamW at peak lr 1e-3 with 5 % linear warm-up then cosine decay, gradient clipping at 1, an EMA of the weights
(decay 0.995) that is what gets sampled, T = 1000 with the cosine schedule (diffusers' ``squaredcos_cap_v2`` is
Nichol & Dhariwal's schedule, the course's ``NoiseSchedule.make("cosine")``), and the same sampler: DDIM with
20 steps (η = 0), x̂₀ clipped to the pixel range and ε re-derived from it (diffusers: ``use_clipped_model_output``). Both see the same mini-batches. Both train on one CPU thread
(or on the device of ``course_lib.setup()`` when ``--device`` says so).

Quality: classifier-FID of ``--n`` EMA samples to ``--n`` held-out digits over the real-vs-real floor at the same
n (``evaluation.fid_over_floor``, the course's MNIST feature classifier), for three sampling seeds. Cost: CPU
seconds of training (``time.process_time``). The printed ratios are course / diffusers, measured in this run.
Goal (issue 30): the course's model reaches the reference's quality in ≤ 1.0× its training time.

The reference network is diffusers' own ``UNet2DModel`` at a size close to the course's U-Net (three
resolutions 28 → 14 → 7 with 16, 32, 64 channels, one ResNet block per level, GroupNorm in groups of 8, no
attention); its training loop below uses only PyTorch's and diffusers' public tools (``add_noise``,
``DDIMScheduler.step``, ``torch.optim.swa_utils.AveragedModel``) and none of the course's code. diffusers is a
dev-only dependency; without it the script says so and stops.
"""
from __future__ import annotations

import argparse
import math
import time

import torch
import torch.nn.functional as F

import course_lib
from course_lib import data
from course_lib.diffusion import train_ddpm
from course_lib.diffusion.unet import make_unet_ddpm
from course_lib.evaluation import fid_over_floor, mnist_features
from course_lib.zoo.diffusion import UNET_CHANNELS, sample_batched

EMA, LR, BATCH, WARMUP, DDIM_STEPS = 0.995, 1e-3, 32, 0.05, 20


def batches(n_train, steps, seed):
    """The mini-batch indices both models see: (steps, BATCH), reshuffled every epoch."""
    g = torch.Generator().manual_seed(seed)
    per_epoch = n_train // BATCH
    epochs = [torch.randperm(n_train, generator=g)[: per_epoch * BATCH].view(per_epoch, BATCH)
              for _ in range(math.ceil(steps / per_epoch))]
    return torch.cat(epochs)[:steps]


def reference_model():
    from diffusers import DDIMScheduler, DDPMScheduler, UNet2DModel
    net = UNet2DModel(sample_size=28, in_channels=1, out_channels=1, layers_per_block=1,
                      block_out_channels=UNET_CHANNELS, norm_num_groups=8,
                      down_block_types=("DownBlock2D",) * 3, up_block_types=("UpBlock2D",) * 3)
    cfg = dict(num_train_timesteps=1000, beta_schedule="squaredcos_cap_v2", clip_sample=True)
    return net, DDPMScheduler(**cfg), DDIMScheduler(**cfg, set_alpha_to_one=True, timestep_spacing="trailing")


def train_reference(net, noise_sched, x_train, idx, device, seed):
    """diffusers' usual training loop, written here: ε-prediction MSE at a uniform timestep."""
    steps = len(idx)
    opt = torch.optim.AdamW(net.parameters(), lr=LR)
    warm = max(1, int(WARMUP * steps))
    lr_at = lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / max(1, steps - warm)))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_at)
    ema = torch.optim.swa_utils.AveragedModel(net, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(EMA))
    g = torch.Generator().manual_seed(seed)
    net.train()
    for s in range(steps):
        x0 = (x_train[idx[s]] * 2 - 1).view(-1, 1, 28, 28).to(device)       # (B, 1, 28, 28) in [−1, 1]
        noise = torch.randn(x0.shape, generator=g).to(device)
        k = torch.randint(0, noise_sched.config.num_train_timesteps, (len(x0),), generator=g).to(device)
        loss = F.mse_loss(net(noise_sched.add_noise(x0, noise, k), k).sample, noise)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        sched.step()
        ema.update_parameters(net)
    return ema.module.eval()


@torch.no_grad()
def sample_reference(net, ddim, n, seed, device, batch=250):
    """DDIM with DDIM_STEPS steps, η = 0: (n, 784) in [0, 1]."""
    ddim.set_timesteps(DDIM_STEPS)
    g = torch.Generator().manual_seed(seed)
    out = []
    for i in range(0, n, batch):
        x = torch.randn(min(batch, n - i), 1, 28, 28, generator=g).to(device)
        for k in ddim.timesteps:
            x = ddim.step(net(x, k).sample, k, x, use_clipped_model_output=True).prev_sample
        out.append(((x.clamp(-1, 1) + 1) / 2).view(len(x), -1).cpu())
    return torch.cat(out)


def quality(sample_fn, split, n, seeds=(0, 1, 2)):
    """FID / floor of n samples against n held-out digits, per sampling seed: list of floats."""
    return [fid_over_floor(sample_fn(n, sd), split.x_test[:n], mnist_features, real_train=split.x_train)
            ["fid_over_floor"] for sd in seeds]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=1500)
    ap.add_argument("--n", type=int, default=500, help="samples per FID (and held-out digits)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--device", action="store_true", help="train on course_lib.setup()'s device, not one CPU thread")
    args = ap.parse_args()
    try:
        import diffusers
    except ImportError:
        raise SystemExit("diffusers is not installed: pip install -e '.[dev]' (a dev-only dependency)")
    device = course_lib.setup(seed=args.seed, style=False, threads=1) if args.device else torch.device("cpu")
    torch.set_num_threads(1)
    split = data.load_mnist()
    idx = batches(len(split.x_train), args.steps, args.seed)

    # the course: make_unet_ddpm + train_ddpm (fit), fed the same batches in the same order
    torch.manual_seed(args.seed)
    course = make_unet_ddpm(UNET_CHANNELS)
    order = iter(idx.tolist() * 2)                 # fit draws a batch per step from this sampler
    same_batches = lambda batch_size: split.x_train[next(order)]          # (BATCH, 784)
    t0 = time.process_time()
    _, course_ema = train_ddpm(course, same_batches, steps=args.steps, batch_size=BATCH, lr=LR, ema=EMA, warmup=WARMUP,
                               schedule="warmup_cosine", grad_clip=1.0, device=device, progress=False)
    course_s = time.process_time() - t0
    course_ema.to(device).eval()
    course_ema.default_method, course_ema.default_steps = "ddim", DDIM_STEPS

    torch.manual_seed(args.seed)
    ref, noise_sched, ddim = reference_model()
    ref.to(device)
    t0 = time.process_time()
    ref_ema = train_reference(ref, noise_sched, split.x_train, idx, device, args.seed)
    ref_s = time.process_time() - t0

    n_par = lambda m: sum(p.numel() for p in m.parameters())
    q_course = quality(lambda n, sd: sample_batched(course_ema, n, torch.Generator().manual_seed(sd)).cpu(),
                       split, args.n)
    q_ref = quality(lambda n, sd: sample_reference(ref_ema, ddim, n, sd, device), split, args.n)
    mean = lambda v: sum(v) / len(v)
    print(f"diffusers {diffusers.__version__}, torch {torch.__version__}, device {device}, {args.steps} steps of "
          f"batch {BATCH}, FID/floor at n = {args.n} over sampling seeds 0-2, DDIM {DDIM_STEPS} steps")
    print(f"{'model':<28}{'parameters':>12}{'train CPU s':>13}{'ms/step':>9}   FID / floor (3 seeds)")
    for name, m, s, q in (("course UNet + DDPM", course, course_s, q_course),
                          ("diffusers UNet2DModel", ref, ref_s, q_ref)):
        print(f"{name:<28}{n_par(m):>12,}{s:>13.1f}{1000 * s / args.steps:>9.1f}   "
              f"{mean(q):.2f}  ({', '.join(f'{v:.2f}' for v in q)})")
    print(f"ratios, course / diffusers: training time {course_s / ref_s:.2f}×, FID/floor {mean(q_course) / mean(q_ref):.2f}×"
          f" (goal: same quality in ≤ 1.0× the time)")


if __name__ == "__main__":
    main()
