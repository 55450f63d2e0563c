"""Evaluating generative models (notebook 09): feature classifiers, FID, IS, precision/recall, density/coverage.

(The lead merges this with the mode-coverage and optimal-transport modules of the same package.)
"""
from .features import (FEATURE_DIM, digits_features, digits_probs, feature_classifier, features_and_probs,
                       mnist_features, mnist_probs)
from .fid import (FIDWarning, fid_floor, fid_infinity, frechet_distance, frechet_distance_from_stats,
                  gaussian_stats, inception_score)
from .leaderboard import course_samplers, format_leaderboard, leaderboard, nearest_neighbour_ratio
from .precision_recall import density_coverage, knn_radii, prdc, precision_recall

__all__ = ["FEATURE_DIM", "digits_features", "digits_probs", "feature_classifier", "features_and_probs",
           "mnist_features", "mnist_probs", "FIDWarning", "fid_floor", "fid_infinity", "frechet_distance",
           "frechet_distance_from_stats", "gaussian_stats", "inception_score",
           "density_coverage", "knn_radii", "prdc", "precision_recall",
           "course_samplers", "format_leaderboard", "leaderboard", "nearest_neighbour_ratio"]
