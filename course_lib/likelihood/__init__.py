"""Likelihood-based basics (notebooks 00 and 01).

| module | concept | notebook |
|---|---|---|
| ``mle`` | maximum likelihood, Gaussian MLE, entropy, cross-entropy, KL | 01 |
| ``mixture`` | Gaussian mixture by gradient ascent (vs EM) | 01 |
| ``naive_bayes`` | Naive Bayes (generative classifier) vs logistic regression | 00 |
| ``mixture_density`` | mixture density network vs an MSE regressor on multi-modal targets | 00 |
| ``model_map`` | the drawn taxonomy of model families | 00 |
"""
from __future__ import annotations

from course_lib.likelihood.mixture import GaussianMixture
from course_lib.likelihood.mixture_density import two_branch_data, branch_means, conditional_mean, true_log_density, branch_fractions, MSERegressor, MixtureDensityNetwork
from course_lib.likelihood.mle import as_samples_1d, gaussian_log_prob, gaussian_log_likelihood, gaussian_mle, Gaussian, log_likelihood_grid, as_probabilities, entropy, cross_entropy, kl_divergence, kl_gaussian
from course_lib.likelihood.model_map import FAMILIES, NODES, EDGES, draw_model_map
from course_lib.likelihood.naive_bayes import discretize, NaiveBayes, LogisticRegression

__all__ = [
    "GaussianMixture",
    "two_branch_data",
    "branch_means",
    "conditional_mean",
    "true_log_density",
    "branch_fractions",
    "MSERegressor",
    "MixtureDensityNetwork",
    "as_samples_1d",
    "gaussian_log_prob",
    "gaussian_log_likelihood",
    "gaussian_mle",
    "Gaussian",
    "log_likelihood_grid",
    "as_probabilities",
    "entropy",
    "cross_entropy",
    "kl_divergence",
    "kl_gaussian",
    "FAMILIES",
    "NODES",
    "EDGES",
    "draw_model_map",
    "discretize",
    "NaiveBayes",
    "LogisticRegression",
]
