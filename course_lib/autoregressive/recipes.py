"""The autoregressive recipe: a one-cycle learning rate and the best validation NLL (notebook 08).

The likelihood table of notebook 08 compares models on one split (1000 train / 350 val / 447 test):
each model is trained with :func:`course_lib.training.fit`, evaluated on the validation images every
``eval_every`` steps, and the weights of the best validation NLL are restored at the end — so no
model's number benefits from looking at the test set, and none is penalised for overfitting late.
"""
from __future__ import annotations

import copy

import torch

from course_lib._checks import check_float, check_int
from course_lib.training import fit

__all__ = ["train_autoregressive", "bits_per_pixel"]


def bits_per_pixel(nats_per_image: float, pixels: int) -> float:
    """nats per image → bits per pixel (divide by ln 2 · D)."""
    import math

    nats_per_image = check_float(nats_per_image, "bits_per_pixel: nats_per_image")
    pixels = check_int(pixels, "bits_per_pixel: pixels", min_value=1)
    return nats_per_image / (math.log(2) * pixels)


def train_autoregressive(model, x_train, x_val, *, steps: int, lr: float = 3e-3, batch_size: int = 64,
                   eval_every: int = 100, weight_decay: float = 0.01, generator: torch.Generator | None = None,
                   monitor=None, progress: bool = True, desc: str | None = None):
    """AdamW + ``fit``'s one-cycle schedule for ``steps`` steps; keep the weights with the lowest validation loss.

    ``x_val=None`` trains without early stopping (MaskGIT, MAE: their losses are not likelihoods); ``monitor``,
    a function ``model -> {name: value}``, is then logged every ``eval_every`` steps (e.g. sample quality).
    Returns the :class:`course_lib.training.History` (with ``val`` logged) and the best validation loss
    (``model.loss`` on ``x_val``, nats per image for the likelihood models).
    """
    steps = check_int(steps, "train_autoregressive: steps", min_value=1)
    lr = check_float(lr, "train_autoregressive: lr", min_value=0.0, strict_min=True)
    eval_every = check_int(eval_every, "train_autoregressive: eval_every", min_value=1)
    weight_decay = check_float(weight_decay, "train_autoregressive: weight_decay", min_value=0.0)
    if not isinstance(model, torch.nn.Module) or not callable(getattr(model, "loss", None)):
        raise TypeError(f"train_autoregressive: model must be a course model (a torch.nn.Module with loss(x)), "
                        f"got {type(model).__name__}")
    if x_val is not None:   # checked once, before training: the model's own message, naming x_val
        try:
            with torch.no_grad():
                val0 = float(model.loss(x_val))
        except (TypeError, ValueError) as err:
            raise type(err)(f"train_autoregressive: x_val is not valid data for {type(model).__name__}: {err}") from None
        if val0 != val0:
            raise ValueError("train_autoregressive: x_val gives a NaN validation loss (an empty batch?)")
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    best = {"val": float("inf"), "state": None}

    def eval_fn(m):
        val = float(m.loss(x_val))
        if val < best["val"]:
            best["val"], best["state"] = val, copy.deepcopy(m.state_dict())
        return {"val": val}

    if monitor is not None and (x_val is not None or not callable(monitor)):
        raise ValueError("train_autoregressive: monitor must be a function model -> dict, given with x_val=None "
                         "(with x_val the validation loss is what is logged)")
    history = fit(model, x_train, steps=steps, batch_size=batch_size, lr=lr, optimizer=opt, schedule="one_cycle",
                  eval_fn=eval_fn if x_val is not None else monitor, eval_every=eval_every, generator=generator,
                  progress=progress, desc=desc)
    if best["state"] is not None:
        model.load_state_dict(best["state"])
    model.eval()
    return history, best["val"]
