"""Every shipped checkpoint: each way it can break ends in CheckpointError, and load_or_train trains live."""
from __future__ import annotations

import json
import shutil

import pytest
import torch

from course_lib import checkpoints
from course_lib.checkpoints import CHECKPOINT_DIR, CheckpointError, load_or_train
from course_lib.gans import make_dcgan, make_wgangp
from course_lib.vae import VAE

# the model checkpoints the notebooks load, with a builder of their architecture
MODELS = {
    "vae_mnist_20d": (lambda: VAE(latent_dim=20, hidden=400), None),
    "vae_mnist_2d": (lambda: VAE(latent_dim=2, hidden=256), None),
    "dcgan_mnist": (make_dcgan, lambda gan: gan.G),
    "wgangp_mnist": (make_wgangp, lambda gan: gan.G),
}


def _copy(tmp_path, name):
    for ext in (".pt", ".json"):
        shutil.copy(CHECKPOINT_DIR / f"{name}{ext}", tmp_path / f"{name}{ext}")
    return tmp_path


def _break_file(path, how):
    if how == "missing":
        path.unlink()
    elif how == "truncated":
        path.write_bytes(path.read_bytes()[: max(1, path.stat().st_size // 3)])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "flipped":
        b = bytearray(path.read_bytes())
        b[len(b) // 2] ^= 0xFF
        path.write_bytes(bytes(b))


@pytest.mark.parametrize("name", sorted(MODELS))
def test_shipped_checkpoint_loads(name):
    build, part = MODELS[name]
    calls = []
    model, meta = load_or_train(name, build, lambda m: calls.append(m), part=part, verbose=False)
    assert meta is not None and not calls, "the shipped checkpoint should load without training"


@pytest.mark.parametrize("name", sorted(MODELS))
@pytest.mark.parametrize("target,how", [(".pt", "missing"), (".pt", "truncated"), (".pt", "flipped"),
                                        (".json", "missing"), (".json", "truncated"), (".json", "empty")])
def test_broken_checkpoint_falls_back_to_live_training(tmp_path, capsys, name, target, how):
    build, part = MODELS[name]
    d = _copy(tmp_path, name)
    _break_file(d / f"{name}{target}", how)
    with pytest.raises(CheckpointError):
        checkpoints.load_state_dict(name, d)
    trained = []
    model, meta = load_or_train(name, build, lambda m: trained.append(m), part=part, directory=d)
    assert meta is None and len(trained) == 1 and trained[0] is model
    out = capsys.readouterr().out
    assert name in out and "training" in out and "live" in out


def test_manifest_without_hash_and_tampered_hash(tmp_path):
    d = _copy(tmp_path, "vae_mnist_2d")
    meta = json.loads((d / "vae_mnist_2d.json").read_text())
    meta.pop("sha256")
    (d / "vae_mnist_2d.json").write_text(json.dumps(meta))
    with pytest.raises(CheckpointError, match="sha256"):
        checkpoints.load_state_dict("vae_mnist_2d", d)
    meta["sha256"] = "0" * 64
    (d / "vae_mnist_2d.json").write_text(json.dumps(meta))
    with pytest.raises(CheckpointError, match="does not match"):
        checkpoints.load_state_dict("vae_mnist_2d", d)


def test_checkpoint_of_another_model_is_a_checkpoint_error():
    with pytest.raises(CheckpointError, match="does not fit VAE"):
        checkpoints.load_into(VAE(latent_dim=2, hidden=256), "vae_mnist_20d")
    trained = []
    model, meta = load_or_train("vae_mnist_20d", lambda: VAE(latent_dim=3, hidden=8), trained.append, verbose=False)
    assert meta is None and trained


@pytest.mark.parametrize("bad", ["../vae_mnist_2d", "/etc/passwd", "", ".hidden", None, 3])
def test_names_cannot_leave_the_checkpoint_folder(bad):
    with pytest.raises(CheckpointError, match="plain file stem"):
        checkpoints.manifest(bad)


def test_loaded_weights_equal_the_file():
    model, _ = load_or_train("vae_mnist_2d", lambda: VAE(latent_dim=2, hidden=256), lambda m: None, verbose=False)
    state = checkpoints.load_state_dict("vae_mnist_2d")
    for k, v in model.state_dict().items():
        assert torch.equal(v, state[k].to(v.dtype))
