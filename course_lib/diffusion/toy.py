"""The 2-D data of notebook 07: two moons in tiny-diffusion's scaling (its benchmark, our benchmark)."""
from __future__ import annotations

import torch

from course_lib import data

__all__ = ["moons"]


def moons(n: int, generator: torch.Generator | None = None, noise: float = 0.05) -> torch.Tensor:
    """(n, 2) points: :func:`course_lib.data.two_moons` mapped by x₁ ↦ 2(x₁ + 0.3) − 1, x₂ ↦ 3(x₂ + 0.3) − 1.

    The same affine map as tiny-diffusion's moons, which spreads the data to a standard deviation of
    about 1.6 per coordinate: the scale of N(0, I) that the diffusion ends in.
    """
    x = data.two_moons(n, noise=noise, generator=generator)
    return torch.stack([(x[:, 0] + 0.3) * 2 - 1, (x[:, 1] + 0.3) * 3 - 1], 1)
