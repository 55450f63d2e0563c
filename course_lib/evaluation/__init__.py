"""Evaluating generative models (notebooks 05, 06 and 09).

| module | concept | notebook |
|---|---|---|
| ``coverage`` | mode coverage and high-quality fraction; exact EMD between point clouds | 05, 06, 07 |
| ``optimal_transport`` | exact transport plans (assignment, network simplex), 1-D EMD | 06 |
| ``features`` | feature classifiers (8x8 digits MLP, MNIST CNN) for classifier-FID / IS | 09 (07, 08) |
| ``fid`` | Fréchet distance, real-vs-real floor, FID_∞, classifier Inception Score | 09 (07, 08) |
| ``kid`` | Kernel Inception Distance (unbiased polynomial-kernel MMD²) | 09 |
| ``precision_recall`` | k-NN precision/recall, density/coverage, nearest-neighbour memorisation ratio | 09 |
"""
from __future__ import annotations

from course_lib.evaluation.coverage import emd, Coverage, mode_coverage, CoverageStats, MIN_SHARE, mode_statistics, noise_baselines
from course_lib.evaluation.optimal_transport import TransportPlan, SOLVERS, cost_matrix, transport_plan, emd_1d
from course_lib.evaluation.features import (FEATURE_DIM, digits_features, digits_probs, feature_classifier,
                                            features_and_probs, mnist_features, mnist_probs)
from course_lib.evaluation.fid import (FIDWarning, FrechetReference, fid_floor, fid_infinity, fid_over_floor,
                                       frechet_distance, frechet_distance_from_stats, gaussian_stats, inception_score)
from course_lib.evaluation.precision_recall import (density_coverage, knn_radii, nearest_neighbour_ratio, prdc,
                                                    precision_recall)
from course_lib.evaluation.kid import kernel_inception_distance

__all__ = [
    "emd",
    "Coverage",
    "mode_coverage",
    "CoverageStats", "MIN_SHARE", "mode_statistics", "noise_baselines",
    "TransportPlan",
    "SOLVERS",
    "cost_matrix",
    "transport_plan",
    "emd_1d",
    "FEATURE_DIM", "digits_features", "digits_probs", "feature_classifier", "features_and_probs",
    "mnist_features", "mnist_probs",
    "FIDWarning", "FrechetReference", "fid_floor", "fid_infinity", "fid_over_floor", "frechet_distance", "frechet_distance_from_stats",
    "gaussian_stats", "inception_score",
    "kernel_inception_distance",
    "density_coverage", "knn_radii", "prdc", "precision_recall", "nearest_neighbour_ratio",
]
