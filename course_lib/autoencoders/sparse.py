"""The sparse autoencoder: an L1 penalty on the code (Arpit et al. 2015), taught in 03_autoencoder_family.

    L(α, β) = Σ_i ||x_i - f(g(x_i))||² + λ Σ_i ||g(x_i)||_1,   g(x) ≥ 0 (ReLU code).

The penalty has a kink at 0: its subgradient there is the whole interval [-λ, λ], so a code unit whose
reconstruction gain is smaller than λ sits *exactly* at 0 (a squared penalty λ z² only shrinks it).
Each object ends up described by a few active features: "a kink in the regulariser selects features".
"""
from __future__ import annotations

import torch

from course_lib._checks import as_operand, as_tensor, check_float
from course_lib.autoencoders.autoencoder import Autoencoder, squared_error

__all__ = ["SparseAutoencoder", "sparsity", "soft_threshold"]


def soft_threshold(a: torch.Tensor, lam: float) -> torch.Tensor:
    """argmin_z ½ (z - a)² + λ |z| = sign(a) max(|a| - λ, 0): the L1 penalty's exact zeros, in closed form."""
    lam = check_float(lam, "soft_threshold: lam", min_value=0.0)
    a = as_operand(a, "soft_threshold: a")
    return torch.sign(a) * (a.abs() - lam).clamp_min(0.0)


def sparsity(codes: torch.Tensor, tol: float = 1e-6) -> float:
    """Fraction of code entries that are (numerically) zero, |z| <= tol."""
    tol = check_float(tol, "sparsity: tol", min_value=0.0)
    codes = as_tensor(codes, "sparsity: codes")
    if codes.numel() == 0:
        raise ValueError("sparsity: codes is empty: the fraction of zeros in nothing is undefined")
    if not torch.isfinite(codes).all():
        raise ValueError("sparsity: codes contains NaN or inf values")
    return float((codes.abs() <= tol).float().mean())


class SparseAutoencoder(Autoencoder):
    """An MLP autoencoder with a non-negative (ReLU) code and the penalty λ ||z||_1 per object."""

    def __init__(self, code_dim: int = 64, *, l1: float = 1.0, penalty: str = "l1", **kwargs):
        kwargs.setdefault("code_activation", "relu")
        super().__init__(code_dim, **kwargs)
        self.l1 = check_float(l1, "l1", min_value=0.0)
        if penalty not in ("l1", "l2"):
            raise ValueError(f"penalty must be 'l1' or 'l2', got {penalty!r}")
        self.penalty = penalty

    def loss(self, x: torch.Tensor) -> dict:
        z = self.encoder(x.flatten(1))
        rec = squared_error(self.decoder(z).reshape(x.shape), x).mean()
        pen = z.abs().sum(1).mean() if self.penalty == "l1" else (z**2).sum(1).mean()
        return {"loss": rec + self.l1 * pen, "reconstruction": rec.detach(), "penalty": pen.detach()}
