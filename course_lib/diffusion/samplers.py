"""Reverse processes: ancestral DDPM sampling and deterministic DDIM with fewer steps (notebook 07).

Both take an ε-predictor ``eps_model(x_t, t) -> ε̂`` (a trained network, or the closed-form
:class:`~course_lib.diffusion.oracle.GaussianOracle`) and a :class:`NoiseSchedule`; neither knows how ε̂
was obtained. From ε̂ both first estimate the clean point

    x̂_0 = (x_t − √(1 − ᾱ_t) ε̂) / √ᾱ_t,

then

* **DDPM** (Ho et al., 2020) draws x_{t−1} from the Gaussian posterior q(x_{t−1} | x_t, x̂_0):
  mean μ̃ = √ᾱ_{t−1} β_t/(1 − ᾱ_t) · x̂_0 + √α_t (1 − ᾱ_{t−1})/(1 − ᾱ_t) · x_t, variance β̃_t (or β_t):
  T network evaluations, fresh noise at every step;
* **DDIM** (Song et al., 2021, η = 0) jumps from t to an earlier s along a deterministic path,
  x_s = √ᾱ_s x̂_0 + √(1 − ᾱ_s) ε̂: as few network evaluations as you like, and the same x_T always gives
  the same x_0.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import torch

from course_lib._checks import as_operand, check_choice, check_float, check_generator, check_int
from course_lib.diffusion.schedules import NoiseSchedule

__all__ = ["Trajectory", "ddpm_sample", "ddim_sample", "ddim_timesteps", "predict_x0"]


class Trajectory(NamedTuple):
    """A sampling run: ``x`` (n, ...) the samples, ``states`` (K + 1, n, ...) x_T ... x_0, ``times`` the K + 1 t's."""

    x: torch.Tensor
    states: torch.Tensor
    times: list[int]


def _start(schedule, shape, x_T, generator, device) -> torch.Tensor:
    if not isinstance(schedule, NoiseSchedule):
        raise TypeError(f"schedule must be a NoiseSchedule, got {type(schedule).__name__}")
    if x_T is not None:
        if not isinstance(x_T, torch.Tensor) or not x_T.is_floating_point() or x_T.ndim < 1:
            raise TypeError(f"x_T must be a float tensor (n, ...), got {type(x_T).__name__}")
        return x_T
    if isinstance(shape, int):
        shape = (shape,)
    if not isinstance(shape, (tuple, list, torch.Size)) or not shape or not all(
            isinstance(s, int) and not isinstance(s, bool) and s >= 1 for s in shape):
        raise ValueError(f"shape must be a tuple of positive ints (n, ...), got {shape!r}")
    return torch.randn(tuple(shape), generator=check_generator(generator)).to(device or "cpu")


def _eps(eps_model, x, t: int) -> torch.Tensor:
    tt = torch.full((len(x),), t, dtype=torch.long, device=x.device)
    e = eps_model(x, tt)
    if not isinstance(e, torch.Tensor) or e.shape != x.shape:
        raise ValueError(f"eps_model(x, t) must return a tensor shaped like x {tuple(x.shape)}, got "
                         f"{tuple(e.shape) if isinstance(e, torch.Tensor) else type(e).__name__}")
    return e


def _check_model(eps_model, schedule, fn: str) -> None:
    if not callable(eps_model):
        raise TypeError(f"{fn}: eps_model must be a function (x_t, t) -> ε̂, got {type(eps_model).__name__}")
    if not hasattr(schedule, "alpha_bar"):
        raise TypeError(f"{fn}: schedule must be a NoiseSchedule, got {type(schedule).__name__}")


def predict_x0(schedule: NoiseSchedule, x_t: torch.Tensor, t: int, eps: torch.Tensor) -> torch.Tensor:
    """x̂_0 = (x_t − √(1 − ᾱ_t) ε̂)/√ᾱ_t for a single step t (shapes of x_t)."""
    if not hasattr(schedule, "alpha_bar"):
        raise TypeError(f"predict_x0: schedule must be a NoiseSchedule, got {type(schedule).__name__}")
    t = check_int(t, "predict_x0: t", min_value=0, max_value=len(schedule.alpha_bar) - 1)
    x_t, eps = as_operand(x_t, "predict_x0: x_t"), as_operand(eps, "predict_x0: eps")
    if x_t.shape != eps.shape:
        raise ValueError(f"predict_x0: x_t and eps must have the same shape, got {tuple(x_t.shape)} and "
                         f"{tuple(eps.shape)}")
    ab = float(schedule.alpha_bar[t])
    return (x_t - (1 - ab) ** 0.5 * eps) / ab ** 0.5


@torch.no_grad()
def ddpm_sample(eps_model: Callable, schedule: NoiseSchedule, shape=None, *, x_T=None,
                generator: torch.Generator | None = None, variance: str = "posterior",
                clip: float | None = None, trajectory: bool = False, device=None):
    """Ancestral sampling x_T ~ N(0, I) → x_{T−1} → … → x_0 with T network evaluations.

    Args:
        eps_model: ``(x_t (n, ...), t (n,) long) -> ε̂ (n, ...)``.
        shape: (n, ...) of the samples (or pass ``x_T`` to fix the starting noise).
        variance: "posterior" (β̃_t, the exact posterior's; best for few steps) or "beta" (β_t).
        clip: if set, x̂_0 is clipped to [−clip, clip] (images scaled to [−1, 1]).
        trajectory: also return every state (see :class:`Trajectory`).
    Returns: samples (n, ...), or a :class:`Trajectory` if ``trajectory``.
    """
    _check_model(eps_model, schedule, "ddpm_sample")
    check_choice(variance, "variance", {"posterior", "beta"})
    if clip is not None:
        clip = check_float(clip, "clip", min_value=0.0, strict_min=True)
    x = _start(schedule, shape, x_T, generator, device)
    states, times = [x], [schedule.T]
    ab, a, b = schedule.alpha_bar, schedule.alphas, schedule.betas
    for t in range(schedule.T, 0, -1):
        x0 = predict_x0(schedule, x, t, _eps(eps_model, x, t))
        if clip is not None:
            x0 = x0.clamp(-clip, clip)
        c0 = float(ab[t - 1].sqrt() * b[t] / (1 - ab[t]))
        ct = float(a[t].sqrt() * (1 - ab[t - 1]) / (1 - ab[t]))
        x = c0 * x0 + ct * x
        if t > 1:
            var = float(schedule.posterior_variance[t] if variance == "posterior" else b[t])
            x = x + var ** 0.5 * torch.randn(x.shape, generator=generator).to(x.device, x.dtype)
        if trajectory:
            states.append(x)
            times.append(t - 1)
    return Trajectory(x, torch.stack(states), times) if trajectory else x


def ddim_timesteps(T: int, steps: int) -> list[int]:
    """``steps`` + 1 decreasing times from T to 0, evenly spaced (rounded): the DDIM step subset."""
    T = check_int(T, "T", min_value=1)
    steps = check_int(steps, "steps", min_value=1, max_value=T)
    ts = torch.linspace(T, 0, steps + 1, dtype=torch.float64).round().long().tolist()
    return ts


@torch.no_grad()
def ddim_sample(eps_model: Callable, schedule: NoiseSchedule, shape=None, *, steps: int = 25, x_T=None,
                generator: torch.Generator | None = None, eta: float = 0.0, clip: float | None = None,
                trajectory: bool = False, device=None):
    """DDIM: jump T = t_K > t_{K−1} > … > t_0 = 0 with ``steps`` = K network evaluations.

    With η = 0 (default) the path is deterministic: the same ``x_T`` always gives the same samples.
    η = 1 adds DDPM-like noise (σ_t² = η² β̃ between the chosen steps).
    Returns samples (n, ...), or a :class:`Trajectory` if ``trajectory``.
    """
    _check_model(eps_model, schedule, "ddim_sample")
    eta = check_float(eta, "eta", min_value=0.0)
    if clip is not None:
        clip = check_float(clip, "clip", min_value=0.0, strict_min=True)
    ts = ddim_timesteps(schedule.T if isinstance(schedule, NoiseSchedule) else 1, steps)
    x = _start(schedule, shape, x_T, generator, device)
    states = [x]
    for t, s in zip(ts[:-1], ts[1:]):
        eps = _eps(eps_model, x, t)
        x0 = predict_x0(schedule, x, t, eps)
        if clip is not None:
            x0 = x0.clamp(-clip, clip)
            eps = (x - float(schedule.alpha_bar[t].sqrt()) * x0) / float((1 - schedule.alpha_bar[t]).sqrt())
        ab_t, ab_s = float(schedule.alpha_bar[t]), float(schedule.alpha_bar[s])
        sigma = eta * ((1 - ab_s) / (1 - ab_t) * (1 - ab_t / ab_s)) ** 0.5 if s > 0 else 0.0
        x = ab_s ** 0.5 * x0 + max(1 - ab_s - sigma ** 2, 0.0) ** 0.5 * eps
        if sigma > 0:
            x = x + sigma * torch.randn(x.shape, generator=generator).to(x.device, x.dtype)
        if trajectory:
            states.append(x)
    return Trajectory(x, torch.stack(states), ts) if trajectory else x
