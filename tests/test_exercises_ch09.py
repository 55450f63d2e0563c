"""Reference solutions of 09_evaluating_generative_models' exercises; each checker accepts them and rejects wrong ones."""
import numpy as np
import scipy.linalg

from course_lib.exercises import ch09


def fid_eigh(a, b):
    mu_a, mu_b = a.mean(0), b.mean(0)
    sa, sb = np.atleast_2d(np.cov(a, rowvar=False)), np.atleast_2d(np.cov(b, rowvar=False))
    w, v = np.linalg.eigh(sa)
    r = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    tr = np.sqrt(np.clip(np.linalg.eigvalsh(r @ sb @ r), 0, None)).sum()
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(sa) + np.trace(sb) - 2 * tr)


def fid_sqrtm(a, b):  # pytorch-fid's formula, also accepted
    sa, sb = np.atleast_2d(np.cov(a, rowvar=False)), np.atleast_2d(np.cov(b, rowvar=False))
    c = scipy.linalg.sqrtm(sa @ sb).real
    return float(((a.mean(0) - b.mean(0)) ** 2).sum() + np.trace(sa) + np.trace(sb) - 2 * np.trace(c))


def test_frechet_distance():
    assert ch09.check_frechet_distance(fid_eigh) is True
    assert ch09.check_frechet_distance(fid_sqrtm) is True
    def diagonal_only(a, b):  # ignores correlations: right in 1-D, wrong for correlated features
        va, vb = a.var(0, ddof=1), b.var(0, ddof=1)
        return float(((a.mean(0) - b.mean(0)) ** 2).sum() + ((np.sqrt(va) - np.sqrt(vb)) ** 2).sum())

    assert ch09.check_frechet_distance(diagonal_only) is False
    assert ch09.check_frechet_distance(lambda a, b: float(((a.mean(0) - b.mean(0)) ** 2).sum())) is False  # means only
    assert ch09.check_frechet_distance(...) is None


def knn_precision(real, fake, k):
    d_rr = np.linalg.norm(real[:, None] - real[None], axis=-1)
    radius = np.sort(d_rr, axis=1)[:, k]  # column 0 is the point itself
    d_rf = np.linalg.norm(real[:, None] - fake[None], axis=-1)
    return float((d_rf <= radius[:, None]).any(0).mean())


def test_knn_precision():
    assert ch09.check_knn_precision(knn_precision) is True

    def self_included(real, fake, k):  # forgets to skip the point itself: radii one neighbour too small
        d_rr = np.linalg.norm(real[:, None] - real[None], axis=-1)
        radius = np.sort(d_rr, axis=1)[:, k - 1]
        d_rf = np.linalg.norm(real[:, None] - fake[None], axis=-1)
        return float((d_rf <= radius[:, None]).any(0).mean())

    assert ch09.check_knn_precision(self_included) is False
    assert ch09.check_knn_precision(lambda real, fake, k: 1 / 0) is False  # errors become feedback


def test_is_and_floor():
    assert ch09.check_is_of_five_classes(5) is True
    assert ch09.check_is_of_five_classes(np.log(5)) is False
    assert ch09.check_floor_ratio(0.25) is True
    assert ch09.check_floor_ratio(0.5) is False
