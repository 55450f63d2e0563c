"""The (MLP) autoencoder: encoder g, bottleneck code z, decoder f (taught in 02_pca_and_autoencoders).

x (N, C, H, W) --encoder--> z (N, m) --decoder--> x̂ (N, C, H, W), trained to minimise the squared
reconstruction error sum_i ||x_i - f(g(x_i))||^2 (Rumelhart, Hinton & Williams 1986). With no hidden
layers and no non-linearity (``linear=True``) this is PCA learned by gradient descent: the decoder's
columns span the principal subspace (Baldi & Hornik 1989), which notebook 02 checks with principal angles.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from course_lib.nn import mlp
from course_lib._checks import as_images, as_operand, as_points, as_tensor, check_choice, check_int

__all__ = ["Autoencoder", "reconstruction_error", "squared_error"]


def squared_error(x_hat: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """||x_i - x̂_i||^2 per object (summed over pixels), shape (N,).

    A per-step primitive: it checks types and shapes (free), not values (NaN in gives NaN out).
    """
    x_hat, x = as_operand(x_hat, "squared_error: x_hat"), as_operand(x, "squared_error: x")
    if x_hat.shape != x.shape or x.ndim < 1:
        raise ValueError(f"squared_error: x_hat and x must have the same shape (N, ...), got {tuple(x_hat.shape)} "
                         f"and {tuple(x.shape)}")
    return ((x_hat - x) ** 2).flatten(1).sum(1) if x.ndim > 1 else (x_hat - x) ** 2


@torch.no_grad()
def reconstruction_error(model: nn.Module, x, *, batch_size: int = 1000, inputs=None) -> float:
    """Mean over objects of ||x_i - model(x̃_i)||^2, x̃ = ``inputs`` (e.g. corrupted x) or x itself."""
    fn = "reconstruction_error"
    if not isinstance(model, nn.Module):
        raise TypeError(f"{fn}: model must be an autoencoder (a torch.nn.Module), got {type(model).__name__}")
    batch_size = check_int(batch_size, f"{fn}: batch_size", min_value=1)
    check = getattr(model, "check_inputs", None)
    x = check(x) if check is not None else as_images(x, f"{fn}: x", value_range=None)
    x = x.reshape(len(x), *getattr(model, "image_shape", x.shape[1:]))
    inputs = x if inputs is None else as_images(inputs, f"{fn}: inputs", value_range=None)
    if inputs.shape != x.shape:
        raise ValueError(f"{fn}: inputs must have the shape of x {tuple(x.shape)}, got {tuple(inputs.shape)}")
    if len(x) == 0:
        raise ValueError(f"{fn}: x is empty (0 images): the mean error of no images is undefined")
    was_training = model.training
    model.eval()
    total = 0.0
    for i in range(0, len(x), batch_size):
        total += float(squared_error(model(inputs[i:i + batch_size]), x[i:i + batch_size]).sum())
    model.train(was_training)
    return total / len(x)


def _check_codes(model: nn.Module, z) -> torch.Tensor:
    """z must be finite codes (N, code_dim), converted to the model's dtype."""
    z = as_points(z, f"{type(model).__name__}.decode: z", dim=model.code_dim, min_rows=0)
    p = next(model.parameters())
    return z.to(device=p.device, dtype=p.dtype)


class Autoencoder(nn.Module):
    """MLP autoencoder for images (N, C, H, W) in [0, 1].

    Args:
        code_dim: size m of the bottleneck code z.
        image_shape: (C, H, W).
        hidden: widths of the hidden layers of the encoder (the decoder mirrors them).
        linear: no hidden layers, no non-linearities, unbounded output: the linear autoencoder (= PCA).
        code_activation: "none" (real-valued codes) or "relu" (non-negative codes, used by the sparse AE).
    """

    def __init__(self, code_dim: int = 2, *, image_shape=(1, 28, 28), hidden=(256, 64), linear: bool = False,
                 code_activation: str = "none"):
        super().__init__()
        self.code_dim = check_int(code_dim, "code_dim", min_value=1)
        self.image_shape = tuple(int(s) for s in image_shape)
        if len(self.image_shape) != 3:
            raise ValueError(f"image_shape must be (C, H, W), got {image_shape}")
        check_choice(code_activation, "code_activation", {"none", "relu"})
        n = math.prod(self.image_shape)
        self.linear = bool(linear)
        if self.linear:
            self.encoder = nn.Linear(n, self.code_dim)  # x (N, n) -> z (N, m)
            self.decoder = nn.Linear(self.code_dim, n)  # z (N, m) -> x̂ (N, n), unbounded
        else:
            hidden = tuple(check_int(h, "hidden", min_value=1) for h in hidden)
            self.encoder = mlp(n, self.code_dim, hidden, out_act="relu" if code_activation == "relu" else None)
            self.decoder = mlp(self.code_dim, n, hidden[::-1], out_act="sigmoid")

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """x (N, C, H, W) -> z (N, m)."""
        # any finite values: a denoising autoencoder is shown corrupted images outside [0, 1]; but integer
        # pixels 0..255 (uint8 images) are a unit mistake, not a corruption
        name = f"{type(self).__name__}.encode: x"
        raw = as_tensor(x, name, dtype=None)
        if not raw.is_floating_point() and raw.numel() and int(raw.max()) > 1:
            raise ValueError(f"{name} holds integer pixels up to {int(raw.max())} (0..255 images?): "
                             "the autoencoder works on floats in [0, 1]; divide by 255 first")
        x = as_images(raw, name, shape=self.image_shape, value_range=None)
        return self.encoder(x.flatten(1))

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """z (N, m) -> x̂ (N, C, H, W)."""
        z = _check_codes(self, z)
        return self.decoder(z).reshape(len(z), *self.image_shape)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The network x (N, C, H, W) -> x̂ (N, C, H, W), without input checks (``encode`` and ``decode``
        check theirs; ``fit`` checks the data once with :meth:`check_inputs`)."""
        return self.decoder(self.encoder(x.flatten(1))).reshape(x.shape)

    def check_inputs(self, x) -> torch.Tensor:
        """x must be images (N, *image_shape), finite, with pixels in [0, 1] unless the model is linear."""
        return as_images(x, f"{type(self).__name__}: x", shape=self.image_shape,
                         value_range=None if self.linear else (0.0, 1.0), min_rows=1)

    def loss(self, x: torch.Tensor) -> torch.Tensor:
        """Mean over the batch of ||x - f(g(x))||^2."""
        return squared_error(self(x), x).mean()
