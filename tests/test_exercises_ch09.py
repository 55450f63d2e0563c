"""Exercises of notebook 09: the reference solutions (solutions/ch09.py) pass, typical mistakes, random guesses and
the library's own functions fail, `...` is 'not answered'."""
import numpy as np
import scipy.linalg

from course_lib import evaluation
from course_lib.exercises import ch09
from solutions import ch09 as sol


def fid_sqrtm(a, b):  # pytorch-fid's formula, also accepted
    sa, sb = np.atleast_2d(np.cov(a, rowvar=False)), np.atleast_2d(np.cov(b, rowvar=False))
    c = scipy.linalg.sqrtm(sa @ sb).real
    return float(((a.mean(0) - b.mean(0)) ** 2).sum() + np.trace(sa) + np.trace(sb) - 2 * np.trace(c))


def test_frechet_distance():
    assert ch09.check_frechet_distance(sol.frechet_distance) is True
    assert ch09.check_frechet_distance(fid_sqrtm) is True

    def diagonal_only(a, b):  # ignores correlations: right in 1-D, wrong for correlated features
        va, vb = a.var(0, ddof=1), b.var(0, ddof=1)
        return float(((a.mean(0) - b.mean(0)) ** 2).sum() + ((np.sqrt(va) - np.sqrt(vb)) ** 2).sum())

    def no_atleast_2d(a, b):  # the d = 1 trap: np.cov returns a 0-d array, eigh refuses it
        s_a, s_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
        w, v = np.linalg.eigh(s_a)
        r = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
        lam = np.linalg.eigvalsh(r @ s_b @ r)
        return float(((a.mean(0) - b.mean(0)) ** 2).sum() + np.trace(s_a) + np.trace(s_b) - 2 * np.sqrt(lam.clip(0)).sum())

    assert ch09.check_frechet_distance(diagonal_only) is False
    assert ch09.check_frechet_distance(no_atleast_2d) is False
    assert ch09.check_frechet_distance(lambda a, b: float(((a.mean(0) - b.mean(0)) ** 2).sum())) is False  # means only
    assert ch09.check_frechet_distance(lambda a, b: float(np.random.rand() * 10)) is False
    assert ch09.check_frechet_distance(evaluation.frechet_distance) is False  # the library
    assert ch09.check_frechet_distance(lambda a, b: evaluation.frechet_distance(a, b)) is False  # wrapped
    assert ch09.check_frechet_distance(...) is None


def test_knn_precision():
    assert ch09.check_knn_precision(sol.knn_precision) is True

    def self_included(real, fake, k):  # forgets to skip the point itself: radii one neighbour too small
        d_rr = np.linalg.norm(real[:, None] - real[None], axis=-1)
        radius = np.sort(d_rr, axis=1)[:, k - 1]
        d_rf = np.linalg.norm(real[:, None] - fake[None], axis=-1)
        return float((d_rf <= radius[:, None]).any(0).mean())

    assert ch09.check_knn_precision(self_included) is False
    assert ch09.check_knn_precision(lambda real, fake, k: sol.coverage(real, fake, k)) is False  # the other side
    assert ch09.check_knn_precision(lambda real, fake, k: evaluation.precision_recall(real, fake, k)[0]) is False
    assert evaluation.precision_recall(np.eye(3), np.eye(3), 1) == (1.0, 1.0)  # restored after the check
    assert ch09.check_knn_precision(evaluation.precision_recall) is False
    assert ch09.check_knn_precision(lambda real, fake, k: 1 / 0) is False  # errors become feedback


def test_coverage():
    assert ch09.check_coverage(sol.coverage) is True
    assert ch09.check_coverage(sol.knn_precision) is False  # precision: the fake points' side

    def recall_like(real, fake, k):  # balls around the fake points: the outlier's huge ball covers everything
        return float((sol._distances(real, fake) <= sol._radii(fake, k)[None, :]).any(1).mean())

    assert ch09.check_coverage(recall_like) is False
    assert ch09.check_coverage(lambda real, fake, k: np.random.rand()) is False
    assert ch09.check_coverage(evaluation.density_coverage) is False
    assert ch09.check_coverage(evaluation.prdc) is False
    assert ch09.check_coverage(lambda real, fake, k: evaluation.prdc(real, fake, k)["coverage"]) is False
    assert ch09.check_coverage(...) is None


def test_fid_infinity():
    assert ch09.check_fid_infinity(sol.fid_infinity) is True
    assert ch09.check_fid_infinity(lambda ns, fids: float(np.polyfit(ns, fids, 1)[1])) is False  # a line in n
    assert ch09.check_fid_infinity(lambda ns, fids: float(np.polyfit(1 / ns, fids, 1)[0])) is False  # the slope
    assert ch09.check_fid_infinity(lambda ns, fids: float(fids[-1])) is False  # the largest n's FID
    assert ch09.check_fid_infinity(evaluation.fid_infinity) is False
    assert ch09.check_fid_infinity(...) is None
