"""2-D diffusion benchmark (notebook 07): the course DDPM beside an independent tiny-diffusion-style reference.

    python benchmarks/diffusion.py [--steps 2500] [--seed 0] [--digit-steps 2000]

Data: two moons in tiny-diffusion's scaling (course_lib.diffusion.moons), 8,000 training points; quality is
the exact EMD of 1,000 samples to 1,000 held-out points, divided by the real-vs-real floor at the same n
(mean over three pairs of held-out sets). Goals: course model ≤ 1.5× the floor after ≤ 20 s of training on
one thread (ancestral sampling), DDIM 25 steps ≤ 2×, DDIM 10 steps ≤ 3×. Time per 1,000 samples is printed
per number of steps.

Digits: the course's 8x8-digit DDPM (make_ddpm("digits")), classifier-FID (notebook 09's digits feature
classifier) of as many samples as test digits (359), relative to the real-vs-real floor at that n; goal ≤ 2×.
Beside the live runs: the same architecture trained longer by ``scripts/train_diffusion.py digits`` and
shipped as ``diffusion_digits`` (skipped with a message when the file is missing).

Reference, written here from tiny-diffusion's description and defaults (not its code): an MLP of width 128
with sinusoidal embeddings of t and of each coordinate (scale 25), three residual GELU blocks, T = 50 linear
β 1e-4..0.02, batch 32, AdamW lr 1e-3, ancestral sampling with the posterior variance. It is given the same
wall-clock training time as the course model.
"""
from __future__ import annotations

import argparse
import math
import time

import torch
from torch import nn

from course_lib.diffusion import train_ddpm, make_ddpm, moons
from course_lib import checkpoints, data
from course_lib.zoo import diffusion as pretrained
from course_lib.evaluation import digits_features, emd, fid_floor, frechet_distance


# ------------------------------------------------------------------ the reference, independently written
def sinusoid(x, size, scale=1.0):
    half = size // 2
    freq = torch.exp(-math.log(10000.0) * torch.arange(half) / (half - 1))
    a = (x * scale).unsqueeze(-1) * freq
    return torch.cat([torch.sin(a), torch.cos(a)], -1)


class TinyMLP(nn.Module):
    def __init__(self, hidden=128, emb=128, blocks=3):
        super().__init__()
        self.emb = emb
        self.inp = nn.Sequential(nn.Linear(3 * emb, hidden), nn.GELU())
        self.blocks = nn.ModuleList(nn.Sequential(nn.Linear(hidden, hidden), nn.GELU()) for _ in range(blocks))
        self.out = nn.Linear(hidden, 2)

    def forward(self, x, t):
        h = torch.cat([sinusoid(x[:, 0], self.emb, 25.0), sinusoid(x[:, 1], self.emb, 25.0),
                       sinusoid(t.float(), self.emb)], -1)
        h = self.inp(h)
        for b in self.blocks:
            h = h + b(h)
        return self.out(h)


class TinyDDPM:
    def __init__(self, T=50):
        self.T = T
        self.betas = torch.linspace(1e-4, 0.02, T)
        self.alphas = 1 - self.betas
        self.ab = torch.cumprod(self.alphas, 0)                       # index i = step i + 1
        self.net = TinyMLP()

    def train_for(self, x, seconds, batch=32, lr=1e-3, seed=0):
        g = torch.Generator().manual_seed(seed)
        opt = torch.optim.AdamW(self.net.parameters(), lr=lr)
        t0, steps = time.perf_counter(), 0
        while time.perf_counter() - t0 < seconds:
            idx = torch.randint(0, len(x), (batch,), generator=g)
            x0, noise = x[idx], torch.randn(batch, 2, generator=g)
            t = torch.randint(0, self.T, (batch,), generator=g)
            a = self.ab[t][:, None]
            loss = nn.functional.mse_loss(self.net(a.sqrt() * x0 + (1 - a).sqrt() * noise, t), noise)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(self.net.parameters(), 1.0)
            opt.step()
            steps += 1
        return steps, time.perf_counter() - t0

    @torch.no_grad()
    def sample(self, n, seed=0):
        g = torch.Generator().manual_seed(seed)
        x = torch.randn(n, 2, generator=g)
        for i in reversed(range(self.T)):
            eps = self.net(x, torch.full((n,), i))
            ab, ab_prev = self.ab[i], (self.ab[i - 1] if i > 0 else torch.tensor(1.0))
            x0 = (x - (1 - ab).sqrt() * eps) / ab.sqrt()
            mean = (ab_prev.sqrt() * self.betas[i] * x0 + self.alphas[i].sqrt() * (1 - ab_prev) * x) / (1 - ab)
            if i > 0:
                var = self.betas[i] * (1 - ab_prev) / (1 - ab)
                x = mean + var.clamp_min(1e-20).sqrt() * torch.randn(n, 2, generator=g)
            else:
                x = mean
        return x


# ------------------------------------------------------------------ the run
def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=2500)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--digit-steps", type=int, default=2000)
    args = ap.parse_args()
    torch.set_num_threads(1)   # small MLPs: one thread is several times faster than two on this machine
    torch.manual_seed(args.seed)
    train = moons(8000, generator=torch.Generator().manual_seed(args.seed))
    held = [moons(1000, generator=torch.Generator().manual_seed(100 + k)) for k in range(4)]
    floor = sum(emd(held[k], held[k + 1]) for k in range(3)) / 3
    test = held[0]
    print(f"two moons, n = 1,000: real-vs-real EMD floor {floor:.4f} (mean of 3 pairs)\n")

    model = make_ddpm("points")
    t0, c0 = time.perf_counter(), time.process_time()
    _, ema = train_ddpm(model, train, steps=args.steps, batch_size=128, lr=3e-3, progress=False,
                      generator=torch.Generator().manual_seed(args.seed))
    course_s, course_cpu = time.perf_counter() - t0, time.process_time() - c0

    ref = TinyDDPM()
    ref_steps, ref_s = ref.train_for(train, seconds=course_s, seed=args.seed)

    rows = []
    for label, kw in [("DDPM ancestral", {}), ("DDIM 50", dict(method="ddim", steps=50)),
                      ("DDIM 25", dict(method="ddim", steps=25)), ("DDIM 10", dict(method="ddim", steps=10))]:
        t1 = time.perf_counter()
        x = ema.sample(1000, generator=torch.Generator().manual_seed(7), **kw)
        rows.append(("course", label, kw.get("steps", ema.schedule.T), time.perf_counter() - t1, emd(x, test)))
    t1 = time.perf_counter()
    x = ref.sample(1000, seed=7)
    rows.append(("tiny reference", "DDPM ancestral", ref.T, time.perf_counter() - t1, emd(x, test)))

    width, blocks = model.net.inp.out_features, len(model.net.blocks)
    print(f"course:    make_ddpm('points') linear T=1000, EpsMLP {width}x{blocks}, EMA 0.995, one-cycle lr 3e-3, batch 128: "
          f"{args.steps} steps in {course_s:.1f} s wall, {course_cpu:.1f} s CPU (wall > CPU: other load on the machine)")
    print(f"reference: tiny-diffusion defaults (MLP 128, T=50 linear, batch 32, AdamW 1e-3): "
          f"{ref_steps} steps in {ref_s:.1f} s (same wall time)\n")
    print(f"{'model':15s} {'sampler':15s} {'evals':>6s} {'s / 1,000 samples':>18s} {'EMD':>7s} {'× floor':>8s}")
    for who, label, nfe, sec, d in rows:
        print(f"{who:15s} {label:15s} {nfe:6d} {sec:18.2f} {d:7.4f} {d / floor:8.2f}")
    r = {label: d / floor for who, label, _, _, d in rows if who == "course"}
    ref_ratio = rows[-1][4] / floor
    print(f"\ngoals: course DDPM ≤ 1.5× in ≤ 20 s: {r['DDPM ancestral']:.2f}× in {course_s:.1f} s wall / "
          f"{course_cpu:.1f} s CPU ({'met' if r['DDPM ancestral'] <= 1.5 and min(course_s, course_cpu) <= 20 else 'NOT met'}); "
          f"DDIM 25 ≤ 2×: {r['DDIM 25']:.2f}× ({'met' if r['DDIM 25'] <= 2 else 'NOT met'}); "
          f"DDIM 10 ≤ 3×: {r['DDIM 10']:.2f}× ({'met' if r['DDIM 10'] <= 3 else 'NOT met'})")
    print(f"course / reference EMD ratio: {r['DDPM ancestral'] / ref_ratio:.2f} (reference {ref_ratio:.2f}× floor)")

    digits = data.load_digits()
    n = len(digits.x_test)
    feats_test = digits_features(digits.x_test)
    floor_fid = fid_floor(digits_features(digits.x_train), n, reference=feats_test).mean
    print(f"\ndigits 8x8, classifier-FID floor at n = {n}: {floor_fid:.3f}; goal ≤ 2× the floor")
    for name, kw_model in [("make_ddpm('digits') (cosine, 256 wide)", {}), ("the same, 512 wide", {"hidden": 512})]:
        torch.manual_seed(args.seed)
        dmodel = make_ddpm("digits", **kw_model)
        t0, c0 = time.perf_counter(), time.process_time()
        _, dema = train_ddpm(dmodel, digits.x_train, steps=args.digit_steps, batch_size=128, lr=2e-3, progress=False,
                           generator=torch.Generator().manual_seed(args.seed))
        dsec, dcpu = time.perf_counter() - t0, time.process_time() - c0
        print(f"{name}: {args.digit_steps} steps in {dsec:.1f} s wall, {dcpu:.1f} s CPU")
        print(f"  {'sampler':15s} {f's / {n} samples':>16s} {'FID':>8s} {'× floor':>8s}")
        for label, kw in [("DDPM ancestral", {}), ("DDIM 50", dict(method="ddim", steps=50)),
                          ("DDIM 10", dict(method="ddim", steps=10))]:
            t1 = time.perf_counter()
            x = dema.sample(n, generator=torch.Generator().manual_seed(7), **kw)
            sec = time.perf_counter() - t1
            fid = frechet_distance(digits_features(x), feats_test)
            print(f"  {label:15s} {sec:16.2f} {fid:8.3f} {fid / floor_fid:8.2f}")
    try:
        shipped = pretrained.digits_ddpm()
        meta = checkpoints.manifest("diffusion_digits")
    except checkpoints.CheckpointError as err:
        print(f"shipped diffusion_digits: not available ({err})")
        return
    print(f"shipped diffusion_digits (same architecture, {meta['config']['steps']} steps in "
          f"{meta['train_seconds']:.0f} s by scripts/train_diffusion.py):")
    print(f"  {'sampler':15s} {f's / {n} samples':>16s} {'FID':>8s} {'× floor':>8s}")
    for label, kw in [("DDIM 50", dict(method="ddim", steps=50)), ("DDIM 10", dict(method="ddim", steps=10))]:
        t1 = time.perf_counter()
        x = shipped.sample(n, generator=torch.Generator().manual_seed(7), **kw)
        sec = time.perf_counter() - t1
        fid = frechet_distance(digits_features(x), feats_test)
        print(f"  {label:15s} {sec:16.2f} {fid:8.3f} {fid / floor_fid:8.2f}")
        if label == "DDIM 50":
            print(f"  (goal ≤ 2× the floor: {'met' if fid / floor_fid <= 2 else 'NOT met'})")


if __name__ == "__main__":
    main()
