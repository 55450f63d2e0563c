"""Solutions to the exercises of 05_gans."""
from __future__ import annotations

import torch


def nonsaturating_loss(fake_logits):
    """Exercise 1. −ln σ(s) = ln(1 + e^{−s}) = logaddexp(0, −s): never the log of 0, for any logit."""
    return torch.logaddexp(torch.zeros_like(fake_logits), -fake_logits).mean()


def lsgan_optimal_discriminator(p_data, p_g, a, b):
    """Exercise 2. d/dD [½ p_data (D − b)² + ½ p_g (D − a)²] = p_data (D − b) + p_g (D − a) = 0
    ⇒ D* = (b p_data + a p_g) / (p_data + p_g)."""
    return (b * p_data + a * p_g) / (p_data + p_g)


def mode_histogram(samples, centers, std):
    """Exercise 3. Nearest centre per sample; histogram of the high-quality ones; share rule and reverse KL."""
    dist = torch.cdist(torch.as_tensor(samples, dtype=torch.float64), torch.as_tensor(centers, dtype=torch.float64))
    d_min, nearest = dist.min(dim=1)
    k = len(centers)
    counts = torch.bincount(nearest[d_min <= 3 * std], minlength=k).double()
    p = counts / counts.sum()
    nz = p > 0
    return int((counts >= len(samples) / (4 * k)).sum()), float((p[nz] * torch.log(k * p[nz])).sum())


EXERCISE_4 = """Exercise 4 (open), expected outcome. Retrained on new seeds, the plain non-saturating GAN ends on
the ring with a spread like the table's: some seeds reach most modes with a fair share, others few, and the
high-quality fraction varies a lot from seed to seed. With stable=True (R1 + averaged generator) every seed
ends with most modes by the share rule and a higher high-quality fraction. A retrained seed need not match
the recording of the same seed on another computer: compare with the spread, not with one run."""
