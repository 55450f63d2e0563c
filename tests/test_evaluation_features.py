"""The feature classifiers of classifier-FID / IS (notebook 09): shipped checkpoints, accuracy, inputs."""
import numpy as np
import pytest
import torch

from course_lib.checkpoints import manifest
from course_lib.data import load_digits, load_mnist
from course_lib.evaluation import features as F


@pytest.mark.parametrize("kind", ["digits", "mnist"])
def test_shipped_classifier_accuracy_and_manifest(kind):
    data = load_digits() if kind == "digits" else load_mnist()
    model = F.feature_classifier(kind)
    acc = F.accuracy(model, data.x_test, data.y_test)
    assert acc >= 0.97, f"{kind} classifier test accuracy {acc:.3f}"
    meta = manifest(f"features_{kind}")
    assert meta["metrics"]["test_accuracy"] == pytest.approx(acc, abs=1e-3)
    assert meta["config"]["feature_dim"] == F.FEATURE_DIM
    assert meta["bytes"] < 2_000_000


def test_shapes_and_dtypes():
    d = load_digits().x_test[:20]
    f1, f2 = F.digits_features(d), F.digits_features(d.reshape(20, 64).numpy())
    assert f1.shape == (20, F.FEATURE_DIM) and f1.dtype == np.float64
    assert np.allclose(f1, f2)
    feats, probs = F.features_and_probs(d, "digits")
    assert np.allclose(feats, f1) and probs.shape == (20, 10) and np.allclose(probs.sum(1), 1)
    assert np.allclose(F.digits_probs(d), probs)
    m = load_mnist().x_test[:7]
    assert F.mnist_features(m).shape == (7, F.FEATURE_DIM)
    assert F.mnist_features(m.reshape(7, 784)).shape == (7, F.FEATURE_DIM)
    assert F.mnist_probs(m).shape == (7, 10)
    assert (F.digits_features(d) >= 0).all()  # ReLU features


def test_live_fallback_when_checkpoint_is_missing(tmp_path, capsys):
    torch.set_num_threads(1)
    model = F.load_classifier("digits", directory=tmp_path)  # an empty folder: trains the same recipe live (~3 s)
    assert "training features_digits live" in capsys.readouterr().out
    data = load_digits()
    assert F.accuracy(model, data.x_test, data.y_test) >= 0.96
    assert not any(p.requires_grad for p in model.parameters())


def test_corrupt_checkpoint_is_not_loaded(tmp_path, capsys):
    import shutil

    from course_lib.checkpoints import CHECKPOINT_DIR

    for ext in ("pt", "json"):
        shutil.copy(CHECKPOINT_DIR / f"features_digits.{ext}", tmp_path / f"features_digits.{ext}")
    with open(tmp_path / "features_digits.pt", "r+b") as f:  # flip bytes in the middle of the file
        f.seek(2000)
        f.write(b"\x00" * 16)
    F.load_classifier("digits", directory=tmp_path)
    out = capsys.readouterr().out
    assert "sha256" in out and "training features_digits live" in out


def test_classifier_learns_from_scratch():
    """The recipe learns: 300 steps on the digits give far better than chance accuracy."""
    torch.manual_seed(0)
    data = load_digits()
    m = F.build_classifier("digits")
    assert F.accuracy(m, data.x_test, data.y_test) < 0.3
    F.train_classifier(m, data.x_train, data.y_train, steps=300)
    assert F.accuracy(m, data.x_test, data.y_test) > 0.9
