"""The VAE recipe of notebook 04: :func:`course_lib.training.fit` under the course's settings."""
from __future__ import annotations

import torch

from course_lib._checks import check_float
from course_lib.training import fit
from course_lib.vae.model import VAE

__all__ = ["train_vae", "train_eval_fn", "ADAM_BETAS"]


def train_eval_fn(x_test: torch.Tensor, n_samples: int = 1):
    """An ``eval_fn`` for ``fit`` that logs the mean test ELBO (nats per image) as ``test_elbo``."""
    def eval_fn(model: VAE) -> dict:
        return {"test_elbo": float(model.elbo(x_test, n_samples).mean())}
    return eval_fn


#: Adam's β₂ = 0.99 (instead of 0.999) adapts the step sizes faster while the ELBO's scale changes quickly.
ADAM_BETAS = (0.9, 0.99)


def train_vae(vae: VAE, x_train: torch.Tensor, *, steps: int, batch_size: int = 128, peak_lr: float = 5e-3,
              x_test: torch.Tensor | None = None, eval_every: int | None = None,
              generator: torch.Generator | None = None, progress: bool = True, desc: str | None = None,
              device: torch.device | str | None = None):
    """The VAE recipe of 04, measured in benchmarks/vae_vs_reference.py: :func:`course_lib.training.fit` with
    Adam (:data:`ADAM_BETAS`) under the ``one_cycle`` schedule peaking at ``peak_lr``.

    x_train: (N, C, H, W) or (N, D) in [0, 1]. Logs ``test_elbo`` when ``x_test`` is given. Returns the History.
    """
    if not isinstance(vae, VAE):
        raise TypeError(f"train_vae: vae must be a VAE, got {type(vae).__name__}")
    peak_lr = check_float(peak_lr, "train_vae: peak_lr", min_value=0.0, strict_min=True)
    if device is not None:
        vae.to(device)  # before the optimiser is built, so it holds the moved parameters
        x_test = None if x_test is None else x_test.to(device)
    opt = torch.optim.Adam(vae.parameters(), lr=peak_lr, betas=ADAM_BETAS)
    eval_fn = train_eval_fn(x_test) if x_test is not None else None
    return fit(vae, x_train, steps=steps, batch_size=batch_size, optimizer=opt, lr=peak_lr, schedule="one_cycle",
               eval_fn=eval_fn, eval_every=eval_every, generator=generator, progress=progress, desc=desc or "VAE",
               device=device)
