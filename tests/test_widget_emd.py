"""The EMD widget: the plan drawn is the exact optimal plan (checked against POT) and follows the knobs."""
import numpy as np
import pytest

from course_lib.evaluation import emd
from course_lib.widgets import median_latency_ms
from course_lib.widgets.emd import EMDView


def test_update_draws_the_optimal_plan():
    ot = pytest.importorskip("ot")
    v = EMDView(n=30)
    out = v.update(shift=1.0, scale=1.5)
    q = v.q(1.0, 1.5)
    w = np.full(30, 1 / 30)
    assert out["emd"] == pytest.approx(ot.emd2(w, w, ot.dist(v.p, q, metric="euclidean")), rel=1e-9)
    segs = np.asarray(v.lines.get_segments())
    assert segs.shape == (30, 2, 2)
    assert np.allclose(segs[:, 0], v.p) and np.allclose(segs[:, 1], q[out["target"]])
    assert np.allclose(v.q_scatter.get_offsets(), q)
    assert f"{out['emd']:.3f}" in v.status


def test_shift_moves_q_and_emd_grows():
    v = EMDView(n=20)
    img0 = v.lf.image.value
    e = [v.update(shift=s, scale=1.0)["emd"] for s in (0.0, 1.0, 2.0, 3.0)]
    assert e == sorted(e) and e[-1] > 3.0  # Q starts 1.5 right of P: far shifts cost about the distance
    assert v.lf.image.value != img0
    # translating both clouds by the same amount: the EMD between P and a pure translate of itself is the shift
    assert emd(v.p, v.p + np.array([2.0, 0.0])) == pytest.approx(2.0)


def test_widget_sliders():
    v = EMDView(n=10)
    box = v.widget()
    shift, scale = box.children[1].children
    shift.value = 2.0
    assert np.allclose(v.q_scatter.get_offsets(), v.q(2.0, 1.0))
    assert v.status in box.children[2].value and "EMD(P, Q)" in v.status
    scale.value = 2.0
    assert np.allclose(v.q_scatter.get_offsets(), v.q(2.0, 2.0))


def test_latency_guard():
    v = EMDView(n=40)
    assert median_latency_ms(v.update, [{"shift": 0.1 * i, "scale": 1.0} for i in range(15)]) < 400  # loose guard: the machine is shared; benchmarks give real figures


def test_bad_inputs():
    with pytest.raises(ValueError, match="n must be >= 2"):
        EMDView(n=1)
    v = EMDView(n=5)
    with pytest.raises(ValueError, match="scale must be >= 0"):
        v.update(scale=-1.0)
    with pytest.raises(TypeError, match="shift must be a real number"):
        v.update(shift="left")
