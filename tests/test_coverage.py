"""EMD against POT and scipy; mode coverage against hand-made cases."""
import numpy as np
import pytest
import torch

from course_lib import data
from course_lib.evaluation import emd, mode_coverage
from course_lib.evaluation import cost_matrix, emd_1d, transport_plan


@pytest.mark.parametrize("n,d,seed", [(5, 2, 0), (30, 2, 1), (60, 3, 2), (40, 10, 3)])
def test_emd_matches_pot(n, d, seed):
    ot = pytest.importorskip("ot")
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(n, d)), rng.normal(loc=0.7, size=(n, d)) * 1.3
    w = np.full(n, 1.0 / n)
    want = ot.emd2(w, w, ot.dist(x, y, metric="euclidean"))  # POT's default metric is squared Euclidean
    assert emd(x, y) == pytest.approx(want, rel=1e-9, abs=1e-12)
    assert emd(torch.tensor(x, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)) == pytest.approx(want, rel=1e-6)


def test_emd_1d_matches_scipy():
    from scipy.stats import wasserstein_distance

    rng = np.random.default_rng(0)
    x, y = rng.normal(size=300), rng.exponential(size=300)
    want = wasserstein_distance(x, y)
    assert emd_1d(x, y) == pytest.approx(want, rel=1e-10)
    assert emd(x[:, None], y[:, None]) == pytest.approx(want, rel=1e-9)


def test_emd_properties_and_plan():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(20, 2))
    assert emd(x, x) == pytest.approx(0.0, abs=1e-12)
    assert emd(x, x + np.array([3.0, 4.0])) == pytest.approx(5.0)  # a pure translation by (3, 4)
    y = rng.normal(size=(20, 2))
    plan = transport_plan(x, y)
    g = plan.matrix()
    assert np.allclose(g.sum(0), 1 / 20) and np.allclose(g.sum(1), 1 / 20)
    assert plan.cost == pytest.approx((g * cost_matrix(x, y)).sum())
    assert sorted(plan.target) == list(range(20))


@pytest.mark.parametrize("n,seed", [(7, 0), (200, 1)])
def test_network_simplex_and_assignment_agree(n, seed):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(n, 2)), rng.normal(loc=0.5, size=(n, 2)) * 1.5
    a, b = transport_plan(x, y), transport_plan(x, y, solver="network-simplex")
    assert sorted(b.target) == list(range(n))  # a permutation, as a vertex of the Birkhoff polytope must be
    assert b.cost == pytest.approx(a.cost, rel=1e-12)
    assert b.distances == pytest.approx(cost_matrix(x, y)[np.arange(n), b.target])
    with pytest.raises(ValueError, match="solver"):
        transport_plan(x, y, solver="sinkhorn")


def test_emd_bad_inputs():
    with pytest.raises(ValueError, match="same shape"):
        emd(np.zeros((3, 2)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"shape \(n, d\)"):
        emd(np.zeros(3), np.zeros(3))
    with pytest.raises(ValueError, match="NaN"):
        emd(np.full((3, 2), np.nan), np.zeros((3, 2)))
    with pytest.raises(TypeError, match="x must be"):
        emd("points", np.zeros((3, 2)))


def test_mode_coverage_by_hand():
    c = data.ring_centers(8)
    assert mode_coverage(c, c, 0.02) == (8, 1.0)
    assert mode_coverage(c[:1].repeat(100, 1), c, 0.02) == (1, 1.0)  # total collapse onto one mode
    assert mode_coverage(torch.zeros(50, 2), c, 0.02) == (0, 0.0)  # all samples in the middle of the ring
    # 3σ boundary: 2.9σ counts, 3.1σ does not
    x = torch.stack([c[0] + torch.tensor([0.058, 0.0]), c[1] + torch.tensor([0.062, 0.0])])
    assert mode_coverage(x, c, 0.02) == (1, 0.5)


def test_mode_coverage_of_real_data():
    g = torch.Generator().manual_seed(0)
    modes, hq = mode_coverage(data.gaussian_ring(2500, generator=g), data.ring_centers(8), 0.02)
    # a 2-D Gaussian lies within 3σ with probability 1 − exp(−9/2) ≈ 0.989
    assert modes == 8 and hq == pytest.approx(1 - np.exp(-4.5), abs=0.01)
    modes, hq = mode_coverage(data.gaussian_grid(2500, generator=g), data.grid_centers(), 0.05)
    assert modes == 25 and hq == pytest.approx(1 - np.exp(-4.5), abs=0.01)


def test_mode_coverage_bad_inputs():
    c = data.ring_centers(8)
    with pytest.raises(ValueError, match="std must be > 0"):
        mode_coverage(c, c, 0.0)
    with pytest.raises(ValueError, match="same dimension"):
        mode_coverage(torch.zeros(5, 3), c, 0.02)
    with pytest.raises(ValueError, match="shape"):
        mode_coverage(torch.zeros(5), c, 0.02)


# --------------------------------------------------------------------------- collapse vs noise (issue 26)
def test_mode_statistics_by_hand():
    from course_lib.evaluation import mode_statistics

    centers = data.ring_centers(8)
    # collapse: every sample on one mode -> 1 mode by every rule, reverse KL = ln 8 (its maximum)
    st = mode_statistics(centers[:1].repeat(400, 1), centers, 0.02)
    assert (st.modes, st.high_quality, st.modes_min_share) == (1, 1.0, 1)
    assert st.reverse_kl == pytest.approx(np.log(8), rel=1e-12)
    # a perfect spread: 50 samples on each mode -> 8 modes, reverse KL 0
    st = mode_statistics(centers.repeat(50, 1), centers, 0.02)
    assert (st.modes, st.modes_min_share) == (8, 8) and st.reverse_kl == 0.0
    # the share rule: a mode needs >= min_share * n / k high-quality samples. 400 samples, k = 8 -> 12.5 at 1/4
    x = torch.cat([centers[:1].repeat(388, 1), centers[1:2].repeat(12, 1)])
    assert mode_statistics(x, centers, 0.02).modes_min_share == 1          # 12 < 12.5: not counted
    assert mode_statistics(x, centers, 0.02, min_share=0.24).modes_min_share == 2   # 12 >= 12.0
    assert mode_statistics(x, centers, 0.02).modes == 2                    # VEEGAN counts it
    # two modes, evenly: reverse KL = ln(8 / 2)
    x = torch.cat([centers[:1].repeat(200, 1), centers[1:2].repeat(200, 1)])
    assert mode_statistics(x, centers, 0.02).reverse_kl == pytest.approx(np.log(4), rel=1e-12)
    # nothing near a mode: no histogram, reverse KL is NaN, not 0
    st = mode_statistics(torch.full((10, 2), 9.0), centers, 0.02)
    assert (st.modes, st.high_quality, st.modes_min_share) == (0, 0.0, 0) and np.isnan(st.reverse_kl)


def test_noise_baselines_are_pinned():
    """No model at all. Uniform on the ring's circle: each mode's 3σ disc cuts an arc of 2·2·arcsin(3σ/(2R)) rad,
    so the high-quality fraction is 8·2·arcsin(0.015)/π = 0.0764 and all 8 modes get a few samples (VEEGAN counts
    8/8) but none gets a quarter of its fair share. Uniform on the square: the 3σ discs' share of its area."""
    from course_lib.evaluation import noise_baselines

    hq_circle = 8 * 2 * np.arcsin(0.06 / 4) / np.pi
    hq_ring_square = 8 * np.pi * 0.06 ** 2 / (2 * (2 + 0.5 * 4 * np.sin(np.pi / 8))) ** 2
    hq_grid_square = 25 * np.pi * 0.15 ** 2 / 10 ** 2
    sd = lambda p: np.sqrt(p * (1 - p) / 2500)  # noqa: E731  binomial sd of one draw of 2,500
    for seed in range(5):
        ring = noise_baselines(data.ring_centers(8), 0.02, seed=seed)
        grid = noise_baselines(data.grid_centers(5), 0.05, seed=seed)
        assert sorted(ring) == ["uniform on the circle", "uniform on the square"]
        assert list(grid) == ["uniform on the square"]       # the grid's centres are not on a circle
        c, s, g = ring["uniform on the circle"], ring["uniform on the square"], grid["uniform on the square"]
        assert abs(c.high_quality - hq_circle) < 4 * sd(hq_circle)
        assert abs(s.high_quality - hq_ring_square) < 4 * sd(hq_ring_square)
        assert abs(g.high_quality - hq_grid_square) < 4 * sd(hq_grid_square)
        assert c.modes == 8 and c.reverse_kl < 0.1            # noise on the circle "covers" every mode evenly ...
        assert c.modes_min_share == s.modes_min_share == g.modes_min_share == 0   # ... and the share rule says no
        assert g.modes >= 15                                  # VEEGAN's count calls most grid modes covered


def test_mode_statistics_bad_inputs():
    from course_lib.evaluation import mode_statistics, noise_baselines

    c = data.ring_centers(8)
    with pytest.raises(ValueError, match="mode_statistics: samples and centers"):
        mode_statistics(torch.zeros(5, 3), c, 0.02)
    with pytest.raises(ValueError, match="mode_statistics: std"):
        mode_statistics(torch.zeros(5, 2), c, 0.0)
    with pytest.raises(ValueError, match="noise_baselines: centers"):
        noise_baselines(torch.zeros(1, 2), 0.02)
