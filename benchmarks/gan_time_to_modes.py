"""Time for each GAN loss to cover 8/8 ring modes with ≥ 90 % high-quality samples (05/06).

Side by side in one run, seed by seed (the machine is shared, so compare ratios): the plain references,
a textbook loop written here (3×128 ReLU MLPs, batch 256; non-saturating GAN with Adam 1e-3, betas
(0.5, 0.999); WGAN-GP with Adam 1e-4, betas (0.5, 0.9), 5 critic steps, λ = 10) and the course's models
(``course_lib.gans.model.make_gan``: the plain settings of each loss, and ``stable=True``, the averaged
generator and R1 penalty taught in 05). Training time excludes the evaluations (2,500 samples every 50 generator
steps), which cost the same for every model. Also reports the EMD widget's update latency.

    .venv/bin/python benchmarks/gan_time_to_modes.py [--seeds 0 1 2 3 4] [--budget 60] [--losses nonsaturating]
"""
from __future__ import annotations

import argparse
import math
import statistics
import time

import torch
from torch import nn
from torch.nn import functional as F

from course_lib import data
from course_lib.gans import STABLE, make_gan
from course_lib.gans import LOSSES
from course_lib.evaluation import mode_coverage

CENTERS, STD = data.ring_centers(8), 0.02


class PlainReference(nn.Module):
    """The textbook training loop the course is compared with, written independently of course_lib.gans.model.

    3×128 ReLU MLPs for G (z ∈ R², N(0, I)) and D; default (for-loop) Adam; D scores real and fake in two
    passes; the generator step backpropagates through D's weights too (their gradients are discarded).
    Non-saturating GAN (Goodfellow et al., 2014) or WGAN-GP (Gulrajani et al., 2017, Algorithm 1).
    """

    def __init__(self, loss: str):
        super().__init__()

        def net(i, o):
            return nn.Sequential(nn.Linear(i, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                                 nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, o))

        self.G, self.D, self.loss = net(2, 2), net(2, 1), loss
        self.n_critic = 5 if loss == "wgan-gp" else 1

    def configure_optimizers(self, lr):
        betas = (0.5, 0.9) if self.loss == "wgan-gp" else (0.5, 0.999)
        return {"d": torch.optim.Adam(self.D.parameters(), lr=lr, betas=betas),
                "g": torch.optim.Adam(self.G.parameters(), lr=lr, betas=betas)}

    @torch.no_grad()
    def sample(self, n, generator=None):
        return self.G(torch.randn(n, 2, generator=generator))

    def train_step(self, batch, opts):
        for real in batch.chunk(self.n_critic):
            fake = self.G(torch.randn(len(real), 2)).detach()
            if self.loss == "wgan-gp":
                eps = torch.rand(len(real), 1)
                x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
                (grad,) = torch.autograd.grad(self.D(x_hat).sum(), x_hat, create_graph=True)
                d_loss = self.D(fake).mean() - self.D(real).mean() + 10.0 * ((grad.norm(dim=1) - 1) ** 2).mean()
            else:
                d_loss = (F.binary_cross_entropy_with_logits(self.D(real), torch.ones(len(real), 1))
                          + F.binary_cross_entropy_with_logits(self.D(fake), torch.zeros(len(real), 1)))
            opts["d"].zero_grad()
            d_loss.backward()
            opts["d"].step()
        scores = self.D(self.G(torch.randn(len(real), 2)))
        g_loss = -scores.mean() if self.loss == "wgan-gp" else F.binary_cross_entropy_with_logits(
            scores, torch.ones_like(scores))
        opts["g"].zero_grad()
        g_loss.backward()
        opts["g"].step()


def reference(loss: str):
    """The plain setups of the brief as (model, lr); None for losses without a stated reference."""
    if loss == "nonsaturating":
        return PlainReference(loss), 1e-3
    if loss == "wgan-gp":
        return PlainReference(loss), 1e-4
    return None


def time_to_modes(model, lr: float, *, seed: int, budget: float, eval_every: int = 50,
                  batch: int = 256, hq: float = 0.9) -> tuple[float | None, int, tuple]:
    """Training seconds until 8/8 modes and ≥ hq high-quality (None if not within ``budget`` seconds)."""
    gen = torch.Generator().manual_seed(seed)
    eval_gen = torch.Generator().manual_seed(seed + 1)
    opts = model.configure_optimizers(lr)
    train_s, step, cov = 0.0, 0, (0, 0.0)
    while train_s < budget:
        t0 = time.perf_counter()
        for _ in range(eval_every):
            model.train_step(data.gaussian_ring(batch * model.n_critic, std=STD, generator=gen), opts)
        train_s += time.perf_counter() - t0
        step += eval_every
        cov = mode_coverage(model.sample(2500, generator=eval_gen), CENTERS, STD)
        if cov.modes == 8 and cov.high_quality >= hq:
            return train_s, step, cov
    return None, step, cov


def emd_latency() -> float:
    from course_lib.widgets.emd import EMDView

    view = EMDView(n=200)
    values = [{"shift": 0.1 * (i % 30), "scale": 0.5 + 0.05 * (i % 20)} for i in range(40)]
    from course_lib.widgets import median_latency_ms

    return median_latency_ms(view.update, values)


def _median(times: list) -> float | None:
    """Median over seeds, a run that never got there counting as slower than every other (None if that is the median)."""
    m = statistics.median([math.inf if t is None else t for t in times])
    return None if math.isinf(m) else m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    ap.add_argument("--budget", type=float, default=60.0, help="seconds of training per run before giving up")
    ap.add_argument("--losses", nargs="+", default=list(LOSSES))
    args = ap.parse_args()
    torch.set_num_threads(1)  # small MLPs: threads only add overhead, and runs stay comparable

    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread; seconds of training to 8/8 ring modes "
          f"with >= 90 % high-quality samples (2,500 samples every 50 generator steps)", flush=True)
    medians = {}
    for loss in args.losses:
        builders = {}
        if reference(loss) is not None:
            builders["reference"] = lambda: reference(loss)
        builders["course"] = lambda: (lambda m: (m, m.default_lr))(make_gan(loss))
        if loss in STABLE:
            builders["course, stable"] = lambda: (lambda m: (m, m.default_lr))(make_gan(loss, stable=True))
        times = {label: [] for label in builders}
        # Seed by seed, the reference and the course models back to back: they see the same machine load.
        for seed in args.seeds:
            for label, build in builders.items():
                torch.manual_seed(seed)
                t, step, cov = time_to_modes(*build(), seed=seed, budget=args.budget)
                times[label].append(t)
                print(f"  {loss:14s} {label:15s} seed {seed}: "
                      f"{('%.1f s' % t) if t is not None else 'not reached'} at step {step} "
                      f"({cov[0]}/8 modes, {cov[1]:.2f} HQ)", flush=True)
        for label, ts in times.items():
            medians[(loss, label)] = _median(ts)
    print("\nmedian over seeds (a run that never got there counts as slowest)")
    print(f"{'loss':14s} {'model':15s} {'median':>10s}  vs reference")
    for loss in args.losses:
        ref = medians.get((loss, "reference"))
        for label in ("reference", "course", "course, stable"):
            if (loss, label) not in medians:
                continue
            v = medians[(loss, label)]
            if label == "reference" or (loss, "reference") not in medians:
                ratio = ""
            elif v is None:
                ratio = "-"
            else:
                ratio = f"{v / ref:.2f}" if ref else f"< {v / args.budget:.2f} (the reference never got there)"
            print(f"{loss:14s} {label:15s} {(f'{v:8.1f} s' if v is not None else '  > budget'):>10s}  {ratio}")
    try:
        print(f"\nEMD widget update latency (n=200, kernel side): median {emd_latency():.1f} ms")
    except ImportError as err:
        print(f"EMD widget not available: {err}")


if __name__ == "__main__":
    main()
