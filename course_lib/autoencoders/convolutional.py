"""Stacked convolutional autoencoder (Masci et al. 2011), taught in 03_autoencoder_family.

Convolutions share weights across positions, so the encoder sees local strokes wherever they are, with far
fewer parameters than a dense layer on 784 pixels. Shapes (28 x 28 grey input):

    x (N, 1, 28, 28) -conv s2-> (N, 16, 14, 14) -conv s2-> (N, 32, 7, 7) -linear-> z (N, m)
    z -linear-> (N, 32, 7, 7) -deconv s2-> (N, 16, 14, 14) -deconv s2-> (N, 1, 28, 28), sigmoid
"""
from __future__ import annotations

import torch
from torch import nn

from course_lib._checks import as_images, check_int
from course_lib.autoencoders.autoencoder import _check_codes, squared_error

__all__ = ["ConvAutoencoder"]


class ConvAutoencoder(nn.Module):
    """Two strided conv layers + a linear bottleneck, mirrored by transposed convolutions (28 x 28 grey images)."""

    def __init__(self, code_dim: int = 8, *, channels=(16, 32)):
        super().__init__()
        self.code_dim = check_int(code_dim, "code_dim", min_value=1)
        if not isinstance(channels, (tuple, list)) or len(channels) != 2:
            raise ValueError(f"ConvAutoencoder: channels must be two widths (c1, c2), one per stride-2 convolution "
                             f"(28 -> 14 -> 7), got {channels!r}")
        c1, c2 = (check_int(c, "channels", min_value=1) for c in channels)
        self.image_shape = (1, 28, 28)
        self.encoder = nn.Sequential(
            nn.Conv2d(1, c1, 3, stride=2, padding=1), nn.ReLU(),    # (N, c1, 14, 14)
            nn.Conv2d(c1, c2, 3, stride=2, padding=1), nn.ReLU(),   # (N, c2, 7, 7)
            nn.Flatten(), nn.Linear(c2 * 49, self.code_dim))        # (N, m)
        self.decoder = nn.Sequential(
            nn.Linear(self.code_dim, c2 * 49), nn.ReLU(), nn.Unflatten(1, (c2, 7, 7)),
            nn.ConvTranspose2d(c2, c1, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),  # (N, c1, 14, 14)
            nn.ConvTranspose2d(c1, 1, 3, stride=2, padding=1, output_padding=1), nn.Sigmoid())  # (N, 1, 28, 28)

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        x = as_images(x, "ConvAutoencoder.encode: x", shape=self.image_shape, value_range=None)
        return self.encoder(x)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(_check_codes(self, z))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The network x (N, 1, 28, 28) -> x̂, without input checks (see :meth:`Autoencoder.forward`)."""
        return self.decoder(self.encoder(x))

    def check_inputs(self, x) -> torch.Tensor:
        """x must be (N, 1, 28, 28) images, finite, with pixels in [0, 1]."""
        return as_images(x, "ConvAutoencoder: x", shape=self.image_shape, min_rows=1)

    def loss(self, x: torch.Tensor) -> torch.Tensor:
        return squared_error(self(x), x).mean()
