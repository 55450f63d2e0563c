"""Parallel lines: closed forms checked against estimates from samples; the widget follows θ."""
import math

import numpy as np
import pytest

from course_lib.evaluation import emd
from course_lib.widgets.divergences import ParallelLinesView, parallel_lines_divergences


def test_closed_forms():
    assert parallel_lines_divergences(0.0) == {"kl": 0.0, "js": 0.0, "w": 0.0}
    d = parallel_lines_divergences(-0.3)
    assert math.isinf(d["kl"]) and d["js"] == pytest.approx(math.log(2)) and d["w"] == pytest.approx(0.3)


def test_w_matches_exact_emd_of_samples():
    rng = np.random.default_rng(0)
    n, theta = 300, 0.7
    p = np.stack([np.zeros(n), rng.uniform(size=n)], 1)
    q = np.stack([np.full(n, theta), rng.uniform(size=n)], 1)
    # the sample EMD is at least θ (every pair is ≥ θ apart) and close to it for large n
    assert theta <= emd(p, q) < theta + 0.02


def test_js_of_disjoint_histograms_is_ln2():
    from scipy.spatial.distance import jensenshannon

    p = np.array([0.5, 0.5, 0, 0])
    q = np.array([0, 0, 0.5, 0.5])
    assert jensenshannon(p, q) ** 2 == pytest.approx(math.log(2))  # scipy returns the square root


def test_update_moves_line_and_markers():
    v = ParallelLinesView()
    img = v.lf.image.value
    out = v.update(-0.4)
    assert out["w"] == pytest.approx(0.4)
    assert list(v.q_line.get_xdata()) == [-0.4, -0.4]
    offs = v.markers.get_offsets()
    assert np.allclose(offs[:, 0], -0.4) and offs[2, 1] == pytest.approx(0.4) and offs[1, 1] == pytest.approx(math.log(2))
    assert offs[0, 1] == v.kl_cap and "KL = ∞" in v.status
    assert v.lf.image.value != img
    out = v.update(0.0)
    assert out == {"theta": 0.0, "kl": 0.0, "js": 0.0, "w": 0.0} and "KL = 0.000" in v.status


def test_widget_and_bad_inputs():
    v = ParallelLinesView()
    (slider,) = v.widget().children[1].children
    slider.value = 0.25
    assert list(v.q_line.get_xdata()) == [0.25, 0.25]
    with pytest.raises(ValueError, match="theta must be <= 1"):
        v.update(2.0)
    with pytest.raises(TypeError, match="theta must be a real number"):
        parallel_lines_divergences("wide")
