import math
import struct

import numpy as np
import pytest
import torch

from course_lib import data


def test_ring_centers_distinct_and_on_circle():
    c = data.ring_centers(8, radius=2.0)
    assert c.shape == (8, 2)
    assert torch.allclose(c.norm(dim=1), torch.full((8,), 2.0), atol=1e-6)
    d = torch.cdist(c, c) + torch.eye(8) * 10
    # neighbours on the ring are 2 r sin(pi/8) apart: no two modes coincide
    assert d.min().item() == pytest.approx(2 * 2.0 * math.sin(math.pi / 8), rel=1e-5)
    angles = torch.atan2(c[:, 1], c[:, 0]) % (2 * math.pi)
    assert torch.allclose(angles, 2 * math.pi * torch.arange(8) / 8, atol=1e-5)


@pytest.mark.parametrize("fn,centers", [
    (lambda n, g: data.gaussian_ring(n, generator=g), data.ring_centers()),
    (lambda n, g: data.gaussian_grid(n, generator=g), data.grid_centers()),
])
def test_mixtures_cover_every_mode_near_centre(fn, centers, gen):
    x = fn(5000, gen)
    assert x.shape == (5000, 2) and x.dtype == torch.float32
    nearest = torch.cdist(x, centers).min(dim=1)
    assert nearest.values.max() < 0.5  # std 0.02/0.05: every sample is near its mode
    counts = torch.bincount(nearest.indices, minlength=len(centers)).float()
    assert counts.min() > 0.5 * counts.mean()


def test_grid_default_is_standard_25_grid():
    c = data.grid_centers()
    assert c.shape == (25, 2)
    assert sorted(set(c[:, 0].tolist())) == [-4.0, -2.0, 0.0, 2.0, 4.0]


def test_toy_data_seeded_by_generator():
    for fn in (data.gaussian_ring, data.gaussian_grid, data.swiss_roll, data.two_moons):
        a = fn(100, generator=torch.Generator().manual_seed(3))
        b = fn(100, generator=torch.Generator().manual_seed(3))
        c = fn(100, generator=torch.Generator().manual_seed(4))
        assert a.shape == (100, 2) and torch.equal(a, b) and not torch.equal(a, c)


def test_two_moons_matches_sklearn_geometry():
    from sklearn.datasets import make_moons

    x = data.two_moons(4000, noise=0.0, generator=torch.Generator().manual_seed(0)).numpy()
    ref, _ = make_moons(4000, noise=0.0)
    # same support: every generated point lies on the reference curves
    d = np.sqrt(((x[:, None] - ref[None]) ** 2).sum(-1)).min(1)
    assert d.max() < 0.01
    assert np.allclose(x.mean(0), ref.mean(0), atol=0.05)


def test_swiss_roll_radius_grows_with_angle():
    x = data.swiss_roll(2000, noise=0.0, generator=torch.Generator().manual_seed(0))
    r = x.norm(dim=1)
    assert r.min() > 1.5 * math.pi / 5 - 1e-4 and r.max() < 4.5 * math.pi / 5 + 1e-4


def _check_split(s, shape, n_train, n_test):
    assert s.x_train.shape == (n_train, *shape) and s.x_test.shape == (n_test, *shape)
    assert s.x_train.dtype == torch.float32 and s.y_train.dtype == torch.int64
    assert 0.0 <= s.x_train.min() and s.x_train.max() <= 1.0
    assert set(s.y_train.unique().tolist()) == set(range(10))


def test_load_digits():
    s = data.load_digits()
    _check_split(s, (1, 8, 8), 1438, 359)
    assert s.x_train.max() == 1.0


def test_load_mnist_bundled_fixed_split():
    a, b = data.load_mnist(), data.load_mnist()
    _check_split(a, (1, 28, 28), 4000, 1000)
    assert torch.equal(a.x_test, b.x_test) and torch.equal(a.y_train, b.y_train)
    torch.manual_seed(99)  # the split must not depend on the global seed
    c = data.load_mnist()
    assert torch.equal(a.y_test, c.y_test)
    # train and test are disjoint: no test image appears in train
    tr = {bytes(x.numpy().tobytes()) for x in a.x_train}
    assert not any(bytes(x.numpy().tobytes()) in tr for x in a.x_test[:200])
    a.x_train[0] += 1  # mutating a result must not change the cache
    assert data.load_mnist().x_train.max() <= 1.0


def _write_idx(raw, stem, images, labels, compress=False):
    raw.mkdir(parents=True, exist_ok=True)
    n, h, w = images.shape
    img = struct.pack(">IIII", 2051, n, h, w) + images.astype(np.uint8).tobytes()
    lab = struct.pack(">II", 2049, n) + labels.astype(np.uint8).tobytes()
    (raw / f"{stem}-images-idx3-ubyte").write_bytes(img)
    (raw / f"{stem}-labels-idx1-ubyte").write_bytes(lab)


@pytest.mark.parametrize("dataset,folder", [("mnist", "MNIST"), ("fashion", "FashionMNIST")])
def test_load_mnist_torchvision_reads_idx_files_written_here(tmp_path, dataset, folder):
    rng = np.random.default_rng(0)
    raw = tmp_path / folder / "raw"
    xtr, ytr = rng.integers(0, 256, (30, 28, 28)), rng.integers(0, 10, 30)
    xte, yte = rng.integers(0, 256, (12, 28, 28)), rng.integers(0, 10, 12)
    _write_idx(raw, "train", xtr, ytr)
    _write_idx(raw, "t10k", xte, yte)
    s = data.load_mnist(source="torchvision", dataset=dataset, root=tmp_path, download=False)
    assert s.x_train.shape == (30, 1, 28, 28) and s.x_test.shape == (12, 1, 28, 28)
    assert torch.allclose(s.x_train[:, 0] * 255, torch.tensor(xtr, dtype=torch.float32), atol=1e-3)
    assert torch.equal(s.y_test, torch.tensor(yte))
    assert len(s.classes) == 10


def test_load_mnist_is_offline_by_default(tmp_path):
    import inspect

    assert inspect.signature(data.load_mnist).parameters["download"].default is False


def test_load_mnist_torchvision_offline_error_says_how_to_proceed(tmp_path):
    with pytest.raises(data.DataUnavailableError, match="bundled offline subset") as err:
        data.load_mnist(source="torchvision", root=tmp_path, download=False)
    assert "raw" in str(err.value)


def test_load_mnist_torchvision_failed_download_is_clear(tmp_path, monkeypatch):
    import torchvision

    def no_network(self, *a, **k):
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz: <urlopen error [Errno -3]>")

    monkeypatch.setattr(torchvision.datasets.MNIST, "download", no_network)
    with pytest.raises(data.DataUnavailableError, match="no internet"):
        data.load_mnist(source="torchvision", root=tmp_path, download=True)


def test_binarize():
    x = torch.tensor([[[[0.2, 0.6], [0.5, 0.9]]]])
    assert data.binarize(x).tolist() == [[[[0.0, 1.0], [0.0, 1.0]]]]
    with pytest.raises(ValueError, match="threshold must be <= 1"):
        data.binarize(x, 2.0)
