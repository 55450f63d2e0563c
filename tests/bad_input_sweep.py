"""The machinery of tests/test_bad_inputs_sweep.py: argument specs that generate bad variants, and the judge.

Each public callable gets a :class:`Case`: the callable and one *valid* example per argument, each wrapped
in a spec (``I`` integer, ``F`` float, ``T`` tensor, ``Lab`` labels, ``Ch`` choice, ``Obj`` an object
such as a model, ``Gen`` a torch.Generator). A spec knows the bad values a student could pass in its place
(wrong shape, dtype, NaN/inf, empty batch, 0..255 pixels, numbers out of range, None, strings, numpy where a
tensor is expected and back) and whether each *must* be refused or may legitimately give a result.

The judge (:func:`judge`) calls the callable with one argument replaced and accepts only:
* a ``ValueError``/``TypeError`` raised by course_lib's own code (the last traceback frame is in course_lib,
  not inside torch/numpy/scipy) whose message names the argument; or
* for a value that may be valid, a result that holds no NaN/inf, with the shape of the valid call's result
  where the variant is the same data in another container (numpy instead of a tensor, float64, ...).
Each call runs under a 60 s alarm: a hang fails the case instead of the suite.
"""
from __future__ import annotations

import contextlib
import dataclasses
import math
import os
import signal
import traceback
from typing import Any, Callable

import numpy as np
import torch

COURSE_LIB = os.sep + "course_lib" + os.sep
RAISE, MAY = "must raise", "may return"
# variants wrong only in their values (a primitive does not look at values)
VALUE_LABELS = {"nan entry", "inf entry", "0..255 pixels", "a negative entry", "non-integral codes"}


# --------------------------------------------------------------------------- argument specs
class Spec:
    none_ok = False

    def valid(self):
        raise NotImplementedError

    def bad(self) -> list[tuple[str, Any, str]]:
        """(label, value, RAISE or MAY) for each bad variant."""
        raise NotImplementedError

    def _none(self):
        return [] if self.none_ok else [("None", None, RAISE)]


@dataclasses.dataclass
class I(Spec):  # noqa: E742 - an integer argument
    v: int
    lo: int | None = None
    hi: int | None = None
    none_ok: bool = False

    def valid(self):
        return self.v

    def bad(self):
        out = [("non-integral float", self.v + 0.5, RAISE), ("string", str(self.v), RAISE), ("nan", math.nan, RAISE),
               *self._none()]
        if self.lo is not None:
            out.append((f"{self.lo - 1} (below {self.lo})", self.lo - 1, RAISE))
            if self.lo - 1 > -1:
                out.append(("-1", -1, RAISE))
            if self.lo - 1 > -10**9:
                out.append(("-10**9", -10**9, RAISE))
        if self.hi is not None:
            out.append((f"{self.hi + 1} (above {self.hi})", self.hi + 1, RAISE))
        return out


@dataclasses.dataclass
class F(Spec):  # a float argument
    v: float
    lo: float | None = None
    hi: float | None = None
    strict: bool = False  # lo itself is refused
    none_ok: bool = False

    def valid(self):
        return self.v

    def bad(self):
        out = [("nan", math.nan, RAISE), ("inf", math.inf, RAISE), ("-inf", -math.inf, RAISE),
               ("string", "0.5", RAISE), *self._none()]
        if self.lo is not None:
            out.append((f"{self.lo - 1:g} (below {self.lo:g})", self.lo - 1.0, RAISE))
            if self.strict:
                out.append((f"{self.lo:g} (the excluded bound)", float(self.lo), RAISE))
        if self.hi is not None:
            out.append((f"{self.hi + 1:g} (above {self.hi:g})", self.hi + 1.0, RAISE))
        return out


@dataclasses.dataclass
class Ch(Spec):  # a choice among strings
    v: str
    none_ok: bool = False

    def valid(self):
        return self.v

    def bad(self):
        return [("unknown name", "no-such-choice", RAISE), ("integer", 3, RAISE), *self._none()]


@dataclasses.dataclass
class Obj(Spec):  # an object (model, schedule, callable): only absurd stand-ins
    make: Callable[[], Any]
    none_ok: bool = False

    def valid(self):
        return self.make()

    def bad(self):
        return [("string", "model", RAISE), ("integer", 3, RAISE), *self._none()]


@dataclasses.dataclass
class Gen(Spec):  # a torch.Generator or None
    none_ok: bool = True

    def valid(self):
        return torch.Generator().manual_seed(0)

    def bad(self):
        return [("an int seed", 0, RAISE), ("string", "seed", RAISE)]


@dataclasses.dataclass
class T(Spec):
    """A tensor argument: ``make()`` gives a valid one (batch in dim 0 unless ``batched=False``).

    ``fixed_last``: the size of the last dim is fixed by the model (wrong width is refused);
    ``lo``/``hi``: the value range (values outside it are refused, 0..255 pixels among them);
    ``numpy``: the valid example is a numpy array (then the torch tensor is the "other container").
    """

    make: Callable[[], Any]
    fixed_last: bool = True
    lo: float | None = None
    hi: float | None = None
    batched: bool = True
    empty_ok: bool = True     # an empty batch may give an empty result (else it must be refused)
    integer: bool = False     # integer codes (tokens, labels-like): a non-integral float is refused
    none_ok: bool = False
    any_shape: bool = False   # an elementwise function: every shape is valid
    single_ok: bool = False   # scalar data (n, 1): one example (1,) reads as a batch of one

    def valid(self):
        return self.make()

    def bad(self):
        x = self.make()
        is_np = isinstance(x, np.ndarray)
        t = torch.as_tensor(x).clone()
        back = (lambda a: a.numpy()) if is_np else (lambda a: a)
        flt = t.double() if t.is_floating_point() else t.double()
        out = [("string", "x", RAISE), ("list of strings", ["a", "b"], RAISE), *self._none(),
               ("complex dtype", back(t.to(torch.complex64)), RAISE)]
        if not self.integer:
            out += [("nan entry", back(_poke(flt, math.nan).to(t.dtype if t.is_floating_point() else torch.float32)),
                     RAISE),
                    ("inf entry", back(_poke(flt, math.inf).to(t.dtype if t.is_floating_point() else torch.float32)),
                     RAISE)]
        else:
            out += [("nan entry", back(_poke(flt, math.nan).float()), RAISE),
                    ("non-integral codes", back(_poke(flt, 0.5).float()), RAISE)]
        out.append(("numpy/tensor swap", t if is_np else t.numpy().copy(), MAY))
        if t.is_floating_point() and t.dtype != torch.float64:
            out.append(("float64", back(t.double()), MAY))
        if self.any_shape or self.single_ok:
            pass
        elif self.batched and t.ndim >= 2:
            out.append(("one example without the batch dim", back(t[0].clone()), RAISE))
        elif self.batched and t.ndim == 1:
            out.append(("extra dims (1, n, 1)", back(t[None, :, None].clone()), RAISE))
        if self.batched:
            out.append(("empty batch", back(t[:0].clone()), MAY if self.empty_ok else RAISE))
        if self.fixed_last and t.ndim >= 2 and not self.any_shape:
            wider = torch.cat([t, t[..., :1]], dim=-1)
            out.append(("wrong size of the last dim", back(wider), RAISE))
        if self.hi is not None and self.hi <= 1.0 and self.lo is not None and self.lo >= 0.0:
            out.append(("0..255 pixels", back(_poke(flt * 255.0, 200.0).to(t.dtype)
                                               if t.is_floating_point() else _poke(flt * 255, 200).to(t.dtype)),
                        RAISE))
        if self.lo is not None and self.lo >= 0.0:
            out.append(("a negative entry", back(_poke(flt, -0.5).to(t.dtype if t.is_floating_point()
                                                                     else torch.float32)), RAISE))
        return out


@dataclasses.dataclass
class Lab(Spec):
    """Class labels (n,) in 0..k-1."""

    n: int
    k: int
    none_ok: bool = False
    paired: bool = True      # they label examples passed beside them (one label too many is wrong)
    k_known: bool = True     # the callable knows the number of classes

    def valid(self):
        return torch.arange(self.n) % self.k

    def bad(self):
        y = self.valid()
        out = [("label -1", _poke(y, -1), RAISE), ("float labels 0.5", _poke(y.double(), 0.5), RAISE),
               ("labels of shape (n, 1)", y[:, None], RAISE), ("string", "cat", RAISE), *self._none()]
        if self.k_known:
            out.append(("label == n_classes", _poke(y, self.k), RAISE))
        if self.paired:
            out.append(("one label too many", torch.cat([y, y[:1]]), RAISE))
        return out


@dataclasses.dataclass
class Fixed(Spec):
    """An argument not varied (a flag, a name the test controls)."""

    v: Any

    def valid(self):
        return self.v() if callable(self.v) and not isinstance(self.v, torch.nn.Module) else self.v

    def bad(self):
        return []


def _poke(t: torch.Tensor, value) -> torch.Tensor:
    t = t.clone()
    t = t.contiguous()
    t.view(-1)[0] = value
    return t


# --------------------------------------------------------------------------- cases and the judge
@dataclasses.dataclass
class Case:
    name: str                     # "Module.method" or "function": the message should name it
    fn: Callable[..., Any]        # called with keyword arguments
    args: dict[str, Spec]
    nonfinite_ok: bool = False    # e.g. a log-density may be -inf outside the support
    ok_types: tuple = ()          # extra exception types that are the documented answer (CheckpointError)
    names: tuple[str, ...] = ()   # other words a message may use to name the function
    # a per-step primitive (a log-density, a loss term): it checks types and shapes, which cost nothing, but
    # not values (a finiteness check would sync a GPU on every training step): NaN in gives NaN out
    primitive: bool = False
    aka: dict = dataclasses.field(default_factory=dict)  # other names of an argument ({"data": ("x",)})

    def valid_kwargs(self) -> dict:
        return {k: s.valid() for k, s in self.args.items()}

    def variants(self):
        for arg, spec in self.args.items():
            for label, value, rule in spec.bad():
                yield arg, label, value, rule


class Hang(Exception):
    pass


@contextlib.contextmanager
def alarm(seconds: float):
    """Raise Hang after ``seconds`` (main thread only; elsewhere the call simply runs)."""
    def handler(signum, frame):
        f = frame
        while f is not None:    # never interrupt a module import (torch imports lazily): it would stay broken
            if "importlib" in f.f_code.co_filename:
                signal.setitimer(signal.ITIMER_REAL, 5.0)
                return
            f = f.f_back
        raise Hang(f"no answer after {seconds} s")

    try:
        old = signal.signal(signal.SIGALRM, handler)
    except ValueError:        # not the main thread
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def leaves(obj, depth: int = 0):
    """Every tensor / array / float inside a result (tuples, lists, dicts, dataclasses, named tuples)."""
    if depth > 4:
        return
    if isinstance(obj, (torch.Tensor, np.ndarray)):
        yield obj
    elif isinstance(obj, (float, np.floating)):
        yield np.asarray(obj)
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from leaves(v, depth + 1)
    elif isinstance(obj, (tuple, list)):
        for v in obj:
            yield from leaves(v, depth + 1)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            yield from leaves(getattr(obj, f.name), depth + 1)


def shapes(obj):
    return [tuple(a.shape) for a in leaves(obj)]


def nonfinite(obj) -> bool:
    for a in leaves(obj):
        t = torch.as_tensor(a) if not isinstance(a, np.ndarray) or a.dtype != object else None
        if t is not None and (t.is_floating_point() or t.is_complex()) and t.numel() and not torch.isfinite(t).all():
            return True
    return False


def call(case: Case, kwargs: dict, seconds: float = 60.0):
    torch.manual_seed(0)
    with alarm(seconds):
        return case.fn(**kwargs)


def judge(case: Case, arg: str, label: str, value, rule: str, reference_shapes) -> str | None:
    """None if the answer to this bad input is acceptable, else a one-line description of what went wrong."""
    kwargs = case.valid_kwargs()
    kwargs[arg] = value
    value_only = case.primitive and label in VALUE_LABELS
    if value_only:
        rule = MAY
    where = f"{case.name}({arg}=<{label}>)"
    try:
        out = call(case, kwargs)
    except Hang as err:
        return f"{where}: hangs ({err})"
    except Exception as err:  # noqa: BLE001 - the point is to classify it
        return _judge_error(case, arg, where, err)
    if rule == RAISE:
        return f"{where}: accepted silently (returned {type(out).__name__})"
    if not (case.nonfinite_ok or value_only) and nonfinite(out):
        return f"{where}: returned NaN/inf"
    if label in ("numpy/tensor swap", "float64") and shapes(out) != reference_shapes:
        return f"{where}: result shapes {shapes(out)} differ from the valid call's {reference_shapes}"
    return None


def _judge_error(case: Case, arg: str, where: str, err: BaseException) -> str | None:
    msg = str(err)
    if not isinstance(err, (ValueError, TypeError) + case.ok_types):
        return f"{where}: {type(err).__name__} (want ValueError/TypeError): {msg[:160]}"
    frames = traceback.extract_tb(err.__traceback__)
    last = frames[-1].filename if frames else ""
    if COURSE_LIB not in last and not isinstance(err, case.ok_types):
        return f"{where}: raised inside {os.path.basename(last)} ({type(err).__name__}: {msg[:160]})"
    if not any(a in msg for a in (arg, *case.aka.get(arg, ()))) and not isinstance(err, case.ok_types):
        return f"{where}: message does not name {arg!r}: {msg[:160]}"
    return None


def names_function(case: Case, msg: str) -> bool:
    """Whether a message names the course function (its last dotted part, its class, or an alias)."""
    words = {case.name, case.name.split(".")[-1], case.name.split(".")[0], *case.names}
    return any(w in msg for w in words)
