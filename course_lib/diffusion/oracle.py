"""The optimal ε-predictor for Gaussian data, in closed form: a sampler test without training (notebook 07).

If x_0 ~ N(m, s² I) then x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε is jointly Gaussian with ε, and the minimiser of the
training loss E‖ε − ε̂(x_t, t)‖² is the conditional mean

    ε*(x_t, t) = E[ε | x_t] = √(1 − ᾱ_t) · (x_t − √ᾱ_t m) / (ᾱ_t s² + 1 − ᾱ_t).

(Cov(ε, x_t) = √(1 − ᾱ_t) I and Var(x_t) = (ᾱ_t s² + 1 − ᾱ_t) I.) A sampler driven by ε* must return
N(m, s² I) up to its own discretisation error; any other mismatch is a sampler bug or a schedule that
does not reach N(0, I), never a training problem. The score is ∇ log q_t(x_t) = −ε*/√(1 − ᾱ_t).
"""
from __future__ import annotations

import torch

from course_lib._checks import as_tensor, check_float
from course_lib.diffusion.schedules import NoiseSchedule, _check_t, _per_row

__all__ = ["GaussianOracle"]


class GaussianOracle:
    """ε*(x_t, t) for data N(mean, std² I): call it like a trained network, ``oracle(x_t, t)``.

    Args:
        mean: (d,) the data mean m.  std: the data standard deviation s (a number).
        schedule: the :class:`NoiseSchedule` the sampler uses.
    """

    def __init__(self, mean, std: float, schedule: NoiseSchedule):
        if not isinstance(schedule, NoiseSchedule):
            raise TypeError(f"GaussianOracle: schedule must be a NoiseSchedule, got {type(schedule).__name__}")
        self.mean = as_tensor(mean, "GaussianOracle: mean").reshape(-1)  # (d,)
        if not torch.isfinite(self.mean).all():
            raise ValueError("GaussianOracle: mean contains NaN or inf values")
        self.std = check_float(std, "std", min_value=0.0, strict_min=True)
        self.schedule = schedule

    def __call__(self, x, t) -> torch.Tensor:
        """x: (n, d) noisy points at step t (int or (n,) in 1..T) → ε*(x, t): (n, d)."""
        if not isinstance(x, torch.Tensor) or x.ndim != 2 or x.shape[1] != self.mean.numel():
            raise ValueError(f"GaussianOracle: x must be a tensor (n, {self.mean.numel()}), got "
                             f"{tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__}")
        t = _check_t(t, self.schedule.T, len(x))
        ab = _per_row(self.schedule.alpha_bar, t, x)  # (n, 1)
        m = self.mean.to(x.device, x.dtype)
        return (1 - ab).sqrt() * (x - ab.sqrt() * m) / (ab * self.std ** 2 + 1 - ab)

    def score(self, x, t) -> torch.Tensor:
        """∇_x log q_t(x) = −ε*(x, t)/√(1 − ᾱ_t): (n, d)."""
        t_ = _check_t(t, self.schedule.T, len(x))
        return -self(x, t_) / (1 - _per_row(self.schedule.alpha_bar, t_, x)).sqrt()
