"""The semi-supervised autoencoder, taught in 03_autoencoder_family.

Data: unlabelled (x_i), i = 1..ℓ, and a few labelled (x_i, y_i), i = ℓ+1..ℓ+k. Encoder f(x, α), decoder
g(z, β) and a predictor ŷ(z, γ) on the code are learned together (notation of the lecture notes):

    Σ_{i≤ℓ} L(g(f(x_i, α), β), x_i) + λ Σ_{i>ℓ} L̃(ŷ(f(x_i, α), γ), y_i)  ->  min over α, β, γ,

with L the squared reconstruction error and L̃ the cross-entropy. The reconstruction term shapes the
encoder with all the data; the few labels only have to name the clusters it finds. With
``reconstruction=False`` the same network is trained on the labelled term alone: the supervised-only
baseline. Mini-batch means replace the sums, so λ weighs a mean cross-entropy against a mean squared error.
"""
from __future__ import annotations

import torch
import torch.nn.functional as Fn
from torch import nn

from ._checks import as_images, check_float, check_int
from .autoencoder import Autoencoder, squared_error

__all__ = ["SemiSupervisedAutoencoder", "semi_supervised_batches", "labelled_subset"]


def labelled_subset(y, per_class: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """Indices of ``per_class`` examples of each class (a balanced small labelled set), shape (C * per_class,)."""
    per_class = check_int(per_class, "per_class", min_value=1)
    y = torch.as_tensor(y)
    out = []
    for c in torch.unique(y).tolist():
        idx = torch.nonzero(y == c).flatten()
        if len(idx) < per_class:
            raise ValueError(f"class {c} has only {len(idx)} examples, fewer than per_class={per_class}")
        out.append(idx[torch.randperm(len(idx), generator=generator)[:per_class]])
    return torch.cat(out)


def semi_supervised_batches(x_unlabelled, x_labelled, y_labelled, *, labelled_batch: int = 64,
                            generator: torch.Generator | None = None):
    """A ``batch_size -> (x_u, x_l, y_l)`` sampler for :func:`course_lib.training.fit`."""
    x_unlabelled = as_images(x_unlabelled, "x_unlabelled")
    x_labelled = as_images(x_labelled, "x_labelled")
    y_labelled = torch.as_tensor(y_labelled).long()
    if len(x_labelled) != len(y_labelled):
        raise ValueError(f"x_labelled ({len(x_labelled)}) and y_labelled ({len(y_labelled)}) differ in length")
    labelled_batch = check_int(labelled_batch, "labelled_batch", min_value=1)

    def sample(batch_size: int):
        iu = torch.randint(len(x_unlabelled), (batch_size,), generator=generator)
        il = torch.randint(len(x_labelled), (min(labelled_batch, batch_size),), generator=generator)
        return x_unlabelled[iu], x_labelled[il], y_labelled[il]

    return sample


class SemiSupervisedAutoencoder(nn.Module):
    """Autoencoder (f: encoder, g: decoder) plus a linear classifier ŷ(z, γ) on the code."""

    def __init__(self, code_dim: int = 16, n_classes: int = 10, *, lam: float = 10.0, reconstruction: bool = True,
                 **autoencoder_kwargs):
        super().__init__()
        self.autoencoder = Autoencoder(code_dim, **autoencoder_kwargs)
        self.classifier = nn.Linear(code_dim, check_int(n_classes, "n_classes", min_value=2))  # ŷ(z, γ)
        self.lam = check_float(lam, "lam", min_value=0.0)
        self.reconstruction = bool(reconstruction)

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C, H, W) -> class scores (N, n_classes)."""
        return self.classifier(self.autoencoder.encode(x))

    def loss(self, x_unlabelled: torch.Tensor, x_labelled: torch.Tensor, y_labelled: torch.Tensor) -> dict:
        sup = Fn.cross_entropy(self.logits(x_labelled), y_labelled)
        out = {"supervised": sup.detach()}
        if self.reconstruction:
            rec = squared_error(self.autoencoder(x_unlabelled), x_unlabelled).mean()
            out["reconstruction"] = rec.detach()
            out["loss"] = rec + self.lam * sup
        else:
            out["loss"] = self.lam * sup
        return out

    @torch.no_grad()
    def accuracy(self, x, y) -> float:
        was = self.training
        self.eval()
        acc = float((self.logits(x).argmax(1) == torch.as_tensor(y)).float().mean())
        self.train(was)
        return acc
