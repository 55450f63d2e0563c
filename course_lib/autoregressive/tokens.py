"""Visual tokens: a k-means codebook over p×p patches, so an image becomes a short sequence of ids (notebook 08).

A 28x28 MNIST image cut into 4x4 patches is a 7x7 grid of 16-dimensional vectors. k-means (Lloyd's
algorithm, k-means++ start) over training patches gives a codebook of k centroids; *encoding* replaces
each patch by the id of its nearest centroid, *decoding* pastes the centroids back. The image is now
49 discrete tokens from a vocabulary of k — what an autoregressive transformer or MaskGIT models,
like words in a sentence (VQ-VAE/VQGAN learn the codebook and the encoder jointly; k-means is the
simplest tokenizer with the same interface).
"""
from __future__ import annotations

import torch
from torch import nn

from course_lib._checks import as_images, as_tensor, check_int
from course_lib.autoregressive._common import as_tokens
from course_lib.autoregressive.patches import patchify, unpatchify

__all__ = ["PatchCodebook", "kmeans"]


def kmeans(x: torch.Tensor, k: int, iters: int = 30, generator: torch.Generator | None = None):
    """k-means (scikit-learn's ``KMeans``: Lloyd's algorithm, k-means++ start) on (N, D) points →
    (centroids (k, D), inertia float); reproducible for a seeded ``generator``."""
    x = as_tensor(x, "kmeans: x")
    if x.ndim == 2 and len(x) == 0:
        raise ValueError(f"kmeans: x is empty (0 points, shape {tuple(x.shape)}); k-means needs at least k points")
    if x.ndim != 2 or not torch.isfinite(x).all():
        raise ValueError(f"kmeans: x must be finite points (N, D), got shape {tuple(x.shape)}"
                         + ("" if x.ndim != 2 else " with NaN or inf"))
    iters = check_int(iters, "kmeans: iters", min_value=1)
    k = check_int(k, "kmeans: k", min_value=1, max_value=len(x))
    # scikit-learn's Lloyd iterations from its (greedy) k-means++ start, seeded from ``generator``: on 40,000
    # MNIST patches (k = 64, 30 iterations) it reaches the inertia of the former hand-written loop, no slower
    from sklearn.cluster import KMeans   # imported on use: scikit-learn is slow to import

    seed = int(torch.randint(2**31 - 1, (1,), generator=generator))
    km = KMeans(k, init="k-means++", n_init=1, max_iter=iters, random_state=seed).fit(x.detach().cpu().numpy())
    C = torch.as_tensor(km.cluster_centers_, dtype=x.dtype, device=x.device)
    inertia = float(km.inertia_)
    return C, inertia


class PatchCodebook(nn.Module):
    """k-means codebook of p×p patches of grey images (N, 1, H, W) in [0, 1].

    ``fit(images)``; ``encode(images)`` → (N, H/p, W/p) int64 ids; ``decode(ids)`` → (N, 1, H, W).
    """

    def __init__(self, k: int = 64, patch: int = 4, image_size=(28, 28)):
        super().__init__()
        self.k = check_int(k, "PatchCodebook: k", min_value=2)
        self.p = check_int(patch, "PatchCodebook: patch", min_value=1)
        self.hw = tuple(image_size)
        self.register_buffer("centroids", torch.zeros(self.k, self.p * self.p))

    @property
    def grid(self) -> tuple[int, int]:
        return self.hw[0] // self.p, self.hw[1] // self.p

    def _images(self, x, fn):
        if fn != "PatchCodebook.fit" and not bool(self.centroids.any()):  # all-zero centroids: never fitted/loaded
            raise RuntimeError(f"{fn}: the codebook has no codewords yet; call .fit(images) first (or load a "
                               "trained one)")
        x = as_images(x, f"{fn}: images", channels=1)
        if tuple(x.shape[2:]) != self.hw:
            raise ValueError(f"{fn}: images must have shape (N, 1, {self.hw[0]}, {self.hw[1]}), got {tuple(x.shape)}")
        return x

    @torch.no_grad()
    def fit(self, images, iters: int = 30, max_patches: int = 40000, generator=None) -> "PatchCodebook":
        pts = patchify(self._images(images, "PatchCodebook.fit"), self.p).reshape(-1, self.p * self.p)
        if len(pts) > max_patches:
            pts = pts[torch.randperm(len(pts), generator=generator)[:max_patches]]
        self.centroids.copy_(kmeans(pts, self.k, iters, generator)[0])
        self.inertia_per_patch = float(torch.cdist(pts, self.centroids).min(1).values.pow(2).mean())
        return self

    @torch.no_grad()
    def encode(self, images) -> torch.Tensor:
        """(N, 1, H, W) → (N, H/p, W/p) ids of the nearest centroids."""
        pts = patchify(self._images(images, "PatchCodebook.encode"), self.p)         # (N, L, p²)
        ids = torch.cdist(pts, self.centroids.expand(len(pts), -1, -1)).argmin(-1)
        return ids.reshape(len(pts), *self.grid)

    @torch.no_grad()
    def decode(self, ids) -> torch.Tensor:
        """(N, H/p, W/p) (or (N, L)) ids → (N, 1, H, W) images made of centroids."""
        L = self.grid[0] * self.grid[1]
        ids = as_tokens(ids, L, self.k, "PatchCodebook.decode", "ids", shape=self.grid)
        patches = self.centroids[ids]                                     # (N, L, p²)
        return unpatchify(patches, self.p, self.hw)
