"""Network building blocks shared by every family: one MLP builder, the masked linear layer, one EMA.

* :func:`mlp` builds the fully connected networks of autoencoders 02-03, the mixture density network 00
  and the GANs' generator and discriminator 05-06 (the diffusion ε-network of 07, ``EpsMLP``, has its own
  residual blocks and time embedding).
* :class:`MaskedLinear` is a linear layer whose weight is multiplied by a fixed 0/1 mask: the fully
  visible belief network (01) and MADE (08) get their autoregressive property from it.
* :func:`ema_of` is the one exponential moving average of weights (``fit(..., ema=...)``, ``GAN.G_ema``).
"""
from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

from course_lib._checks import as_tensor, check_choice, check_float, check_int

__all__ = ["ACTIVATIONS", "mlp", "MaskedLinear", "ema_of"]

ACTIVATIONS = {
    "relu": nn.ReLU,
    "leaky": lambda: nn.LeakyReLU(0.2),
    "tanh": nn.Tanh,
    "silu": nn.SiLU,
    "sigmoid": nn.Sigmoid,
}


def ema_of(model: nn.Module, decay: float) -> AveragedModel:
    """An exponential moving average of ``model``'s weights: w̄ ← decay·w̄ + (1 − decay)·w at each update.

    PyTorch's ``AveragedModel`` with ``get_ema_multi_avg_fn(decay)``, starting at the model's current weights
    (so the first update already averages); ``update_parameters(model)`` moves it (``fit(..., ema=...)`` does,
    after every step); ``.module`` is the averaged model to sample from. Buffers are not averaged: they keep the
    values they had when the average was made.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"ema_of: model must be a torch.nn.Module, got {type(model).__name__}")
    decay = check_float(decay, "ema_of: decay", min_value=0.0, max_value=1.0)
    if decay >= 1.0:
        raise ValueError("ema_of: decay must be < 1 (a decay of 1 would never move the average from the initial weights)")
    averaged = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(decay))
    averaged.update_parameters(model)    # the first call copies the weights: every later one averages
    return averaged.requires_grad_(False).eval()


def mlp(in_dim: int, out_dim: int, hidden: int | Sequence[int] = 128, layers: int = 3, *,
        act: str = "relu", out_act: str | None = None) -> nn.Sequential:
    """Linear → act → … → Linear: ``in_dim`` → hidden widths → ``out_dim``.

    Args:
        hidden: one width (used ``layers`` times) or a sequence of widths (then ``layers`` is ignored).
        act: activation between layers: "relu", "leaky" (LeakyReLU 0.2), "tanh", "silu", "sigmoid".
        out_act: optional activation after the last layer (e.g. "sigmoid" for pixels in [0, 1]).

    Shapes: (N, in_dim) → (N, out_dim).
    """
    in_dim = check_int(in_dim, "mlp: in_dim", min_value=1)
    out_dim = check_int(out_dim, "mlp: out_dim", min_value=1)
    check_choice(act, "mlp: act", set(ACTIVATIONS))
    if out_act is not None:
        check_choice(out_act, "mlp: out_act", set(ACTIVATIONS))
    if isinstance(hidden, Sequence) and not isinstance(hidden, str):
        widths = [check_int(h, "mlp: hidden", min_value=1) for h in hidden]
    else:
        widths = [check_int(hidden, "mlp: hidden", min_value=1)] * check_int(layers, "mlp: layers", min_value=0)
    sizes = [in_dim, *widths, out_dim]
    mods: list[nn.Module] = []
    for k, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        mods.append(nn.Linear(a, b))
        if k < len(sizes) - 2:
            mods.append(ACTIVATIONS[act]())
    if out_act is not None:
        mods.append(ACTIVATIONS[out_act]())
    return nn.Sequential(*mods)


class MaskedLinear(nn.Linear):
    """y = x (W ⊙ M)ᵀ + b with a fixed binary mask M (out_features, in_features).

    Entry M[o, i] = 0 cuts the connection from input i to output o, so gradients never flow there.
    """

    def __init__(self, in_features: int, out_features: int, mask: torch.Tensor, bias: bool = True):
        in_features = check_int(in_features, "MaskedLinear: in_features", min_value=1)
        out_features = check_int(out_features, "MaskedLinear: out_features", min_value=1)
        super().__init__(in_features, out_features, bias=bias)
        mask = _binary_mask(mask, "MaskedLinear: mask")
        if mask.shape != (out_features, in_features):
            raise ValueError(f"MaskedLinear: mask must have shape ({out_features}, {in_features}), "
                             f"got {tuple(mask.shape)}")
        self.register_buffer("mask", mask)

    def set_mask(self, mask: torch.Tensor) -> None:
        """Replace the mask (MADE draws a new ordering): same shape, values 0/1."""
        mask = _binary_mask(mask, "MaskedLinear.set_mask: mask").to(self.mask.device)
        if mask.shape != self.mask.shape:
            raise ValueError(f"MaskedLinear.set_mask: mask must have shape {tuple(self.mask.shape)}, "
                             f"got {tuple(mask.shape)}")
        self.mask.copy_(mask)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return nn.functional.linear(x, self.weight * self.mask, self.bias)


def _binary_mask(mask, name: str) -> torch.Tensor:
    m = as_tensor(mask.float() if isinstance(mask, torch.Tensor) and mask.dtype == torch.bool else mask, name)
    if m.numel() and not ((m == 0) | (m == 1)).all():
        raise ValueError(f"{name} must hold only 0 and 1, got values in [{float(m.min()):g}, {float(m.max()):g}]")
    return m
