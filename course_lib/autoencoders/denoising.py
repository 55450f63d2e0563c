"""The denoising autoencoder (Vincent et al. 2008), taught in 03_autoencoder_family.

Same networks as :class:`course_lib.autoencoders.autoencoder.Autoencoder`; only the objective changes: the input is
corrupted by M_D and the target stays clean,

    L_DAE(θ, φ) = (1/n) Σ_i ||x_i - f_θ(g_φ(x̃_i))||²,   x̃_i ~ M_D(x̃ | x_i).

A fresh corruption is drawn every time a batch is seen, so the model cannot memorise the noise.

With ``clean_fraction`` q > 0 the corruption process is the mixture
M_D^q(x̃ | x) = q δ(x̃ - x) + (1 - q) M_D(x̃ | x): each object is shown uncorrupted with probability q. A DAE
that never sees a clean input treats clean inputs as unfamiliar (their background is exactly 0, a noisy
one's is not) and reconstructs them worse than a plain autoencoder; q = 0.25 removes most of that gap.
"""
from __future__ import annotations

import torch

from course_lib._checks import check_float
from course_lib.autoencoders.autoencoder import Autoencoder, squared_error
from course_lib.autoencoders.corruption import Corruption

__all__ = ["DenoisingAutoencoder"]


class DenoisingAutoencoder(Autoencoder):
    """An :class:`Autoencoder` trained with L_DAE; ``corruption`` is a :class:`Corruption` (M_D).

    Args:
        clean_fraction: probability q that an object of a batch is left uncorrupted (x̃ = x); 0 corrupts all.
        generator: random source of the clean/corrupted choice (the corruption has its own).
    """

    def __init__(self, code_dim: int, corruption: Corruption, *, clean_fraction: float = 0.0,
                 generator: torch.Generator | None = None, **kwargs):
        super().__init__(code_dim, **kwargs)
        if not callable(corruption):
            raise TypeError(f"corruption must be callable (e.g. a course_lib.autoencoders.corruption.Corruption), "
                            f"got {type(corruption).__name__}")
        if generator is not None and not isinstance(generator, torch.Generator):
            raise TypeError(f"generator must be a torch.Generator or None, got {type(generator).__name__}")
        self.corruption = corruption
        self.clean_fraction = check_float(clean_fraction, "clean_fraction", min_value=0.0, max_value=1.0)
        self.generator = generator

    def corrupt(self, x: torch.Tensor) -> torch.Tensor:
        """One draw x̃ ~ M_D^q(x̃ | x), same shape as x (N, C, H, W)."""
        x_tilde = self.corruption(x)
        if self.clean_fraction > 0:
            clean = torch.rand(len(x), generator=self.generator) < self.clean_fraction   # one coin per object
            x_tilde = torch.where(clean.to(x.device).view(-1, *([1] * (x.ndim - 1))), x, x_tilde)
        return x_tilde

    def loss(self, x: torch.Tensor) -> torch.Tensor:
        """(1/n) Σ ||x_i - f(g(x̃_i))||², x̃_i drawn from M_D^q afresh."""
        with torch.no_grad():
            x_tilde = self.corrupt(x)
        return squared_error(self(x_tilde), x).mean()
