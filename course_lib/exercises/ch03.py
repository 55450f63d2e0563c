"""Auto-checked exercises of 03_autoencoder_family.

Every checker takes a function and runs it on cases of its own (brute-force minimisation on a grid, torch's own
layers, 20,000 corrupted images), so no loop over candidate numbers can pass it. Reference solutions:
``solutions/ch03.py``; ``tests/test_exercises_ch03.py`` checks them, typical mistakes and random guesses.
"""
from __future__ import annotations

import torch

from course_lib.exercises import check, check_own

__all__ = ["check_prox_elastic", "check_masking_with_clean_fraction", "check_receptive_field"]


def check_prox_elastic(answer) -> bool | None:
    """Exercise 1: ``answer(a, lam, mu)`` = argmin_z ½(z − a)² + λ|z| + (μ/2) z², elementwise for a tensor a
    (the elastic-net penalty: a kink and a smooth part together). Checked against a brute-force grid search."""
    a = torch.tensor([-3.0, -1.2, -0.5, -0.1, 0.0, 0.3, 0.6, 1.1, 2.5], dtype=torch.float64)
    grid = torch.linspace(-4, 4, 80001, dtype=torch.float64)

    def brute(lam, mu):
        obj = 0.5 * (grid[None] - a[:, None]) ** 2 + lam * grid.abs()[None] + 0.5 * mu * grid[None] ** 2
        return grid[obj.argmin(1)]

    def ok(fn):
        for lam, mu in ((0.5, 0.0), (0.4, 1.0), (1.0, 0.25), (0.0, 2.0)):
            got = torch.as_tensor(fn(a.clone(), lam, mu), dtype=torch.float64)
            if got.shape != a.shape or not torch.allclose(got, brute(lam, mu), atol=2e-4):
                return False
        return True

    return check(answer, ok, "for z ≠ 0 the objective is smooth: set its derivative to zero on each side; at z = 0 "
                             "ask when the subgradient interval of λ|z| contains the slope of the rest",
                 "the kink still zeroes small coordinates; the smooth part then shrinks the survivors by a factor")


def check_masking_with_clean_fraction(answer) -> bool | None:
    """Exercise 2 (write a piece of a model: the corruption process M_D^q): ``answer(x, p, q, generator)`` returns
    x̃ with x's shape: each object (row of the first dimension) is left clean with probability q; otherwise each
    of its pixels is set to 0 independently with probability p. All randomness from ``generator``.

    Passes when, on 20,000 images of 50 pixels, the fraction of clean objects and the fraction of zeroed pixels
    inside corrupted objects are within 4 standard errors of q and p, kept pixels are unchanged, and a seed
    fixes the result."""

    def ok(fn):
        n, d = 20_000, 50
        x = torch.rand(n, 1, 5, 10, generator=torch.Generator().manual_seed(0)) + 0.5      # no zeros in x
        for p, q in ((0.5, 0.25), (0.2, 0.6)):
            xt = torch.as_tensor(fn(x.clone(), p, q, torch.Generator().manual_seed(1)))
            if xt.shape != x.shape:
                return False
            xf, tf = x.reshape(n, d), xt.reshape(n, d)
            if not ((tf == 0) | (tf == xf)).all():
                return False                                  # a pixel is either kept exactly or zeroed
            zeros = (tf == 0).sum(1)
            clean = zeros == 0
            # a corrupted object can still lose no pixel, with probability (1 − p)^d: negligible here
            q_hat = clean.float().mean()
            if abs(q_hat - q) > 4 * (q * (1 - q) / n) ** 0.5 + (1 - p) ** d:
                return False
            p_hat = zeros[~clean].float().sum() / ((~clean).sum() * d)
            if abs(p_hat - p) > 4 * (p * (1 - p) / ((~clean).sum() * d)) ** 0.5 + 1e-3:
                return False
            xt2 = torch.as_tensor(fn(x.clone(), p, q, torch.Generator().manual_seed(1)))
            if not torch.equal(xt, xt2):
                return False
        return True

    return check(answer, ok, "two independent coin flips of different sizes: one per object (clean or not), one "
                             "per pixel (kept or not); combine them so that a clean object keeps every pixel",
                 "M_D^q = q δ(x̃ − x) + (1 − q) M_D: a quarter of clean inputs keeps the DAE at home on clean digits")


def check_receptive_field(answer) -> bool | None:
    """Exercise 3: ``answer(layers) -> int``: the side of the square of input pixels that one output unit of a
    stack of convolutions depends on, for ``layers`` a list of ``(kernel_size, stride)`` pairs, first layer
    first (no dilation). Compared with the pixels a unit's gradient actually reaches in torch's layers; refuses
    answers that build layers or call autograd (find the rule)."""
    stacks = [[(3, 1)], [(3, 2)], [(3, 2), (3, 2)], [(5, 1), (3, 2), (3, 1)], [(4, 2), (4, 2), (3, 1), (3, 2)],
              [(7, 3), (2, 2)], [(1, 1), (3, 1), (3, 1), (3, 1)]]

    def measured(layers):
        net = torch.nn.Sequential(*[torch.nn.Conv2d(1, 1, k, s, bias=False) for k, s in layers])
        for conv in net:
            torch.nn.init.ones_(conv.weight)
        x = torch.zeros(1, 1, 96, 96, requires_grad=True)
        y = net(x)
        y[0, 0, y.shape[-2] // 2, y.shape[-1] // 2].backward()
        rows = torch.nonzero(x.grad[0, 0].abs().sum(1)).flatten()
        return int(rows.max() - rows.min() + 1)

    def ok(fn):
        return all(int(fn(list(layers))) == measured(layers) for layers in stacks)

    return check_own(answer, ok,
                     "one unit sees k pixels of the layer below; each of those sees k more, spaced by the strides "
                     "of all the layers below it: add up (k − 1) times the product of the earlier strides",
                     "strides multiply the reach of every later layer: that is how a small conv net sees a whole digit",
                     names=("Conv2d", "backward", "autograd", "nn.Sequential"))
