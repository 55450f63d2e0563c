"""PCA and the autoencoder family (notebooks 02 and 03).

| module | concept | notebook |
|---|---|---|
| ``pca`` | PCA as ‖F − GUᵀ‖², principal angles | 02 |
| ``autoencoder`` | (linear / nonlinear) autoencoder, reconstruction error | 02 |
| ``sparse`` | sparse autoencoder, soft threshold | 03 |
| ``corruption`` | Gaussian and masking noise | 03 |
| ``denoising`` | denoising autoencoder | 03 |
| ``convolutional`` | stacked convolutional autoencoder | 03 |
| ``robust`` | robust autoencoder (group shrinkage) | 03 |
| ``semi_supervised`` | semi-supervised autoencoder | 03 |
| ``recipes`` | ``warm_up``, ``train_semi_supervised``, ``train_robust`` (on top of ``fit``) | 03 |
"""
from __future__ import annotations

from course_lib.autoencoders.autoencoder import Autoencoder, reconstruction_error, squared_error
from course_lib.autoencoders.convolutional import ConvAutoencoder
from course_lib.autoencoders.corruption import gaussian_noise, masking_noise, Corruption
from course_lib.autoencoders.denoising import DenoisingAutoencoder
from course_lib.autoencoders.pca import PCA, flatten, pca_objective, principal_angles
from course_lib.autoencoders.robust import RobustAutoencoder, group_shrink
from course_lib.autoencoders.semi_supervised import SemiSupervisedAutoencoder, semi_supervised_batches, labelled_subset
from course_lib.autoencoders.recipes import warm_up, train_semi_supervised, train_robust
from course_lib.autoencoders.sparse import SparseAutoencoder, sparsity, soft_threshold

__all__ = [
    "Autoencoder",
    "reconstruction_error",
    "squared_error",
    "ConvAutoencoder",
    "gaussian_noise",
    "masking_noise",
    "Corruption",
    "DenoisingAutoencoder",
    "PCA",
    "flatten",
    "pca_objective",
    "principal_angles",
    "RobustAutoencoder",
    "train_robust",
    "group_shrink",
    "SemiSupervisedAutoencoder",
    "semi_supervised_batches",
    "labelled_subset",
    "warm_up",
    "train_semi_supervised",
    "SparseAutoencoder",
    "sparsity",
    "soft_threshold",
]
