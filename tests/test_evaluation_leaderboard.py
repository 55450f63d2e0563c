"""The notebook-09 leaderboard: reference rows behave, a bad model ranks last, the course's checkpoints load."""
import math

import numpy as np
import pytest
import torch

from course_lib.data import load_mnist
from course_lib.checkpoints import CheckpointError, manifest
from course_lib.evaluation import nearest_neighbour_ratio
from course_lib.zoo import (DIGITS_MODELS, MNIST_MODELS, course_samplers, format_leaderboard, leaderboard,
                            load_leaderboard, save_leaderboard)


@pytest.fixture(scope="module")
def mnist():
    torch.set_num_threads(1)
    return load_mnist()


def test_leaderboard_reference_rows_and_noise(mnist):
    noise = lambda n, generator: torch.rand(n, 1, 28, 28, generator=generator)  # noqa: E731
    rows = leaderboard({"noise": noise}, mnist.x_test[:400], mnist.x_train[:800], n=300, seeds=(0, 1),
                       progress=False)
    by = {r["model"]: r for r in rows}
    assert list(by) == ["real (floor)", "copy of training set", "noise"]
    assert by["real (floor)"]["fid_over_floor"] == 1.0
    assert by["copy of training set"]["nn_ratio"] < 1e-6  # exact copies (up to float rounding)
    assert 0.7 < by["real (floor)"]["nn_ratio"] < 1.3
    assert by["copy of training set"]["fid_over_floor"] < 1.5  # FID cannot see memorisation
    noise_row = by["noise"]
    assert noise_row["fid_over_floor"] > 10 and noise_row["is"] < 3
    # Noise images collapse onto one point of feature space that lies in a few real k-NN balls: precision
    # calls them realistic (a pathology notebook 09 shows), recall and coverage do not.
    assert noise_row["recall"] < 0.05 and noise_row["coverage"] < 0.05
    assert math.isnan(by["noise"]["nll"])
    assert "noise" in format_leaderboard(rows)
    with pytest.raises(TypeError, match="samplers must be a non-empty dict"):
        leaderboard({}, mnist.x_test, mnist.x_train)
    with pytest.raises(ValueError, match="needs real_train of at least 1200"):
        leaderboard({"noise": noise}, mnist.x_test, mnist.x_train[:800], n=600)


def test_course_samplers_load_checkpoints(mnist):
    found = course_samplers()
    assert {"VAE 20-d (04)", "VAE 2-d (04)", "DCGAN (05)"} <= set(found.samplers)
    # every model of the course is either loaded or skipped with a reason
    assert set(found.samplers) | set(found.skipped) == {name for name, _ in MNIST_MODELS}
    assert all(isinstance(r, str) and r for r in found.skipped.values())
    for name, s in found.samplers.items():
        a, b = s(5, torch.Generator().manual_seed(1)), s(5, torch.Generator().manual_seed(1))
        assert a.shape == (5, 1, 28, 28) and torch.equal(a, b), name  # reproducible given the generator
        assert 0 <= float(a.min()) and float(a.max()) <= 1
    nll = found.nlls["VAE 20-d (04)"](mnist.x_test[:50])
    assert 60 < nll < 150  # IWAE bound, nats per binarised image
    assert not set(found.nlls) & set(found.token_nlls)  # token and pixel likelihoods never share a column
    for name, f in found.token_nlls.items():  # 49 tokens of a 64-word codebook: between 0 and 49 ln 64
        assert 0 < f(mnist.x_test[:50]) < 49 * math.log(64), name
    with pytest.raises(ValueError, match="unknown model names"):
        course_samplers(["GPT-5"])


def test_save_and_load_leaderboard(tmp_path):
    rows = [{"model": "a", "fid": 1.5, "nll": float("nan")}]
    save_leaderboard("board", rows, {"n": 10}, directory=tmp_path)
    back = load_leaderboard("board", directory=tmp_path)
    assert back["n"] == 10 and back["rows"][0]["fid"] == 1.5 and math.isnan(back["rows"][0]["nll"])
    (tmp_path / "broken.json").write_text("{")
    with pytest.raises(CheckpointError, match="scripts/leaderboard.py"):
        load_leaderboard("broken", directory=tmp_path)
    with pytest.raises(CheckpointError, match="cannot read"):
        load_leaderboard("missing", directory=tmp_path)


@pytest.mark.parametrize("name, n", [("leaderboard_mnist", 1000), ("leaderboard_digits", 400)])
def test_shipped_leaderboard_is_fresh(name, n):
    """The saved board was computed from the checkpoints shipped now (rerun scripts/leaderboard.py if not)."""
    saved = load_leaderboard(name)
    for ck, sha in saved["checkpoints"].items():
        assert manifest(ck)["sha256"] == sha, f"{ck} changed since the leaderboard was saved"
    assert [r["model"] for r in saved["rows"][:2]] == ["real (floor)", "copy of training set"]
    assert saved["n"] == n and len(saved["seeds"]) == 3
    models = dict(MNIST_MODELS if saved["kind"] == "mnist" else DIGITS_MODELS)
    # every model of the course is on the board or listed as skipped with its reason
    assert {r["model"] for r in saved["rows"][2:]} | set(saved["skipped"]) == set(models)


def test_nearest_neighbour_ratio():
    rng = np.random.default_rng(0)
    train, held = rng.random((200, 16)), rng.random((50, 16))
    assert nearest_neighbour_ratio(train[:30], train, held) < 1e-6
    assert 0.8 < nearest_neighbour_ratio(rng.random((50, 16)), train, held) < 1.25


def test_leaderboard_on_digits_for_other_notebooks():
    """Notebooks 07/08 score 8x8 models: the same function with kind="digits"."""
    torch.set_num_threads(1)
    from course_lib.data import load_digits

    d = load_digits()
    blur = lambda n, generator: torch.nn.functional.avg_pool2d(  # noqa: E731
        d.x_test[torch.randperm(len(d.x_test), generator=generator)[:n]], 3, stride=1, padding=1)
    rows = leaderboard({"blurred test digits": blur}, d.x_test, d.x_train, n=300, seeds=(0,), kind="digits",
                       include_copy=False, progress=False)
    assert [r["model"] for r in rows] == ["real (floor)", "blurred test digits"]
    assert rows[1]["fid_over_floor"] > 3 and rows[1]["fid_std"] == 0.0


def test_course_samplers_digits():
    """08's binary 8x8 models: (n, 1, 8, 8) binary samples, exact NLLs per binarised image."""
    from course_lib.autoregressive._common import binary_digits

    torch.set_num_threads(1)
    found = course_samplers(kind="digits")
    assert set(found.samplers) | set(found.skipped) == {name for name, _ in DIGITS_MODELS}
    assert {"MADE (08)", "PixelCNN (08)", "transformer (08)"} <= set(found.nlls)
    for name, s in found.samplers.items():
        a = s(4, torch.Generator().manual_seed(1))
        assert a.shape == (4, 1, 8, 8) and set(a.unique().tolist()) <= {0.0, 1.0}, name
        assert torch.equal(a, s(4, torch.Generator().manual_seed(1))), name
    x_test = binary_digits()["x_test"][:100]
    for name, f in found.nlls.items():  # below the 64 ln 2 = 44.4 nats of a fair coin per pixel
        assert 5 < f(x_test) < 64 * math.log(2), name
    with pytest.raises(ValueError, match="kind"):
        course_samplers(kind="cifar")
