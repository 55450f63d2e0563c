"""Solutions to the exercises of 08_autoregressive_and_masked_models."""
from __future__ import annotations

import math

import torch


def causal_mask(T):
    """Exercise 1. Query t may attend to keys s ≤ t: the lower triangle, diagonal included (input position t
    holds the previous token, so output t still sees only x_<t)."""
    return torch.tril(torch.ones(T, T, dtype=torch.bool))


def made_output_mask(m_in, m_hidden):
    """Exercise 2. Output d reads hidden unit k only when m_in[d] > m_hidden[k] (strict: x_d never reaches its
    own logit). Rows: outputs (D), columns: hidden units (H)."""
    return (m_in[:, None] > m_hidden[None, :]).float()


def remask(confidence, masked, n_remask):
    """Exercise 3. Decided positions cannot be re-masked (confidence +inf); among the masked ones the n_remask
    least confident stay masked."""
    score = confidence.masked_fill(~masked, math.inf)
    out = torch.zeros_like(masked)
    out.scatter_(1, score.argsort(1)[:, :n_remask], True)
    return out


def mask_count(k, K, T):
    """Exercise 4. ⌊cos(π/2 · k/K) · T⌋ tokens still masked after pass k; none after the last pass (in floating
    point cos(π/2) ≈ 6e-17, not 0, so k = K is handled apart)."""
    if k >= K:
        return 0
    return int(math.floor(math.cos(math.pi / 2 * k / K) * T))
