"""The shared load-or-record step and results table of notebooks 05 and 06."""
import numpy as np

from course_lib.gans import recordings
from course_lib.checkpoints import CheckpointError
from course_lib.gans import LOSS_LABELS, LOSSES


def test_shipped_recordings_load_and_tabulate():
    recorded = recordings.load_or_record_runs()
    table = recordings.coverage_table(recorded).splitlines()
    assert len(table) == 1 + len(LOSSES)
    for loss, row in zip(LOSSES, table[1:]):
        r = recorded["ring"][loss]
        assert row.startswith(LOSS_LABELS[loss]) and f"{r.modes[-1]}/8" in row and "/25" in row


def test_missing_recordings_fall_back_to_recording_live(monkeypatch, capsys):
    def missing():
        raise CheckpointError("checkpoint 'gan2d_runs_ring': file is missing")

    calls = []

    def fake_record(loss, fn, c, sd, **kw):  # the real recording takes minutes; here we check the wiring
        calls.append((loss, len(c), kw["steps"]))
        return recordings.Recording(loss, np.array([kw["steps"]]), np.zeros((1, 2, 2)), np.array([len(c)]),
                             np.array([1.0]), len(c), 0.0)

    monkeypatch.setattr(recordings, "load_recordings", missing)
    monkeypatch.setattr(recordings, "record_run", fake_record)
    recorded = recordings.load_or_record_runs(steps=7)
    assert "recording the runs live" in capsys.readouterr().out
    assert sorted(recorded) == ["grid", "ring"] and sorted(recorded["ring"]) == sorted(LOSSES)
    assert {(n, s) for _, n, s in calls} == {(8, 7), (25, 7)}
    assert "8/8" in recordings.coverage_table(recorded)
