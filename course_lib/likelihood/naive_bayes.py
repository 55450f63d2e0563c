"""Naive Bayes, the simplest generative classifier, and its discriminative twin (notebook 00).

Naive Bayes models the joint distribution of an object x = (x_1, ..., x_n) and its answer y as

    p(x, y) = p(y) ∏_i p(x_i | y),

with every pixel x_i a categorical variable over ``levels`` values (``levels=2``: Bernoulli pixels
after binarising; ``levels=17``: the 17 grey levels of scikit-learn's digits). Fitting by maximum
likelihood is counting; Laplace smoothing adds ``alpha`` pseudo-counts to every cell. Because it
models p(x, y), it classifies (p(y | x) ∝ p(x, y)) *and* generates (sample y, then every pixel).

:class:`LogisticRegression` is the discriminative model over the same pixels (Ng & Jordan 2001's
"generative-discriminative pair"): it models only p(y | x) and is trained with
:func:`course_lib.training.fit`.
"""
from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

from course_lib._checks import as_points, as_tensor, check_float, check_int, check_labels

__all__ = ["discretize", "NaiveBayes", "LogisticRegression"]


def discretize(images, levels: int) -> torch.Tensor:
    """Map intensities in [0, 1] (any shape) to integer codes 0..levels-1 (int64, same shape).

    Each value goes to the nearest level k/(levels-1); ties go down, so ``levels=2`` is exactly
    :func:`course_lib.data.binarize` (pixel > 0.5) and ``levels=17`` recovers the digits' 0..16.
    """
    levels = check_int(levels, "levels", min_value=2)
    x = as_tensor(images, "images")
    if x.numel() and (not torch.isfinite(x).all() or x.min() < 0 or x.max() > 1):
        raise ValueError(f"images must hold finite values in [0, 1], got min {float(x.min()):.3g}, "
                         f"max {float(x.max()):.3g}")
    return torch.ceil(x * (levels - 1) - 0.5).clamp_(0, levels - 1).long()


def _flat_codes(x, levels: int, name: str = "x") -> torch.Tensor:
    """(N, ...) integer codes → (N, D) int64, validated."""
    t = as_tensor(x, name, dtype=None)
    if t.ndim < 2:
        raise ValueError(f"{name} must be a batch of shape (N, D) or (N, C, H, W), got shape {tuple(t.shape)}")
    if t.is_floating_point():
        if not torch.equal(t, t.round()):
            raise ValueError(f"{name} must hold integer codes 0..{levels - 1}; got non-integer floats "
                             f"(turn intensities into codes with course_lib.likelihood.naive_bayes.discretize)")
    if len(t) == 0:
        raise ValueError(f"{name} is empty (0 rows), got shape {tuple(t.shape)}")
    t = t.flatten(1).long()
    if t.numel() and (t.min() < 0 or t.max() >= levels):
        raise ValueError(f"{name} must hold integer codes 0..{levels - 1}, got min {int(t.min())}, max {int(t.max())}")
    return t


class NaiveBayes(nn.Module):
    """Categorical Naive Bayes over D discrete features with ``levels`` values and K classes.

    Buffers (filled by :meth:`fit`):
        log_prior: (K,) log p(y = k)
        log_probs: (K, D, levels) log p(x_d = v | y = k)

    ``alpha`` is the Laplace pseudo-count: θ_kdv = (N_kdv + α) / (N_k + α·levels). ``alpha=0`` is the
    plain maximum-likelihood estimate (and gives log 0 = -inf for values never seen in a class).
    """

    def __init__(self, n_features: int, n_classes: int, levels: int = 2, alpha: float = 1.0):
        super().__init__()
        self.n_features = check_int(n_features, "n_features", min_value=1)
        self.n_classes = check_int(n_classes, "n_classes", min_value=1)
        self.levels = check_int(levels, "levels", min_value=2)
        self.alpha = check_float(alpha, "alpha", min_value=0.0)
        self.register_buffer("log_prior", torch.full((n_classes,), -math.log(n_classes)))
        self.register_buffer("log_probs", torch.full((n_classes, n_features, levels), -math.log(levels)))
        self.register_buffer("counts", torch.zeros(n_classes, n_features, levels))  # N_kdv
        self.register_buffer("class_counts", torch.zeros(n_classes))  # N_k

    # ------------------------------------------------------------------ fitting = counting
    def fit(self, x, y) -> "NaiveBayes":
        """Maximum-likelihood (+ Laplace) estimate from codes x (N, D) or (N, C, H, W) and labels y (N,)."""
        codes = _flat_codes(x, self.levels)
        if codes.shape[1] != self.n_features:
            raise ValueError(f"x must have {self.n_features} features per object, got shape {tuple(codes.shape)}")
        y = as_tensor(y, "y", dtype=None)
        if y.ndim != 1 or len(y) != len(codes) or y.is_floating_point():
            raise ValueError(f"y must be integer labels of shape ({len(codes)},), got {tuple(y.shape)} {y.dtype}")
        y = y.long()
        if y.min() < 0 or y.max() >= self.n_classes:
            raise ValueError(f"y must hold labels 0..{self.n_classes - 1}, got min {int(y.min())}, max {int(y.max())}")
        onehot = F.one_hot(codes, self.levels).float()  # (N, D, L)
        counts = torch.zeros(self.n_classes, self.n_features, self.levels).index_add_(0, y, onehot)
        self.counts.copy_(counts)
        self.class_counts.copy_(torch.bincount(y, minlength=self.n_classes).float())
        self.set_alpha(self.alpha)
        return self

    def set_alpha(self, alpha: float) -> "NaiveBayes":
        """Re-estimate the probabilities from the stored counts with a new smoothing ``alpha`` (cheap)."""
        self.alpha = check_float(alpha, "alpha", min_value=0.0)
        if self.class_counts.sum() == 0:
            raise RuntimeError("NaiveBayes has not been fitted yet: call fit(x, y) first")
        with torch.no_grad():
            self.log_prior.copy_(torch.log(self.class_counts / self.class_counts.sum()))
            num = self.counts + self.alpha
            den = self.class_counts[:, None, None] + self.alpha * self.levels
            self.log_probs.copy_(torch.log(num) - torch.log(den))
        return self

    # ------------------------------------------------------------------ the joint and what follows from it
    def log_joint(self, x) -> torch.Tensor:
        """log p(x, y=k) for every class: (N, K) from codes x (N, D) or (N, C, H, W)."""
        codes = _flat_codes(x, self.levels)
        if codes.shape[1] != self.n_features:
            raise ValueError(f"x must have {self.n_features} features per object, got shape {tuple(codes.shape)}")
        # Pick log p(x_d = v | y = k) for the observed v of every feature, then sum over features.
        idx = codes.T[None].expand(self.n_classes, -1, -1)  # (K, D, N)
        picked = torch.gather(self.log_probs, 2, idx)  # (K, D, N)
        return self.log_prior[None, :] + picked.sum(1).T  # (N, K)

    def log_prob(self, x) -> torch.Tensor:
        """log p(x) = log Σ_k p(x, y=k): the model's density of objects, (N,)."""
        return torch.logsumexp(self.log_joint(x), dim=1)

    def predict_log_proba(self, x) -> torch.Tensor:
        """log p(y | x) = log p(x, y) - log p(x): (N, K)."""
        return torch.log_softmax(self.log_joint(x), dim=1)

    def predict(self, x) -> torch.Tensor:
        """argmax_k p(y=k | x) = argmax_k p(x, y=k), labels (N,)."""
        return self.log_joint(x).argmax(1)

    def accuracy(self, x, y) -> float:
        pred = self.predict(x)
        y = check_labels(y, "NaiveBayes.accuracy: y", self.n_classes, n=len(pred))
        return float((pred == y).float().mean())

    def pixel_probs(self) -> torch.Tensor:
        """E[x_d | y=k] / (levels-1): the class-conditional mean intensity in [0, 1], (K, D)."""
        values = torch.arange(self.levels, dtype=torch.float32) / (self.levels - 1)
        return (self.log_probs.exp() * values).sum(-1)

    @torch.no_grad()
    def sample(self, n: int, y=None, generator: torch.Generator | None = None):
        """Draw n objects from the joint: y ~ p(y) (or the given labels y of shape (n,)), x_d ~ p(x_d|y).

        Returns (codes (n, D) int64, labels (n,) int64). Every pixel is drawn on its own, given y:
        the independence assumption is visible in the samples.
        """
        n = check_int(n, "n", min_value=1)
        if y is None:
            y = torch.multinomial(self.log_prior.exp(), n, replacement=True, generator=generator)
        else:
            y = check_labels(y, "NaiveBayes.sample: y", self.n_classes, n=n)
        probs = self.log_probs.exp()[y].reshape(n * self.n_features, self.levels)  # (n·D, L)
        codes = torch.multinomial(probs, 1, generator=generator).reshape(n, self.n_features)
        return codes, y

    def extra_repr(self) -> str:
        return f"features={self.n_features}, classes={self.n_classes}, levels={self.levels}, alpha={self.alpha:g}"


class LogisticRegression(nn.Module):
    """Multinomial logistic regression p(y | x) = softmax(W x + b): discriminative, cannot generate.

    x: (N, D) floats (or (N, C, H, W), flattened); the model makes no assumption about how the
    pixels depend on each other. Train with ``fit(model, (x, y), ...)``; ``weight_decay`` is an L2
    penalty (a Gaussian prior on W) that keeps it from over-fitting small training sets.
    """

    def __init__(self, n_features: int, n_classes: int, weight_decay: float = 1e-3):
        super().__init__()
        self.n_features = check_int(n_features, "n_features", min_value=1)
        self.weight_decay = check_float(weight_decay, "weight_decay", min_value=0.0)
        self.linear = nn.Linear(self.n_features, check_int(n_classes, "n_classes", min_value=1))

    def _flat(self, x, name: str = "LogisticRegression: x") -> torch.Tensor:
        x = as_tensor(x, name)
        if x.ndim < 2 or math.prod(x.shape[1:]) != self.n_features:
            raise ValueError(f"{name} must have shape (N, {self.n_features}) (or images with {self.n_features} "
                             f"pixels), got shape {tuple(x.shape)}")
        return as_points(x.flatten(1), name)

    def check_inputs(self, x, y):
        """x (N, D) finite, y (N,) labels 0..K-1: fit calls this once; :meth:`loss` is the math alone."""
        x = self._flat(x)
        return x, check_labels(y, "LogisticRegression: y", self.linear.out_features, n=len(x))

    def forward(self, x) -> torch.Tensor:
        """Logits (N, K) of x (N, D) or images, without input checks (:meth:`predict` checks its x)."""
        return self.linear(x.flatten(1))

    def loss(self, x, y) -> dict:
        nll = F.cross_entropy(self(x), y)
        return {"loss": nll + self.weight_decay * self.linear.weight.pow(2).sum(), "nll": nll}

    @torch.no_grad()
    def predict(self, x) -> torch.Tensor:
        return self(self._flat(x, "LogisticRegression.predict: x")).argmax(1)

    def accuracy(self, x, y) -> float:
        x, y = self.check_inputs(x, y)
        with torch.no_grad():
            return float((self(x).argmax(1) == y).float().mean())
