"""Auto-checked exercises of 07_diffusion_models (reference solutions: solutions/ch07.py).

Each checker takes a function the student writes (something notebook 07 states but does not code inline)
and runs it on cases of its own against an independent reference written here: the cosine schedule with
its β clipping, a DDIM step with η > 0 and x̂_0 clipping, and a classifier-free guided DDIM step. ᾱ values
are passed as 0-d float64 tensors (``math.sqrt``, ``** 0.5`` and ``.sqrt()`` all work on them); answers may
return tensors, arrays or floats. The course's own functions are refused: the point is to write one.
"""
from __future__ import annotations

import math

import torch

from course_lib.exercises import check, feedback, not_answered

__all__ = ["check_cosine_schedule", "check_ddim_step", "check_guided_step"]


def _library_object(answer) -> bool:
    """True for a function or class of course_lib itself (or a bound method of one of its objects)."""
    mod = getattr(answer, "__module__", None) or ""
    owner = getattr(answer, "__self__", None)
    return mod.startswith("course_lib") or (owner is not None and
                                            (getattr(owner, "__module__", "") or "").startswith("course_lib"))


def _refuse_library(answer) -> bool | None:
    if not not_answered(answer) and _library_object(answer):
        return feedback(False, "that is the course's own implementation: write the function yourself "
                               "(the checker compares it with a reference of its own)")
    return None


def _close(got, want, rtol: float = 1e-9) -> bool:
    got = torch.as_tensor(got, dtype=torch.float64)
    if got.shape != want.shape:
        return False
    return bool(torch.isfinite(got).all()) and float((got - want).abs().max()) <= rtol * (1 + float(want.abs().max()))


# ---------------------------------------------------------------------------------------------------- 1
def _cosine_ref(T: int, s: float, max_beta: float) -> torch.Tensor:
    u = torch.arange(T + 1, dtype=torch.float64) / T
    f = torch.cos((u + s) / (1 + s) * math.pi / 2) ** 2
    ab = f / f[0]
    betas = torch.clamp(1 - ab[1:] / ab[:-1], max=max_beta)
    return torch.cat([torch.ones(1, dtype=torch.float64), torch.cumprod(1 - betas, 0)])


def check_cosine_schedule(answer):
    """``answer(T, s, max_beta)`` → ᾱ_0..ᾱ_T (T + 1 values) of the cosine schedule, β_t clipped at max_beta."""
    refused = _refuse_library(answer)
    if refused is not None:
        return refused
    cases = [(10, 0.008, 0.999), (10, 0.008, 0.5), (100, 0.008, 0.999), (37, 0.02, 0.9), (1000, 0.008, 0.999)]
    return check(answer, lambda f: all(_close(f(T, s, mb), _cosine_ref(T, s, mb)) for T, s, mb in cases),
                 "ᾱ_t = f(t)/f(0) with f(t) = cos²(π/2 · (t/T + s)/(1 + s)) for t = 0..T; then β_t = 1 − ᾱ_t/ᾱ_{t−1} "
                 "capped at max_beta, and ᾱ rebuilt as a running product of (1 − β_t) (torch.cumprod)",
                 "the cap keeps the last β below 1, so x_T keeps a trace of x_0 and 1/√ᾱ_T stays finite.")


# ---------------------------------------------------------------------------------------------------- 2
def _ddim_ref(x, e, ab_t, ab_s, eta, z, clip):
    x0 = (x - (1 - ab_t).sqrt() * e) / ab_t.sqrt()
    if clip is not None:
        x0 = x0.clamp(-clip, clip)
        e = (x - ab_t.sqrt() * x0) / (1 - ab_t).sqrt()
    sigma = eta * ((1 - ab_s) / (1 - ab_t)).sqrt() * (1 - ab_t / ab_s).sqrt()
    return ab_s.sqrt() * x0 + (1 - ab_s - sigma ** 2).sqrt() * e + sigma * z


def _ddim_cases(seed: int = 2):
    g = torch.Generator().manual_seed(seed)
    for k, (eta, clip) in enumerate([(0.0, None), (0.5, None), (1.0, None), (0.0, 1.0), (1.0, 1.0), (0.3, 2.0)]):
        shape = [(6, 2), (3, 1, 8, 8), (10, 5), (4, 64), (5, 3), (2, 7)][k]
        ab_t = torch.rand((), generator=g, dtype=torch.float64) * 0.6 + 0.05
        ab_s = ab_t + (1 - ab_t) * (torch.rand((), generator=g, dtype=torch.float64) * 0.9 + 0.05)
        x, e, z = (torch.randn(shape, generator=g, dtype=torch.float64) * (2.0 if clip else 1.0) for _ in range(3))
        yield x, e, ab_t, ab_s, eta, z, clip


def check_ddim_step(answer):
    """``answer(x_t, eps_hat, alpha_bar_t, alpha_bar_s, eta, z, clip)`` → x_s of one DDIM step t → s < t.

    σ = η √((1 − ᾱ_s)/(1 − ᾱ_t)) √(1 − ᾱ_t/ᾱ_s); x_s = √ᾱ_s x̂_0 + √(1 − ᾱ_s − σ²) ε̂ + σ z. If ``clip`` is not
    None, x̂_0 is clipped to [−clip, clip] first and ε̂ recomputed from the clipped x̂_0.
    """
    refused = _refuse_library(answer)
    if refused is not None:
        return refused

    def ok(f):
        return all(_close(f(x.clone(), e.clone(), ab_t.clone(), ab_s.clone(), eta, z.clone(), clip),
                          _ddim_ref(x, e, ab_t, ab_s, eta, z, clip))
                   for x, e, ab_t, ab_s, eta, z, clip in _ddim_cases())

    return check(answer, ok, "three pieces: x̂_0 from x_t and ε̂; with clip, clamp x̂_0 and solve x_t = √ᾱ_t x̂_0 + "
                 "√(1 − ᾱ_t) ε̂ for ε̂ again; the fresh noise σz takes σ² out of the variance left for ε̂",
                 "η = 1 between neighbouring steps is ancestral DDPM (σ² = β̃_t); η = 0 is deterministic.")


# ---------------------------------------------------------------------------------------------------- 3
def _toy_eps(T: int):
    """A deterministic stand-in for a class-conditional ε-network: ε(x, t, y), y None = unconditional."""
    centres = torch.linspace(-1, 1, 10, dtype=torch.float64)

    def eps_model(x, t, y=None):
        t = int(t)
        shift = 0.0 if y is None else centres[torch.as_tensor(y)].reshape(-1, *([1] * (x.ndim - 1)))
        return torch.tanh(0.7 * x * (t / T) + shift) + 0.05 * t / T
    return eps_model


def check_guided_step(answer):
    """``answer(eps_model, x_t, t, s, y, w, alpha_bar)`` → x_s: one DDIM step (η = 0) from t to s with the
    classifier-free guided ε̃ = (1 + w) ε(x_t, t, y) − w ε(x_t, t, None); ``alpha_bar`` is a (T + 1,) tensor."""
    refused = _refuse_library(answer)
    if refused is not None:
        return refused
    T = 50
    ab = _cosine_ref(T, 0.008, 0.999)
    eps_model = _toy_eps(T)

    def ok(f):
        g = torch.Generator().manual_seed(3)
        for t, s, w in [(50, 40, 0.0), (30, 29, 1.0), (20, 5, 3.0), (7, 0, 6.0)]:
            x = torch.randn(10, 4, generator=g, dtype=torch.float64)
            y = torch.randint(0, 10, (10,), generator=g)
            e = (1 + w) * eps_model(x, t, y) - w * eps_model(x, t, None)
            want = _ddim_ref(x, e, ab[t], ab[s], 0.0, torch.zeros_like(x), None)
            if not _close(f(eps_model, x.clone(), t, s, y, w, ab.clone()), want):
                return False
        return True

    return check(answer, ok, "call the network twice, with the labels and with y=None, mix the two predictions "
                 "with weights (1 + w) and −w, then take the DDIM step with ᾱ_t = alpha_bar[t], ᾱ_s = alpha_bar[s]",
                 "w = 0 is the conditional model alone; w > 0 extrapolates away from the unconditional one.")
