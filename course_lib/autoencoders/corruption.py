"""The corruption process M_D of the denoising autoencoder (taught in 03_autoencoder_family).

x̃ ~ M_D(x̃ | x) is kept apart from any network: it is a stochastic map from clean images (N, C, H, W)
in [0, 1] to corrupted images of the same shape, also in [0, 1].

* Gaussian noise:  x̃ = clip(x + σ ε, 0, 1),  ε ~ N(0, I);
* masking noise:   x̃ = x ⊙ b,  b_j ~ Bernoulli(1 - p) independently per pixel (a fraction p set to 0).
"""
from __future__ import annotations

import torch

from course_lib._checks import check_generator, as_images, check_choice, check_float

__all__ = ["gaussian_noise", "masking_noise", "Corruption"]




def gaussian_noise(x, sigma: float, generator: torch.Generator | None = None) -> torch.Tensor:
    """clip(x + σ ε, 0, 1) with ε ~ N(0, I), same shape as x (N, C, H, W)."""
    x = as_images(x, "x")
    sigma = check_float(sigma, "sigma", min_value=0.0)
    eps = torch.randn(x.shape, generator=check_generator(generator), dtype=x.dtype).to(x.device)
    return (x + sigma * eps).clamp(0.0, 1.0)


def masking_noise(x, p: float, generator: torch.Generator | None = None) -> torch.Tensor:
    """x with each pixel set to 0 with probability p (independently), same shape as x (N, C, H, W)."""
    x = as_images(x, "x")
    p = check_float(p, "p", min_value=0.0, max_value=1.0)
    keep = torch.rand(x.shape, generator=check_generator(generator), dtype=x.dtype).to(x.device) >= p
    return x * keep


class Corruption:
    """M_D as a callable: ``Corruption("gaussian", 0.5)(x)`` or ``Corruption("masking", 0.3)(x)``."""

    KINDS = {"gaussian": gaussian_noise, "masking": masking_noise}

    def __init__(self, kind: str, level: float, generator: torch.Generator | None = None):
        self.kind = check_choice(kind, "kind", set(self.KINDS))
        self.level = check_float(level, "level", min_value=0.0, max_value=None if kind == "gaussian" else 1.0)
        self.generator = check_generator(generator)

    def __call__(self, x) -> torch.Tensor:
        return self.KINDS[self.kind](x, self.level, self.generator)

    def __repr__(self) -> str:
        name = "σ" if self.kind == "gaussian" else "p"
        return f"Corruption({self.kind}, {name}={self.level:g})"
