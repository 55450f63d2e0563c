"""Training a DDPM: AdamW, a one-cycle learning rate and an exponential moving average (notebook 07).

The loss of a diffusion model is noisy (a random t and ε per example), so the weights keep jittering
around a good solution; sampling from their exponential moving average θ̄ ← d·θ̄ + (1 − d)·θ
smooths that out at no training cost (DDPM used d = 0.9999 over 800k steps; a few thousand steps need
d ≈ 0.995). Built on the course's :func:`course_lib.training.fit` through its ``optimizer`` and
``callback`` hooks, so progress bars, divergence checks and the history behave as everywhere else.
"""
from __future__ import annotations

import copy

import torch

from .._checks import check_float, check_int
from ..training import History, fit
from .ddpm import DDPM

__all__ = ["fit_ddpm"]


def fit_ddpm(model: DDPM, data, *, steps: int, batch_size: int = 128, lr: float = 3e-3, ema: float | None = 0.995,
             warmup: float = 0.1, generator: torch.Generator | None = None, progress: bool = True,
             desc: str | None = None) -> tuple[History, DDPM]:
    """Train ``model`` in place; return ``(history, averaged)`` where ``averaged`` is the EMA copy to sample from.

    Args:
        data: (N, ...) tensor, or a tuple (x, y) for a class-conditional model.
        lr: peak learning rate of the one-cycle schedule (``warmup`` fraction of steps rising to it, then
            cosine annealing to ~0).
        ema: decay d of the moving average (None: ``averaged`` is ``model`` itself). The effective decay
            is min(d, (1 + i)/(10 + i)) at step i so early averages are not dominated by the initial weights.
    """
    if not isinstance(model, DDPM):
        raise TypeError(f"fit_ddpm: model must be a course_lib.diffusion.DDPM, got {type(model).__name__}")
    steps = check_int(steps, "steps", min_value=1)
    lr = check_float(lr, "lr", min_value=0.0, strict_min=True)
    warmup = check_float(warmup, "warmup", min_value=0.0, max_value=0.99)
    if ema is not None:
        ema = check_float(ema, "ema", min_value=0.0, max_value=1.0)
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps, pct_start=max(warmup, 1e-3))
    averaged = copy.deepcopy(model).requires_grad_(False) if ema is not None else model
    pairs = list(zip(averaged.parameters(), model.parameters())) if ema is not None else []
    calls = [0]

    def callback(step, metrics):
        if calls[0] < steps - 1:     # OneCycleLR allows exactly `steps` values, the first set at construction
            sched.step()
        if pairs:
            d = min(ema, (1 + calls[0]) / (10 + calls[0]))
            with torch.no_grad():
                for pa, p in pairs:
                    pa.lerp_(p, 1 - d)
        calls[0] += 1

    history = fit(model, data, steps=steps, batch_size=batch_size, lr=lr, optimizer=opt, callback=callback,
                  generator=generator, progress=progress, desc=desc or "DDPM")
    averaged.eval()
    return history, averaged
