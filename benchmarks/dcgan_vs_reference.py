"""The course's DCGAN (05) beside a plain DCGAN written here from Radford et al. (2016), one run, one CPU thread.

    .venv/bin/python benchmarks/dcgan_vs_reference.py [--steps 3000] [--width 16] [--seed 0]

Reference, from the paper's section 3-4 (not from any code): all-convolutional networks with strided
(transposed) convolutions, batch norm in both networks except the generator's output and the discriminator's
input layer, ReLU in the generator with a tanh output (images in [−1, 1]), LeakyReLU(0.2) in the
discriminator, weights initialised N(0, 0.02), Adam(lr 2e-4, β₁ = 0.5), mini-batches of 128, one discriminator
step per generator step on the non-saturating loss, the discriminator's real and fake batches in separate
passes. The paper's 64×64 layout is cut to 28×28 (7 → 14 → 28), with the course's channel widths (2w, w) so
that the two differ in recipe, not size.

The course's model: :func:`course_lib.gans.make_dcgan` trained by :func:`course_lib.training.fit` with its own
settings (batch 64, sigmoid output, PyTorch's default initialisation, noise of 32 dimensions; the reference
uses the same 32). Both train ``--steps`` generator steps on the bundled MNIST subset.

Quality: classifier-FID of 1,000 samples to 1,000 held-out digits over the real-vs-real floor
(``evaluation.fid_over_floor``), sampling seeds 0-2, every ``--eval-every`` steps and at the end. Cost: CPU
seconds of training (``time.process_time``, the evaluations excluded). The ratios printed are course /
reference, measured in this run.
"""
from __future__ import annotations

import argparse
import time

import torch
import torch.nn.functional as F
from torch import nn

import course_lib
from course_lib import data
from course_lib.evaluation import fid_over_floor, mnist_features
from course_lib.gans import make_dcgan
from course_lib.training import fit

Z = 32


class RefG(nn.Module):
    """z (n, 32) → (n, 1, 28, 28) in [−1, 1]."""

    def __init__(self, w):
        super().__init__()
        self.net = nn.Sequential(
            nn.ConvTranspose2d(Z, 2 * w, 7, bias=False), nn.BatchNorm2d(2 * w), nn.ReLU(True),       # 7×7
            nn.ConvTranspose2d(2 * w, w, 4, 2, 1, bias=False), nn.BatchNorm2d(w), nn.ReLU(True),     # 14×14
            nn.ConvTranspose2d(w, 1, 4, 2, 1), nn.Tanh())                                            # 28×28

    def forward(self, z):
        return self.net(z[:, :, None, None])


class RefD(nn.Module):
    """(n, 1, 28, 28) in [−1, 1] → logits (n,)."""

    def __init__(self, w):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, w, 4, 2, 1), nn.LeakyReLU(0.2, True),                                       # 14×14
            nn.Conv2d(w, 2 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * w), nn.LeakyReLU(0.2, True),  # 7×7
            nn.Conv2d(2 * w, 1, 7))

    def forward(self, x):
        return self.net(x).flatten()


def init_normal(m):
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(m.weight, 0.0, 0.02)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


def train_reference(x_train, steps, w, seed, every, on_eval):
    """Radford et al.'s loop; calls ``on_eval(step, sample_fn)`` every ``every`` steps. → (G, CPU seconds)."""
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    G, D = RefG(w), RefD(w)
    G.apply(init_normal)
    D.apply(init_normal)
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    x_all = x_train.view(-1, 1, 28, 28) * 2 - 1
    cpu, perm, pos = 0.0, torch.randperm(len(x_all), generator=g), 0
    for step in range(1, steps + 1):
        t0 = time.process_time()
        if pos + 128 > len(perm):
            perm, pos = torch.randperm(len(x_all), generator=g), 0
        real, pos = x_all[perm[pos:pos + 128]], pos + 128
        fake = G(torch.randn(128, Z, generator=g))
        ones, zeros = torch.ones(128), torch.zeros(128)
        d_loss = (F.binary_cross_entropy_with_logits(D(real), ones)
                  + F.binary_cross_entropy_with_logits(D(fake.detach()), zeros))
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()
        g_loss = F.binary_cross_entropy_with_logits(D(fake), ones)     # non-saturating: −log D(G(z))
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()
        cpu += time.process_time() - t0
        if step % every == 0 or step == steps:
            G.eval()
            on_eval(step, lambda n, sd: ((G(torch.randn(n, Z, generator=torch.Generator().manual_seed(sd)))
                                          + 1) / 2).view(n, -1).detach())
            G.train()
    return G, cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--width", type=int, default=16)
    ap.add_argument("--eval-every", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    course_lib.setup(seed=args.seed, style=False, threads=1)
    split = data.load_mnist()

    def fid(sample_fn, seeds=(0, 1, 2)):
        with torch.no_grad():
            v = [fid_over_floor(sample_fn(1000, sd), split.x_test[:1000], mnist_features,
                                real_train=split.x_train)["fid_over_floor"] for sd in seeds]
        return sum(v) / len(v)

    curves = {"course": [], "reference": []}

    # the course's DCGAN through fit; the evaluation's time is taken out of the CPU count
    model = make_dcgan(Z, args.width)
    eval_cpu = [0.0]

    def course_eval(step, _metrics):
        if step % args.eval_every == 0 or step == args.steps:
            t0 = time.process_time()
            model.G.eval()
            curves["course"].append((step, fid(lambda n, sd: model.G(
                torch.randn(n, Z, generator=torch.Generator().manual_seed(sd))).view(n, -1))))
            model.G.train()
            eval_cpu[0] += time.process_time() - t0

    t0 = time.process_time()
    fit(model, split.x_train, steps=args.steps, batch_size=64, callback=course_eval, progress=False,
        generator=torch.Generator().manual_seed(args.seed))
    course_cpu = time.process_time() - t0 - eval_cpu[0]

    _, ref_cpu = train_reference(split.x_train, args.steps, args.width, args.seed, args.eval_every,
                                 lambda step, fn: curves["reference"].append((step, fid(fn))))
    print(f"torch {torch.__version__}, one thread, {args.steps} generator steps, width {args.width}; "
          "FID / floor at n = 1,000 (mean of sampling seeds 0-2)")
    print(f"{'step':>6} {'course':>8} {'reference':>10}")
    for (s, a), (_, b) in zip(curves["course"], curves["reference"]):
        print(f"{s:>6} {a:>8.2f} {b:>10.2f}")
    (_, fc), (_, fr) = curves["course"][-1], curves["reference"][-1]
    print(f"training CPU s: course {course_cpu:.1f} ({1000 * course_cpu / args.steps:.1f} ms/step, batch 64), "
          f"reference {ref_cpu:.1f} ({1000 * ref_cpu / args.steps:.1f} ms/step, batch 128)")
    print(f"ratios, course / reference: training time {course_cpu / ref_cpu:.2f}×, final FID/floor {fc / fr:.2f}×")


if __name__ == "__main__":
    main()
