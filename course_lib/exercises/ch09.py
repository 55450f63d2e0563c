"""Auto-checked exercises of 09_evaluating_generative_models (reference solutions: tests/test_exercises_ch09.py)."""
from __future__ import annotations

import warnings

import numpy as np

from course_lib.exercises import check

__all__ = ["check_frechet_distance", "check_knn_precision", "check_is_of_five_classes", "check_floor_ratio"]


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
    cases.append((cases[2][0], cases[2][0].copy()))  # identical sets: 0

    def ok(f):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return all(abs(float(f(a.copy(), b.copy())) - frechet_distance(a, b)) <= 1e-5 * max(1.0, frechet_distance(a, b))
                       for a, b in cases)

    return check(answer, ok, "‖μ_a − μ_b‖² + tr Σ_a + tr Σ_b − 2 tr (Σ_a^{1/2} Σ_b Σ_a^{1/2})^{1/2}; covariances "
                 "with np.cov(x, rowvar=False); the trace of the square root is the sum of the square roots of the "
                 "eigenvalues of Σ_a^{1/2} Σ_b Σ_a^{1/2} (np.linalg.eigh for each square root)",
                 "that is the 2-Wasserstein distance between the two fitted Gaussians, squared.")


def check_knn_precision(answer):
    """``answer(real, fake, k)``: k-NN precision (Kynkäänniemi et al. 2019), real (N, d), fake (M, d).

    Compared with ``course_lib.evaluation.precision_recall`` on random clouds, several k.
    """
    from course_lib.evaluation import precision_recall

    rng = np.random.default_rng(11)
    cases = [(rng.normal(size=(60, 2)), rng.normal(0.8, 1.3, size=(40, 2)), 3),
             (rng.normal(size=(30, 5)), rng.normal(size=(50, 5)) * 0.5, 1),
             (rng.normal(size=(80, 3)), rng.normal(2.0, 1.0, size=(80, 3)), 5)]

    def ok(f):
        return all(abs(float(f(x.copy(), y.copy(), k)) - precision_recall(x, y, k)[0]) < 1e-9 for x, y, k in cases)

    return check(answer, ok, "radius of each real point = distance to its k-th nearest *other* real point (skip the "
                 "distance 0 to itself); precision = fraction of fake points within the radius of at least one real point",
                 "precision asks only whether samples look real, never whether all of the data is covered.")


def check_is_of_five_classes(answer):
    """The classifier IS of a model whose images are classified with certainty into 5 of 10 classes, equally often."""
    return check(answer, lambda a: abs(float(a) - 5.0) < 1e-6,
                 "each p(y|x) is one-hot, so KL(p(y|x) ‖ p(y)) = −ln p(y) = ln 5 for every image; IS = exp of that",
                 "IS counts how many classes are produced, confidently and evenly: it is blind to what happens within a class.")


def check_floor_ratio(answer):
    """floor(n = 400) / floor(n = 100): the real-vs-real FID when both sets grow four-fold (a number)."""
    return check(answer, lambda a: 0.2 <= float(a) <= 0.3,
                 "the bias of FID_n is about c/n (Chong & Forsyth 2020): with 4× the samples it shrinks about 4×",
                 "about 1/4: this is why FIDs are only comparable at the same n, and why FID_∞ extrapolates in 1/n.")
