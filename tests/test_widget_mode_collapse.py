"""The mode-collapse widget replays recorded runs: artists change in place, numbers come from the run."""
import numpy as np
import pytest

from course_lib import data
from course_lib.gans import Recording
from course_lib.widgets import median_latency_ms
from course_lib.widgets.mode_collapse import ModeCollapseView


def fake_recording(loss, n_frames, seed):
    rng = np.random.default_rng(seed)
    steps = np.arange(n_frames) * 100
    samples = rng.normal(size=(n_frames, 50, 2)).astype(np.float32)
    modes = np.minimum(np.arange(n_frames) * 2, 8)
    return Recording(loss, steps, samples, modes, np.linspace(0, 0.9, n_frames), 8)


@pytest.fixture
def view():
    recs = {"a": fake_recording("a", 5, 0), "b": fake_recording("b", 3, 1)}
    c = data.ring_centers(8)
    return ModeCollapseView(recs, data.gaussian_ring(200), c, 0.02), recs


def test_update_moves_samples_and_reports_the_recorded_numbers(view):
    v, recs = view
    out = v.update("a", 3)
    assert out == {"loss": "a", "frame": 3, "step": 300, "modes": 6, "high_quality": pytest.approx(recs["a"].high_quality[3])}
    assert np.allclose(v.scatter.get_offsets(), recs["a"].samples[3])
    assert "6/8" in v.status and "step 300" in v.status
    assert list(v.marker.get_xdata()) == [300, 300]
    before = v.lf.image.value
    out = v.update("b", 4)  # past run b's end: clamped to its last frame
    assert out["step"] == 200 and np.allclose(v.scatter.get_offsets(), recs["b"].samples[2])
    assert np.allclose(v.modes_line.get_ydata(), recs["b"].modes / 8)
    assert v.lf.image.value != before


def test_widget_builds_and_slider_drives_update(view):
    v, _ = view
    box = v.widget()
    dropdown, slider = box.children[1].children
    assert [label for label, _ in slider.options] == ["0", "100", "200", "300", "400"]  # the readout is the step
    assert list(dropdown.options) == ["a", "b"]
    slider.value = 2
    assert "step 200" in v.status and "step 200" in box.children[2].value  # the HTML status line follows
    dropdown.value = "b"
    assert v.status.startswith("<b>b:")


def test_latency_guard(view):
    v, _ = view
    assert median_latency_ms(v.update, [{"loss": "a", "frame": i % 5} for i in range(15)]) < 400  # loose guard: the machine is shared; benchmarks give real figures


def test_bad_inputs(view):
    v, recs = view
    with pytest.raises(ValueError, match="loss must be one of"):
        v.update("c", 0)
    with pytest.raises(ValueError, match="frame must be <= 4"):
        v.update("a", 9)
    with pytest.raises(ValueError, match="non-empty dict"):
        ModeCollapseView({}, np.zeros((3, 2)), np.zeros((2, 2)), 0.1)
    with pytest.raises(TypeError, match="Recording"):
        ModeCollapseView({"x": 1}, np.zeros((3, 2)), np.zeros((2, 2)), 0.1)
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        ModeCollapseView(recs, np.zeros((3, 3)), np.zeros((2, 2)), 0.1)
