"""Masked autoencoder on image patches (He et al. 2022), notebook 08.

An image is cut into L patches (``patches.patchify``). A random subset of ``mask_ratio``·L patches is
hidden, chosen by sorting uniform noise (``random_masking``: each row's argsort is a random
permutation; the first L_keep indices are kept). The *encoder* (a transformer) sees only the
visible patches — with 75 % masked it processes a quarter of the sequence. A light *decoder* gets
the encoded visible tokens back in place, a learned MASK embedding everywhere else, adds position
embeddings and predicts every patch's pixels; the loss is the squared error **on masked patches
only**. After training the encoder alone, fed all patches, gives features for a linear probe.
"""
from __future__ import annotations

import torch
from torch import nn

from course_lib._checks import as_images, check_float, check_int
from course_lib.autoregressive.patches import patchify, unpatchify
from course_lib.autoregressive.transformer import Block

__all__ = ["MAE", "random_masking"]


def random_masking(n: int, L: int, mask_ratio: float, generator: torch.Generator | None = None, device=None):
    """Per-sample random masking by argsort of uniform noise.

    Returns ``ids_keep`` (n, L_keep) indices of visible patches, ``mask`` (n, L) float with 1 = masked,
    and ``ids_restore`` (n, L) that undoes the shuffle (``gather`` a [visible, masked] sequence with it).
    L_keep = round(L·(1 − mask_ratio)), at least 1.
    """
    n = check_int(n, "random_masking: n", min_value=1)
    L = check_int(L, "random_masking: L", min_value=1)
    mask_ratio = check_float(mask_ratio, "random_masking: mask_ratio", min_value=0.0, max_value=1.0)
    L_keep = max(1, int(round(L * (1 - mask_ratio))))
    noise = torch.rand(n, L, generator=generator).to(device)
    ids_shuffle = noise.argsort(1)            # small noise first: those are kept
    ids_restore = ids_shuffle.argsort(1)
    ids_keep = ids_shuffle[:, :L_keep]
    mask = torch.ones(n, L, device=device)
    mask[:, :L_keep] = 0
    mask = mask.gather(1, ids_restore)         # back to the original patch order
    return ids_keep, mask, ids_restore


class MAE(nn.Module):
    """MAE for grey images (N, 1, H, W) in [0, 1], patches p×p.

    ``loss(x)`` → mean squared error per masked pixel; ``reconstruct(x, mask_ratio, generator)`` →
    (reconstruction with visible patches pasted back, mask image (N, 1, H, W)); ``features(x)`` → (N, d)
    mean of the encoder's outputs on all patches. No ``log_prob``/``sample``: an MAE is a
    representation learner, not a generative model of its own.
    """

    def __init__(self, image_size=(28, 28), patch: int = 4, d: int = 64, layers: int = 2, heads: int = 4,
                 dec_d: int = 32, dec_layers: int = 1, mask_ratio: float = 0.75):
        super().__init__()
        self.hw = tuple(check_int(s, "MAE: image_size", min_value=1) for s in image_size)
        self.p = check_int(patch, "MAE: patch", min_value=1)
        if self.hw[0] % self.p or self.hw[1] % self.p:
            raise ValueError(f"MAE: image_size {self.hw} must be divisible by patch {self.p}")
        self.L = (self.hw[0] // self.p) * (self.hw[1] // self.p)
        self.mask_ratio = check_float(mask_ratio, "MAE: mask_ratio", min_value=0.0, max_value=0.99)
        d = check_int(d, "MAE: d", min_value=1)
        dec_d = check_int(dec_d, "MAE: dec_d", min_value=1)
        P = self.p * self.p
        self.embed = nn.Linear(P, d)
        self.pos = nn.Parameter(torch.randn(self.L, d) * 0.1)
        self.enc = nn.ModuleList(Block(d, heads) for _ in range(check_int(layers, "MAE: layers", min_value=1)))
        self.enc_ln = nn.LayerNorm(d)
        self.to_dec = nn.Linear(d, dec_d)
        self.mask_token = nn.Parameter(torch.zeros(dec_d))
        self.dec_pos = nn.Parameter(torch.randn(self.L, dec_d) * 0.1)
        self.dec = nn.ModuleList(Block(dec_d, 4 if dec_d % 4 == 0 else 1) for _ in range(dec_layers))
        self.dec_ln = nn.LayerNorm(dec_d)
        self.out = nn.Linear(dec_d, P)

    def _images(self, x, fn: str) -> torch.Tensor:
        x = as_images(x, f"{fn}: x", channels=1)
        if tuple(x.shape[2:]) != self.hw:
            raise ValueError(f"{fn}: x must have shape (N, 1, {self.hw[0]}, {self.hw[1]}), got {tuple(x.shape)}")
        return x.to(self.pos.device)

    def encode(self, patches: torch.Tensor, ids_keep: torch.Tensor | None = None) -> torch.Tensor:
        """(N, L, p²) patches → (N, L_keep, d) encoded visible tokens (all L when ids_keep is None)."""
        h = self.embed(patches) + self.pos
        if ids_keep is not None:
            h = h.gather(1, ids_keep[..., None].expand(-1, -1, h.shape[-1]))
        for blk in self.enc:
            h = blk(h, causal=False)
        return self.enc_ln(h)

    def decode(self, h: torch.Tensor, ids_restore: torch.Tensor) -> torch.Tensor:
        """(N, L_keep, d) → (N, L, p²): MASK embedding on hidden positions, then the decoder."""
        z = self.to_dec(h)
        N, L_keep, dd = z.shape
        z = torch.cat([z, self.mask_token.expand(N, self.L - L_keep, dd)], 1)     # [visible, masked]
        z = z.gather(1, ids_restore[..., None].expand(-1, -1, dd)) + self.dec_pos  # original order
        for blk in self.dec:
            z = blk(z, causal=False)
        return self.out(self.dec_ln(z))

    def forward_masked(self, x, mask_ratio: float | None = None, generator=None):
        """→ (patches (N, L, p²), predictions (N, L, p²), mask (N, L) with 1 = masked)."""
        x = self._images(x, "MAE.forward_masked")
        patches = patchify(x, self.p)
        ratio = self.mask_ratio if mask_ratio is None else mask_ratio
        ids_keep, mask, ids_restore = random_masking(len(x), self.L, ratio, generator, x.device)
        pred = self.decode(self.encode(patches, ids_keep), ids_restore)
        return patches, pred, mask

    def loss(self, x, generator: torch.Generator | None = None) -> torch.Tensor:
        """Mean squared error per pixel over the masked patches only."""
        if len(self._images(x, "MAE.loss")) == 0:
            raise ValueError("MAE.loss: x is an empty batch (0 images); the loss averages over at least one")
        patches, pred, mask = self.forward_masked(x, generator=generator)
        per_patch = ((pred - patches) ** 2).mean(-1)                  # (N, L)
        return (per_patch * mask).sum() / mask.sum().clamp_min(1)

    @torch.no_grad()
    def reconstruct(self, x, mask_ratio: float | None = None, generator=None):
        """(N, 1, H, W) → (reconstruction with visible patches kept, mask image (N, 1, H, W), 1 = hidden)."""
        patches, pred, mask = self.forward_masked(x, mask_ratio, generator)
        m = mask[..., None]
        recon = unpatchify((m * pred.clamp(0, 1) + (1 - m) * patches), self.p, self.hw)
        return recon, unpatchify(m.expand_as(patches), self.p, self.hw)

    @torch.no_grad()
    def features(self, x) -> torch.Tensor:
        """Encoder on every patch (no masking), mean over patches → (N, d): the linear-probe features."""
        return self.encode(patchify(self._images(x, "MAE.features"), self.p)).mean(1)
