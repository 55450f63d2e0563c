"""Solutions to the exercises of 06_wasserstein_gans."""
from __future__ import annotations

import numpy as np
import torch


def emd_1d(x, y):
    """Exercise 1. Between neighbouring pooled points t_k < t_{k+1} both CDFs are constant:
    EMD = Σ_k (t_{k+1} − t_k) |F_x(t_k) − F_y(t_k)|."""
    t = np.sort(np.concatenate([x, y]))
    fx = np.searchsorted(np.sort(x), t[:-1], side="right") / len(x)
    fy = np.searchsorted(np.sort(y), t[:-1], side="right") / len(y)
    return float(np.sum(np.diff(t) * np.abs(fx - fy)))


def one_sided_penalty(D, real, fake, eps):
    """Exercise 2. As the two-sided penalty, with (‖∇D‖ − 1)² replaced by max(0, ‖∇D‖ − 1)²."""
    x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(D(x_hat).sum(), x_hat, create_graph=True)
    return (torch.clamp(grad.norm(dim=1) - 1, min=0) ** 2).mean()


def c_transform(u, x, y):
    """Exercise 3. v_j = min_i (d(x_i, y_j) − u_i): the tightest of the n constraints on v_j."""
    C = np.sqrt(((x[:, None, :] - y[None, :, :]) ** 2).sum(-1))
    return (C - u[:, None]).min(axis=0)


EXERCISE_4 = """Exercise 4 (open), expected outcome. Train the critic of the duality cell with λ = 0 (no penalty):
nothing keeps it Lipschitz, so E_P D − E_Q D keeps growing with the training steps, far past the EMD (the critic
just scales itself up), and its gradient norms grow with it. With λ = 1 or more the gap levels off near the EMD.
A WGAN's generator follows the critic's gradient: without the constraint that gradient measures nothing.
`exercise_4()` trains both critics and returns their gaps over the steps and the EMD."""


def exercise_4(steps=300, checkpoints=(100, 300)):
    """{λ: [gap after each checkpoint]}, and the exact EMD, for critics trained with λ = 0 and λ = 10."""
    from course_lib import evaluation, gans

    gk = torch.Generator().manual_seed(4)
    P = torch.randn(300, 2, generator=gk) * 0.4 + torch.tensor([-1.0, 0.0])
    Q = torch.randn(300, 2, generator=gk) * torch.tensor([0.2, 0.8]) + torch.tensor([1.0, 0.5])
    out = {}
    for lam in (0.0, 10.0):
        torch.manual_seed(0)
        critic = gans.Discriminator(2, hidden=64, layers=3)
        opt = torch.optim.Adam(critic.parameters(), lr=2e-3, betas=(0.5, 0.9))
        gaps = []
        for step in range(1, steps + 1):
            gap = critic(P).mean() - critic(Q).mean()
            loss = -gap + (lam * gans.gradient_penalty(critic, P, Q, generator=gk) if lam else 0.0)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if step in checkpoints:
                with torch.no_grad():
                    gaps.append(float(critic(P).mean() - critic(Q).mean()))
        out[lam] = gaps
    return out, evaluation.emd(P, Q)
