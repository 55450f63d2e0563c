"""Probabilistic PCA (Tipping & Bishop, 1999): the latent variable model where everything is exact.

Taught in 04_variational_autoencoders as the bridge from 02's PCA to the VAE. The model is a VAE whose
decoder is linear and whose noise is isotropic:

    z ~ N(0, I_m),    x | z ~ N(W z + μ, σ² I_n),        W (n, m), μ (n,), σ² > 0.

Because everything is linear-Gaussian, the three quantities a VAE can only bound or estimate are closed
forms here:

* the evidence      p(x)   = N(x; μ, C),  C = W Wᵀ + σ² I_n                      (:meth:`PPCA.log_prob`);
* the posterior     p(z|x) = N(z; M⁻¹ Wᵀ (x − μ), σ² M⁻¹),  M = Wᵀ W + σ² I_m      (:meth:`PPCA.posterior`);
* the ELBO of any Gaussian q(z|x) = N(a, S), and its gap log p(x) − ELBO = KL(q ‖ p(z|x))
  (:meth:`PPCA.elbo`, :meth:`PPCA.kl_to_posterior`).

Maximum likelihood is closed-form too (Tipping & Bishop's Theorem): with λ_1 ≥ … ≥ λ_n the eigenvalues
of the sample covariance S = (1/N) Σ (x_i − x̄)(x_i − x̄)ᵀ and U_m its top-m eigenvectors,

    μ = x̄,    σ² = mean(λ_{m+1}, …, λ_n),    W = U_m (Λ_m − σ² I)^{1/2} R   (any rotation R; here R = I).

So W spans 02's PCA subspace for every σ², and as σ² → 0 the posterior mean's reconstruction
W E[z|x] + μ becomes the orthogonal projection U_m U_mᵀ (x − μ) + μ: PCA is the noiseless limit.

The module is an ``nn.Module`` (float64 parameters W, μ, log σ²) that keeps the course's model contract:
``loss(x)`` is −mean log p(x) (so :func:`course_lib.training.fit` can also train it by gradient ascent on the
exact likelihood), ``sample(n, generator=...)`` returns (n, n_features), ``log_prob(x)`` is exact.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from course_lib._checks import as_tensor, check_broadcast, check_float, check_generator, check_int

__all__ = ["PPCA", "gaussian_kl"]

_LOG_2PI = math.log(2 * math.pi)


def _logdet_spd(a: torch.Tensor) -> torch.Tensor:
    """log det of symmetric positive definite matrices (..., k, k) -> (...), via Cholesky."""
    return 2 * torch.log(torch.diagonal(torch.linalg.cholesky(a), dim1=-2, dim2=-1)).sum(-1)


def gaussian_kl(mean_a, cov_a, mean_b, cov_b) -> torch.Tensor:
    """KL( N(a, A) ‖ N(b, B) ) for full covariances: means (N, k), covariances (k, k) or (N, k, k) -> (N,).

    ½ [ tr(B⁻¹ A) + (b − a)ᵀ B⁻¹ (b − a) − k + log det B − log det A ].
    """
    fn = "gaussian_kl"
    mean_a = _mean(mean_a, f"{fn}: mean_a")
    k = mean_a.shape[-1]
    mean_b = _mean(mean_b, f"{fn}: mean_b")
    if mean_b.shape[-1] != k:
        raise ValueError(f"{fn}: mean_b must have {k} entries in its last dim like mean_a, got shape {tuple(mean_b.shape)}")
    cov_a, cov_b = _cov(cov_a, k, f"{fn}: cov_a"), _cov(cov_b, k, f"{fn}: cov_b")
    check_broadcast(fn, mean_a=mean_a, mean_b=mean_b)
    dt = torch.promote_types(torch.promote_types(mean_a.dtype, mean_b.dtype),
                             torch.promote_types(cov_a.dtype, cov_b.dtype))
    mean_a, mean_b, cov_a, cov_b = (t.to(dt) for t in (mean_a, mean_b, cov_a, cov_b))
    cov_a = torch.broadcast_to(cov_a, (*mean_a.shape[:-1], k, k))
    cov_b = torch.broadcast_to(cov_b, (*mean_a.shape[:-1], k, k))
    chol_b = torch.linalg.cholesky(cov_b)
    trace = torch.cholesky_solve(cov_a, chol_b).diagonal(dim1=-2, dim2=-1).sum(-1)
    d = (mean_b - mean_a).unsqueeze(-1)                                        # (N, k, 1)
    maha = (d * torch.cholesky_solve(d, chol_b)).sum((-2, -1))
    return 0.5 * (trace + maha - k + _logdet_spd(cov_b) - _logdet_spd(cov_a))


def _real(x, name: str) -> torch.Tensor:
    t = as_tensor(x, name, dtype=None)
    return t if t.is_floating_point() else t.float()


def _mean(x, name: str) -> torch.Tensor:
    t = _real(x, name)
    if t.ndim not in (1, 2) or t.shape[-1] == 0:
        raise ValueError(f"{name} must be a vector (k,) or a batch (N, k), got shape {tuple(t.shape)}")
    if not torch.isfinite(t).all():
        raise ValueError(f"{name} contains NaN or inf values")
    return t


def _cov(c, k: int, name: str) -> torch.Tensor:
    t = _real(c, name)
    if t.ndim not in (2, 3) or t.shape[-2:] != (k, k):
        raise ValueError(f"{name} must have shape ({k}, {k}) or (N, {k}, {k}), got shape {tuple(t.shape)}")
    if not torch.isfinite(t).all():
        raise ValueError(f"{name} contains NaN or inf values")
    if torch.linalg.cholesky_ex(t).info.any():
        raise ValueError(f"{name} must be symmetric positive definite")
    return t


class PPCA(nn.Module):
    """Probabilistic PCA, x = W z + μ + ε with z ~ N(0, I_m), ε ~ N(0, σ² I_n) (notebook 04).

    Shapes: data (N, n) or images (N, C, H, W) flattened to (N, n); codes (N, m).
    Build it untrained (``PPCA(n, m)``, small random W, σ² = 1) and train it with ``fit``, or get the
    maximum-likelihood solution in one step with :meth:`fit_closed_form`.
    """

    def __init__(self, n_features: int, latent_dim: int, *, seed: int = 0):
        super().__init__()
        n = check_int(n_features, "n_features", min_value=1)
        m = check_int(latent_dim, "latent_dim", min_value=1, max_value=n)
        g = torch.Generator().manual_seed(seed)
        self.W = nn.Parameter(0.1 * torch.randn(n, m, generator=g, dtype=torch.float64))
        self.mean = nn.Parameter(torch.zeros(n, dtype=torch.float64))
        self.log_sigma2 = nn.Parameter(torch.zeros((), dtype=torch.float64))
        self.eigenvalues = self.axes = None    # set by fit_closed_form

    # ------------------------------------------------------------------ construction
    @property
    def n_features(self) -> int:
        return self.W.shape[0]

    @property
    def latent_dim(self) -> int:
        return self.W.shape[1]

    @property
    def sigma2(self) -> torch.Tensor:
        return self.log_sigma2.exp()

    @classmethod
    def fit_closed_form(cls, x, latent_dim: int, *, sigma2: float | None = None) -> "PPCA":
        """The maximum-likelihood PPCA of the rows of ``x`` (Tipping & Bishop 1999, eqs. 3.7-3.8).

        ``sigma2=None``: σ² is the MLE, the mean of the n − m discarded eigenvalues of the sample
        covariance (1/N normalisation). A given ``sigma2`` (> 0) fixes the noise and returns the MLE of W for
        it, W = U_m (Λ_m − σ² I)^{1/2}, with directions whose eigenvalue is below σ² switched off (0).
        """
        F = cls._rows(x, "x")
        if len(F) < 2:
            raise ValueError(f"PPCA.fit_closed_form: x needs at least 2 rows to have a covariance, got shape {tuple(F.shape)}")
        N, n = F.shape
        m = check_int(latent_dim, "latent_dim", min_value=1, max_value=n - 1)
        mean = F.mean(0)
        _, s, vt = torch.linalg.svd(F - mean, full_matrices=False)
        lam = torch.zeros(n, dtype=torch.float64)
        lam[: len(s)] = s**2 / N                                # eigenvalues of S, descending (zeros if N < n)
        signs = torch.sign(vt[torch.arange(len(vt)), vt.abs().argmax(1)])   # same sign convention as PCA
        U = (vt * signs[:, None])[:m].T                         # (n, m)
        return cls._from_spectrum(mean, lam, U, sigma2)

    @classmethod
    def _from_spectrum(cls, mean, lam, U, sigma2):
        n, m = U.shape
        if sigma2 is None:
            s2 = lam[m:].mean()
            if s2 <= 0:
                raise ValueError("fit_closed_form: the data have no variance outside the top "
                                 f"{m} directions, so the MLE σ² is 0; pass sigma2 > 0")
        else:
            s2 = torch.tensor(check_float(sigma2, "sigma2", min_value=0.0, strict_min=True), dtype=torch.float64)
        model = cls(n, m)
        with torch.no_grad():
            model.W.copy_(U * (lam[:m] - s2).clamp_min(0).sqrt())
            model.mean.copy_(mean)
            model.log_sigma2.copy_(torch.log(s2))
        model.eigenvalues, model.axes = lam, U                  # the fitted spectrum, for plots and refits
        return model

    def with_sigma2(self, sigma2: float) -> "PPCA":
        """The MLE of W for a fixed noise σ² on the same data, without a new SVD (needs :meth:`fit_closed_form`)."""
        if getattr(self, "axes", None) is None:
            raise RuntimeError("with_sigma2 needs a model built by PPCA.fit_closed_form")
        return self._from_spectrum(self.mean.detach(), self.eigenvalues, self.axes, sigma2)

    @staticmethod
    def _rows(x, name: str) -> torch.Tensor:
        t = as_tensor(x, name, dtype=torch.float64)
        if t.ndim < 2:
            raise ValueError(f"PPCA: {name} must be rows (N, n) or images (N, C, H, W), got shape {tuple(t.shape)}")
        t = t.flatten(1)
        if not torch.isfinite(t).all():
            raise ValueError(f"PPCA: {name} contains NaN or inf values")
        return t

    def _x(self, x, name: str = "x") -> torch.Tensor:
        t = self._rows(x, name).to(self.W.device)
        if t.shape[1] != self.n_features:
            raise ValueError(f"PPCA: {name} must have {self.n_features} features per row, got {t.shape[1]}")
        return t

    def _q(self, x, q_mean, q_cov):
        a = as_tensor(q_mean, "q_mean", dtype=torch.float64).to(self.W.device)
        S = as_tensor(q_cov, "q_cov", dtype=torch.float64).to(self.W.device)
        m = self.latent_dim
        if a.shape != (len(x), m):
            raise ValueError(f"PPCA: q_mean must have shape (N, m) = ({len(x)}, {m}), got {tuple(a.shape)}")
        if S.shape not in ((m, m), (len(x), m, m)):
            raise ValueError(f"PPCA: q_cov must have shape (m, m) or (N, m, m) with m = {m}, got {tuple(S.shape)}")
        return a, torch.broadcast_to(S, (len(x), m, m))

    # ------------------------------------------------------------------ the exact quantities
    def covariance(self) -> torch.Tensor:
        """C = W Wᵀ + σ² I_n, the covariance of the marginal p(x): (n, n)."""
        return self.W @ self.W.T + self.sigma2 * torch.eye(self.n_features, dtype=self.W.dtype, device=self.W.device)

    def log_prob(self, x) -> torch.Tensor:
        """Exact log p(x) = log N(x; μ, W Wᵀ + σ² I) in nats, (N, n) -> (N,)."""
        x = self._x(x)
        L = torch.linalg.cholesky(self.covariance())
        r = torch.linalg.solve_triangular(L, (x - self.mean).T, upper=False)   # (n, N): L⁻¹ (x − μ)
        logdet = 2 * torch.log(torch.diagonal(L)).sum()
        return -0.5 * ((r**2).sum(0) + logdet + self.n_features * _LOG_2PI)

    def posterior(self, x) -> tuple[torch.Tensor, torch.Tensor]:
        """Exact p(z|x) = N(M⁻¹ Wᵀ (x − μ), σ² M⁻¹), M = Wᵀ W + σ² I: returns means (N, m) and the shared cov (m, m)."""
        x = self._x(x)
        M = self.W.T @ self.W + self.sigma2 * torch.eye(self.latent_dim, dtype=self.W.dtype, device=self.W.device)
        mean = torch.linalg.solve(M, self.W.T @ (x - self.mean).T).T
        return mean, self.sigma2 * torch.linalg.inv(M)

    def log_likelihood(self, x, z) -> torch.Tensor:
        """log p(x|z) = log N(x; W z + μ, σ² I): x (N, n), z (..., N, m) -> (..., N)."""
        x = self._x(x)
        z = as_tensor(z, "z", dtype=torch.float64).to(self.W.device)
        r = x - (z @ self.W.T + self.mean)
        return -0.5 * ((r**2).sum(-1) / self.sigma2 + self.n_features * (_LOG_2PI + self.log_sigma2))

    def elbo(self, x, q_mean, q_cov) -> torch.Tensor:
        """ELBO of a Gaussian q(z|x) = N(a, S), in closed form: (N,).

        E_q log p(x|z) − KL(q ‖ N(0, I)), with
        E_q ‖x − μ − W z‖² = ‖x − μ − W a‖² + tr(W S Wᵀ) and KL = ½ (tr S + ‖a‖² − m − log det S).
        ``q_mean`` (N, m); ``q_cov`` (m, m) shared or (N, m, m) per row.
        """
        x = self._x(x)
        a, S = self._q(x, q_mean, q_cov)
        m, n = self.latent_dim, self.n_features
        resid = ((x - self.mean - a @ self.W.T) ** 2).sum(-1)
        spread = (S @ (self.W.T @ self.W)).diagonal(dim1=-2, dim2=-1).sum(-1)       # tr(W S Wᵀ)
        expected_rec = -0.5 * ((resid + spread) / self.sigma2 + n * (_LOG_2PI + self.log_sigma2))
        kl_prior = 0.5 * (S.diagonal(dim1=-2, dim2=-1).sum(-1) + (a**2).sum(-1) - m - _logdet_spd(S))
        return expected_rec - kl_prior

    def kl_to_posterior(self, x, q_mean, q_cov) -> torch.Tensor:
        """KL( q(z|x) ‖ p(z|x) ) for a Gaussian q = N(a, S), exact: (N,). Equals log p(x) − ELBO."""
        x = self._x(x)
        a, S = self._q(x, q_mean, q_cov)
        post_mean, post_cov = self.posterior(x)
        return gaussian_kl(a, S, post_mean, post_cov)

    def reconstruct(self, x) -> torch.Tensor:
        """W E[z|x] + μ, the decoder applied to the posterior mean: (N, n)."""
        return self.posterior(x)[0] @ self.W.T + self.mean

    # ------------------------------------------------------------------ the model contract
    def loss(self, x) -> torch.Tensor:
        """−mean log p(x), the exact negative log-likelihood per row (what ``fit`` minimises)."""
        lp = self.log_prob(x)
        if lp.numel() == 0:
            raise ValueError("PPCA.loss: x is an empty batch (0 rows); the loss averages over at least one")
        return -lp.mean()

    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """n draws x = W z + μ + σ ε: (n, n_features), float64; reproducible for a seeded generator."""
        n = check_int(n, "n", min_value=1)
        generator = check_generator(generator)
        with torch.no_grad():
            z = torch.randn(n, self.latent_dim, generator=generator, dtype=torch.float64).to(self.W.device)
            eps = torch.randn(n, self.n_features, generator=generator, dtype=torch.float64).to(self.W.device)
            return z @ self.W.T + self.mean + self.sigma2.sqrt() * eps
