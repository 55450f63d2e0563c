import pytest
import torch
from torch import nn

import course_lib
from course_lib.checkpoints import CheckpointError, load_state_dict, save_checkpoint
from course_lib.exercises import check


def test_checkpoint_roundtrip_and_corruption(tmp_path):
    net = nn.Linear(3, 2)
    save_checkpoint("tiny", net.state_dict(), {"script": "scripts/x.py"}, directory=tmp_path)
    sd = load_state_dict("tiny", directory=tmp_path)
    other = nn.Linear(3, 2)
    other.load_state_dict(sd)
    assert torch.equal(other.weight, net.weight)
    (tmp_path / "tiny.pt").write_bytes(b"garbage")
    with pytest.raises(CheckpointError, match="does not match the manifest.*scripts/x.py"):
        load_state_dict("tiny", directory=tmp_path)
    (tmp_path / "tiny.pt").unlink()
    with pytest.raises(CheckpointError, match="is missing"):
        load_state_dict("tiny", directory=tmp_path)
    with pytest.raises(CheckpointError, match="no manifest"):
        load_state_dict("nothing", directory=tmp_path)


def test_checkpoint_refuses_pickled_code(tmp_path):
    import json
    import pickle

    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    path = tmp_path / "evil.pt"
    torch.save({"w": Evil()}, path, pickle_module=pickle)
    from course_lib.checkpoints import sha256_of

    (tmp_path / "evil.json").write_text(json.dumps({"sha256": sha256_of(path)}))
    with pytest.raises(CheckpointError, match="could not be loaded safely"):
        load_state_dict("evil", directory=tmp_path)


def test_check_feedback(capsys):
    assert check(..., lambda a: a == 1, "hint") is None
    assert check(1, lambda a: a == 1, "hint") is True
    assert check(2, lambda a: a == 1, "think again") is False
    assert check("x", lambda a: a + 1, "types") is False
    out = capsys.readouterr().out
    assert "not answered" in out and "correct" in out and "think again" in out and "TypeError" in out


def test_lazy_unknown_module_is_attribute_error():
    with pytest.raises(AttributeError):
        course_lib.definitely_missing


def test_quality_curve_walks_the_resumed_runs_oldest_first():
    from course_lib.checkpoints import quality_curve

    oldest = {"config": {"steps": 100}}                                     # no curve: its steps only
    middle = {"config": {"steps": 50}, "resumed_from": oldest,
              "curve": [{"step": 25, "fid_over_floor": 4.0}, {"step": 50, "fid_over_floor": 3.0, "n": 500}]}
    newest = {"config": {"steps": 40}, "resumed_from": middle,
              "curve": [{"step": 40, "fid_over_floor": 2.5, "fid_over_floor_ema": 2.0}]}
    assert quality_curve(newest) == [(125, 4.0), (150, 3.0), (190, 2.5)]
    assert quality_curve(newest, "fid_over_floor_ema") == [(190, 2.0)]
    assert quality_curve(oldest) == []
    with pytest.raises(TypeError, match="quality_curve: meta must be a manifest dict"):
        quality_curve("dcgan_mnist")
    with pytest.raises(ValueError, match="key 'fid_over_flor' is in no point"):   # a typo is not "no curve"
        quality_curve(newest, "fid_over_flor")


def test_curve_trend_reads_the_last_two_points():
    from course_lib.checkpoints import curve_trend

    assert curve_trend([(1, 10.0), (2, 8.0), (3, 7.0)]) == "falling"        # −12.5 %
    assert curve_trend([(1, 10.0), (2, 7.0), (3, 7.2)]) == "flat"           # +2.9 %
    assert curve_trend([(1, 7.0), (2, 8.0)]) == "rising"
    assert curve_trend([(1, 7.0), (2, 6.8)], tol=0.01) == "falling"
    assert curve_trend([(1, 7.0)]) == "no curve" == curve_trend([])
    with pytest.raises(ValueError, match="curve_trend: tol must be"):
        curve_trend([(1, 7.0), (2, 6.8)], tol=5)
