"""Auto-checked exercises of 02_pca_and_autoencoders.

Every checker takes a function and runs it on cases of its own (random spectra, random subspaces, a synthetic
data set), so no loop over candidate numbers can pass it. Reference solutions: ``solutions/ch02.py``;
``tests/test_exercises_ch02.py`` checks them, typical mistakes and random guesses.
"""
from __future__ import annotations

import numpy as np
import torch
from scipy.linalg import subspace_angles

from course_lib.exercises import check, check_own

__all__ = ["check_components_for_variance", "check_projection_distance", "check_linear_ae_step", "synthetic_data"]


def check_components_for_variance(answer) -> bool | None:
    """Exercise 1: ``answer(singular_values, level) -> m``, the smallest number of principal components whose
    explained-variance ratio Σ_{k≤m} s_k² / Σ_k s_k² is at least ``level``."""
    rng = np.random.default_rng(4)
    cases = [(np.sort(rng.exponential(size=n))[::-1] ** 0.5, lv) for n, lv in [(10, 0.9), (50, 0.5), (784, 0.95)]]
    cases.append((np.array([3.0, 2.0, 1.0, 0.5]), 0.9))

    def ok(fn):
        for s, level in cases:
            ratio = np.cumsum(s**2) / np.sum(s**2)
            want = int(np.sum(ratio < level)) + 1
            got = fn(torch.tensor(s.copy()), level)
            if isinstance(got, bool) or not float(got).is_integer() or int(got) != want:
                return False
        return True

    return check(answer, ok, "variance is carried by squared singular values; accumulate the ratio over m and "
                             "return the first m at which it reaches the level (m counts from 1, not 0)",
                 "the number of directions that keep that share of the variance")


def check_projection_distance(answer) -> bool | None:
    """Exercise 2: ``answer(A, B) -> float``, the distance ‖P_A − P_B‖_F between the orthogonal projectors onto
    span(A) and span(B), for A (n, p) and B (n, q) whose columns are linearly independent but not orthonormal.
    Compared with the principal-angle identity ‖P_A − P_B‖_F² = p + q − 2 Σ_k cos² θ_k; refuses answers that
    call the angle functions (build the projectors)."""
    from course_lib.autoencoders import principal_angles

    g = torch.Generator().manual_seed(11)
    cases = []
    for n, p, q in [(6, 2, 2), (20, 3, 5), (50, 4, 4)]:
        A = torch.randn(n, p, generator=g, dtype=torch.float64) * torch.tensor([1.0, 5.0, 0.2, 3.0][:p],
                                                                               dtype=torch.float64)
        cases.append((A, torch.randn(n, q, generator=g, dtype=torch.float64)))
    A = torch.randn(8, 3, generator=g, dtype=torch.float64)
    cases.append((A, A @ torch.randn(3, 3, generator=g, dtype=torch.float64)))   # the same subspace: distance 0

    def ok(fn):
        for A, B in cases:
            cos2 = (np.cos(subspace_angles(A.numpy(), B.numpy())) ** 2).sum()
            want = float(np.sqrt(max(A.shape[1] + B.shape[1] - 2 * cos2, 0.0)))
            got = float(torch.as_tensor(fn(A.clone(), B.clone()), dtype=torch.float64))
            if not np.isclose(got, want, rtol=1e-6, atol=1e-6):
                return False
        return True

    return check_own(answer, ok, "the projector onto span(U) is U Uᵀ only when U's columns are orthonormal: make "
                                 "them so first (a QR decomposition), or use A (AᵀA)⁻¹ Aᵀ",
                     "two subspaces are equal exactly when their projectors are: a basis-free distance",
                     objects=(subspace_angles, principal_angles),
                     names=("subspace_angles", "principal_angles", "PCA("))


def synthetic_data(n: int = 12, m: int = 3, N: int = 500, seed: int = 0) -> torch.Tensor:
    """Centred (N, n) data with an m-dimensional signal and well separated eigenvalues (the checker's data)."""
    g = torch.Generator().manual_seed(seed)
    basis, _ = torch.linalg.qr(torch.randn(n, n, generator=g, dtype=torch.float64))
    scales = torch.cat([torch.tensor([4.0, 3.0, 2.0][:m], dtype=torch.float64), 0.3 * torch.ones(n - m, dtype=torch.float64)])
    X = torch.randn(N, n, generator=g, dtype=torch.float64) * scales @ basis.T
    return X - X.mean(0)


def check_linear_ae_step(answer) -> bool | None:
    """Exercise 3 (write a piece of a model): ``answer(A, B, X, lr) -> (A_new, B_new)``, one step of gradient
    descent with step ``lr`` on the linear autoencoder's loss L(A, B) = (1/N) Σ_i ‖B A x_i − x_i‖², with the
    encoder A (m, n), the decoder B (n, m) and the rows of X (N, n) as the x_i.

    Passes when (1) the step equals the autograd step on random inputs, and (2) 3,000 of your steps from a
    small random start on :func:`synthetic_data` bring span(B) within 2 degrees of the top-3 PCA subspace."""

    def reference_step(A, B, X, lr):
        A, B = A.clone().requires_grad_(True), B.clone().requires_grad_(True)
        loss = ((X @ A.T @ B.T - X) ** 2).sum(1).mean()
        gA, gB = torch.autograd.grad(loss, [A, B])
        return (A - lr * gA).detach(), (B - lr * gB).detach()

    def ok(fn):
        g = torch.Generator().manual_seed(5)
        X = torch.randn(30, 7, generator=g, dtype=torch.float64)
        A, B = torch.randn(2, 7, generator=g, dtype=torch.float64), torch.randn(7, 2, generator=g, dtype=torch.float64)
        got = fn(A.clone(), B.clone(), X.clone(), 0.01)
        want = reference_step(A, B, X, 0.01)
        if any(not torch.allclose(torch.as_tensor(a, dtype=torch.float64), w, atol=1e-8) for a, w in zip(got, want)):
            return False
        X = synthetic_data()
        A = 0.1 * torch.randn(3, X.shape[1], generator=g, dtype=torch.float64)
        B = 0.1 * torch.randn(X.shape[1], 3, generator=g, dtype=torch.float64)
        for _ in range(3000):
            A, B = fn(A, B, X, 0.02)
            A, B = torch.as_tensor(A, dtype=torch.float64), torch.as_tensor(B, dtype=torch.float64)
        U = torch.linalg.svd(X, full_matrices=False)[2][:3].T
        return bool(np.degrees(subspace_angles(B.numpy(), U.numpy())).max() < 2.0)

    return check(answer, ok, "write the loss with the residual R = X Aᵀ Bᵀ − X (N, n); its gradient in B is "
                             "(2/N) Rᵀ (X Aᵀ), and in A it goes back through B once more (or let torch.autograd "
                             "compute both); move both matrices against their gradients",
                 "gradient descent on the reconstruction error finds the PCA subspace, with no SVD anywhere")
