"""Robust deep autoencoder (Zhou & Paffenroth 2017), taught in 03_autoencoder_family.

Training data X may contain outliers. Split it as X = L_D + S: L_D is what the autoencoder should
reconstruct, S collects what it should not. RDA with the ℓ2,1 penalty (one group per object, a row of S):

    min  ||L_D - f(g(L_D))||² + λ ||S||_{2,1},   ||S||_{2,1} = Σ_i ||s_i||_2,   subject to X = L_D + S,

solved by alternating (1) a few epochs of the autoencoder on L_D = X - S, and (2) the exact minimisation
over S given the reconstruction L̂ = f(g(X - S)): the row-wise group shrinkage of the residual R = X - L̂,

    s_i = r_i max(0, 1 - λ / ||r_i||).

||·||_{2,1} has a kink at s_i = 0, *per object*: objects the autoencoder explains well get s_i = 0 exactly,
only badly explained objects (the outliers) get s_i ≠ 0. A kink in the loss selects objects.
"""
from __future__ import annotations

import torch
from torch import nn

from course_lib._checks import as_operand, check_float

__all__ = ["RobustAutoencoder", "group_shrink"]


def group_shrink(R: torch.Tensor, lam: float) -> torch.Tensor:
    """argmin_S ½||R - S||² + λ Σ_i ||s_i||: each row r_i shrunk by λ in length, or set to 0 if ||r_i|| ≤ λ."""
    lam = check_float(lam, "group_shrink: lam", min_value=0.0)
    R = as_operand(R, "group_shrink: R")
    if R.ndim < 2:
        raise ValueError(f"group_shrink: R must have shape (N, ...) (one row per object), got shape {tuple(R.shape)}")
    flat = R.flatten(1)
    norms = flat.norm(dim=1, keepdim=True)
    scale = (1 - lam / norms.clamp_min(1e-12)).clamp_min(0.0)
    return (flat * scale).reshape(R.shape)


class RobustAutoencoder(nn.Module):
    """Wraps any autoencoder (with ``loss(x)`` and ``forward``) and learns the outlier part S of the data."""

    def __init__(self, autoencoder: nn.Module, lam: float):
        super().__init__()
        if not (isinstance(autoencoder, nn.Module) and callable(getattr(autoencoder, "loss", None))):
            raise TypeError("RobustAutoencoder: autoencoder must be a model with a loss(x) method (e.g. "
                            f"Autoencoder), got {type(autoencoder).__name__}")
        self.autoencoder = autoencoder
        self.lam = check_float(lam, "lam", min_value=0.0, strict_min=True)
        self.S = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.autoencoder(x)

    def outliers(self) -> torch.Tensor:
        """(N,) bool: objects with a non-zero row of S."""
        if self.S is None:
            raise RuntimeError("RobustAutoencoder.outliers: train it first (train_robust(model, x))")
        return self.S.reshape(len(self.S), -1).norm(dim=1) > 0
