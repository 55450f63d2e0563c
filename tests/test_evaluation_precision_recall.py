"""k-NN precision/recall and density/coverage (notebook 09) against hand cases and brute force."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from course_lib.evaluation.precision_recall import density_coverage, knn_radii, precision_recall, prdc


def brute_force(real, fake, k, strict=False):
    """Loops over points, scipy distances, sorted lists: an independent, slow implementation.

    ``strict``: a point on a ball's boundary is outside (the ``prdc`` package of Naeem et al. compares with
    ``<``); the course's default counts it inside (``<=``)."""
    import operator

    from scipy.spatial.distance import cdist

    le = operator.lt if strict else operator.le

    def radii(a):
        return np.array([sorted(np.linalg.norm(a - p, axis=1))[k] for p in a])  # [0] is the point itself

    rx, ry, d = radii(real), radii(fake), cdist(real, fake)
    precision = np.mean([any(le(d[i, j], rx[i]) for i in range(len(real))) for j in range(len(fake))])
    recall = np.mean([any(le(d[i, j], ry[j]) for j in range(len(fake))) for i in range(len(real))])
    density = sum(le(d[i, j], rx[i]) for i in range(len(real)) for j in range(len(fake))) / (k * len(fake))
    coverage = np.mean([any(le(d[i, j], rx[i]) for j in range(len(fake))) for i in range(len(real))])
    return dict(precision=precision, recall=recall, density=density, coverage=coverage)


def test_hand_computed_1d_case():
    # Real points 0, 1, 2, 3 on a line, k = 1: every real radius is 1.
    real = np.array([[0.0], [1.0], [2.0], [3.0]])
    fake = np.array([[0.5], [10.0], [10.5]])  # one realistic sample, two far outliers; radii 10, 0.5, 0.5
    assert np.allclose(knn_radii(real, 1), 1.0)
    p, r = precision_recall(real, fake, k=1)
    assert p == pytest.approx(1 / 3)  # only 0.5 lies in a real ball
    assert r == pytest.approx(1.0)  # the outlier at 10 has radius 9.5 and its ball swallows every real point
    dens, cov = density_coverage(real, fake, k=1)
    assert dens == pytest.approx(2 / 3)  # 0.5 is in the balls of 0 and 1: 2 / (k·M) = 2/3
    assert cov == pytest.approx(2 / 4)  # balls of 0 and 1 contain a sample
    # Coverage is not fooled by the outlier the way recall is: that is Naeem et al.'s point.


@settings(max_examples=25, deadline=None)
@given(n=st.integers(6, 25), m=st.integers(6, 25), d=st.integers(1, 5), k=st.integers(1, 5),
       seed=st.integers(0, 2**31))
def test_matches_brute_force(n, m, d, k, seed):
    rng = np.random.default_rng(seed)
    real, fake = rng.normal(size=(n, d)), rng.normal(loc=0.5, size=(m, d)) * 1.5
    got, want = prdc(real, fake, k), brute_force(real, fake, k)
    for key in want:
        assert got[key] == pytest.approx(want[key], abs=1e-12), key
    assert precision_recall(real, fake, k) == pytest.approx((want["precision"], want["recall"]))
    assert density_coverage(real, fake, k) == pytest.approx((want["density"], want["coverage"]))
    assert prdc(real, fake, k, real_radii=knn_radii(real, k)) == got
    # continuous features: ties have probability 0, so the reference code's strict `<` gives the same numbers
    assert prdc(real, fake, k, strict=True) == got


def _integer_points(seed, n, d=3):
    """n distinct points with integer coordinates < 1000: every squared distance is an integer below 2**53,
    so ‖a‖² + ‖b‖² − 2ab is exact and distances tie only when they are truly equal."""
    rng = np.random.default_rng(seed)
    return np.unique(rng.integers(0, 1000, size=(n, d)), axis=0).astype(np.float64)


@pytest.mark.parametrize("k", [1, 3, 5])
def test_copies_on_the_boundary_course_le_against_reference_lt(k):
    """The course (`<=`) and the reference code (`<`, the prdc package) differ exactly on copies of real points.

    A copy of X_j is in its own ball (distance 0) and in the ball of every real X_i that has X_j among its k
    nearest neighbours; for the X_i whose k-th neighbour is X_j, it sits exactly on the boundary. Scored
    against itself, a real set therefore has density (k + 1)/k with `<=` and 1 with `<` (no other ties here).
    """
    real = _integer_points(0, 80)
    dist = np.linalg.norm(real[:, None] - real[None], axis=-1)
    kth = np.sort(dist, 1)[:, k]
    assert not (np.sort(dist, 1)[:, k + 1] == kth).any()  # no ties at the k-th distance in this draw
    course, reference = prdc(real, real.copy(), k), prdc(real, real.copy(), k, strict=True)
    assert course["density"] == pytest.approx((k + 1) / k, rel=1e-12)
    assert reference["density"] == pytest.approx(1.0, rel=1e-12)
    for m in (course, reference):
        assert m["precision"] == m["recall"] == m["coverage"] == 1.0
    for key in course:  # both conventions agree with the brute-force loops
        assert course[key] == pytest.approx(brute_force(real, real.copy(), k)[key], abs=1e-12)
        assert reference[key] == pytest.approx(brute_force(real, real.copy(), k, strict=True)[key], abs=1e-12)
    # copies mixed into fresh points: the difference is confined to the copies' boundary ties
    # (squared distances from half-integer points are integers + 0.75: never on a boundary)
    fresh = _integer_points(1, 60) + 0.5
    mixed = np.concatenate([real[:30], fresh])
    a, b = prdc(real, mixed, k), prdc(real, mixed, k, strict=True)
    kth_neighbour = np.argsort(dist, 1, kind="stable")[:, k]  # column 0 is the point itself
    on_boundary = np.isin(kth_neighbour, np.arange(30)).sum()  # balls with one of the copies on their boundary
    assert on_boundary > 0
    assert a["density"] - b["density"] == pytest.approx(on_boundary / (k * len(mixed)), rel=1e-12)
    assert a["density"] > b["density"] and a["coverage"] >= b["coverage"] and a["precision"] == b["precision"]


def test_strict_must_be_a_bool():
    with pytest.raises(TypeError, match="prdc: strict must be True or False"):
        prdc(np.random.rand(6, 2), np.random.rand(6, 2), k=2, strict="yes")


def test_same_distribution_is_near_one_and_failure_modes_separate():
    rng = np.random.default_rng(0)
    centers = rng.normal(scale=8, size=(10, 4))
    lab = rng.integers(0, 10, 2000)
    real = centers[lab[:1000]] + rng.normal(size=(1000, 4))
    same = centers[lab[1000:]] + rng.normal(size=(1000, 4))
    m = prdc(real, same, 5)
    assert min(m["precision"], m["recall"], m["coverage"]) > 0.9 and 0.8 < m["density"] < 1.2
    half = same[lab[1000:] < 5]  # dropped modes: realistic but incomplete
    h = prdc(real, half, 5)
    assert h["precision"] > 0.9 and h["recall"] < 0.65 and h["coverage"] < 0.65
    noisy = same + rng.normal(scale=1.5, size=same.shape)  # blurry/noisy samples: complete but unrealistic
    z = prdc(real, noisy, 5)
    assert z["precision"] < m["precision"] - 0.1 and z["density"] < 0.6 * m["density"]


