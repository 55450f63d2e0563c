"""PCA (course_lib.autoencoders.pca) against scikit-learn and scipy, and the algebra of the lecture's objective."""
import numpy as np
import pytest
import scipy.linalg
import torch
from sklearn.decomposition import PCA as SkPCA

from course_lib.data import load_digits
from course_lib.autoencoders import PCA, flatten, pca_objective, principal_angles


@pytest.fixture(scope="module")
def digits():
    return load_digits()


def test_matches_sklearn(digits):
    m = 12
    ours = PCA(m).fit(digits.x_train)
    F, F_test = flatten(digits.x_train).numpy(), flatten(digits.x_test).numpy()
    sk = SkPCA(n_components=m, svd_solver="full").fit(F)
    U = ours.U.numpy()
    signs = np.sign((sk.components_ * U.T).sum(1))
    assert np.allclose(sk.components_ * signs[:, None], U.T, atol=1e-8)          # components up to sign
    assert np.allclose(sk.explained_variance_, ours.explained_variance.numpy())    # explained variance
    assert np.allclose(sk.mean_, ours.mean.numpy())
    assert np.allclose(sk.inverse_transform(sk.transform(F_test)), ours.reconstruct(digits.x_test).numpy(), atol=1e-8)
    assert np.allclose(np.abs(sk.transform(F_test)), np.abs(ours.transform(digits.x_test).numpy()), atol=1e-8)


def test_objective_projector_and_error_curve(digits):
    pca = PCA(5).fit(digits.x_train)
    F = flatten(digits.x_train)
    Fc = F - pca.mean
    U = pca.U
    P = U @ U.T
    assert torch.allclose(U.T @ U, torch.eye(5, dtype=torch.float64), atol=1e-10)
    assert torch.allclose(P @ P, P, atol=1e-10) and torch.allclose(P, P.T)
    s = pca.singular_values
    # Eckart-Young: the minimum is the sum of the discarded squared singular values...
    assert np.isclose(pca_objective(Fc, U), float((s[5:] ** 2).sum()))
    # ...and any other orthonormal U does worse
    Q, _ = torch.linalg.qr(torch.randn(F.shape[1], 5, dtype=torch.float64, generator=torch.Generator().manual_seed(0)))
    assert pca_objective(Fc, Q) > pca_objective(Fc, U)
    curve = pca.error_curve(digits.x_test, [0, 1, 5, 20])
    assert np.isclose(curve[2], pca.error(digits.x_test))
    assert np.isclose(curve[3], PCA(20).fit(digits.x_train).error(digits.x_test))
    assert curve == sorted(curve, reverse=True)
    assert np.isclose(pca.error_curve(digits.x_train, [7])[0], float((s[7:] ** 2).sum()) / len(F))


def test_principal_angles_match_scipy():
    g = torch.Generator().manual_seed(1)
    A, B = torch.randn(30, 4, generator=g, dtype=torch.float64), torch.randn(30, 3, generator=g, dtype=torch.float64)
    ours = principal_angles(A, B).numpy()
    assert np.allclose(np.sort(ours), np.sort(scipy.linalg.subspace_angles(A.numpy(), B.numpy())), atol=1e-10)
    C = A @ torch.randn(4, 4, generator=g, dtype=torch.float64)  # same span, another basis
    assert principal_angles(A, C).max() < 1e-6


