"""The reusable latent-space explorer (notebooks 02 and 04)."""
import numpy as np
import pytest
import torch

from course_lib.widgets import median_latency_ms
from course_lib.widgets.latent import LatentView, decoded_manifold


def _decoder(d=2):
    # A decoder whose output is a known function of z: image brightness encodes z1 and z2.
    def decode(z):
        k = z.shape[0]
        img = torch.zeros(k, 1, 8, 8)
        img[:, 0, :4] = torch.sigmoid(z[:, :1]).view(k, 1, 1)
        img[:, 0, 4:] = torch.sigmoid(z[:, 1:2]).view(k, 1, 1)
        return img
    return decode


@pytest.fixture
def explorer(gen):
    codes = torch.randn(200, 2, generator=gen)
    labels = torch.randint(0, 10, (200,), generator=gen)
    images = torch.rand(200, 1, 8, 8, generator=gen)
    return LatentView(_decoder(), codes, labels, image_shape=(1, 8, 8), images=images)


def test_update_point_decodes_and_moves_marker(explorer):
    before = explorer.lf.image.value
    out = explorer.update_point(1.5, -0.5)
    assert np.allclose(out["z"], [1.5, -0.5])
    assert np.allclose(out["image"][0, 0, 0], torch.sigmoid(torch.tensor(1.5)).item(), atol=1e-6)
    assert np.allclose(out["image"][0, 7, 0], torch.sigmoid(torch.tensor(-0.5)).item(), atol=1e-6)
    x, y = explorer.point.get_data()
    assert np.allclose([x[0], y[0]], [1.5, -0.5])
    assert np.allclose(explorer.point_image.get_array(), out["image"][0])
    assert explorer.lf.image.value != before
    assert "1.50" in explorer.status
    # keywords, partial update keeps the other coordinate
    out = explorer.update_point(z2=0.25)
    assert np.allclose(out["z"], [1.5, 0.25])


def test_update_interpolation_path_and_image(explorer):
    out = explorer.update_interpolation(3, 7, 0.25)
    zi, zj = explorer.codes[3].numpy(), explorer.codes[7].numpy()
    assert np.allclose(out["z"], 0.75 * zi + 0.25 * zj, atol=1e-6)
    xs, ys = explorer.path_line.get_data()
    assert np.allclose(xs, [zi[0], zj[0]]) and np.allclose(ys, [zi[1], zj[1]])
    px, py = explorer.path_point.get_data()
    assert np.allclose([px[0], py[0]], out["z"])
    shown = explorer.interp_image.get_array()
    assert shown.shape == (8, 3 * 8 + 4)  # x_i | gap | decoded | gap | x_j
    assert np.allclose(shown[:, :8], explorer.images[3, 0].numpy())
    assert np.allclose(shown[:, 10:18], out["image"][0])
    assert np.allclose(shown[:, 20:], explorer.images[7, 0].numpy())
    # endpoints decode the endpoint codes
    assert np.allclose(explorer.update_interpolation(3, 7, 0.0)["z"], zi)
    assert np.allclose(explorer.update_interpolation(3, 7, 1.0)["z"], zj)
    assert "#3" in explorer.status and "#7" in explorer.status


def test_update_dispatches(explorer):
    out = explorer.update(z1=0.0, z2=1.0, t=0.5)
    assert set(out) == {"point", "interpolation"}
    with pytest.raises(TypeError, match="unknown knob"):
        explorer.update(w=1)


def test_bad_inputs_are_explained(gen):
    codes, labels = torch.randn(10, 2, generator=gen), torch.zeros(10, dtype=torch.long)
    dec = _decoder()
    with pytest.raises(ValueError, match=r"shape \(k, C, H, W\)"):
        LatentView(dec, codes, labels, image_shape=(1, 4, 4))
    with pytest.raises(ValueError, match="labels must have shape"):
        LatentView(dec, codes, labels[:5], image_shape=(1, 8, 8))
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        LatentView(dec, codes[:, :1], labels, image_shape=(1, 8, 8))
    with pytest.raises(TypeError, match="decode must be callable"):
        LatentView("nope", codes, labels, image_shape=(1, 8, 8))
    with pytest.raises(ValueError, match="encode and images"):
        LatentView(dec, None, labels, image_shape=(1, 8, 8))
    ex = LatentView(dec, codes, labels, image_shape=(1, 8, 8))
    with pytest.raises(ValueError, match="t must be <= 1"):
        ex.update_interpolation(0, 1, 1.5)
    with pytest.raises(ValueError, match="i must be <= 9"):
        ex.update_interpolation(10, 1, 0.5)
    with pytest.raises(TypeError, match="z1..z2"):
        ex.update_point(z3=1.0)


def test_codes_from_encode_and_higher_dimensional_codes(gen):
    images = torch.rand(50, 1, 8, 8, generator=gen)
    encode = lambda x: torch.stack([x.mean((1, 2, 3)), x[:, 0, 0, :].mean(1), x[:, 0, :, 0].mean(1)], 1)  # noqa: E731
    ex = LatentView(_decoder(), None, torch.arange(50) % 3, image_shape=(1, 8, 8), images=images,
                        encode=encode, dims=(1, 2))
    assert ex.d == 3 and torch.allclose(ex.codes, encode(images))
    out = ex.update_point(z1=0.1, z2=0.2, z3=0.3)
    x, y = ex.point.get_data()
    assert np.allclose([x[0], y[0]], [0.2, 0.3])  # dims (1, 2) are the ones drawn
    box = ex.widget()
    sliders = [w for w in box.children[1].children[0].children]
    assert [s.description for s in sliders] == ["z1", "z2", "z3"]
    target = float(ex.low[2] + ex.high[2]) / 2
    sliders[2].value = target
    assert np.isclose(ex.last_point["z"][2], sliders[2].value) and abs(sliders[2].value - target) < 0.01 and np.allclose(out["z"][:2], [0.1, 0.2])


def test_decoded_manifold_orientation():
    img, extent = decoded_manifold(_decoder(), xlim=(-2, 2), ylim=(-2, 2), n=3, image_shape=(1, 8, 8))
    assert img.shape == (24, 24) and extent == (-2.0, 2.0, -2.0, 2.0)
    s = torch.sigmoid(torch.tensor([-2.0, 0.0, 2.0])).numpy()
    assert np.allclose(img[0, [0, 8, 16]], s, atol=1e-6)  # z1 grows to the right
    assert np.allclose(img[4, 0], s[2]) and np.allclose(img[20, 0], s[0])  # top row is the largest z2
    LatentView(_decoder(), torch.randn(20, 2), torch.zeros(20, dtype=torch.long), image_shape=(1, 8, 8),
                   background=(img, extent))


def test_widget_sliders_drive_updates_and_latency(explorer):
    explorer.update(i=2, j=5)
    box = explorer.widget()
    interp_box, point_box = box.children[:2]
    z1 = point_box.children[0].children[0]
    before = explorer.lf.image.value
    z1.value = 0.7
    assert np.isclose(explorer.last_point["z"][0], 0.7) and explorer.lf.image.value != before
    t = interp_box.children[1].children[2]
    t.value = 0.8
    assert explorer.last_interpolation["i"] == 2 and np.isclose(explorer.last_interpolation["t"], 0.8)
    ms = median_latency_ms(explorer.update_point, [dict(z1=0.1 * k, z2=-0.1 * k) for k in range(12)])
    assert ms < 200  # loose guard; benchmarks/widgets_ch02.py reports the real figure
