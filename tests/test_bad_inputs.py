"""Bad input gets a clear error naming the function, the argument and what was expected (never a hang,
never silent garbage). Property-based: hypothesis generates the bad values."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import data
from course_lib.autoencoders import PCA, Autoencoder, ConvAutoencoder, reconstruction_error
from course_lib.gans import Discriminator, gradient_penalty, make_gan
from course_lib.likelihood import MSERegressor
from course_lib.training import batches, fit, one_cycle

FAST = settings(max_examples=25, deadline=None)
non_positive_ints = st.integers(max_value=0)
bad_floats = st.one_of(st.floats(max_value=0.0, allow_nan=False), st.just(math.nan), st.just(math.inf))


@FAST
@given(non_positive_ints)
def test_batches_never_hangs_on_a_bad_batch_size(bs):
    with pytest.raises(ValueError, match="batches: batch_size"):
        next(batches(torch.zeros(10, 2), bs))


@FAST
@given(st.sampled_from(["steps", "batch_size"]), non_positive_ints)
def test_fit_refuses_non_positive_counts(arg, value):
    model = Autoencoder(2, image_shape=(1, 2, 2), hidden=(4,))
    kw = {"steps": 2, "batch_size": 4, "progress": False} | {arg: value}
    with pytest.raises(ValueError, match=f"fit: {arg}"):
        fit(model, torch.rand(8, 1, 2, 2), **kw)


@FAST
@given(st.sampled_from(["lr", "grad_clip"]), bad_floats)
def test_fit_refuses_bad_rates(arg, value):
    model = Autoencoder(2, image_shape=(1, 2, 2), hidden=(4,))
    with pytest.raises(ValueError, match=f"fit: {arg}"):
        fit(model, torch.rand(8, 1, 2, 2), steps=2, batch_size=4, progress=False, **{arg: value})


@FAST
@given(st.floats(min_value=1.5, max_value=1e4))
def test_autoencoders_refuse_0_255_pixels(scale):
    x = torch.rand(8, 1, 28, 28) * scale + 1.01
    for model in (Autoencoder(2), ConvAutoencoder(2)):
        with pytest.raises(ValueError, match=r"\[0(\.0)?, 1(\.0)?\].*divide by 255"):
            model.loss(x)
        with pytest.raises(ValueError, match="divide by 255"):
            fit(model, x, steps=1, batch_size=4, progress=False)


def test_autoencoder_wrong_image_shape_is_named():
    with pytest.raises(ValueError, match=r"Autoencoder: x must have shape \(N, 1, 28, 28\)"):
        Autoencoder(2).loss(torch.rand(4, 1, 8, 8))


@FAST
@given(non_positive_ints)
def test_reconstruction_error_batch_size(bs):
    with pytest.raises(ValueError, match="reconstruction_error: batch_size"):
        reconstruction_error(Autoencoder(2, image_shape=(1, 2, 2), hidden=(4,)), torch.rand(3, 1, 2, 2), batch_size=bs)


@FAST
@given(st.one_of(st.floats(min_value=1.01, max_value=255.0), st.floats(max_value=-0.01, min_value=-255.0),
                 st.just(math.nan)))
def test_binarize_refuses_values_outside_0_1(v):
    x = torch.rand(4, 4)
    x[0, 0] = v
    with pytest.raises(ValueError, match="binarize: images"):
        data.binarize(x)


def test_pca_on_one_row():
    with pytest.raises(ValueError, match="PCA.fit: needs at least 2 objects"):
        PCA(1).fit(torch.rand(1, 5))


@FAST
@given(st.integers(min_value=2, max_value=20))
def test_mse_regressor_does_not_broadcast_y(n):
    model = MSERegressor(8)
    x = torch.rand(n, 1)
    assert torch.allclose(model.loss(x, x[:, 0]), model.loss(x, x))  # (n,) and (n, 1) mean the same
    with pytest.raises(ValueError, match="MSERegressor.loss: y must have"):
        model.loss(x, torch.rand(n + 1))


def test_gradient_penalty_refuses_nan():
    real = torch.rand(8, 2)
    real[0, 0] = math.nan
    with pytest.raises(ValueError, match="gradient_penalty: real and fake must be finite"):
        gradient_penalty(Discriminator(2, 8, 2), real, torch.rand(8, 2))


@pytest.mark.parametrize("ema", [1.0, 1.5, -0.1])
def test_gan_ema_must_be_below_one(ema):
    with pytest.raises(ValueError, match="ema"):
        make_gan("nonsaturating", ema=ema)


@FAST
@given(bad_floats)
def test_one_cycle_refuses_bad_peak_lr(peak):
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    with pytest.raises(ValueError, match="one_cycle: peak_lr"):
        one_cycle(opt, 10, peak)


def test_load_mnist_is_offline_by_default(tmp_path):
    import inspect

    assert inspect.signature(data.load_mnist).parameters["download"].default is False
    with pytest.raises(data.DataUnavailableError, match="download=False"):
        data.load_mnist(source="torchvision", root=tmp_path)


def test_numpy_input_is_accepted_where_a_student_would_pass_it():
    x = np.random.default_rng(0).random((6, 1, 2, 2)).astype(np.float32)
    model = Autoencoder(2, image_shape=(1, 2, 2), hidden=(4,))
    assert torch.isfinite(model.loss(x))


def test_vae_checks_its_data_once_in_fit_and_on_every_direct_loss_call(monkeypatch):
    """Issue 9/15: fit validates the VAE's data once (check_inputs), not on every step; a direct loss(x) still
    answers 0..255 pixels with a message naming VAE.loss."""
    from course_lib.vae import VAE

    vae = VAE(image_shape=(1, 4, 4), latent_dim=2, hidden=8)
    calls = []
    flat = VAE._flat
    monkeypatch.setattr(VAE, "_flat", lambda self, x, name="x": calls.append(name) or flat(self, x, name))
    fit(vae, torch.rand(16, 1, 4, 4), steps=5, batch_size=4, progress=False)
    assert calls == ["VAE: x"]
    with pytest.raises(ValueError, match=r"VAE.loss: x must have pixel values in \[0, 1\]"):
        vae.loss(torch.rand(4, 1, 4, 4) * 255 + 2)
