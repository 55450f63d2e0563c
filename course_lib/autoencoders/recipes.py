"""The autoencoder family's recipes (notebook 03): each trains a model of the family with
:func:`course_lib.training.fit` under the course's settings.

* :func:`warm_up` and :func:`train_semi_supervised`: the two phases of the semi-supervised autoencoder's
  λ schedule (λ_t = 0, then λ_t = λ);
* :func:`train_robust`: the robust autoencoder's alternation of autoencoder steps on X - S and the exact
  S update (group shrinkage).
"""
from __future__ import annotations

import torch

from course_lib._checks import as_images, check_int, check_labels
from course_lib.autoencoders.robust import RobustAutoencoder, group_shrink
from course_lib.autoencoders.semi_supervised import SemiSupervisedAutoencoder, semi_supervised_batches
from course_lib.training import History, fit

__all__ = ["warm_up", "train_semi_supervised", "train_robust"]


def warm_up(model: SemiSupervisedAutoencoder, x_unlabelled, *, steps: int, batch_size: int = 128,
            lr: float = 3e-3, generator: torch.Generator | None = None, progress: bool = True,
            desc: str | None = None) -> History:
    """Phase 1 of the λ schedule, λ_t = 0: the objective is Σ L(g(f(x_i)), x_i) alone.

    Only the autoencoder (α, β) is trained; with λ_t = 0 the predictor γ would get no gradient anyway.
    No label is used, so one warmed-up model can be copied and finished with different labelled sets.
    """
    if not isinstance(model, SemiSupervisedAutoencoder):
        raise TypeError(f"model must be a SemiSupervisedAutoencoder, got {type(model).__name__}")
    if not model.reconstruction:
        raise ValueError("a supervised-only model (reconstruction=False) has nothing to learn with λ_t = 0")
    x_unlabelled = as_images(x_unlabelled, "x_unlabelled")
    return fit(model.autoencoder, x_unlabelled, steps=steps, batch_size=batch_size, lr=lr, generator=generator,
               progress=progress, desc=desc or "warm-up (λ = 0)")


def train_semi_supervised(model: SemiSupervisedAutoencoder, x_unlabelled, x_labelled, y_labelled, *,
                          steps: int, batch_size: int = 64, lr: float = 3e-3, labelled_batch: int = 128,
                          generator: torch.Generator | None = None, progress: bool = True,
                          desc: str | None = None) -> History:
    """Phase 2, λ_t = model.lam: the full objective (or the labelled term alone if ``reconstruction=False``)."""
    if not isinstance(model, SemiSupervisedAutoencoder):
        raise TypeError(f"model must be a SemiSupervisedAutoencoder, got {type(model).__name__}")
    # all labels now: fit checks only the first batch, and a later one may hold a label the classifier lacks
    check_labels(y_labelled, "train_semi_supervised: y_labelled", model.classifier.out_features)
    data = semi_supervised_batches(x_unlabelled, x_labelled, y_labelled, labelled_batch=labelled_batch,
                                   generator=generator)
    return fit(model, data, steps=steps, batch_size=batch_size, lr=lr, progress=progress,
               desc=desc or ("joint (λ = %g)" % model.lam if model.reconstruction else "supervised only"))


def train_robust(model: RobustAutoencoder, x, *, rounds: int = 5, steps_per_round: int = 200, progress: bool = True,
                 **fit_kwargs) -> History:
    """The RDA recipe: alternate ``steps_per_round`` autoencoder steps on X - S with the S update (``rounds``
    times); returns the history (with the number of outliers after each round). ``model.S`` holds S."""
    if not isinstance(model, RobustAutoencoder):
        raise TypeError(f"train_robust: model must be a RobustAutoencoder, got {type(model).__name__}")
    x = as_images(x, "train_robust: x", min_rows=1)
    rounds = check_int(rounds, "train_robust: rounds", min_value=1)
    steps_per_round = check_int(steps_per_round, "train_robust: steps_per_round", min_value=1)
    model.S = torch.zeros_like(x)
    history = History()
    for r in range(rounds):
        fit(model.autoencoder, x - model.S, steps=steps_per_round, history=history, progress=progress,
            desc=f"RDA round {r + 1}/{rounds}", **fit_kwargs)
        with torch.no_grad():
            model.S = group_shrink(x - model.autoencoder(x - model.S), model.lam)
        history.log(len(history), outliers=float(model.outliers().sum()))
    return history
