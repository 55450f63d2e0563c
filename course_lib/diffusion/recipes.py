"""Training a DDPM: the course's recipe on top of :func:`course_lib.training.fit` (notebook 07).

The loss of a diffusion model is noisy (a random t and ε per example), so the weights keep jittering around
a good solution; sampling from their exponential moving average θ̄ ← d·θ̄ + (1 − d)·θ smooths that out at no
training cost (DDPM used d = 0.9999 over 800k steps; a few thousand steps need d ≈ 0.995). ``fit`` owns the
loop, the one-cycle schedule and the average; this recipe only chooses the settings (AdamW, one-cycle with
10 % warm-up, EMA 0.995), measured on two moons in ``benchmarks/diffusion.py``.
"""
from __future__ import annotations

import torch

from course_lib._checks import check_float, check_int
from course_lib.nn import ema_of
from course_lib.training import History, fit
from course_lib.diffusion.ddpm import DDPM

__all__ = ["train_ddpm"]


def train_ddpm(model: DDPM, data, *, steps: int, batch_size: int = 128, lr: float = 3e-3, ema: float | None = 0.995,
             warmup: float = 0.1, schedule: str = "one_cycle", grad_clip: float | None = None, device=None,
             generator: torch.Generator | None = None, progress: bool = True,
             desc: str | None = None) -> tuple[History, DDPM]:
    """Train ``model`` in place; return ``(history, averaged)``, ``averaged`` the EMA copy to sample from.

    Args:
        data: (N, ...) tensor, or a tuple (x, y) for a class-conditional model.
        lr: peak learning rate of the one-cycle schedule (``warmup`` fraction of steps rising to it, then
            cosine decay).
        ema: decay of the moving average (None: ``averaged`` is ``model`` itself).
        schedule, grad_clip, device: passed to :func:`course_lib.training.fit` (the U-Net script uses
            "warmup_cosine", a clip of 1 and the device of ``course_lib.setup()``).
    """
    if not isinstance(model, DDPM):
        raise TypeError(f"train_ddpm: model must be a course_lib.diffusion.DDPM, got {type(model).__name__}")
    steps = check_int(steps, "train_ddpm: steps", min_value=1)
    lr = check_float(lr, "train_ddpm: lr", min_value=0.0, strict_min=True)
    if ema is not None:
        ema = check_float(ema, "train_ddpm: ema", min_value=0.0, max_value=1.0, strict_min=True)
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    average = ema_of(model, ema) if ema is not None and ema < 1 else None
    history = fit(model, data, steps=steps, batch_size=batch_size, lr=lr, optimizer=opt, schedule=schedule,
                  warmup=warmup, grad_clip=grad_clip, device=device, ema=average, generator=generator,
                  progress=progress, desc=desc or "DDPM")
    averaged = average.module if average is not None else model
    averaged.eval()
    return history, averaged
