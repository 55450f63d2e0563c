import io

import numpy as np
import pytest
from PIL import Image

from course_lib.widgets import LiveFigure, median_latency_ms, panel
from course_lib.widgets.live import PNGStream


def test_png_stream_lossless():
    for channels in (3, 4):
        px = np.random.default_rng(0).integers(0, 256, (17, 23, channels), dtype=np.uint8)
        im = Image.open(io.BytesIO(PNGStream().encode(px)))
        assert im.size == (23, 17) and np.array_equal(np.asarray(im), px)
    with pytest.raises(ValueError, match=r"\(H, W, 3\) or \(H, W, 4\) uint8"):
        PNGStream().encode(px.astype(float))
    with pytest.raises(ValueError, match="uint8 array"):
        PNGStream().encode(np.zeros((4, 4, 2), dtype=np.uint8))


def _decode(png):
    return np.asarray(Image.open(io.BytesIO(png)))


def test_live_figure_blit_matches_full_redraw():
    lf = LiveFigure(1, 2, figsize=(6, 3))
    lf.axes[0, 1].hist(np.random.default_rng(0).normal(size=300), bins=30)
    (line,) = lf.ax.plot([0, 1], [0, 1])
    lf.animate(line)
    first = _decode(lf.render())
    line.set_ydata([1, 0])
    blitted = _decode(lf.render())
    assert not np.array_equal(first, blitted)
    lf.invalidate()
    full = _decode(lf.render())
    assert np.array_equal(blitted, full)  # the cached background is exactly the static part


def test_live_figure_image_widget_updates_in_place():
    lf = LiveFigure()
    (line,) = lf.ax.plot([0, 1], [0, 1])
    lf.animate(line)
    img = lf.image
    before = img.value
    line.set_ydata([1, 0])
    lf.refresh()
    assert lf.image is img and img.value != before and img.format == "png"


def test_panel_calls_update_with_all_values():
    import ipywidgets as W

    calls = []
    a, b = W.FloatSlider(value=1.0), W.IntSlider(value=2)
    box = panel({"a": a, "b": b}, lambda **v: calls.append(v), W.HTML("x"), title="t")
    a.value = 3.0
    assert calls == [{"a": 3.0, "b": 2}]
    assert isinstance(box, W.VBox)


def test_median_latency_ms():
    assert median_latency_ms(lambda x: None, [dict(x=i) for i in range(5)]) < 5


def test_panel_shows_update_errors_instead_of_freezing(capsys):
    import ipywidgets as W

    a = W.FloatSlider(value=1.0)

    def update(a):
        if a > 2:
            raise ValueError("a too large")

    box = panel({"a": a}, update)
    error = box.children[-1]
    a.value = 3.0
    assert "a too large" in error.value and error.layout.display is None
    assert "ValueError" in capsys.readouterr().err
    a.value = 1.5
    assert error.value == "" and error.layout.display == "none"


def test_png_stream_recompresses_only_changed_rows_and_stays_exact():
    from course_lib.widgets.live import PNGStream

    rng = np.random.default_rng(1)
    px = rng.integers(0, 256, (37, 29, 4), dtype=np.uint8)
    px[..., 3] = 255
    stream = PNGStream(band=8)  # small bands for a small test image
    first = stream.encode(px)
    assert stream.recompressed_rows == 37
    assert np.array_equal(_decode(first), px)
    px[20, 3] = [1, 2, 3, 255]  # one pixel in band 2 (rows 16-23)
    second = stream.encode(px)
    assert stream.recompressed_rows == 8 and np.array_equal(_decode(second), px)
    same = stream.encode(px)
    assert stream.recompressed_rows == 0 and same == second
    with pytest.raises(ValueError, match="uint8 array"):
        stream.encode(px.astype(float))
