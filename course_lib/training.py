"""One training loop for every model of the course (taught in 01_maximum_likelihood).

The model interface (makemore style):

* ``model.loss(batch) -> Tensor`` (a scalar to minimise) or ``dict`` with key ``"loss"`` plus
  extra scalars to log;
* ``model.sample(n) -> Tensor`` and, where it exists, ``model.log_prob(x) -> Tensor (n,)``.

Adversarial models, which need several optimisers, instead define
``configure_optimizers(lr) -> dict[str, Optimizer]`` and
``train_step(batch, optimizers) -> dict[str, float]``; :func:`fit` calls those.
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable

import torch
from torch import nn

from course_lib._checks import check_float, check_int

__all__ = ["History", "TrainingDiverged", "fit", "batches"]


class TrainingDiverged(RuntimeError):
    """A logged quantity became NaN or inf: training stopped instead of producing garbage."""


class History:
    """Logged scalars, each with the steps at which it was logged.

    ``h["loss"]`` is the list of values, ``h.steps("loss")`` their steps, ``h.last("loss")`` the latest.
    """

    def __init__(self):
        self._values: dict[str, list[float]] = {}
        self._steps: dict[str, list[int]] = {}
        self.seconds = 0.0

    def log(self, step: int, **metrics: float) -> None:
        for k, v in metrics.items():
            self._values.setdefault(k, []).append(float(v))
            self._steps.setdefault(k, []).append(int(step))

    def __getitem__(self, key: str) -> list[float]:
        if key not in self._values:
            raise KeyError(f"history has no key {key!r}; available: {sorted(self._values)}")
        return self._values[key]

    def __contains__(self, key: str) -> bool:
        return key in self._values

    def keys(self):
        return self._values.keys()

    def steps(self, key: str) -> list[int]:
        self[key]
        return self._steps[key]

    def last(self, key: str) -> float:
        return self[key][-1]

    def mean_last(self, key: str, k: int = 50) -> float:
        """Mean of the last ``k`` values: a less noisy summary of where training ended."""
        vals = self[key][-k:]
        return sum(vals) / len(vals)

    def as_dict(self) -> dict[str, list[float]]:
        return {k: list(v) for k, v in self._values.items()}

    def __repr__(self) -> str:
        parts = ", ".join(f"{k}={v[-1]:.4g}" for k, v in self._values.items())
        return f"History({len(self)} steps, last: {parts}, {self.seconds:.1f}s)"

    def __len__(self) -> int:
        return max((s[-1] for s in self._steps.values()), default=0)


def batches(data, batch_size: int, *, generator: torch.Generator | None = None, device=None):
    """Endless shuffled mini-batches of ``data`` (a tensor, or a tuple of tensors with equal length).

    Indexing tensors directly is several times faster than a ``DataLoader`` for in-memory data.
    """
    tensors = data if isinstance(data, tuple) else (data,)
    n = len(tensors[0])
    if any(len(t) != n for t in tensors):
        raise ValueError(f"all tensors in data must have the same length, got {[len(t) for t in tensors]}")
    if device is not None:
        tensors = tuple(t.to(device) for t in tensors)
    batch_size = min(batch_size, n)
    while True:
        perm = torch.randperm(n, generator=generator).to(tensors[0].device)
        for i in range(0, n - batch_size + 1, batch_size):
            idx = perm[i:i + batch_size]
            out = tuple(t[idx] for t in tensors)
            yield out if isinstance(data, tuple) else out[0]


def _as_metrics(out) -> dict[str, torch.Tensor | float]:
    if isinstance(out, torch.Tensor):
        if out.numel() != 1:
            raise ValueError(f"model.loss must return a scalar tensor, got shape {tuple(out.shape)}; "
                             "did you forget .mean()?")
        return {"loss": out}
    if isinstance(out, dict) and "loss" in out:
        return out
    raise TypeError("model.loss must return a scalar tensor or a dict with key 'loss', "
                    f"got {type(out).__name__}")


def _check_finite(step: int, metrics: dict[str, float], history: History, lr: float) -> None:
    bad = {k: v for k, v in metrics.items() if not math.isfinite(v)}
    if not bad:
        return
    k, v = next(iter(bad.items()))
    prev = history[k][-1] if k in history else None
    raise TrainingDiverged(
        f"training diverged at step {step}: {k} became {v}"
        + (f" (last finite value {prev:.4g})" if prev is not None else "")
        + f". Usual causes: a learning rate too high (lr={lr:g}; try lr={lr / 10:g}), a log or division of 0, "
        "or data not scaled as the model expects. Training was stopped so no NaN weights are used."
    )


def fit(model: nn.Module, data, *, steps: int, batch_size: int = 128, lr: float = 1e-3,
        optimizer: torch.optim.Optimizer | None = None, device: torch.device | str | None = None,
        eval_fn: Callable[[nn.Module], dict] | None = None, eval_every: int | None = None,
        callback: Callable[[int, dict], None] | None = None, grad_clip: float | None = None,
        generator: torch.Generator | None = None, progress: bool = True, desc: str | None = None,
        history: History | None = None) -> History:
    """Train ``model`` for ``steps`` mini-batch updates and return the :class:`History`.

    Args:
        data: a tensor (N, ...), a tuple of tensors (batches are passed as ``model.loss(*batch)``),
            or a callable ``batch_size -> batch`` that samples fresh data (toy distributions).
        steps: number of optimiser updates.
        eval_fn: called as ``eval_fn(model)`` under ``torch.no_grad`` every ``eval_every`` steps and at the
            end; its dict of scalars is logged.
        callback: called as ``callback(step, metrics)`` after every step (e.g. to record frames).
        history: continue logging into an existing history (steps continue from its length).

    Raises:
        TrainingDiverged: a loss or metric became NaN/inf; the message says what to try.
    """
    steps = check_int(steps, "steps", min_value=1)
    batch_size = check_int(batch_size, "batch_size", min_value=1)
    lr = check_float(lr, "lr", min_value=0.0, strict_min=True)
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    custom = hasattr(model, "train_step")
    if not custom and not hasattr(model, "loss"):
        raise TypeError(f"{type(model).__name__} has neither loss(batch) nor train_step(batch, optimizers)")
    if eval_every is not None:
        eval_every = check_int(eval_every, "eval_every", min_value=1)
    if device is None:
        device = next(model.parameters()).device if any(True for _ in model.parameters()) else "cpu"
    model.to(device)

    if callable(data) and not isinstance(data, torch.Tensor):
        sample_fn = data
        stream = (sample_fn(batch_size) for _ in iter(int, 1))
    else:
        if isinstance(data, torch.Tensor):
            n = len(data)
        elif isinstance(data, tuple) and data and all(isinstance(t, torch.Tensor) for t in data):
            n = len(data[0])
        else:
            raise TypeError("data must be a tensor, a tuple of tensors or a callable batch_size -> batch, "
                            f"got {type(data).__name__}")
        if n == 0:
            raise ValueError("data is empty")
        stream = batches(data, batch_size, generator=generator, device=device)

    if custom:
        optimizers = optimizer if optimizer is not None else model.configure_optimizers(lr)
    else:
        optimizer = optimizer if optimizer is not None else torch.optim.Adam(model.parameters(), lr=lr)

    history = history if history is not None else History()
    start_step = len(history)
    from tqdm.auto import tqdm

    bar = tqdm(range(1, steps + 1), desc=desc or type(model).__name__, disable=not progress,
               mininterval=0.5, leave=True)
    t0 = time.perf_counter()
    model.train()
    for i in bar:
        step = start_step + i
        batch = next(stream)
        if isinstance(batch, torch.Tensor):
            batch = batch.to(device, non_blocking=True)
        elif isinstance(batch, tuple):
            batch = tuple(b.to(device, non_blocking=True) for b in batch)
        if custom:
            metrics = {k: float(v) for k, v in model.train_step(batch, optimizers).items()}
        else:
            out = _as_metrics(model.loss(*batch) if isinstance(batch, tuple) else model.loss(batch))
            loss = out["loss"]
            if not torch.isfinite(loss.detach()):
                _check_finite(step, {"loss": float(loss.detach())}, history, lr)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            if grad_clip is not None:
                nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
            optimizer.step()
            metrics = {k: float(v.detach()) if isinstance(v, torch.Tensor) else float(v) for k, v in out.items()}
        _check_finite(step, metrics, history, lr)
        history.log(step, **metrics)
        if eval_fn is not None and eval_every is not None and (i % eval_every == 0) and i != steps:
            _evaluate(model, eval_fn, step, history, lr)
        if callback is not None:
            callback(step, metrics)
        if progress and (i % 25 == 0 or i == steps):
            bar.set_postfix({k: f"{v:.4g}" for k, v in list(metrics.items())[:3]}, refresh=False)
    if eval_fn is not None:
        _evaluate(model, eval_fn, start_step + steps, history, lr)
    history.seconds += time.perf_counter() - t0
    bar.close()
    model.eval()
    return history


def _evaluate(model, eval_fn, step, history, lr):
    model.eval()
    with torch.no_grad():
        out = eval_fn(model)
    model.train()
    metrics = {k: float(v) for k, v in out.items()}
    _check_finite(step, metrics, history, lr)
    history.log(step, **metrics)
