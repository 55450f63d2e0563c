"""RMSprop and Adam over all of a network's tensors as one flat vector: the live trainer's optimisers (05, 06).

A frame of the live trainer (:mod:`course_lib.gans.live_training`) is 40-120 updates of networks with about
ten small tensors each. For such steps PyTorch's optimisers spend most of their time in bookkeeping: Python
around the update, a step counter per tensor, one kernel call per tensor and per operation on the CPU. Here
the gradients are concatenated into one vector (P,), the update rule runs as a handful of whole-vector
operations on it, and one batched call adds the result back into the parameters. The update rule is
PyTorch's, operation for operation (``tests/test_gan_live_training.py`` checks the parameters against
``torch.optim.RMSprop`` / ``torch.optim.Adam`` after many steps).

Why it is kept (issue 24 asked to remove it if PyTorch's optimisers, ``fused``/``foreach``, perhaps with a
smaller frame or fewer critic steps, kept the trainer at >= 10 frames/s at 20 generator steps per frame for
every loss). Measured 2026-12-07 with ``benchmarks/widgets_ch05.py`` (both optimisers interleaved in one run;
CPU time of one torch thread on the course's shared 2-core x86-64 machine, AVX-512, torch 2.14): training
time of a frame, PyTorch's (Adam ``fused=True``, RMSprop ``foreach=True``: PyTorch has no fused RMSprop) over
these, and frames/s (training + picture, ~14 ms) with these / with PyTorch's:

=================================== ========== ============= =============
loss                                PyTorch's  frames/s here frames/s torch
                                    / flat
=================================== ========== ============= =============
minimax, non-saturating, LSGAN      1.03-1.12  17-18         16-18
non-saturating + R1 + EMA           1.13       15.0          13.7
WGAN (weight clipping, 5 critic)    1.37       8.4           6.4
WGAN-GP, WGAN-GP + EMA (2 critic)   1.11-1.13  8.0-8.6       7.3-7.8
=================================== ========== ============= =============

Fewer critic steps would bring the WGANs above 10 frames/s with PyTorch's optimisers (weight clipping at 2:
13 frames/s, WGAN-GP at 1: 14), but then they stop learning the ring live (1,000 generator steps, seeds 0-2:
weight clipping ends at 0-5/8 modes against 5-7/8 at 5 critic steps; WGAN-GP at 1 critic step leaves seed 1 on one
mode, at 2 all three seeds reach 8/8). So PyTorch's optimisers keep no setting at 10 frames/s for every
loss; these keep the Adam losses 3-13 % faster and weight clipping, the slowest frame, 37 % faster (the
WGANs stay under 10 frames/s on this machine either way: lower "G steps per frame" for them).

Only what the trainer needs: no momentum, centring, weight decay, AMSGrad or ``maximize``
(:func:`flat_like` refuses an optimiser that uses any of them), one learning rate per optimiser
(``param_groups[0]["lr"]``, which the trainer's knobs set), and no ``state_dict``. Training through
:func:`course_lib.training.fit` (learning-rate schedules) keeps PyTorch's optimisers.
"""
from __future__ import annotations

import math

import torch

from course_lib._checks import check_float

__all__ = ["FlatRMSprop", "FlatAdam", "flat_like"]


class _Flat:
    def __init__(self, params, lr: float):
        self.params = [p for p in params]
        if not self.params or not all(isinstance(p, torch.Tensor) and p.is_floating_point() for p in self.params):
            raise ValueError(f"{type(self).__name__}: params must be a non-empty sequence of floating-point tensors")
        lr = check_float(lr, f"{type(self).__name__}: lr", min_value=0.0, strict_min=True)
        self.param_groups = [{"params": self.params, "lr": lr}]   # torch.optim's layout, for the knobs
        self._sizes = [p.numel() for p in self.params]

    def _zeros(self) -> torch.Tensor:  # (P,) a state vector
        return torch.zeros(sum(self._sizes), dtype=self.params[0].dtype, device=self.params[0].device)

    def _grad(self) -> torch.Tensor:  # (P,) all gradients, in parameter order (a missing one counts as 0)
        return torch.cat([(p.grad if p.grad is not None else torch.zeros_like(p)).reshape(-1) for p in self.params])

    def _apply(self, update: torch.Tensor) -> None:  # params += update, update (P,)
        torch._foreach_add_(self.params, [u.view_as(p) for u, p in zip(update.split(self._sizes), self.params)])


class FlatRMSprop(_Flat):
    """RMSprop: v ← αv + (1 − α)g², θ ← θ − lr·g / (√v + ε), on the flat vector of all tensors."""

    def __init__(self, params, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8):
        super().__init__(params, lr)
        self.alpha = check_float(alpha, "FlatRMSprop: alpha", min_value=0.0, max_value=1.0)
        self.eps = check_float(eps, "FlatRMSprop: eps", min_value=0.0, strict_min=True)
        self.square_avg = self._zeros()        # (P,)

    @torch.no_grad()
    def step(self) -> None:
        g = self._grad()
        self.square_avg.mul_(self.alpha).addcmul_(g, g, value=1 - self.alpha)
        # (−lr·g) / (√v + ε): the order of operations of PyTorch's addcdiv_, so the same rounding
        self._apply(g.mul_(-self.param_groups[0]["lr"]).div_(self.square_avg.sqrt().add_(self.eps)))


class FlatAdam(_Flat):
    """Adam: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², θ ← θ − lr/(1 − β₁ᵗ) · m / (√v/√(1 − β₂ᵗ) + ε)."""

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8):
        super().__init__(params, lr)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise TypeError(f"FlatAdam: betas must be a pair (β1, β2), got {betas!r}")
        self.beta1, self.beta2 = (check_float(b, "FlatAdam: betas", min_value=0.0, max_value=1.0) for b in betas)
        if self.beta2 == 1.0:
            raise ValueError("FlatAdam: betas[1] must be < 1 (the bias correction divides by 1 − β2ᵗ)")
        self.eps = check_float(eps, "FlatAdam: eps", min_value=0.0, strict_min=True)
        self.exp_avg, self.exp_avg_sq, self.t = self._zeros(), self._zeros(), 0   # (P,), (P,)

    @torch.no_grad()
    def step(self) -> None:
        g = self._grad()
        self.t += 1
        self.exp_avg.lerp_(g, 1 - self.beta1)
        self.exp_avg_sq.mul_(self.beta2).addcmul_(g, g, value=1 - self.beta2)
        step_size = self.param_groups[0]["lr"] / (1 - self.beta1 ** self.t)
        denom = self.exp_avg_sq.sqrt().div_(math.sqrt(1 - self.beta2 ** self.t)).add_(self.eps)
        self._apply(self.exp_avg.mul(-step_size).div_(denom))


def flat_like(opt: torch.optim.Optimizer) -> FlatRMSprop | FlatAdam:
    """The flat optimiser with ``opt``'s parameters and settings (an RMSprop or Adam with one group)."""
    if not isinstance(opt, (torch.optim.RMSprop, torch.optim.Adam)) or len(opt.param_groups) != 1:
        raise TypeError(f"flat_like: opt must be a torch.optim.RMSprop or Adam with one parameter group, "
                        f"got {type(opt).__name__}")
    g = opt.param_groups[0]
    unsupported = {k: g[k] for k in ("weight_decay", "momentum", "centered", "amsgrad", "maximize") if g.get(k)}
    if unsupported:
        raise ValueError(f"flat_like: {type(opt).__name__} settings not supported by the flat optimisers: {unsupported}")
    if isinstance(opt, torch.optim.RMSprop):
        return FlatRMSprop(g["params"], g["lr"], alpha=g["alpha"], eps=g["eps"])
    return FlatAdam(g["params"], g["lr"], betas=g["betas"], eps=g["eps"])
