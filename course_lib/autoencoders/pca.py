"""Principal component analysis as the best rank-m linear reconstruction (taught in 02_pca_and_autoencoders).

Notation of the lecture notes: the data matrix F = (x_1 ... x_l)^T is (l, n), one object per row;
U is (n, m) with U^T U = I_m; the code matrix is G = F U (l, m) and the reconstruction G U^T = F U U^T.
PCA solves

    ||F - G U^T||^2 = sum_i ||U U^T x_i - x_i||^2  ->  min over U,

where U U^T is the orthogonal projector onto span(U). The minimiser is given by the top-m right singular
vectors of F (Eckart-Young). As in every practical PCA, F is centred first (x_i - mean), so the subspace
is fitted through the mean of the data rather than through the origin.
"""
from __future__ import annotations

import torch

from course_lib._checks import as_tensor, check_int

__all__ = ["PCA", "flatten", "pca_objective", "principal_angles"]


def flatten(x, name: str = "x") -> torch.Tensor:
    """(N, C, H, W) images or (N, n) rows -> an (N, n) float64 data matrix F."""
    t = as_tensor(x, name, dtype=torch.float64)
    if t.ndim < 2:
        raise ValueError(f"{name} must be a data matrix (N, n) or images (N, C, H, W), got shape {tuple(t.shape)}")
    if not torch.isfinite(t).all():
        raise ValueError(f"{name} contains NaN or inf values")
    return t.flatten(1)


def pca_objective(F, U) -> float:
    """||F - F U U^T||^2, the squared reconstruction error of the rows of F by projection onto span(U)."""
    F = flatten(F, "F")
    U = flatten(U, "U")
    if U.ndim != 2 or U.shape[0] != F.shape[1]:
        raise ValueError(f"pca_objective: U must have shape (n, m) = ({F.shape[1]}, m) for F with n = {F.shape[1]} "
                         f"columns, got U {tuple(U.shape)} and F {tuple(F.shape)}")
    return float(((F - F @ U @ U.T) ** 2).sum())


def principal_angles(A, B) -> torch.Tensor:
    """Principal angles (radians, ascending) between span(A) and span(B); A (n, p), B (n, q).

    cos of the angles are the singular values of Q_A^T Q_B, with Q_A, Q_B orthonormal bases (QR).
    Same numbers as ``scipy.linalg.subspace_angles`` (which lists them descending).
    """
    A = flatten(A, "principal_angles: A")
    B = flatten(B, "principal_angles: B")
    if A.ndim != 2 or B.ndim != 2 or A.shape[0] != B.shape[0]:
        raise ValueError(f"A and B must be (n, p) and (n, q) with the same n, got {tuple(A.shape)}, {tuple(B.shape)}")
    qa, _ = torch.linalg.qr(A)
    qb, _ = torch.linalg.qr(B)
    s = torch.linalg.svdvals(qa.T @ qb).clamp(-1.0, 1.0)
    return torch.arccos(s)


class PCA:
    """PCA fitted by the SVD of the centred data matrix.

    After :meth:`fit`: ``mean`` (n,), ``U`` (n, m) orthonormal columns (the principal axes, ordered by
    variance), ``explained_variance`` (m,) with the unbiased 1/(l-1) normalisation that scikit-learn uses,
    ``singular_values`` (min(l, n),) of the centred F (all of them, so errors for every m are available).
    """

    def __init__(self, n_components: int):
        self.n_components = check_int(n_components, "n_components", min_value=1)
        self.mean = None

    def fit(self, x) -> "PCA":
        F = flatten(x)
        l, n = F.shape
        if l < 2:
            raise ValueError(f"PCA.fit: needs at least 2 objects (rows of x) to estimate a mean and directions, got {l}")
        if not torch.isfinite(F).all():
            raise ValueError("PCA.fit: x contains NaN or inf")
        if self.n_components > min(l, n):
            raise ValueError(f"n_components must be <= min(l, n) = {min(l, n)}, got {self.n_components}")
        self.mean = F.mean(0)
        _, s, vt = torch.linalg.svd(F - self.mean, full_matrices=False)
        # Fix the sign of each axis (largest-|entry| positive) so results are reproducible.
        signs = torch.sign(vt[torch.arange(len(vt)), vt.abs().argmax(1)])
        vt = vt * signs[:, None]
        self._vt = vt
        self.singular_values = s
        self.U = vt[: self.n_components].T.contiguous()
        self.explained_variance = s[: self.n_components] ** 2 / (l - 1)
        self.total_variance = float((s**2).sum() / (l - 1))
        return self

    def _fitted(self):
        if self.mean is None:
            raise RuntimeError("PCA is not fitted yet: call .fit(x_train) first")

    def components(self, m: int | None = None) -> torch.Tensor:
        """The first m principal axes as columns, (n, m); m defaults to n_components."""
        self._fitted()
        m = self.n_components if m is None else check_int(m, "m", min_value=0, max_value=len(self._vt))
        return self._vt[:m].T

    def transform(self, x, m: int | None = None) -> torch.Tensor:
        """Codes G = (F - mean) U, shape (N, m)."""
        self._fitted()
        return (self._rows(x) - self.mean) @ self.components(m)

    def _rows(self, x) -> torch.Tensor:
        F = flatten(x)
        if F.shape[1] != len(self.mean):
            raise ValueError(f"PCA: x must have {len(self.mean)} features per row like the data PCA.fit saw, "
                             f"got shape {tuple(F.shape)}")
        return F

    def inverse_transform(self, G) -> torch.Tensor:
        """Reconstructions G U^T + mean, shape (N, n)."""
        self._fitted()
        G = as_tensor(G, "G", dtype=torch.float64)
        if G.ndim != 2:
            raise ValueError(f"G must have shape (N, m), got {tuple(G.shape)}")
        return G @ self.components(G.shape[1]).T + self.mean

    def reconstruct(self, x, m: int | None = None) -> torch.Tensor:
        """mean + U U^T (x - mean): the projection of each row onto the m-dimensional affine subspace, (N, n)."""
        return self.inverse_transform(self.transform(x, m))

    def error(self, x, m: int | None = None) -> float:
        """Mean over objects of ||x_i - x̂_i||^2 (squared error summed over the n features)."""
        self._fitted()
        F = self._rows(x)
        if len(F) == 0:
            raise ValueError("PCA.error: x is empty (0 rows): the mean error of no rows is undefined")
        return float(((F - self.reconstruct(F, m)) ** 2).sum(1).mean())

    def error_curve(self, x, ms) -> list[float]:
        """:meth:`error` for each m in ``ms``, computed from one projection onto all axes."""
        self._fitted()
        F = flatten(x) - self.mean
        coords = F @ self._vt.T  # (N, r): coordinates in the full principal basis
        resid = (F**2).sum(1)[:, None] - torch.cumsum(coords**2, 1)  # ||x||^2 - sum_{k<=m} <x, u_k>^2
        full = (F**2).sum(1).mean()
        out = []
        for m in ms:
            m = check_int(m, "m", min_value=0, max_value=coords.shape[1])
            out.append(float(full if m == 0 else resid[:, m - 1].mean()))
        return out
