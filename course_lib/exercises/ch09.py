"""Auto-checked exercises of 09_evaluating_generative_models (reference solutions: solutions/ch09.py).

Each runs a function the student writes on cases of its own; the library's own functions are refused.
"""
from __future__ import annotations

import warnings

import numpy as np

from course_lib.exercises import check, refusing_library

__all__ = ["check_frechet_distance", "check_knn_precision", "check_coverage", "check_fid_infinity"]


_LIBRARY = ("frechet_distance", "frechet_distance_from_stats", "precision_recall", "prdc", "density_coverage",
            "fid_infinity", "knn_radii", "kernel_inception_distance")


def _own(predicate):
    """``predicate`` with the library's answers out of reach: its functions are refused as answers, and while the
    answer runs, calling them through ``course_lib.evaluation`` raises (the point is to write them)."""
    from course_lib import evaluation
    from course_lib.evaluation import fid, kid, precision_recall

    modules = [evaluation, fid, precision_recall, kid]
    return refusing_library(predicate, [(m, name) for m in modules for name in _LIBRARY])


def _gaussian_cloud(rng, n, d, shift):
    a = rng.normal(size=(d, d)) / np.sqrt(d)
    return rng.normal(size=(n, d)) @ a + shift  # correlated, non-commuting covariances between calls


def check_frechet_distance(answer):
    """``answer(feats_a, feats_b)``: the Fréchet distance between Gaussians fitted to two (n, d) arrays.

    Compared with ``course_lib.evaluation.frechet_distance`` on random correlated clouds (d = 1 to 12,
    different n, covariances that do not commute) within a relative 1e-5.
    """
    from course_lib.evaluation import frechet_distance

    rng = np.random.default_rng(9)
    cases = [(_gaussian_cloud(rng, 200, d, 0.0), _gaussian_cloud(rng, 150, d, 0.3 * d)) for d in (1, 3, 12)]
    # d = 1 is a case on purpose: np.cov of one column returns a 0-d array, which np.linalg.eigh refuses
    cases.append((cases[2][0], cases[2][0].copy()))  # identical sets: 0

    want = [frechet_distance(a, b) for a, b in cases]

    def ok(f):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return all(abs(float(f(a.copy(), b.copy())) - w) <= 1e-5 * max(1.0, w) for (a, b), w in zip(cases, want))

    return check(answer, _own(ok), "‖μ_a − μ_b‖² + tr Σ_a + tr Σ_b − 2 tr (Σ_a^{1/2} Σ_b Σ_a^{1/2})^{1/2}; covariances "
                 "with np.cov(x, rowvar=False), made (d, d) even when d = 1 (np.atleast_2d); the trace of the square root is the sum of the square roots of the "
                 "eigenvalues of Σ_a^{1/2} Σ_b Σ_a^{1/2} (np.linalg.eigh for each square root)",
                 "that is the 2-Wasserstein distance between the two fitted Gaussians, squared.")


def _agrees_on(cases, want):
    """The predicate: ``f(real, fake, k)`` gives the reference value ``want[i]`` (to 1e-9) on each case (copies passed,
    so an answer that changes its inputs in place cannot spoil the next case)."""
    def ok(f):
        return all(abs(float(f(x.copy(), y.copy(), k)) - w) < 1e-9 for (x, y, k), w in zip(cases, want))
    return ok


def check_knn_precision(answer):
    """``answer(real, fake, k)``: k-NN precision (Kynkäänniemi et al. 2019), real (N, d), fake (M, d).

    Compared with ``course_lib.evaluation.precision_recall`` on random clouds, several k.
    """
    from course_lib.evaluation import precision_recall

    rng = np.random.default_rng(11)
    cases = [(rng.normal(size=(60, 2)), rng.normal(0.8, 1.3, size=(40, 2)), 3),
             (rng.normal(size=(30, 5)), rng.normal(size=(50, 5)) * 0.5, 1),
             (rng.normal(size=(80, 3)), rng.normal(2.0, 1.0, size=(80, 3)), 5)]

    ok = _agrees_on(cases, [precision_recall(x, y, k)[0] for x, y, k in cases])
    return check(answer, _own(ok), "radius of each real point = distance to its k-th nearest *other* real point (skip the "
                 "distance 0 to itself); precision = fraction of fake points within the radius of at least one real point",
                 "precision asks only whether samples look real, never whether all of the data is covered.")


def check_coverage(answer):
    """``answer(real, fake, k)``: coverage (Naeem et al. 2020), real (N, d), fake (M, d): the fraction of real
    points whose k-NN ball (radius: distance to the k-th nearest *other* real point) holds at least one fake point.

    Compared with the library on clouds of its own, including a fake set with one far outlier.
    """
    from course_lib.evaluation import density_coverage

    rng = np.random.default_rng(12)
    cases = [(rng.normal(size=(50, 2)), rng.normal(0.5, 1.0, size=(30, 2)), 3),
             (rng.normal(size=(40, 4)), np.concatenate([rng.normal(size=(20, 4)) * 0.3, [[40.0, 0, 0, 0]]]), 2),
             (rng.normal(size=(60, 3)), rng.normal(size=(90, 3)), 5)]

    ok = _agrees_on(cases, [density_coverage(x, y, k)[1] for x, y, k in cases])
    return check(answer, _own(ok), "the balls are the *real* points' (radius = k-th nearest other real point); for "
                 "each real point, is its nearest fake point inside its ball? coverage = the fraction that are",
                 "coverage uses real balls only, so one generated outlier cannot inflate it the way it inflates recall.")


def check_fid_infinity(answer):
    """``answer(ns, fids)`` → FID_∞: the intercept at 1/n = 0 of the least-squares line of FID_n against 1/n
    (Chong & Forsyth 2020), from sample sizes ns (k,) and the FIDs measured at them (k,)."""
    rng = np.random.default_rng(13)
    cases = []
    for f_inf, c in ((0.0, 1200.0), (24.0, 700.0), (3.5, 2000.0)):
        ns = np.array([100, 150, 200, 300, 450, 600])
        cases.append((ns, f_inf + c / ns + rng.normal(0, 0.3, len(ns))))

    def reference(ns, fids):
        return float(np.polyfit(1.0 / np.asarray(ns, float), fids, 1)[1])

    def ok(f):
        return all(abs(float(f(ns.copy(), fids.copy())) - reference(ns, fids)) < 1e-6 * max(1.0, abs(reference(ns, fids)))
                   for ns, fids in cases)

    return check(answer, _own(ok), "fit FID_n = FID_∞ + c/n: a straight line in x = 1/n (np.polyfit(1 / ns, fids, 1)) "
                 "and return its value at x = 0, the intercept",
                 "the 1/n bias is extrapolated away; what remains is the distance a model would have with infinitely "
                 "many samples.")
