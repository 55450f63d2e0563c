"""Solutions to the exercises of 07_diffusion_models."""
from __future__ import annotations

import math

import torch


def cosine_alpha_bar(T, s=0.008, max_beta=0.999):
    """Exercise 1. ᾱ_t = f(t)/f(0), f(t) = cos²(π/2 (t/T + s)/(1 + s)); β_t = 1 − ᾱ_t/ᾱ_{t−1} capped at max_beta,
    and ᾱ rebuilt from the capped β's (so the cap changes the last ᾱ's, not only the β's)."""
    t = torch.arange(T + 1, dtype=torch.float64)
    f = torch.cos((t / T + s) / (1 + s) * math.pi / 2) ** 2
    ab = f / f[0]
    betas = (1 - ab[1:] / ab[:-1]).clamp(max=max_beta)
    return torch.cat([torch.ones(1, dtype=torch.float64), torch.cumprod(1 - betas, 0)])


def ddim_step(x_t, eps_hat, alpha_bar_t, alpha_bar_s, eta=0.0, z=None, clip=None):
    """Exercise 2. One DDIM step t → s with noise level η and optional x̂_0 clipping."""
    x0 = (x_t - (1 - alpha_bar_t) ** 0.5 * eps_hat) / alpha_bar_t ** 0.5
    if clip is not None:
        x0 = x0.clamp(-clip, clip)
        eps_hat = (x_t - alpha_bar_t ** 0.5 * x0) / (1 - alpha_bar_t) ** 0.5     # the ε consistent with x̂_0
    sigma = eta * ((1 - alpha_bar_s) / (1 - alpha_bar_t)) ** 0.5 * (1 - alpha_bar_t / alpha_bar_s) ** 0.5
    x_s = alpha_bar_s ** 0.5 * x0 + (1 - alpha_bar_s - sigma ** 2) ** 0.5 * eps_hat
    return x_s if z is None else x_s + sigma * z


def guided_step(eps_model, x_t, t, s, y, w, alpha_bar):
    """Exercise 3. Classifier-free guidance, then a deterministic DDIM step."""
    eps = (1 + w) * eps_model(x_t, t, y) - w * eps_model(x_t, t, None)
    return ddim_step(x_t, eps, alpha_bar[t], alpha_bar[s])
