"""Fréchet distance (FID), its small-sample bias, and the (classifier) Inception Score: notebook 09.

FID between two sets of features is the squared 2-Wasserstein distance between the Gaussians fitted
to them (Heusel et al. 2017)::

    FID = ‖μ_a − μ_b‖² + tr Σ_a + tr Σ_b − 2 tr (Σ_a^{1/2} Σ_b Σ_a^{1/2})^{1/2}

The trace of the matrix square root is computed with two symmetric eigen-decompositions
(``numpy.linalg.eigh``), never ``scipy.linalg.sqrtm``: ``Σ_a^{1/2} Σ_b Σ_a^{1/2}`` is symmetric
positive semi-definite, so its eigenvalues are real and ≥ 0 (up to rounding, clipped), while
``sqrtm(Σ_a Σ_b)`` of a non-symmetric product may return complex values (and its ``disp`` argument,
which pytorch-fid passes, is gone in SciPy 1.18). Both give the same trace: Σ_aΣ_b is similar to
Σ_a^{1/2}Σ_bΣ_a^{1/2}.

FID estimated from n samples is biased upwards, roughly by c/n (Chong & Forsyth 2020): compare a
model with the real-vs-real *floor* at the same n (:func:`fid_floor`), or extrapolate FID_n against
1/n to n → ∞ (:func:`fid_infinity`).
"""
from __future__ import annotations

import contextlib
import warnings
from typing import NamedTuple

import numpy as np

from course_lib._checks import check_int

__all__ = ["one_blas_thread", "FIDWarning", "gaussian_stats", "frechet_distance", "frechet_distance_from_stats", "trace_sqrt_product",
           "FrechetReference",
           "FloorEstimate", "fid_floor", "fid_over_floor", "FIDInfinity", "fid_infinity", "inception_score"]


_CONTROLLER = None


def one_blas_thread():
    """Context: run numpy's BLAS/LAPACK on one thread.

    These matrices are small (64 x 64 covariances, ~1000 x 64 features): on a shared machine, threads that
    wait for each other cost more than they save (benchmarks/evaluation.py times an FID).
    """
    global _CONTROLLER
    try:
        from threadpoolctl import ThreadpoolController  # a scikit-learn dependency
    except ImportError:  # pragma: no cover
        return contextlib.nullcontext()
    if _CONTROLLER is None:
        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER.limit(limits=1, user_api="blas")


class FIDWarning(UserWarning):
    """An FID computed from fewer samples than feature dimensions (a singular covariance)."""


def _features(x, name: str, fname: str, min_rows: int = 2) -> np.ndarray:
    """Validate a feature matrix (n, d) of finite reals and return it as float64 numpy."""
    a = _real_array(x, name, fname)
    if a.ndim != 2:
        raise ValueError(f"{fname}: {name} must have shape (n, d), got shape {a.shape}")
    if a.shape[0] < min_rows:
        raise ValueError(f"{fname}: {name} needs at least {min_rows} rows (samples), got shape {a.shape}")
    if not np.isfinite(a).all():
        raise ValueError(f"{fname}: {name} contains NaN or inf values")
    return a


def gaussian_stats(feats) -> tuple[np.ndarray, np.ndarray]:
    """Mean (d,) and unbiased covariance (d, d) of features (n, d), as pytorch-fid computes them."""
    a = _features(feats, "feats", "gaussian_stats")
    return a.mean(0), np.atleast_2d(np.cov(a, rowvar=False))  # d = 1: np.cov returns a 0-d array


def _noise_floor(w: np.ndarray) -> float:
    """Eigenvalues of a symmetric (d, d) matrix below this are rounding noise: eigh is accurate to about
    d·ε·max|λ| in absolute terms, so an exact zero comes back as ±1e-14 or so."""
    return len(w) * np.finfo(np.float64).eps * max(float(np.abs(w).max(initial=0.0)), np.finfo(np.float64).tiny)


def _psd_sqrt(s: np.ndarray) -> np.ndarray:
    """Symmetric square root of a symmetric PSD matrix (d, d) via eigh; eigenvalues at noise level -> 0.

    Why not just clip negatives: features of a ReLU layer often have dead units (zero variance), so the
    covariance has exact zero eigenvalues that eigh returns as ±1e-14, and √(1e-14) = 1e-7 per direction is
    a visible error in FID (tests/test_evaluation_torchmetrics.py measures it)."""
    w, v = np.linalg.eigh((s + s.T) / 2)
    w = np.where(w > _noise_floor(w), w, 0.0)
    return (v * np.sqrt(w)) @ v.T


def _trace_sqrt(root_a: np.ndarray, sigma_b: np.ndarray) -> float:
    m = root_a @ sigma_b @ root_a
    w = np.linalg.eigvalsh((m + m.T) / 2)
    return float(np.sqrt(np.where(w > _noise_floor(w), w, 0.0)).sum())


def trace_sqrt_product(sigma_a: np.ndarray, sigma_b: np.ndarray) -> float:
    """tr (Σ_a^{1/2} Σ_b Σ_a^{1/2})^{1/2} = tr (Σ_a Σ_b)^{1/2} for symmetric PSD (d, d) matrices."""
    return _trace_sqrt(_psd_sqrt(sigma_a), sigma_b)


class FrechetReference:
    """The reference side of FID, computed once: ``distance(mu, sigma)`` is the FID of Gaussian statistics
    (mean (d,), covariance (d, d)) to the reference features (n, d), the value of
    :func:`frechet_distance_from_stats` without recomputing the reference's square root (a widget's update).
    """

    def __init__(self, feats):
        self.mu, sigma = gaussian_stats(feats)
        self.trace, self.root = float(np.trace(sigma)), _psd_sqrt(sigma)

    def distance(self, mu: np.ndarray, sigma: np.ndarray) -> float:
        if np.shape(mu) != self.mu.shape or np.shape(sigma) != self.root.shape:
            raise ValueError(f"FrechetReference.distance: mu, sigma must have shapes {self.mu.shape} and "
                             f"{self.root.shape}, got {np.shape(mu)} and {np.shape(sigma)}")
        diff = mu - self.mu
        return max(float(diff @ diff + np.trace(sigma) + self.trace - 2 * _trace_sqrt(self.root, sigma)), 0.0)


def _real_array(x, name: str, fname: str) -> np.ndarray:
    """x as a float64 numpy array of real numbers, or a TypeError naming ``fname`` and ``name``."""
    if x is None or isinstance(x, (str, bytes)):
        raise TypeError(f"{fname}: {name} must be a numeric array, got {type(x).__name__}")
    raw = x.detach().cpu().numpy() if hasattr(x, "detach") else x
    if np.iscomplexobj(raw):
        raise TypeError(f"{fname}: {name} must hold real numbers, got a complex array")
    try:
        return np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{fname}: {name} must be a numeric array, could not convert: {err}") from None


def frechet_distance_from_stats(mu_a, sigma_a, mu_b, sigma_b) -> float:
    """FID from Gaussian statistics: means (d,), covariances (d, d). Never negative."""
    fn = "frechet_distance_from_stats"
    mu_a, mu_b = _real_array(mu_a, "mu_a", fn), _real_array(mu_b, "mu_b", fn)
    sigma_a, sigma_b = _real_array(sigma_a, "sigma_a", fn), _real_array(sigma_b, "sigma_b", fn)
    for name, m in (("mu_a", mu_a), ("mu_b", mu_b), ("sigma_a", sigma_a), ("sigma_b", sigma_b)):
        if not np.isfinite(m).all():
            raise ValueError(f"{fn}: {name} contains NaN or inf values")
    d = mu_a.shape[0] if mu_a.ndim == 1 else -1
    for name, m, want in (("mu_a", mu_a, (d,)), ("mu_b", mu_b, (d,)), ("sigma_a", sigma_a, (d, d)),
                          ("sigma_b", sigma_b, (d, d))):
        if m.shape != want:
            raise ValueError(f"frechet_distance_from_stats: {name} must have shape {want}, got {m.shape}")
    for name, m in (("sigma_a", sigma_a), ("sigma_b", sigma_b)):
        # a covariance is symmetric positive semi-definite: tolerate rounding, refuse anything else
        tol = 1e-6 * max(float(np.abs(m).max()), 1e-300)
        if not np.allclose(m, m.T, rtol=1e-5, atol=tol):
            raise ValueError(f"{fn}: {name} must be a covariance matrix (symmetric), got an asymmetric one")
        with one_blas_thread():
            low = float(np.linalg.eigvalsh((m + m.T) / 2).min()) if d else 0.0
        if low < -1e-6 * max(float(np.abs(m).max()), 1.0) * max(d, 1):
            raise ValueError(f"{fn}: {name} must be a covariance matrix (positive semi-definite), but its "
                             f"smallest eigenvalue is {low:.4g}")
    diff = mu_a - mu_b
    with one_blas_thread():
        fid = diff @ diff + np.trace(sigma_a) + np.trace(sigma_b) - 2 * trace_sqrt_product(sigma_a, sigma_b)
    return float(max(fid, 0.0))  # rounding can leave -1e-12 for identical inputs


def frechet_distance(feats_a, feats_b) -> float:
    """FID between two feature sets (n_a, d) and (n_b, d) (numpy or torch), as a float.

    Warns (:class:`FIDWarning`) when a set has fewer samples than dimensions: its covariance is then
    singular, and the number, though finite, is dominated by estimation error.
    """
    a = _features(feats_a, "feats_a", "frechet_distance")
    b = _features(feats_b, "feats_b", "frechet_distance")
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"frechet_distance: feats_a and feats_b must have the same dimension d, "
                         f"got shapes {a.shape} and {b.shape}")
    d = a.shape[1]
    for name, x in (("feats_a", a), ("feats_b", b)):
        if x.shape[0] <= d:
            warnings.warn(f"frechet_distance: {name} has n = {x.shape[0]} samples for d = {d} features; the "
                          f"covariance is singular (n <= d) and FID is dominated by estimation error. "
                          f"Use n well above d (several times) and compare with the real-vs-real floor at the same n.",
                          FIDWarning, stacklevel=2)
    with one_blas_thread():
        return frechet_distance_from_stats(*gaussian_stats(a), *gaussian_stats(b))


class FloorEstimate(NamedTuple):
    """Real-vs-real FID at one n: mean and standard deviation over ``values`` (repeats,)."""
    n: int
    mean: float
    std: float
    values: np.ndarray


def fid_floor(real_feats, n: int, *, reference=None, repeats: int = 5, seed: int = 0) -> FloorEstimate:
    """The FID a perfect model would get at sample size ``n``: real against real.

    Without ``reference``: each repeat draws two *disjoint* random subsets of n rows of ``real_feats``
    (N, d) (needs 2n ≤ N) and returns their FID. With ``reference`` (M, d): each repeat draws n rows
    of ``real_feats`` and compares them with the whole reference set, the protocol of a model scored
    with n samples against that reference (use held-out images as ``real_feats``).
    """
    x = _features(real_feats, "real_feats", "fid_floor")
    n = check_int(n, "n", min_value=2)
    repeats = check_int(repeats, "fid_floor: repeats", min_value=1)
    rng = np.random.default_rng(check_int(seed, "fid_floor: seed", min_value=0))
    ref = None if reference is None else _features(reference, "reference", "fid_floor")
    need = n if ref is not None else 2 * n
    if need > len(x):
        raise ValueError(f"fid_floor: n = {n} needs {need} rows of real_feats, it has {len(x)}")
    vals = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FIDWarning)  # small n is the point of a floor curve
        for _ in range(repeats):
            idx = rng.permutation(len(x))
            other = ref if ref is not None else x[idx[n:2 * n]]
            vals.append(frechet_distance(x[idx[:n]], other))
    vals = np.asarray(vals)
    return FloorEstimate(n, float(vals.mean()), float(vals.std(ddof=1)) if repeats > 1 else 0.0, vals)


def fid_over_floor(samples, real_test, features, *, real_train) -> dict:
    """Classifier-FID of ``samples`` to ``real_test``, the real-vs-real floor at the same n (n images of
    ``real_train`` against the same test set) and their ratio: 1 = as good as real data (07, the diffusion scripts).

    ``features`` maps images to (n, d) features (e.g. ``mnist_features``). Returns a dict with ``n``, ``fid``,
    ``fid_floor`` and ``fid_over_floor``.
    """
    if not callable(features):
        raise TypeError(f"fid_over_floor: features must be a function images -> (n, d) features, got "
                        f"{type(features).__name__}")

    def feats(x, name):
        try:
            return _features(features(x), name, "fid_over_floor")
        except (TypeError, ValueError) as err:
            raise type(err)(f"fid_over_floor: {name}: {err}") from None

    ref = feats(real_test, "real_test")
    f = feats(samples, "samples")
    fid = frechet_distance(f, ref)
    floor = fid_floor(feats(real_train, "real_train"), len(f), reference=ref).mean
    return {"n": len(f), "fid": fid, "fid_floor": floor, "fid_over_floor": fid / floor}


class FIDInfinity(NamedTuple):
    """FID_n = fid_inf + slope / n fitted by least squares to ``fids`` (len(ns),) measured at ``ns``."""
    fid_inf: float
    slope: float
    ns: np.ndarray
    fids: np.ndarray


def fid_infinity(feats, reference, ns=(100, 150, 200, 300, 400, 600), *, repeats: int = 3,
                 seed: int = 0) -> FIDInfinity:
    """Chong & Forsyth (2020): FID of n rows of ``feats`` (N, d) against ``reference`` (M, d) is linear in
    1/n; fit it at several n (each the mean of ``repeats`` random subsets) and read off the intercept
    at 1/n = 0, an estimate free of the sample-size bias of ``feats``."""
    x = _features(feats, "feats", "fid_infinity")
    ref = _features(reference, "reference", "fid_infinity")
    if ref.shape[1] != x.shape[1]:
        raise ValueError(f"fid_infinity: feats and reference must have the same feature dimension, got feats of shape "
                         f"{x.shape} and reference of shape {ref.shape}")
    ns = np.asarray([check_int(int(n), "ns entry", min_value=2) for n in ns])
    if len(ns) < 2 or ns.max() > len(x):
        raise ValueError(f"fid_infinity: ns needs at least two sizes, each <= len(feats) = {len(x)}; got {ns.tolist()}")
    repeats = check_int(repeats, "fid_infinity: repeats", min_value=1)
    rng = np.random.default_rng(check_int(seed, "fid_infinity: seed", min_value=0))
    fids = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FIDWarning)
        for n in ns:
            fids.append(np.mean([frechet_distance(x[rng.choice(len(x), n, replace=False)], ref)
                                 for _ in range(repeats)]))
    fids = np.asarray(fids)
    slope, intercept = np.polyfit(1.0 / ns, fids, 1)
    return FIDInfinity(float(intercept), float(slope), ns, fids)


def inception_score(probs) -> float:
    """IS = exp( E_x KL(p(y|x) ‖ p(y)) ), p(y) = mean of p(y|x), from class probabilities (N, K).

    Between 1 (every image gets the same prediction) and K (confident predictions, classes balanced).
    With a course classifier instead of Inception-v3 it is the "classifier IS".
    """
    p = _features(probs, "probs", "inception_score", min_rows=1)
    if (p < -1e-9).any() or not np.allclose(p.sum(1), 1.0, atol=1e-4):
        raise ValueError("inception_score: probs must be rows of class probabilities (non-negative, summing to 1), "
                         f"got row sums in [{p.sum(1).min():.4g}, {p.sum(1).max():.4g}], min {p.min():.3g}")
    p = np.clip(p, 1e-12, 1.0)
    py = p.mean(0, keepdims=True)
    kl = (p * (np.log(p) - np.log(py))).sum(1)  # (N,)
    return float(np.exp(kl.mean()))
