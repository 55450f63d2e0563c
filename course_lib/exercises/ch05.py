"""Auto-checked exercises of 05_gans (reference solutions: ``solutions/ch05.py``, tested by
``tests/test_exercises_ch05.py``).

Each checker takes a function the student writes and runs it on cases of its own against an independent
reference (autograd, a brute-force minimisation, a histogram written here), so no loop over candidate numbers
can pass it; passing the course's own function instead of writing one is refused.
"""
from __future__ import annotations

import numpy as np
import torch

from course_lib.exercises import check, feedback, not_answered, uses_library

__all__ = ["check_nonsaturating_loss", "check_lsgan_optimal_discriminator", "check_mode_histogram"]


def check_nonsaturating_loss(answer):
    """Exercise 1: ``answer(fake_logits)`` → L_G' = −mean ln D(G(z)) with D = σ(logit), a scalar tensor that
    autograd can differentiate. Checked on random logits of several sizes (and on extreme ones, −120 and +60) by
    its value and by its gradient with respect to the logits, which must be −(1 − D)/m."""
    if not_answered(answer):
        return feedback(None)
    from course_lib.gans.losses import generator_loss

    if uses_library(answer, objects=(generator_loss, torch.nn.functional.softplus)) is not None:
        return feedback(False, "write the loss yourself (a few tensor operations), not the course's or torch's function")

    def ok(f):
        g = torch.Generator().manual_seed(11)
        for m in (5, 64, 257):
            s = torch.randn(m, generator=g) * 4     # float32, like a network's logits
            s[0], s[-1] = -120.0, 60.0
            s.requires_grad_(True)
            out = f(s)
            if not isinstance(out, torch.Tensor) or out.numel() != 1 or not out.requires_grad:
                return False
            (grad,) = torch.autograd.grad(out.reshape(()), s)
            s64 = s.detach().double()
            want = torch.logaddexp(torch.zeros_like(s64), -s64).mean()   # −ln σ(s) = ln(1 + e^{−s}), float64
            if not (torch.isfinite(out) and torch.allclose(out.detach().double().reshape(()), want, rtol=1e-5)
                    and torch.allclose(grad.double(), -(1 - torch.sigmoid(s64)) / m, rtol=1e-4, atol=1e-9)):
                return False
        return True

    return check(answer, ok, "write −ln σ(s) in a form that never takes the log of 0 (what is ln σ(s) as a "
                 "function of e^{−s}?), average over the batch, and keep it a tensor so autograd can differentiate "
                 "it; the checker also compares the gradient with the one the notebook derived",
                 "finite at any logit, and its gradient −(1 − D)/m is strong exactly where D(G(z)) ≈ 0.")


def check_lsgan_optimal_discriminator(answer):
    """Exercise 2: ``answer(p_data, p_g, a, b)`` → the optimal LSGAN discriminator D*(x), elementwise, for the
    coding a (target for fake samples), b (target for real ones): the minimiser over D of
    ½ p_data (D − b)² + ½ p_g (D − a)² at every x. Checked against a brute-force minimisation on a grid of D
    values, for several codings and density values of its own."""
    def ok(f):
        rng = np.random.default_rng(5)
        for a, b in ((0.0, 1.0), (-1.0, 1.0), (0.3, 2.5), (1.0, -1.0)):
            p, q = rng.uniform(0.01, 2.0, 40), rng.uniform(0.01, 2.0, 40)
            got = np.asarray(f(p.copy(), q.copy(), a, b), dtype=float)
            d = np.linspace(min(a, b) - 1, max(a, b) + 1, 20001)[:, None]
            brute = d[np.argmin(0.5 * p * (d - b) ** 2 + 0.5 * q * (d - a) ** 2, axis=0), 0]
            if got.shape != p.shape or not np.allclose(got, brute, atol=2e-4):
                return False
        return True

    return check(answer, ok, "the objective is a parabola in D at every x: set its derivative in D to zero; "
                 "the answer mixes the two targets a and b with weights given by the two densities",
                 "with a = 0, b = 1 it is p_data / (p_data + p_g), the cross-entropy GAN's D*.")


def check_mode_histogram(answer):
    """Exercise 3: ``answer(samples, centers, std)`` → (modes_min_share, reverse_kl) for samples (n, 2) of a
    mixture with centres (k, 2): a sample is high quality within 3·std of its nearest centre; a mode counts when
    at least n / (4k) samples are high-quality samples of it; the reverse KL is Σ_j p_j ln(k p_j) over the
    histogram p of the high-quality samples over the k modes (terms with p_j = 0 are 0). Checked on sample sets
    of its own (collapsed, even, noisy, uneven)."""
    if not_answered(answer):
        return feedback(None)
    from course_lib.evaluation.coverage import mode_statistics

    if uses_library(answer, objects=(mode_statistics,)) is not None:
        return feedback(False, "write it yourself with torch.cdist (or numpy), not course_lib.evaluation")

    def reference(x, c, std):
        dist = torch.cdist(x.double(), c.double())
        d_min, j = dist.min(1)
        counts = torch.bincount(j[d_min <= 3 * std], minlength=len(c)).double()
        p = counts / counts.sum()
        nz = p > 0
        return int((counts >= len(x) / (4 * len(c))).sum()), float((p[nz] * torch.log(len(c) * p[nz])).sum())

    def ok(f):
        g = torch.Generator().manual_seed(3)
        angles = 2 * np.pi * torch.arange(8, dtype=torch.float64) / 8
        ring = 2 * torch.stack([angles.cos(), angles.sin()], 1)
        cases = [ring[:1].repeat(300, 1) + 0.01 * torch.randn(300, 2, generator=g, dtype=torch.float64),
                 ring.repeat(40, 1) + 0.02 * torch.randn(320, 2, generator=g, dtype=torch.float64),
                 torch.rand(500, 2, generator=g, dtype=torch.float64) * 6 - 3,
                 ring[torch.tensor([0] * 200 + [1] * 60 + [2] * 20 + [5] * 15)]
                 + 0.03 * torch.randn(295, 2, generator=g, dtype=torch.float64)]
        for x in cases:
            m_ref, kl_ref = reference(x, ring, 0.02)
            m, kl = f(x.clone(), ring.clone(), 0.02)
            if int(m) != m_ref or not np.isclose(float(kl), kl_ref, rtol=1e-6, atol=1e-9):
                return False
        return True

    return check(answer, ok, "three steps: the nearest centre and its distance for every sample; a histogram "
                 "of the nearest centres of the high-quality samples only; then the share rule on the counts and "
                 "the KL on the normalised histogram (skip empty bins: 0 · ln 0 = 0)",
                 "a collapsed sampler scores few modes and a reverse KL near ln k; noise scores no mode at all.")
