"""The registry of shipped models (course_lib.zoo): one entry per checkpoint, each loads into what it builds."""
import pytest
import torch

from course_lib import zoo
from course_lib.checkpoints import CHECKPOINT_DIR, CheckpointError, manifest


def test_every_entry_has_its_checkpoint_from_its_script():
    for name, entry in zoo.SHIPPED.items():
        assert manifest(name)["script"] == entry.script, name
        assert (CHECKPOINT_DIR / f"{name}.pt").exists(), name


@pytest.mark.parametrize("name", ["vae_mnist_2d", "dcgan_mnist", "ar_made_digits"])
def test_load_gives_the_shipped_weights_in_eval_mode(name):
    model = zoo.load(name)
    assert not model.training
    fresh = zoo.build(name)
    part = zoo.SHIPPED[name].part
    loaded, untrained = (part(model), part(fresh)) if part else (model, fresh)
    # the loaded weights are the file's, not the fresh initialisation's
    assert any(not torch.equal(a, b) for a, b in zip(loaded.state_dict().values(), untrained.state_dict().values()))


def test_load_or_train_falls_back_to_the_recipe_or_the_given_function(tmp_path):
    trained = []
    model, meta = zoo.load_or_train("vae_mnist_2d", trained.append, directory=tmp_path, verbose=False)
    assert meta is None and len(trained) == 1 and trained[0] is not None
    model, meta = zoo.load_or_train("vae_mnist_2d", verbose=False)
    assert meta is not None and meta["sha256"]
    with pytest.raises(ValueError, match="has no recipe"):
        zoo.load_or_train("vae_mnist_2d", directory=tmp_path, verbose=False)
    with pytest.raises(TypeError, match="recipe arguments"):
        zoo.load_or_train("vae_mnist_2d", trained.append, steps=3)
    with pytest.raises(ValueError, match="zoo.build: name"):
        zoo.build("gpt-5")
    with pytest.raises(CheckpointError):
        zoo.load("vae_mnist_2d", directory=tmp_path)
