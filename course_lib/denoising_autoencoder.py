"""The denoising autoencoder (Vincent et al. 2008), taught in 03_autoencoder_family.

Same networks as :class:`course_lib.autoencoder.Autoencoder`; only the objective changes: the input is
corrupted by M_D and the target stays clean,

    L_DAE(θ, φ) = (1/n) Σ_i ||x_i - f_θ(g_φ(x̃_i))||²,   x̃_i ~ M_D(x̃ | x_i).

A fresh corruption is drawn every time a batch is seen, so the model cannot memorise the noise.
"""
from __future__ import annotations

import torch

from .autoencoder import Autoencoder, squared_error
from .corruption import Corruption

__all__ = ["DenoisingAutoencoder"]


class DenoisingAutoencoder(Autoencoder):
    """An :class:`Autoencoder` trained with L_DAE; ``corruption`` is a :class:`Corruption` (M_D)."""

    def __init__(self, code_dim: int, corruption: Corruption, **kwargs):
        super().__init__(code_dim, **kwargs)
        if not callable(corruption):
            raise TypeError(f"corruption must be callable (e.g. a course_lib.corruption.Corruption), "
                            f"got {type(corruption).__name__}")
        self.corruption = corruption

    def loss(self, x: torch.Tensor) -> torch.Tensor:
        """(1/n) Σ ||x_i - f(g(x̃_i))||², x̃_i drawn from M_D afresh."""
        with torch.no_grad():
            x_tilde = self.corruption(x)
        return squared_error(self(x_tilde), x).mean()
