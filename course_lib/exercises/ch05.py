"""Auto-checked exercises of 05_gans (reference solutions: tests/test_exercises_ch05.py)."""
from __future__ import annotations

import math

import numpy as np
import torch

from course_lib.exercises import check

__all__ = ["check_optimal_discriminator", "check_nonsaturating_loss", "check_equilibrium_value"]


def check_optimal_discriminator(answer):
    """``answer(p_data, p_g)``: the optimal discriminator D*(x) from the two densities (numpy arrays)."""
    p = np.array([0.0, 0.1, 0.5, 2.0, 1.0])
    q = np.array([1.0, 0.3, 0.5, 0.5, 0.0])

    def ok(f):
        out = np.asarray(f(p, q), dtype=float)
        return out.shape == p.shape and np.allclose(out, p / (p + q), atol=1e-6)

    return check(answer, ok, "D*(x) = p_data(x) / (p_data(x) + p_g(x)), elementwise; "
                 "where only the data has mass D* = 1, where only the generator has mass D* = 0",
                 "D* is the Bayes classifier between data and generator with equal priors.")


def check_nonsaturating_loss(answer):
    """``answer(fake_logits)``: L_G' = −mean ln D(G(z)) with D = sigmoid(logit), as a scalar tensor."""
    logits = torch.tensor([-120.0, -2.0, 0.0, 1.5, 4.0])

    def ok(f):
        out = torch.as_tensor(f(logits.clone()))
        want = torch.nn.functional.softplus(-logits).mean()
        return out.numel() == 1 and bool(torch.isfinite(out)) and torch.allclose(out.float(), want, rtol=1e-4)

    return check(answer, ok, "−ln σ(s) = softplus(−s); average over the batch. torch.log(torch.sigmoid(s)) "
                 "underflows to −inf for very negative logits such as −120 (use F.softplus or F.logsigmoid)",
                 "the numerically stable form gives strong gradients exactly where D(G(z)) ≈ 0.")


def check_equilibrium_value(answer):
    """The value V(D*, G) of the minimax game when p_g = p_data (a number)."""
    return check(answer, lambda a: abs(float(a) - (-math.log(4))) < 1e-3,
                 "at p_g = p_data the optimal discriminator is 1/2 everywhere; plug D = 1/2 into "
                 "E ln D(x) + E ln(1 − D(G(z)))",
                 "V = −ln 4 ≈ −1.386, and in general V(D*, G) = −ln 4 + 2·JS(p_data ‖ p_g).")
