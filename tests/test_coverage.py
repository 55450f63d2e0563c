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
