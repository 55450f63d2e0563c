"""Noise schedules: the forward (noising) process of a diffusion model, apart from any network (notebook 07).

The lecture notes write the forward chain as x → x₁ = x + ε₁ → … → x_n ~ N(0, Σ): keep adding Gaussian
noise until nothing of x is left. Added without shrinking, the variance grows with every step (the
*variance-exploding* form, :class:`VarianceExploding`). DDPM (Ho et al., 2020) shrinks the signal a little at
each step so the variance stays bounded (the *variance-preserving* form, :class:`NoiseSchedule`):

    x_t = √(1 − β_t) · x_{t−1} + √β_t · ε_t,      ε_t ~ N(0, I),   t = 1..T,

whose t-step marginal is closed-form, with α_t = 1 − β_t and ᾱ_t = Π_{s≤t} α_s:

    q(x_t | x_0) = N(√ᾱ_t · x_0, (1 − ᾱ_t) I).

Arrays are indexed by t itself: index 0 is the clean data (β_0 = 0, ᾱ_0 = 1) and index T the last step,
so ``schedule.alpha_bar[t]`` is ᾱ_t as written in the notes. Like the schedulers of the diffusers
library, a schedule holds no parameters to learn: the network is a separate object.
"""
from __future__ import annotations

import math

import torch

from course_lib._checks import as_tensor, check_float, check_generator, check_int

__all__ = ["NoiseSchedule", "VarianceExploding", "KINDS"]

KINDS = ("linear", "rescaled_linear", "cosine")

_SCALED_LINEAR = ("the course's schedule with ends × 1000/T is NoiseSchedule.rescaled_linear (it was called "
                  "scaled_linear); diffusers' 'scaled_linear' is another schedule (√β evenly spaced, then squared), "
                  "which the course does not build")


def _check_t(t, T: int, n: int, name: str = "t") -> torch.Tensor:
    """t as an int64 tensor (n,) in 1..T (an int is broadcast to every row)."""
    if isinstance(t, bool):
        raise TypeError(f"{name} must be an int or an integer tensor, got bool")
    if isinstance(t, int):
        t = torch.full((n,), t, dtype=torch.long)
    elif isinstance(t, torch.Tensor) and not t.is_floating_point() and t.dtype != torch.bool:
        t = t.long().reshape(-1)
        if t.numel() == 1 and n != 1:
            t = t.expand(n)
    else:
        raise TypeError(f"{name} must be an int or an integer tensor (n,), got {type(t).__name__}"
                        + (f" of dtype {t.dtype}" if isinstance(t, torch.Tensor) else ""))
    if t.numel() != n:
        raise ValueError(f"{name} must have one step per row of x: expected {n}, got {t.numel()}")
    if n and (int(t.min()) < 1 or int(t.max()) > T):
        raise ValueError(f"{name} must lie in 1..T={T}, got values in {int(t.min())}..{int(t.max())}")
    return t


def _per_row(values: torch.Tensor, t: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """values[t] (n,) reshaped to (n, 1, ..., 1) so it broadcasts against x (n, ...)."""
    return values[t.cpu()].to(x.device, x.dtype).reshape(-1, *([1] * (x.ndim - 1)))


def _check_x(x, name: str) -> torch.Tensor:
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of shape (n, ...), got {type(x).__name__}")
    if x.ndim < 1 or not x.is_floating_point():
        raise ValueError(f"{name} must be a float tensor of shape (n, ...), got shape {tuple(x.shape)} "
                         f"and dtype {x.dtype}")
    return x


def _noise_like(x: torch.Tensor, generator) -> torch.Tensor:
    """ε ~ N(0, I) of x's shape, dtype and device, drawn on the CPU so a seeded generator reproduces it anywhere."""
    return torch.randn(x.shape, generator=check_generator(generator)).to(x.device, x.dtype)


class _ForwardChain:
    """What both forward chains share: ``trajectory`` iterates the subclass's single ``step``."""

    T: int

    def trajectory(self, x0, *, generator: torch.Generator | None = None) -> torch.Tensor:
        """The iterated chain x_0, x_1, ..., x_T: a tensor (T + 1, n, ...), step by step (not the closed form)."""
        x = _check_x(x0, "x0")
        out = [x]
        for t in range(1, self.T + 1):
            x = self.step(x, t, generator=generator)
            out.append(x)
        return torch.stack(out)


class NoiseSchedule(_ForwardChain):
    """A variance-preserving schedule β_1..β_T with the derived quantities of DDPM.

    Attributes (float64 tensors of shape (T + 1,), index t = step t, index 0 = clean data):
        betas β_t, alphas α_t = 1 − β_t, alpha_bar ᾱ_t, snr ᾱ_t / (1 − ᾱ_t) (index 0 is inf),
        posterior_variance β̃_t = β_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t) (the variance of q(x_{t−1} | x_t, x_0)).

    Build one with :meth:`linear`, :meth:`rescaled_linear`, :meth:`cosine` or :meth:`make`.
    """

    def __init__(self, betas, *, name: str = "custom"):
        b = as_tensor(betas, "betas", dtype=torch.float64).detach().cpu().reshape(-1)
        if b.numel() < 1:
            raise ValueError("betas must hold at least one step, got an empty array")
        if not torch.isfinite(b).all() or (b <= 0).any() or (b >= 1).any():
            raise ValueError(f"betas must lie strictly between 0 and 1, got values in "
                             f"[{float(b.min()):.3g}, {float(b.max()):.3g}]")
        self.name = name
        self.T = int(b.numel())
        self.betas = torch.cat([torch.zeros(1, dtype=torch.float64), b])       # (T+1,)
        self.alphas = 1.0 - self.betas                                          # (T+1,)
        self.alpha_bar = torch.cumprod(self.alphas, 0)                          # (T+1,), ᾱ_0 = 1
        self.snr = self.alpha_bar / (1.0 - self.alpha_bar)                      # (T+1,), inf at 0
        ab_prev = torch.cat([torch.ones(1, dtype=torch.float64), self.alpha_bar[:-1]])
        post = self.betas * (1.0 - ab_prev) / (1.0 - self.alpha_bar).clamp_min(1e-300)
        post[0] = 0.0
        self.posterior_variance = post                                          # (T+1,)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def linear(cls, T: int = 1000, beta_start: float = 1e-4, beta_end: float = 0.02) -> "NoiseSchedule":
        """β_t evenly spaced from ``beta_start`` to ``beta_end`` (DDPM's choice for T = 1000)."""
        T = check_int(T, "T", min_value=1)
        b0 = check_float(beta_start, "beta_start", min_value=0.0, max_value=1.0, strict_min=True)
        b1 = check_float(beta_end, "beta_end", min_value=0.0, max_value=1.0, strict_min=True)
        return cls(torch.linspace(b0, b1, T, dtype=torch.float64), name=f"linear T={T}")

    @classmethod
    def rescaled_linear(cls, T: int = 1000, beta_start: float = 1e-4, beta_end: float = 0.02) -> "NoiseSchedule":
        """The linear schedule rescaled to T steps: both ends multiplied by 1000/T (Nichol & Dhariwal, 2021).

        With fewer steps each one must add more noise to reach the same ᾱ_T ≈ e^{−10}: this keeps
        Σ_t β_t (≈ −log ᾱ_T) what DDPM used at T = 1000. Not diffusers' ``scaled_linear``, which spaces √β
        evenly between √beta_start and √beta_end (Stable Diffusion's schedule) and keeps the ends whatever T
        is; the course called this one ``scaled_linear`` before, and that name now raises an error saying so.
        """
        T = check_int(T, "T", min_value=1)
        k = 1000.0 / T
        b0 = check_float(beta_start, "beta_start", min_value=0.0, strict_min=True) * k
        b1 = check_float(beta_end, "beta_end", min_value=0.0, strict_min=True) * k
        if b1 >= 1.0:
            raise ValueError(f"rescaled_linear: beta_end·1000/T = {b1:.3g} must stay below 1; use T >= "
                             f"{math.floor(1000 * beta_end) + 1}")
        return cls(torch.linspace(b0, b1, T, dtype=torch.float64), name=f"rescaled linear T={T}")

    @classmethod
    def scaled_linear(cls, *args, **kwargs):
        """Removed name: raises, saying which schedule is meant (see :meth:`rescaled_linear`)."""
        raise AttributeError(f"NoiseSchedule.scaled_linear: {_SCALED_LINEAR}")

    @classmethod
    def cosine(cls, T: int = 1000, s: float = 0.008, max_beta: float = 0.999) -> "NoiseSchedule":
        """ᾱ_t = f(t)/f(0) with f(t) = cos²(π/2 · (t/T + s)/(1 + s)) (Nichol & Dhariwal, 2021).

        β_t = 1 − ᾱ_t/ᾱ_{t−1}, clipped at ``max_beta`` (the last steps would otherwise reach β = 1).
        """
        T = check_int(T, "T", min_value=1)
        s = check_float(s, "s", min_value=0.0)
        max_beta = check_float(max_beta, "max_beta", min_value=0.0, max_value=1.0, strict_min=True)
        steps = torch.arange(T + 1, dtype=torch.float64) / T
        f = torch.cos((steps + s) / (1 + s) * math.pi / 2) ** 2
        ab = f / f[0]
        betas = (1 - ab[1:] / ab[:-1]).clamp(1e-8, min(max_beta, 1 - 1e-12))
        return cls(betas, name=f"cosine T={T}")

    @classmethod
    def make(cls, kind: str = "cosine", T: int = 100, **kw) -> "NoiseSchedule":
        """``make("linear"|"rescaled_linear"|"cosine", T)``: the constructor by name."""
        if kind == "scaled_linear":
            raise ValueError(f"NoiseSchedule.make: kind 'scaled_linear' is ambiguous: {_SCALED_LINEAR}")
        if kind not in KINDS:
            raise ValueError(f"NoiseSchedule.make: kind must be one of {list(KINDS)}, got {kind!r}")
        return getattr(cls, kind)(T, **kw)

    # ------------------------------------------------------------------ the forward process
    def q_sample(self, x0, t, noise=None, *, generator: torch.Generator | None = None) -> torch.Tensor:
        """Draw x_t ~ q(x_t | x_0) = N(√ᾱ_t x_0, (1 − ᾱ_t) I) in one step (the closed form).

        Args:
            x0: (n, ...) clean data.  t: int or int tensor (n,) with values in 1..T.
            noise: (n, ...) the ε to use (drawn from ``generator`` if None).
        Returns: x_t, same shape as x0.
        """
        x0 = _check_x(x0, "x0")
        t = _check_t(t, self.T, len(x0))
        if noise is None:
            noise = _noise_like(x0, generator)
        elif not isinstance(noise, torch.Tensor) or noise.shape != x0.shape:
            raise ValueError(f"q_sample: noise must be a tensor of shape {tuple(x0.shape)} like x0, got "
                             f"{tuple(noise.shape) if isinstance(noise, torch.Tensor) else type(noise).__name__}")
        ab = _per_row(self.alpha_bar, t, x0)
        return ab.sqrt() * x0 + (1 - ab).sqrt() * noise

    def step(self, x_prev, t: int, *, generator: torch.Generator | None = None) -> torch.Tensor:
        """One step of the chain: x_t = √(1 − β_t) x_{t−1} + √β_t ε_t, for a single t in 1..T."""
        x_prev = _check_x(x_prev, "x_prev")
        t = check_int(t, "t", min_value=1, max_value=self.T)
        noise = _noise_like(x_prev, generator)
        b = float(self.betas[t])
        return math.sqrt(1 - b) * x_prev + math.sqrt(b) * noise

    def __repr__(self) -> str:
        return (f"NoiseSchedule({self.name}: β_1={float(self.betas[1]):.3g}, β_T={float(self.betas[-1]):.3g}, "
                f"ᾱ_T={float(self.alpha_bar[-1]):.3g})")


class VarianceExploding(_ForwardChain):
    """The notes' chain x_t = x_{t−1} + σ_t ε_t: noise added without shrinking the signal.

    q(x_t | x_0) = N(x_0, s_t² I) with s_t² = Σ_{u≤t} σ_u²: the data stay put while the noise grows, so
    for large t, x_t ≈ N(x_0, s_t² I) ≈ N(0, s_t² I) on the scale of the data (x_n ~ N(0, Σ) in the notes).
    ``sigmas`` (T,) are the per-step standard deviations; the notes' plain x + ε is ``sigmas = ones(T)``.
    """

    def __init__(self, sigmas):
        s = as_tensor(sigmas, "sigmas", dtype=torch.float64).detach().cpu().reshape(-1)
        if s.numel() < 1 or not torch.isfinite(s).all() or (s <= 0).any():
            raise ValueError("sigmas must be a non-empty array of positive finite numbers")
        self.T = int(s.numel())
        self.sigmas = torch.cat([torch.zeros(1, dtype=torch.float64), s])      # (T+1,)
        self.total_std = torch.cumsum(self.sigmas ** 2, 0).sqrt()             # (T+1,) s_t

    @classmethod
    def constant(cls, T: int, sigma: float = 1.0) -> "VarianceExploding":
        """The notes' x_{t} = x_{t−1} + σ ε_t with the same σ at every step."""
        T = check_int(T, "T", min_value=1)
        sigma = check_float(sigma, "sigma", min_value=0.0, strict_min=True)
        return cls(torch.full((T,), sigma, dtype=torch.float64))

    def q_sample(self, x0, t, noise=None, *, generator: torch.Generator | None = None) -> torch.Tensor:
        """x_t = x_0 + s_t ε in one step (closed form); x0 (n, ...), t int or (n,) in 1..T."""
        x0 = _check_x(x0, "x0")
        t = _check_t(t, self.T, len(x0))
        if noise is None:
            noise = _noise_like(x0, generator)
        elif not isinstance(noise, torch.Tensor) or noise.shape != x0.shape:  # as the variance-preserving chain
            raise ValueError(f"VarianceExploding.q_sample: noise must be a tensor of shape {tuple(x0.shape)} like "
                             f"x0, got {tuple(noise.shape) if isinstance(noise, torch.Tensor) else type(noise).__name__}")
        return x0 + _per_row(self.total_std, t, x0) * noise

    def step(self, x_prev, t: int, *, generator: torch.Generator | None = None) -> torch.Tensor:
        """x_t = x_{t−1} + σ_t ε_t for one t in 1..T."""
        x_prev = _check_x(x_prev, "x_prev")
        t = check_int(t, "t", min_value=1, max_value=self.T)
        noise = _noise_like(x_prev, generator)
        return x_prev + float(self.sigmas[t]) * noise

    def __repr__(self) -> str:
        return f"VarianceExploding(T={self.T}, final std s_T={float(self.total_std[-1]):.3g})"
