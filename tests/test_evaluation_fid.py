"""Fréchet distance and Inception Score (notebook 09) against closed forms and independent formulas."""
import warnings

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings, strategies as st

from course_lib.evaluation.fid import (FIDWarning, fid_floor, fid_infinity, frechet_distance,
                                       frechet_distance_from_stats, gaussian_stats, inception_score)


def pytorch_fid_formula(mu1, s1, mu2, s2):
    """pytorch-fid 0.3's calculate_frechet_distance (sqrtm of the non-symmetric product), minus `disp`."""
    diff = mu1 - mu2
    covmean = scipy.linalg.sqrtm(s1 @ s2)
    if not np.isfinite(covmean).all():
        off = np.eye(len(s1)) * 1e-6
        covmean = scipy.linalg.sqrtm((s1 + off) @ (s2 + off))
    covmean = covmean.real
    return float(diff @ diff + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def random_spd(rng, d, cond=30.0):
    q, _ = np.linalg.qr(rng.normal(size=(d, d)))
    return (q * rng.uniform(1.0, cond, size=d)) @ q.T / 10


@settings(max_examples=60, deadline=None)
@given(d=st.integers(1, 24), seed=st.integers(0, 2**32 - 1))
def test_matches_pytorch_fid_formula_on_random_spd(d, seed):
    rng = np.random.default_rng(seed)
    s1, s2 = random_spd(rng, d), random_spd(rng, d)
    mu1, mu2 = rng.normal(size=d), rng.normal(size=d)
    want = pytorch_fid_formula(mu1, s1, mu2, s2)
    assert frechet_distance_from_stats(mu1, s1, mu2, s2) == pytest.approx(want, rel=1e-6, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(d=st.integers(1, 16), seed=st.integers(0, 2**32 - 1))
def test_gaussian_closed_form_commuting_covariances(d, seed):
    # Same eigenvectors: W2² = ‖μ_a − μ_b‖² + Σ_i (√λ_i − √κ_i)² exactly.
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.normal(size=(d, d)))
    lam, kap = rng.uniform(0.01, 5, d), rng.uniform(0.01, 5, d)
    mu1, mu2 = rng.normal(size=d), rng.normal(size=d)
    want = ((mu1 - mu2) ** 2).sum() + ((np.sqrt(lam) - np.sqrt(kap)) ** 2).sum()
    got = frechet_distance_from_stats(mu1, (q * lam) @ q.T, mu2, (q * kap) @ q.T)
    assert got == pytest.approx(want, rel=1e-8, abs=1e-9)


@pytest.mark.parametrize("seed", range(5))
def test_matches_pot_bures_wasserstein(seed):
    pytest.importorskip("ot")
    from ot.gaussian import bures_wasserstein_distance

    rng = np.random.default_rng(seed)
    d = 10
    s1, s2, mu1, mu2 = random_spd(rng, d), random_spd(rng, d), rng.normal(size=d), rng.normal(size=d)
    w = float(np.asarray(bures_wasserstein_distance(mu1, mu2, s1, s2)))  # POT returns W2 (not squared)
    assert frechet_distance_from_stats(mu1, s1, mu2, s2) == pytest.approx(w ** 2, rel=1e-6)


def test_frechet_distance_from_samples_and_basic_properties():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(500, 8)), rng.normal(loc=0.5, size=(400, 8)) * 2
    mu_a, s_a = gaussian_stats(a)
    assert np.allclose(s_a, np.cov(a.T)) and np.allclose(mu_a, a.mean(0))
    fab = frechet_distance(a, b)
    assert fab == pytest.approx(frechet_distance(b, a), rel=1e-9)  # symmetric
    assert frechet_distance(a, a) == pytest.approx(0.0, abs=1e-8)
    assert frechet_distance(a, a + 3.0) == pytest.approx(9.0 * 8, rel=1e-9)  # a shift by 3 in each of 8 dims
    torch = pytest.importorskip("torch")
    assert frechet_distance(torch.tensor(a), torch.tensor(b, dtype=torch.float32)) == pytest.approx(fab, rel=1e-6)


def test_one_dimensional_features():
    rng = np.random.default_rng(3)
    a, b = rng.normal(0, 1, size=(300, 1)), rng.normal(1, 2, size=(300, 1))
    want = (a.mean() - b.mean()) ** 2 + (a.std(ddof=1) - b.std(ddof=1)) ** 2  # 1-D W2²: means and stds
    assert frechet_distance(a, b) == pytest.approx(want, rel=1e-9)


def test_large_sample_fid_approaches_closed_form():
    rng = np.random.default_rng(1)
    d = 4
    s1, s2, mu1, mu2 = random_spd(rng, d), random_spd(rng, d), rng.normal(size=d), rng.normal(size=d)
    want = frechet_distance_from_stats(mu1, s1, mu2, s2)
    a = rng.multivariate_normal(mu1, s1, size=200_000)
    b = rng.multivariate_normal(mu2, s2, size=200_000)
    assert frechet_distance(a, b) == pytest.approx(want, rel=0.02)


def test_dead_feature_units_contribute_nothing():
    """ReLU features often have dead units (columns that are always 0, zero variance). The exact FID then
    equals the FID on the live columns; square roots of the ±1e-14 that eigh returns for the exact zero
    eigenvalues used to add about 1e-7 (relative) here: noise-level eigenvalues are now set to 0."""
    rng = np.random.default_rng(0)
    mix = rng.normal(size=(48, 48))
    a = np.maximum(rng.normal(size=(500, 48)) @ mix, 0) * 3.0
    b = np.maximum(0.3 + rng.normal(size=(400, 48)) @ mix, 0) * 3.0
    dead = rng.choice(48, size=12, replace=False)
    a[:, dead] = b[:, dead] = 0.0
    live = np.setdiff1d(np.arange(48), dead)
    assert frechet_distance(a, b) == pytest.approx(frechet_distance(a[:, live], b[:, live]), rel=1e-11)
    mu_a, s_a = gaussian_stats(a)
    mu_b, s_b = gaussian_stats(b)
    assert frechet_distance(a, b) == pytest.approx(pytorch_fid_formula(mu_a, s_a, mu_b, s_b), rel=1e-9)


def test_warns_when_n_below_dimension():
    rng = np.random.default_rng(0)
    with pytest.warns(FIDWarning, match=r"n = 10 samples for d = 20"):
        v = frechet_distance(rng.normal(size=(10, 20)), rng.normal(size=(100, 20)))
    assert np.isfinite(v)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frechet_distance(rng.normal(size=(100, 20)), rng.normal(size=(100, 20)))


def test_floor_decreases_like_one_over_n_for_gaussians():
    # Same distribution, d = 16: the bias of FID_n is about c/n, so n·floor is roughly constant.
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4000, 16))
    f100, f1000 = fid_floor(x, 100, repeats=8), fid_floor(x, 1000, repeats=8)
    assert f100.mean > 5 * f1000.mean
    assert 0.5 < (100 * f100.mean) / (1000 * f1000.mean) < 2.0
    assert len(f100.values) == 8 and f100.std > 0
    ref = fid_floor(x[:2000], 200, reference=x[2000:], repeats=3)
    assert ref.mean > 0 and ref.n == 200


@pytest.mark.parametrize("d", [4, 16])
def test_gaussian_floor_matches_second_order_theory(d):
    # Two independent samples of n from N(0, I_d): E‖m₁−m₂‖² = 2d/n; the Bures term ≈ ¼ E‖S₁−S₂‖²_F = d(d+1)/(2n).
    rng = np.random.default_rng(d)
    n = 2000
    fl = fid_floor(rng.normal(size=(2 * n, d)), n, repeats=1)
    vals = [fid_floor(rng.normal(size=(2 * n, d)), n, repeats=1).mean for _ in range(30)]
    assert np.mean(vals) == pytest.approx((2 * d + d * (d + 1) / 2) / n, rel=0.15)
    assert fl.std == 0.0 and len(fl.values) == 1


def test_fid_infinity_recovers_intercept():
    # Generated = real shifted by 0.3 in every one of 8 dims: true FID = 8 * 0.09 = 0.72.
    rng = np.random.default_rng(0)
    ref = rng.normal(size=(20000, 8))
    fake = rng.normal(size=(3000, 8)) + 0.3
    res = fid_infinity(fake, ref, ns=(100, 200, 400, 800, 1600), repeats=20, seed=1)
    assert res.fid_inf == pytest.approx(0.72, abs=0.1)
    assert res.slope > 0 and res.fids[0] > res.fids[-1]
    assert res.fids[0] - 0.72 > 2 * abs(res.fid_inf - 0.72)  # extrapolation beats the smallest n by far


def test_inception_score_extremes_and_hand_case():
    k = 10
    assert inception_score(np.full((50, k), 1 / k)) == pytest.approx(1.0)
    one_hot = np.eye(k)[np.arange(100) % k]
    assert inception_score(one_hot) == pytest.approx(k, rel=1e-6)
    assert inception_score(np.eye(k)[np.zeros(30, int)]) == pytest.approx(1.0, rel=1e-6)  # one class only
    # Two images, probs (0.8, 0.2) and (0.2, 0.8): p(y) = (0.5, 0.5), KL = 0.8 ln 1.6 + 0.2 ln 0.4.
    p = np.array([[0.8, 0.2], [0.2, 0.8]])
    assert inception_score(p) == pytest.approx(np.exp(0.8 * np.log(1.6) + 0.2 * np.log(0.4)))
    with pytest.raises(ValueError, match="summing to 1"):
        inception_score(np.ones((3, 4)))


def test_fid_over_floor_is_fid_over_the_same_n_floor():
    # the quality ratio of 07 and the diffusion scripts: FID to the test set over real-vs-real at the same n
    from course_lib.evaluation import digits_features, fid_floor, fid_over_floor, frechet_distance
    from course_lib.data import load_digits

    d = load_digits()
    x = d.x_train[:100].flip(-1)   # mirrored digits: a "model" clearly off the data
    m = fid_over_floor(x, d.x_test, digits_features, real_train=d.x_train)
    ref = digits_features(d.x_test)
    fid = frechet_distance(digits_features(x), ref)
    floor = fid_floor(digits_features(d.x_train), 100, reference=ref).mean
    assert m == {"n": 100, "fid": fid, "fid_floor": floor, "fid_over_floor": fid / floor}
    assert m["fid_over_floor"] > 2


def test_frechet_reference_is_frechet_distance():
    """The widget's cached reference gives frechet_distance's value (float64, d = 8: rel 1e-9)."""
    from course_lib.evaluation import FrechetReference, gaussian_stats

    rng = np.random.default_rng(0)
    ref, x = rng.normal(size=(300, 8)), rng.normal(0.3, 1.2, size=(200, 8))
    assert FrechetReference(ref).distance(*gaussian_stats(x)) == pytest.approx(frechet_distance(x, ref), rel=1e-9)
    assert FrechetReference(ref).distance(*gaussian_stats(ref)) == pytest.approx(0.0, abs=1e-9)
    with pytest.raises(ValueError, match="FrechetReference.distance"):
        FrechetReference(ref).distance(np.zeros(3), np.eye(3))

