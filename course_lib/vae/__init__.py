"""Variational autoencoders (notebook 04).

| module | concept | notebook |
|---|---|---|
| ``model`` | the VAE: ELBO, reparametrisation, importance-weighted log p(x) | 04 |
| ``recipes`` | ``train_vae``: the training recipe | 04 |
| ``gradient_estimators`` | score-function vs reparametrisation gradients | 04 |
| ``ppca`` | probabilistic PCA: exact log p(x), posterior and ELBO gap (the bridge from 02's PCA) | 04 |
"""
from __future__ import annotations

from course_lib.vae.gradient_estimators import score_function_grads, reparam_grads, estimator_summary, quadratic_objective
from course_lib.vae.ppca import PPCA, gaussian_kl
from course_lib.vae.model import VAE, kl_to_prior, logmeanexp
from course_lib.vae.recipes import train_vae, train_eval_fn, ADAM_BETAS

__all__ = [
    "score_function_grads",
    "reparam_grads",
    "estimator_summary",
    "quadratic_objective",
    "VAE",
    "kl_to_prior",
    "logmeanexp",
    "train_vae",
    "train_eval_fn",
    "ADAM_BETAS",
    "PPCA",
    "gaussian_kl",
]
