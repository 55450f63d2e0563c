"""Auto-checked exercises of 03_autoencoder_family (reference solutions: tests/test_exercises_ch03.py)."""
from __future__ import annotations

import torch

from course_lib.exercises import check

__all__ = ["check_prox_l1", "check_group_shrink", "check_conv_parameters"]


def _agrees(fn, x: torch.Tensor, lams, want) -> bool:
    """Whether ``fn(x, lam)`` has x's shape and equals ``want(lam)`` (to 1e-8) for every lam."""
    for lam in lams:
        got = torch.as_tensor(fn(x.clone(), lam), dtype=torch.float64)
        if got.shape != x.shape or not torch.allclose(got, want(lam), atol=1e-8):
            return False
    return True


def check_prox_l1(answer) -> bool | None:
    """Exercise 1: ``answer(a, lam)`` = argmin_z ½(z - a)² + λ|z| elementwise (the soft threshold)."""

    def ok(fn):
        a = torch.tensor([-3.0, -1.0, -0.4, 0.0, 0.25, 0.5, 0.7, 2.0], dtype=torch.float64)
        return _agrees(fn, a, (0.5, 1.2), lambda lam: torch.sign(a) * (a.abs() - lam).clamp_min(0))

    return check(answer, ok, "at z = 0 the subgradient of λ|z| is [-λ, λ], so |a| ≤ λ gives exactly 0; "
                             "otherwise move a towards 0 by λ.",
                 "the soft threshold sign(a)·max(|a| − λ, 0): the kink of |z| produces exact zeros.")


def check_group_shrink(answer) -> bool | None:
    """Exercise 2: ``answer(R, lam)`` = argmin_S ½||R - S||² + λ Σ_i ||s_i||_2 (rows are objects)."""

    def ok(fn):
        g = torch.Generator().manual_seed(3)
        R = torch.randn(7, 5, generator=g, dtype=torch.float64)
        R[[1, 4]] *= 0.05                     # rows with a small norm must become exactly 0
        return _agrees(fn, R, (0.8, 1.5), lambda lam: R * (1 - lam / R.norm(dim=1, keepdim=True)).clamp_min(0))

    return check(answer, ok, "the problem splits over rows; for one row the minimiser keeps the direction of r_i "
                             "and shortens it by λ, or is 0 when ||r_i|| ≤ λ (shrink the norm, not each entry).",
                 "s_i = r_i · max(0, 1 − λ/||r_i||): whole objects are set to zero, a kink that selects objects.")


def check_conv_parameters(answer, c_in: int = 16, c_out: int = 32, k: int = 5) -> bool | None:
    """Exercise 3: the number of parameters of ``nn.Conv2d(c_in, c_out, k)`` (weights and biases)."""
    want = c_in * c_out * k * k + c_out

    def ok(a):
        if isinstance(a, bool) or not float(a).is_integer():
            return False
        return int(a) == want

    return check(answer, ok, "one k×k kernel per (input channel, output channel) pair, plus one bias per output "
                             "channel; the image size does not enter.",
                 f"{want} parameters, shared over every position of the image.")
