"""Auto-checked exercises of 02_pca_and_autoencoders (reference solutions: tests/test_exercises_ch02.py)."""
from __future__ import annotations

import torch

from course_lib.exercises import check

__all__ = ["check_projector", "check_components_for_variance"]


def check_projector(answer) -> bool | None:
    """Exercise 1: ``answer(U) -> P``, the (n, n) orthogonal projector onto span(U) for U (n, m), U^T U = I."""

    def ok(fn):
        g = torch.Generator().manual_seed(7)
        for n, m in ((5, 2), (12, 4)):
            U, _ = torch.linalg.qr(torch.randn(n, m, generator=g, dtype=torch.float64))
            P = torch.as_tensor(fn(U), dtype=torch.float64)
            if P.shape != (n, n):
                return False
            x_in = U @ torch.randn(m, generator=g, dtype=torch.float64)   # in span(U): P x = x
            x_out = torch.randn(n, generator=g, dtype=torch.float64)
            x_out = x_out - U @ (U.T @ x_out)                               # orthogonal to span(U): P x = 0
            if not (torch.allclose(P, P.T, atol=1e-8) and torch.allclose(P @ P, P, atol=1e-8)
                    and torch.allclose(P @ x_in, x_in, atol=1e-8) and torch.allclose(P @ x_out, 0 * x_out, atol=1e-8)):
                return False
        return True

    return check(answer, ok, "P must be symmetric, satisfy P P = P, keep vectors of span(U) and send vectors "
                             "orthogonal to it to 0. Which product of U with itself does that?",
                 "P = U Uᵀ is the orthogonal projector of the lecture's objective.")


def check_components_for_variance(answer, singular_values, level: float = 0.9) -> bool | None:
    """Exercise 2: the smallest m whose components explain at least ``level`` of the total variance.

    ``singular_values``: all singular values of the centred training matrix F (``pca.singular_values``).
    """
    s2 = torch.as_tensor(singular_values, dtype=torch.float64) ** 2
    ratio = torch.cumsum(s2, 0) / s2.sum()
    want = int((ratio < level).sum()) + 1

    def ok(a):
        if isinstance(a, bool) or not float(a).is_integer():
            return False
        return int(a) == want

    return check(answer, ok, f"the explained-variance ratio of m components is sum of the first m squared singular "
                             f"values over the sum of all of them; find the first m where it reaches {level:.0%}.",
                 f"{want} components keep {level:.0%} of the variance of 784 pixels.")
