"""The shared load-or-record step and results table of notebooks 05 and 06."""
import numpy as np

from course_lib.gans import recordings
from course_lib.checkpoints import CheckpointError
from course_lib.gans import LOSS_LABELS, LOSSES


def test_shipped_recordings_load_and_tabulate():
    recorded = recordings.load_or_record_runs()
    table = recordings.coverage_table(recorded).splitlines()
    assert len(table) == 1 + 2 * len(LOSSES)
    for loss, row in zip(LOSSES, table[1:]):
        r = recorded["ring"][loss]
        modes, hq = r.finals()
        assert len(modes) >= 3, "every loss is recorded over at least 3 seeds"
        assert modes[0] == r.modes[-1]  # the replayed run is the first seed's
        assert row.startswith(LOSS_LABELS[loss]) and f"{modes.mean():.1f} ± {modes.std(ddof=1):4.1f} /8" in row
        assert ",".join(str(int(m)) for m in modes) in row
    assert all("/25" in row for row in table[1 + len(LOSSES):])


def test_seed_curves_round_trip(tmp_path):
    r = recordings.Recording("minimax", np.array([0, 10]), np.zeros((2, 3, 2), np.float32), np.array([1, 8]),
                             np.array([0.1, 0.9]), 8)
    r.seeds = {0: (np.array([1, 8]), np.array([0.1, 0.9])), 1: (np.array([2, 4]), np.array([0.2, 0.5]))}
    state = recordings.recordings_state({"ring": {"minimax": r}})
    assert state["ring/minimax/seed_modes"].tolist() == [[1, 8], [2, 4]]
    modes, hq = r.finals()
    assert modes.tolist() == [8, 4] and np.allclose(hq, [0.9, 0.5])
    table = recordings.coverage_table({"ring": {"minimax": r}}, data_names=("ring",), losses=("minimax",))
    assert "6.0 ±  2.8 /8" in table and "8,4" in table and "0.700 ± 0.283" in table


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
    assert "recording the runs live instead, seed 0 only" in capsys.readouterr().out
    assert sorted(recorded) == ["grid", "ring"] and sorted(recorded["ring"]) == sorted(LOSSES)
    assert {(n, s) for _, n, s in calls} == {(8, 7), (25, 7)}
    assert "8.0 ±  0.0 /8" in recordings.coverage_table(recorded)


def test_recording_settings_match_the_shipped_manifests():
    # the live fallback and notebook 05's replay of a seed use RECORDING_SETTINGS: they must be the recordings'
    from course_lib.checkpoints import manifest

    for dname, cfg in recordings.RECORDING_SETTINGS.items():
        shipped = manifest(f"gan2d_runs_{dname}")["config"]
        assert {k: shipped.get(k, "constant" if k == "schedule" else None) for k in cfg} == cfg, dname
        assert len(shipped["seeds"]) >= 3
