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
import statistics
import time
import warnings
from collections.abc import Callable
from typing import Protocol, runtime_checkable

import numpy as np
import torch
from torch import nn
from torch.optim.swa_utils import AveragedModel
from tqdm.auto import tqdm

from course_lib._checks import as_tensor, check_choice, check_float, check_generator, check_int

__all__ = ["GenerativeModel", "History", "TrainingError", "TrainingDiverged", "DivergenceWarning", "divergence",
           "divergence_message",
           "fit", "batches", "one_cycle", "SCHEDULES", "schedule_factor"]


@runtime_checkable
class GenerativeModel(Protocol):
    """The contract every model of the course keeps (checked by tests/test_model_contract.py).

    * ``loss(x)`` → a scalar tensor to minimise, or a dict with key ``"loss"`` plus scalars to log;
    * ``sample(n, generator=None)`` → n samples, reproducible for a seeded ``generator``; the shape is in
      the model's docstring;
    * ``log_prob(x)`` → (N,) where the model has one; its docstring says whether it is exact, a bound or
      an estimate.

    Adversarial models have no single loss: they define ``configure_optimizers(lr)`` and
    ``train_step(batch, optimizers)`` instead of ``loss``, and :func:`fit` calls those.
    """

    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor: ...


class TrainingError(RuntimeError):
    """Training could not go on: the base class of the course's training errors."""


class TrainingDiverged(TrainingError):
    """A logged loss became NaN/inf, grew by orders of magnitude, or ended far above where it started.

    Attributes: ``key`` (the loss), ``step``, ``lr`` and ``history`` (what was logged until then).
    """

    def __init__(self, message: str, *, key: str | None = None, step: int | None = None,
                 lr: float | None = None, history: "History | None" = None):
        super().__init__(message)
        self.key, self.step, self.lr, self.history = key, step, lr, history


class DivergenceWarning(UserWarning):
    """``fit(..., on_divergence="warn")``: the divergence is reported, the history returned."""


# --------------------------------------------------------------------------- the divergence rule
#: the reference r is the lowest of the first EARLY_VALUES logged values
EARLY_VALUES = 10
#: |v - r| > EXPLOSION_FACTOR · s counts as growing by orders of magnitude (s = max(|r|, SCALE_FLOOR))
EXPLOSION_FACTOR = 1e3
#: a loss bounded below whose final level exceeds r + END_FACTOR · s ended far above where it started
END_FACTOR = 1.0
#: the scale never falls below this (a loss near 0, or one that crosses 0, still has a scale)
SCALE_FLOOR = 1.0


def divergence(values, *, final: bool = False, bounded_below: bool = False) -> str | None:
    """The course's one divergence rule: why the values logged for one loss show divergence, or None.

    With ``v`` the values in the order they were logged (``v[0]`` is the loss of the initial weights):

    * **reference** r = min(v[0], ..., v[9]): the lowest of the first ten values (of those before the
      latest one). With a learning rate far too large every value after v[0] is already worse, so r stays
      the loss of the initial weights; in ordinary training one unlucky early batch cannot raise it;
    * **scale** s = max(|r|, 1): it does not vanish for a loss near 0, or negative (log-densities,
      critics), because of the floor of 1 (a nat, or a unit of the loss);
    * **non-finite**: the latest value is NaN or ±inf;
    * **orders of magnitude**: |v[-1] − r| > 1000 · s (either sign: a density collapsing to a point
      sends a log-likelihood loss to −∞);
    * **ended far above** (only with ``final=True`` and ``bounded_below=True``, for a minimised loss):
      the median of the last w = min(50, max(1, n // 10)) values exceeds r + s, i.e. more than twice
      the start of a positive loss.
      Ordinary training ends below where it started; a learning rate far too large ends above.

    Cost: O(1) per call without ``final`` (fit calls it on every step), O(w) with it.
    """
    n = len(values)
    if n == 0:
        return None
    last = float(values[-1])
    if not math.isfinite(last):
        return f"became {last}"
    # the latest value is judged against the early ones before it, never against itself
    early = [float(v) for v in values[:min(EARLY_VALUES, n - 1)] if math.isfinite(float(v))]
    if not early:
        return None
    ref = min(early)
    scale = max(abs(ref), SCALE_FLOOR)
    if abs(last - ref) > EXPLOSION_FACTOR * scale:
        return (f"went from {ref:.4g} (its early level) to {last:.4g}, more than {EXPLOSION_FACTOR:g} times "
                f"its scale {scale:.4g}")
    if final and bounded_below and n >= 2:
        w = min(50, max(1, n // 10))
        end = statistics.median(float(v) for v in values[-w:])
        if end > ref + END_FACTOR * scale:
            return (f"ended at {end:.4g} (median of its last {w} values), far above its early level {ref:.4g} "
                    f"(more than {END_FACTOR * scale:.4g} higher: ordinary training ends below where it started)")
    return None


def divergence_message(where: str, key: str, step: int, lr: float, reason: str, *, stopped: bool = True,
                       advice: str | None = None) -> str:
    """The message every training path gives: what happened, at which step and learning rate, what to try."""
    advice = advice or (f"try one 10 to 100 times smaller (lr={lr / 10:g} or {lr / 100:g}), clip the gradients "
                        "(grad_clip=1.0) or warm up (schedule='one_cycle'); if the data or the loss can produce NaN "
                        "(a log or a division of 0), fix that first")
    return (f"{where}: training diverged at step {step}: {key} {reason}. The learning rate is lr={lr:g}: "
            f"{advice}. "
            + ("Training was stopped so the diverged weights are not used." if stopped else
               "Training went on (on_divergence='warn'): the weights are those of a diverged run."))


class _DivergenceMonitor:
    """Applies :func:`divergence` to every logged loss of one training run and reports as ``on_divergence`` says."""

    def __init__(self, where: str, lr: float, on_divergence: str, history: "History | None" = None):
        self.where, self.lr, self.mode, self.history = where, lr, on_divergence, history
        self.values: dict[str, list[float]] = {}
        self.reported: set[str] = set()

    def check(self, step: int, metrics: dict[str, float], *, watch: bool = True) -> bool:
        """Log ``metrics`` of ``step``; report a divergence. True when training must stop (warn mode)."""
        for k, v in metrics.items():
            if watch and k in _WATCHED:
                vals = self.values.setdefault(k, [])
                vals.append(v)
                reason = divergence(vals)
            else:
                reason = None if math.isfinite(v) else f"became {v}"
            if reason is not None and self.report(k, step, reason, stop=not math.isfinite(v)):
                return True
        return False

    def finish(self, step: int, bounded_below=("loss",)) -> None:
        """At the end: a minimised loss bounded below must not end far above where it started."""
        for k in bounded_below:
            reason = divergence(self.values.get(k, []), final=True, bounded_below=True)
            if reason is not None:
                self.report(k, step, reason, stop=True)

    def report(self, key: str, step: int, reason: str, *, stop: bool) -> bool:
        if self.mode == "raise":
            raise TrainingDiverged(divergence_message(self.where, key, step, self.lr, reason), key=key,
                                   step=step, lr=self.lr, history=self.history)
        if key not in self.reported or stop:
            self.reported.add(key)
            warnings.warn(divergence_message(self.where, key, step, self.lr, reason, stopped=stop),
                          DivergenceWarning, stacklevel=4)
        return stop


# --------------------------------------------------------------------------- learning-rate schedules
SCHEDULES = ("constant", "one_cycle", "warmup_cosine")


def schedule_factor(kind: str, step: int, total_steps: int, warmup: float = 0.05) -> float:
    """Multiplier of the peak learning rate at optimiser step ``step`` (0-based).

    * ``constant``: 1.
    * ``one_cycle``: linear warm-up over ``warmup`` of the steps, then cosine decay to 1 % (04's VAE recipe).
    * ``warmup_cosine``: the same warm-up, then cosine decay to 0.
    """
    check_choice(kind, "schedule_factor: kind", set(SCHEDULES))
    step = check_int(step, "schedule_factor: step", min_value=0)
    total_steps = check_int(total_steps, "schedule_factor: total_steps", min_value=1)
    warmup = check_float(warmup, "schedule_factor: warmup", min_value=0.0, max_value=1.0)
    if kind == "constant":
        return 1.0
    warm = max(1, int(warmup * total_steps))
    if step < warm:
        return (step + 1) / warm
    t = min(1.0, (step - warm) / max(1, total_steps - warm))
    floor = 0.01 if kind == "one_cycle" else 0.0
    return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * t))


def one_cycle(optimizer: torch.optim.Optimizer, total_steps: int, peak_lr: float, warmup: float = 0.05,
              kind: str = "one_cycle"):
    """A ``LambdaLR`` for :func:`schedule_factor` that sets every group's peak rate to ``peak_lr``.

    A short warm-up lets Adam run at a larger rate without an early blow-up, and the decay at the end buys
    the last bit of loss (benchmarks/vae_vs_reference.py measures it for the VAE of 04).

    Not ``torch.optim.lr_scheduler.OneCycleLR``, which is another schedule: it warms up along the same curve
    as it decays (cosine or linear, not linear then cosine), starts at ``max_lr / div_factor`` instead of
    ``peak_lr / warm-up steps``, ends at ``max_lr / (div_factor · final_div_factor)`` instead of 1 % of the
    peak, and by default cycles Adam's β1 as well; the shipped VAEs were trained with this one.
    """
    total_steps = check_int(total_steps, "one_cycle: total_steps", min_value=1)
    warmup = check_float(warmup, "one_cycle: warmup", min_value=0.0, max_value=1.0)
    peak_lr = check_float(peak_lr, "one_cycle: peak_lr", min_value=0.0, strict_min=True)
    check_choice(kind, "one_cycle: kind", set(SCHEDULES))
    for g in optimizer.param_groups:
        g["lr"] = peak_lr
    return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: schedule_factor(kind, step, total_steps, warmup))


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
        """Mean of the last ``k`` values (k >= 1; all of them when fewer were logged): a less noisy summary of
        where training ended."""
        k = check_int(k, "History.mean_last: k", min_value=1)
        vals = self[key][-k:]
        return sum(vals) / len(vals)

    def as_dict(self) -> dict[str, list[float]]:
        return {k: list(v) for k, v in self._values.items()}

    def __repr__(self) -> str:
        parts = ", ".join(f"{k}={v[-1]:.4g}" for k, v in self._values.items())
        return f"History({len(self)} steps, last: {parts}, {self.seconds:.1f}s)"

    def __len__(self) -> int:
        return max((s[-1] for s in self._steps.values()), default=0)


def batches(data, batch_size: int, *, generator: torch.Generator | None = None, device=None,
            caller: str = "batches"):
    """Endless shuffled mini-batches of ``data`` (a tensor, or a tuple of tensors with equal length).

    The data is validated once, here, before the first batch (``caller`` names the function in the
    messages: :func:`fit` passes its own name). Indexing tensors directly is several times faster than a
    ``DataLoader`` for in-memory data.
    """
    batch_size = check_int(batch_size, f"{caller}: batch_size", min_value=1)
    check_generator(generator, f"{caller}: generator")
    parts = data if isinstance(data, tuple) else (data,)
    names = [f"{caller}: data[{i}]" for i in range(len(parts))] if isinstance(data, tuple) else [f"{caller}: data"]
    tensors = tuple(as_tensor(t, name, dtype=None) for t, name in zip(parts, names))
    if not tensors or any(t.ndim == 0 for t in tensors):
        raise ValueError(f"{caller}: data must be a tensor with examples in dim 0, or a tuple of them")
    n = len(tensors[0])
    if n == 0:
        raise ValueError(f"{caller}: data is empty (0 rows)")
    if any(len(t) != n for t in tensors):
        raise ValueError(f"{caller}: all tensors in data must have the same length, got {[len(t) for t in tensors]}")
    _check_data_finite(tensors if isinstance(data, tuple) else tensors[0], caller)
    if device is not None:
        tensors = tuple(t.to(device) for t in tensors)
    return _shuffled(tensors, isinstance(data, tuple), min(batch_size, n), generator)


def _shuffled(tensors: tuple, as_tuple: bool, batch_size: int, generator):
    n = len(tensors[0])
    while True:
        perm = torch.randperm(n, generator=generator).to(tensors[0].device)
        for i in range(0, n - batch_size + 1, batch_size):
            idx = perm[i:i + batch_size]
            out = tuple(t[idx] for t in tensors)
            yield out if as_tuple else out[0]


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


_WATCHED = ("loss", "d_loss", "g_loss")  # the losses the rule watches (every metric must stay finite)


def _check_data_finite(data, caller: str = "fit", name: str = "data") -> None:
    # Once, before the first step: a NaN in the data is a data problem, not a learning-rate problem.
    for i, t in enumerate(data if isinstance(data, tuple) else (data,)):
        if t.is_floating_point() and not bool(torch.isfinite(t).all()):
            rows = (~torch.isfinite(t.reshape(len(t), -1))).any(1).nonzero().flatten()[:5].tolist()
            where = f"{name}[{i}]" if isinstance(data, tuple) else name
            raise ValueError(f"{caller}: {where} contains NaN or inf (first bad rows {rows}); clean or drop those rows "
                             "before training (this is a data problem, not a learning-rate problem)")


def _as_model_data(data, model: nn.Module):
    """numpy arrays become tensors, and float data takes the model's float dtype (float64 data for a float32
    model): converted once here, not on every step."""
    p = next((q for q in model.parameters() if q.is_floating_point()), None)

    def one(t):
        if isinstance(t, np.ndarray) and t.dtype != object:
            t = torch.as_tensor(t)
        if isinstance(t, torch.Tensor) and p is not None and t.is_floating_point() and t.dtype != p.dtype:
            t = t.to(p.dtype)
        return t
    return tuple(one(t) for t in data) if isinstance(data, tuple) else one(data)


def _check_device(device) -> torch.device:
    """fit's ``device``: a torch.device or a name such as "cpu" or "cuda", which must be available here."""
    if not isinstance(device, (str, torch.device)):
        raise TypeError(f"fit: device must be a torch.device or a name such as 'cpu' or 'cuda', got "
                        f"{type(device).__name__}")
    try:
        dev = torch.device(device)
    except RuntimeError as err:
        raise ValueError(f"fit: device {device!r} is not a device name ('cpu', 'cuda', 'cuda:0', 'mps'): {err}") \
            from None
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"fit: device={device!r} but this machine has no usable CUDA GPU "
                         "(torch.cuda.is_available() is False); train on device='cpu'")
    if dev.type == "mps" and not torch.backends.mps.is_available():
        raise ValueError(f"fit: device={device!r} but MPS is not available here; train on device='cpu'")
    return dev


def _device_of(model: nn.Module):
    p = next(model.parameters(), None)
    return p.device if p is not None else torch.device("cpu")


def fit(model: nn.Module, data, *, steps: int, batch_size: int = 128, lr: float | None = None,
        optimizer: torch.optim.Optimizer | None = None, device: torch.device | str | None = None,
        schedule: str = "constant", warmup: float = 0.05, ema: float | None = None,
        eval_fn: Callable[[nn.Module], dict] | None = None, eval_every: int | None = None,
        callback: Callable[[int, dict], None] | None = None, grad_clip: float | None = None,
        generator: torch.Generator | None = None, progress: bool = True, desc: str | None = None,
        history: History | None = None, on_divergence: str = "raise") -> History:
    """Train ``model`` for ``steps`` mini-batch updates and return the :class:`History`.

    ``fit`` owns the training process, so families add settings, not loops:

    Args:
        data: a tensor (N, ...), a tuple of tensors (batches are passed as ``model.loss(*batch)``),
            or a callable ``batch_size -> batch`` that samples fresh data (toy distributions).
        steps: number of optimiser updates (for adversarial models: generator updates).
        lr: peak learning rate; default ``model.default_lr`` if the model has one (recipes set it), else 1e-3.
        device: where to train; the model and the data are moved there once (default: the model's device).
        schedule: "constant", "one_cycle" (warm-up, cosine to 1 %) or "warmup_cosine" (warm-up, cosine to 0).
        warmup: fraction of the steps spent warming up (for the two schedules).
        ema: an exponential moving average of the weights, :func:`course_lib.nn.ema_of` ``(model, decay)``, updated after
            every step (sample from ``ema.module``: it is usually better than the last iterate).
        grad_clip: clip the global gradient norm to this value (every path: adversarial models clip each net).
        eval_fn: called as ``eval_fn(model)`` under ``torch.no_grad`` every ``eval_every`` steps and at the
            end; its dict of scalars is logged.
        callback: called as ``callback(step, metrics)`` after every step (e.g. to record frames).
        history: continue logging into an existing history (steps continue from its length).
        on_divergence: "raise" (default) stops with :class:`TrainingDiverged` when :func:`divergence` fires
            on a loss; "warn" issues a :class:`DivergenceWarning` instead and returns the history (for a
            notebook that shows a divergence on purpose): a growing loss is reported once and training
            goes on; a non-finite loss stops training before any NaN reaches the weights.

    Raises:
        ValueError/TypeError: bad settings or non-finite data, before the first step; the model's own
            ``check_inputs(*batch)``, where it has one, is called here once on all the data (on the first
            batch of a sampler), and ``loss`` checks nothing on each step.
        TrainingDiverged: a loss became NaN/inf, grew by orders of magnitude, or ended far above where it
            started (:func:`divergence`); the message names the step and the learning rate and says what
            to try; ``err.history`` holds what was logged.
    """
    steps = check_int(steps, "fit: steps", min_value=1)
    batch_size = check_int(batch_size, "fit: batch_size", min_value=1)
    if not isinstance(model, nn.Module):
        raise TypeError(f"fit: model must be a torch.nn.Module, got {type(model).__name__}")
    if lr is None:
        lr = getattr(model, "default_lr", 1e-3)
    lr = check_float(lr, "fit: lr", min_value=0.0, strict_min=True)
    check_choice(on_divergence, "fit: on_divergence", {"raise", "warn"})
    check_choice(schedule, "fit: schedule", set(SCHEDULES))
    warmup = check_float(warmup, "fit: warmup", min_value=0.0, max_value=1.0)
    if ema is not None and not isinstance(ema, AveragedModel):
        raise TypeError(f"fit: ema must be the moving average of the model, course_lib.nn.ema_of(model, decay), got {ema!r}")
    if grad_clip is not None:
        grad_clip = check_float(grad_clip, "fit: grad_clip", min_value=0.0, strict_min=True)
    custom = hasattr(model, "train_step")
    if not custom and not hasattr(model, "loss"):
        raise TypeError(f"fit: {type(model).__name__} has neither loss(batch) nor train_step(batch, optimizers)")
    if custom and grad_clip is not None:
        if not hasattr(model, "grad_clip"):
            raise ValueError(f"fit: grad_clip was given but {type(model).__name__}.train_step does not clip "
                             "(it has no grad_clip attribute)")
        model.grad_clip = grad_clip
    if eval_every is not None:
        eval_every = check_int(eval_every, "fit: eval_every", min_value=1)
    check_generator(generator, "fit: generator")
    for name, fn in (("callback", callback), ("eval_fn", eval_fn)):
        if fn is not None and not callable(fn):
            raise TypeError(f"fit: {name} must be a function or None, got {type(fn).__name__} {fn!r}")
    if optimizer is not None and not (isinstance(optimizer, torch.optim.Optimizer) or (
            custom and isinstance(optimizer, dict)
            and all(isinstance(o, torch.optim.Optimizer) for o in optimizer.values()))):
        raise TypeError("fit: optimizer must be a torch.optim.Optimizer built on the model's parameters "
                        f"(e.g. torch.optim.Adam(model.parameters(), lr=1e-3)) or None, got {type(optimizer).__name__}"
                        " (fit builds Adam itself when it is None)")
    device = _check_device(device) if device is not None else _device_of(model)
    model.to(device)

    if callable(data) and not isinstance(data, torch.Tensor):
        sample_fn = data
        first = sample_fn(batch_size)
        _check_data_finite(first, "fit", "data(batch_size)")
        stream = _chain_first(first, (sample_fn(batch_size) for _ in iter(int, 1)))
    else:
        data = _as_model_data(data, model)
        if not (isinstance(data, torch.Tensor) or (isinstance(data, tuple) and data
                                                   and all(isinstance(t, torch.Tensor) for t in data))):
            raise TypeError("fit: data must be a tensor, a tuple of tensors or a callable batch_size -> batch, "
                            f"got {type(data).__name__}")
        stream = batches(data, batch_size, generator=generator, device=device, caller="fit")

    if custom:
        optimizers = optimizer if optimizer is not None else model.configure_optimizers(lr)
        opt_list = list(optimizers.values()) if isinstance(optimizers, dict) else [optimizers]
    else:
        optimizer = optimizer if optimizer is not None else torch.optim.Adam(model.parameters(), lr=lr)
        opt_list = [optimizer]
    schedulers = [] if schedule == "constant" else [
        torch.optim.lr_scheduler.LambdaLR(o, lambda k: schedule_factor(schedule, k, steps, warmup)) for o in opt_list]

    history = history if history is not None else History()
    if ema is not None:
        ema.to(device)
    start_step = len(history)
    monitor = _DivergenceMonitor("fit", lr, on_divergence, history)
    if hasattr(model, "check_inputs"):
        # once, on everything fit will feed (all rows for tensors, the first batch for a sampler)
        whole = first if callable(data) and not isinstance(data, torch.Tensor) else data
        model.check_inputs(*whole) if isinstance(whole, tuple) else model.check_inputs(whole)
    bar = tqdm(range(1, steps + 1), desc=desc or type(model).__name__, disable=not progress,
               mininterval=0.5, leave=True)
    t0 = time.perf_counter()
    model.train()
    step = start_step
    for i in bar:
        step = start_step + i
        batch = next(stream)
        if isinstance(batch, torch.Tensor):
            batch = batch.to(device, non_blocking=True)
        elif isinstance(batch, tuple):
            batch = tuple(b.to(device, non_blocking=True) for b in batch)
        try:
            if custom:
                metrics = {k: float(v) for k, v in model.train_step(batch, optimizers).items()}
            else:
                out = _as_metrics(model.loss(*batch) if isinstance(batch, tuple) else model.loss(batch))
                loss = out["loss"]
                # before backward: a diverged step never reaches the weights
                if monitor.check(step, {"loss": float(loss.detach())}):
                    break  # (warn mode; raise mode raised)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                if grad_clip is not None:
                    nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
                optimizer.step()
                metrics = {k: float(v.detach()) if isinstance(v, torch.Tensor) else float(v)
                           for k, v in out.items()}
        except torch.linalg.LinAlgError as err:
            if i == 1:  # before any update: not the learning rate's doing
                raise
            monitor.report("loss", step, f"could not be computed any more ({type(err).__name__}: {err})",
                           stop=True)
            break
        for sched in schedulers:
            sched.step()
        if ema is not None:
            ema.update_parameters(model)
        if monitor.check(step, {k: v for k, v in metrics.items() if custom or k != "loss"}):
            break
        history.log(step, **metrics)
        if eval_fn is not None and eval_every is not None and (i % eval_every == 0) and i != steps:
            if _evaluate(model, eval_fn, step, history, monitor):
                break
        if callback is not None:
            callback(step, metrics)
        if progress and (i % 25 == 0 or i == steps):
            bar.set_postfix({k: f"{v:.4g}" for k, v in list(metrics.items())[:3]}, refresh=False)
    else:
        if eval_fn is not None:
            _evaluate(model, eval_fn, start_step + steps, history, monitor)
        if not custom:
            monitor.finish(step)
    history.seconds += time.perf_counter() - t0
    bar.close()
    model.eval()
    return history


def _chain_first(first, rest):
    yield first
    yield from rest


def _evaluate(model, eval_fn, step, history, monitor) -> bool:
    model.eval()
    with torch.no_grad():
        out = eval_fn(model)
    model.train()
    metrics = {k: float(v) for k, v in out.items()}
    stop = monitor.check(step, metrics, watch=False)
    history.log(step, **metrics)
    return stop
