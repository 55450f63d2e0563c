"""The MLP autoencoder and the linear autoencoder = PCA (notebook 02)."""
import numpy as np
import pytest
import scipy.linalg
import torch

from course_lib.autoencoders import Autoencoder, reconstruction_error
from course_lib.data import load_digits, load_mnist
from course_lib.autoencoders import PCA
from course_lib.training import fit


def test_shapes_and_bad_inputs():
    ae = Autoencoder(3, image_shape=(1, 8, 8), hidden=(32,))
    x = torch.rand(5, 1, 8, 8)
    assert ae.encode(x).shape == (5, 3) and ae(x).shape == (5, 1, 8, 8)
    assert ae.loss(x).ndim == 0
    with pytest.raises(ValueError, match=r"x must have shape \(N, 1, 8, 8\)"):
        ae.encode(torch.rand(5, 64))
    with pytest.raises(ValueError, match=r"z must have shape \(n, 3\)"):
        ae.decode(torch.rand(5, 2))
    with pytest.raises(ValueError, match="code_activation"):
        Autoencoder(2, code_activation="tanh")
    with pytest.raises(TypeError, match="code_dim must be an integer"):
        Autoencoder(2.0)


@pytest.mark.slow
def test_linear_autoencoder_spans_the_pca_subspace():
    d = load_digits()
    x = d.x_train - d.x_train.mean(0)
    m = 3
    torch.manual_seed(0)
    lin = Autoencoder(m, image_shape=(1, 8, 8), linear=True)
    fit(lin, lambda b: x, steps=400, lr=1e-2, progress=False)
    B = lin.decoder.weight.detach().double().numpy()
    angles = np.degrees(scipy.linalg.subspace_angles(B, PCA(m).fit(d.x_train).U.numpy()))
    assert angles.max() < 10.0, angles


@pytest.mark.slow
def test_mlp_autoencoder_beats_pca_at_code_size_2():
    d = load_mnist()
    x_train, x_test = d.x_train[:2000], d.x_test[:500]
    torch.manual_seed(0)
    ae = Autoencoder(2, hidden=(128,))
    fit(ae, x_train, steps=600, batch_size=128, lr=3e-3, progress=False,
        generator=torch.Generator().manual_seed(0))
    err_ae = reconstruction_error(ae, x_test)
    err_pca = PCA(2).fit(x_train).error(x_test)
    assert err_ae < 40.0 and err_ae < err_pca, (err_ae, err_pca)


def test_reconstruction_error_checks_shapes():
    ae = Autoencoder(2, image_shape=(1, 8, 8), hidden=(16,))
    with pytest.raises(ValueError, match="inputs must have the shape"):
        reconstruction_error(ae, torch.rand(4, 1, 8, 8), inputs=torch.rand(3, 1, 8, 8))
