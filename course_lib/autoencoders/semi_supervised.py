"""The semi-supervised autoencoder, taught in 03_autoencoder_family.

Data: unlabelled (x_i), i = 1..ℓ, and a few labelled (x_i, y_i), i = ℓ+1..ℓ+k. Encoder f(x, α), decoder
g(z, β) and a predictor ŷ(z, γ) on the code are learned together (notation of the lecture notes):

    Σ_{i≤ℓ} L(g(f(x_i, α), β), x_i) + λ Σ_{i>ℓ} L̃(ŷ(f(x_i, α), γ), y_i)  ->  min over α, β, γ,

with L the squared reconstruction error and L̃ the cross-entropy. The reconstruction term shapes the
encoder with all the data; the few labels only have to name the clusters it finds. With
``reconstruction=False`` the same network is trained on the labelled term alone: the supervised-only
baseline (λ plays no role there). A mini-batch mean replaces the first sum; the second is the mean over
the whole labelled set when it fits in one batch (k ≤ ``labelled_batch``), so λ weighs a mean
cross-entropy against a mean squared error.

Training follows a schedule for λ (notebook 03, "Objective"): λ_t = 0 for a warm-up (:func:`warm_up`:
the objective is then the plain autoencoder's, and the labels are not used), then λ_t = λ
(:func:`train_semi_supervised`); both recipes are in ``autoencoders/recipes.py``. A small λ (0.1) keeps the reconstruction term in charge of the encoder, so a
handful of labels cannot bend the code around themselves.
"""
from __future__ import annotations

import torch
import torch.nn.functional as Fn
from torch import nn

from course_lib._checks import as_images, as_tensor, check_float, check_int, check_labels
from course_lib.autoencoders.autoencoder import Autoencoder, squared_error

__all__ = ["SemiSupervisedAutoencoder", "semi_supervised_batches", "labelled_subset"]


def labelled_subset(y, per_class: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """Indices of ``per_class`` examples of each class (a balanced small labelled set), shape (C * per_class,)."""
    per_class = check_int(per_class, "labelled_subset: per_class", min_value=1)
    y = as_tensor(y, "labelled_subset: y", dtype=None)
    if y.ndim != 1 or y.is_floating_point():
        raise ValueError(f"labelled_subset: y must be integer class labels of shape (n,), got dtype {y.dtype} "
                         f"and shape {tuple(y.shape)}")
    out = []
    for c in torch.unique(y).tolist():
        idx = torch.nonzero(y == c).flatten()
        if len(idx) < per_class:
            raise ValueError(f"class {c} has only {len(idx)} examples, fewer than per_class={per_class}")
        out.append(idx[torch.randperm(len(idx), generator=generator)[:per_class]])
    return torch.cat(out)


def semi_supervised_batches(x_unlabelled, x_labelled, y_labelled, *, labelled_batch: int = 128,
                            generator: torch.Generator | None = None):
    """A ``batch_size -> (x_u, x_l, y_l)`` sampler for :func:`course_lib.training.fit`.

    ``x_u`` is ``batch_size`` random unlabelled images. If the labelled set has at most ``labelled_batch``
    examples, ``(x_l, y_l)`` is the whole labelled set at every step (the labelled sum exactly, and no
    example is seen more often than another); otherwise ``labelled_batch`` of them drawn at random.
    """
    fn = "semi_supervised_batches"
    x_unlabelled = as_images(x_unlabelled, f"{fn}: x_unlabelled", min_rows=1)
    x_labelled = as_images(x_labelled, f"{fn}: x_labelled")
    y_labelled = as_tensor(y_labelled, f"{fn}: y_labelled", dtype=None)
    if y_labelled.dtype.is_floating_point or y_labelled.ndim != 1:
        raise TypeError(f"{fn}: y_labelled must be a 1-D tensor of integer class labels, got dtype "
                        f"{y_labelled.dtype} and shape {tuple(y_labelled.shape)}")
    y_labelled = y_labelled.long()
    if len(y_labelled) and int(y_labelled.min()) < 0:
        raise ValueError(f"{fn}: y_labelled must hold class labels >= 0, got min {int(y_labelled.min())}")
    if len(x_labelled) != len(y_labelled):
        raise ValueError(f"x_labelled ({len(x_labelled)}) and y_labelled ({len(y_labelled)}) differ in length")
    if len(x_labelled) == 0:
        raise ValueError("the labelled set is empty")
    if x_labelled.shape[1:] != x_unlabelled.shape[1:]:
        raise ValueError(f"{fn}: x_labelled images {tuple(x_labelled.shape[1:])} and x_unlabelled images "
                         f"{tuple(x_unlabelled.shape[1:])} must have the same shape")
    labelled_batch = check_int(labelled_batch, "labelled_batch", min_value=1)
    whole = len(x_labelled) <= labelled_batch

    def sample(batch_size: int):
        iu = torch.randint(len(x_unlabelled), (batch_size,), generator=generator)
        if whole:
            return x_unlabelled[iu], x_labelled, y_labelled
        il = torch.randint(len(x_labelled), (labelled_batch,), generator=generator)
        return x_unlabelled[iu], x_labelled[il], y_labelled[il]

    return sample


class SemiSupervisedAutoencoder(nn.Module):
    """Autoencoder (f: encoder, g: decoder) plus a linear classifier ŷ(z, γ) on the code."""

    def __init__(self, code_dim: int = 32, n_classes: int = 10, *, lam: float = 0.1, reconstruction: bool = True,
                 **autoencoder_kwargs):
        super().__init__()
        self.autoencoder = Autoencoder(code_dim, **autoencoder_kwargs)
        self.classifier = nn.Linear(code_dim, check_int(n_classes, "n_classes", min_value=2))  # ŷ(z, γ)
        self.lam = check_float(lam, "lam", min_value=0.0)
        self.reconstruction = bool(reconstruction)

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C, H, W) -> class scores (N, n_classes), without input checks (``accuracy`` checks its inputs;
        ``fit`` checks the data once with :meth:`check_inputs`)."""
        return self.classifier(self.autoencoder.encoder(x.flatten(1)))

    def check_inputs(self, x_unlabelled, x_labelled, y_labelled):
        """Images in [0, 1] of the autoencoder's shape, labels (n_l,) in 0..n_classes-1 (fit calls this once)."""
        fn, shape = "SemiSupervisedAutoencoder", self.autoencoder.image_shape
        x_u = as_images(x_unlabelled, f"{fn}: x_unlabelled", shape=shape, min_rows=1)
        x_l = as_images(x_labelled, f"{fn}: x_labelled", shape=shape, min_rows=1)
        y_l = check_labels(y_labelled, f"{fn}: y_labelled", self.classifier.out_features, n=len(x_l))
        return x_u, x_l, y_l

    def loss(self, x_unlabelled: torch.Tensor, x_labelled: torch.Tensor, y_labelled: torch.Tensor) -> dict:
        sup = Fn.cross_entropy(self.logits(x_labelled), y_labelled)
        out = {"supervised": sup.detach()}
        if self.reconstruction:
            rec = squared_error(self.autoencoder(x_unlabelled), x_unlabelled).mean()
            out["reconstruction"] = rec.detach()
            out["loss"] = rec + self.lam * sup
        else:
            # The labelled term alone. λ would only rescale its gradient, which Adam undoes: no λ to tune.
            out["loss"] = sup
        return out

    @torch.no_grad()
    def accuracy(self, x, y) -> float:
        """Fraction of ``x`` (N, C, H, W) whose predicted class equals ``y`` (N,)."""
        x = as_images(x, "SemiSupervisedAutoencoder.accuracy: x", shape=self.autoencoder.image_shape, min_rows=1)
        y = check_labels(y, "SemiSupervisedAutoencoder.accuracy: y", self.classifier.out_features, n=len(x))
        was = self.training
        self.eval()
        acc = float((self.logits(x).argmax(1) == y).float().mean())
        self.train(was)
        return acc
