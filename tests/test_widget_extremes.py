"""Widget views given extreme knob values by code (issue 15): every ``update`` either clamps the value to
the control's range, draws a finite picture and says so in the status line, or raises a clear
ValueError/TypeError naming the view and the knob. Never ZeroDivisionError/OverflowError, never a NaN
picture. The views are the ones of tests/test_widget_views.py (every View subclass of the course)."""
from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_widget_views import VIEWS  # noqa: E402

from course_lib.widgets import View  # noqa: E402

EXTREMES = [1e-300, -1e-300, 1e200, -1e200, 1e39, math.nan, math.inf, -math.inf, 0.0, -1.0, 10**30]


def _finite_picture(view: View) -> bool:
    """No artist of the view's figures holds NaN/inf data (images, lines, scatter offsets)."""
    for lf in view.figures:
        for ax in lf.fig.axes:
            for im in ax.get_images():
                a = np.asarray(im.get_array(), dtype=float)
                if a.size and not np.isfinite(a).all():
                    return False
            for line in ax.get_lines():
                y = np.asarray(line.get_ydata(), dtype=float)
                if y.size and np.isnan(y).all():
                    return False
    return True


@pytest.fixture(params=sorted(VIEWS), scope="module")
def built(request):
    factory, knobs = VIEWS[request.param]
    return request.param, factory()


def test_extreme_knob_values(built):
    name, view = built
    start = dict(view.values)
    problems = []
    for knob in view.knobs:
        for value in EXTREMES:
            view.update(**start)                      # from a valid picture each time
            where = f"{type(view).__name__}.update({knob}={value!r})"
            try:
                view.update(**{knob: value})
            except (ValueError, TypeError) as err:
                msg = str(err)
                if knob not in msg:
                    problems.append(f"{where}: message does not name the knob: {msg[:120]}")
                continue
            except Exception as err:  # noqa: BLE001 - the point is to classify it
                problems.append(f"{where}: {type(err).__name__}: {str(err)[:120]}")
                continue
            shown = view.values[knob]
            if isinstance(shown, float) and not math.isfinite(shown):
                problems.append(f"{where}: kept the non-finite value")
            if not _finite_picture(view):
                problems.append(f"{where}: drew NaN/inf")
            snapped = isinstance(shown, (int, float)) and math.isfinite(value) and \
                abs(shown - value) <= 1e-6 * max(1.0, abs(value))     # a slider position or a recorded frame
            if not snapped and "clamped" not in view.status:
                problems.append(f"{where}: drew {knob}={shown!r} without saying it clamped (status: "
                                f"{view.status[:100]!r})")
    view.update(**start)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


@pytest.mark.parametrize("name, knob, attr", [("smoothing", "alpha", "alpha_range"),
                                              ("conditional slice", "x", "x_range")])
def test_range_messages_name_the_bound_not_the_tolerance(name, knob, attr):
    """A slider's float slack (1e-6) must not leak into the message: "alpha must be <= 100.0", not
    "<= 100.00009999999999"."""
    view = VIEWS[name][0]()
    lo, hi = getattr(view, attr)
    with pytest.raises(ValueError) as err:
        view.update(**{knob: 10 * abs(hi) + 1})
    assert f"<= {hi}" in str(err.value) and not re.search(r"\d\.\d{9,}", str(err.value)), str(err.value)
    with pytest.raises(ValueError) as err:
        view.update(**{knob: lo - 10 * abs(lo) - 1})
    assert f">= {lo}" in str(err.value) and not re.search(r"\d\.\d{9,}", str(err.value)), str(err.value)
    view.update(**{knob: hi * (1 + 1e-7) if hi else 1e-7})      # within the slack: drawn at the bound
    assert view.values[knob] == hi


def test_no_check_adds_a_tolerance_to_its_bound():
    """Bounds with a tolerance go through check_float(rel_tol=...), which prints the bound itself."""
    src = Path(__file__).parents[1] / "course_lib"
    pattern = re.compile(r"(min_value|max_value)=[^,)]*(\(1 [+-] |[+-] *\d[.\d]*e-\d)")
    leaks = [f"{p.relative_to(src)}:{i}" for p in src.rglob("*.py")
             for i, line in enumerate(p.read_text().splitlines(), 1) if pattern.search(line)]
    assert not leaks, leaks


# ---------------------------------------------------------------------------------------------------------------
# The widgets built on their own (not View subclasses: their pictures are precomputed frames or a trainer), and
# the live GAN trainer (a View whose update trains): the same rule for every knob a student's code can set.

def _mae_ratio():
    import torch

    from course_lib.autoregressive import MAE
    from course_lib.widgets.masked import MaeRatioView

    torch.manual_seed(0)
    imgs = torch.rand(2, 1, 28, 28, generator=torch.Generator().manual_seed(0))
    return MaeRatioView(MAE(image_size=(28, 28), patch=4, d=16, dec_d=8), imgs), {"ratio": 0.5}


def _maskgit_stepper():
    import torch

    from course_lib.autoregressive import CausalTransformer, MaskGIT
    from course_lib.widgets.masked import MaskGitStepperView

    torch.manual_seed(0)
    return MaskGitStepperView(MaskGIT(d=16, heads=2), CausalTransformer(d=16, heads=2), K=4, n=2), {"k": 2}


def _metric_sandbox():
    from course_lib.widgets.metrics import MetricSandbox

    return MetricSandbox(show=16), {"drop": 2, "noise": 0.1, "blur": 0.5, "blend": 0.2, "copy": 0.1}


def _gan_trainer():
    from course_lib.widgets.gan_trainer import GANTrainerView

    return GANTrainerView("ring", "non-saturating", steps_per_frame=2), {"lr_g": 1e-3, "lr_d": 1e-3, "n_critic": 1,
                                                                           "steps_per_frame": 2}


OTHER_WIDGETS = {"MAE ratio": _mae_ratio, "MaskGIT stepper": _maskgit_stepper,
                 "metric sandbox": _metric_sandbox, "GAN trainer": _gan_trainer}


def _finite(obj) -> bool:
    """Every number in an update's returned state (scalars, arrays, nested dicts) is finite."""
    if isinstance(obj, dict):
        return all(_finite(v) for v in obj.values())
    if isinstance(obj, (int, float, np.ndarray, np.generic)) and not isinstance(obj, bool):
        a = np.asarray(obj, dtype=float)
        return bool(np.isfinite(a).all())
    return True


@pytest.mark.parametrize("name", sorted(OTHER_WIDGETS))
def test_extreme_knob_values_of_the_other_widgets(name):
    widget, start = OTHER_WIDGETS[name]()
    problems = []
    for knob in start:
        for value in EXTREMES:
            widget.update(**start)
            where = f"{type(widget).__name__}.update({knob}={value!r})"
            try:
                state = widget.update(**{knob: value})
            except (ValueError, TypeError) as err:
                if knob not in str(err):
                    problems.append(f"{where}: message does not name the knob: {str(err)[:120]}")
                continue
            except Exception as err:  # noqa: BLE001 - the point is to classify it
                problems.append(f"{where}: {type(err).__name__}: {str(err)[:120]}")
                continue
            if not _finite(state):
                problems.append(f"{where}: returned non-finite numbers")
            if isinstance(widget, View):
                shown = widget.values[knob]
                if isinstance(shown, float) and not math.isfinite(shown):
                    problems.append(f"{where}: kept the non-finite value")
                snapped = isinstance(shown, (int, float)) and math.isfinite(value) and \
                    abs(shown - value) <= 1e-6 * max(1.0, abs(value))
                if not snapped and "clamped" not in widget.status:
                    problems.append(f"{where}: drew {knob}={shown!r} without saying it clamped")
                if not _finite_picture(widget):
                    problems.append(f"{where}: drew NaN/inf")
    widget.update(**start)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
