"""The shared load-or-record step and results table of notebooks 05 and 06."""
import numpy as np

from course_lib.gans import recordings
from course_lib.checkpoints import CheckpointError
from course_lib.gans import LOSSES


def test_shipped_recordings_load_and_tabulate():
    recorded = recordings.load_or_record_runs()
    table = recordings.coverage_table(recorded).splitlines()
    ring_keys = [k for k in LOSSES if k in recorded["ring"]] + [k for k in recorded["ring"] if k not in LOSSES]
    assert "nonsaturating+stable" in ring_keys   # R1 + EMA over the same seeds (05)
    grid_keys = [k for k in LOSSES if k in recorded["grid"]] + [k for k in recorded["grid"] if k not in LOSSES]
    assert "nonsaturating+stable" in grid_keys
    # header, the ring's losses, its two noise rows, the grid's losses, its square-noise row
    assert len(table) == 1 + len(ring_keys) + 2 + len(grid_keys) + 1
    # every row has the share-rule and reverse-KL columns (the final samples of every seed are kept)
    assert not any("—" in row for row in table)
    for key, row in zip(ring_keys, table[1:]):
        r = recorded["ring"][key]
        modes, hq = r.finals()
        assert len(modes) >= 5, "every loss is recorded over at least 5 seeds"
        assert modes[0] == r.modes[-1]  # the replayed run is the first seed's
        assert row.startswith(recordings.recorded_label(key)) and f"{modes.mean():4.1f} ± {modes.std(ddof=1):4.1f} /8" in row
        assert ",".join(str(int(m)) for m in modes) in row
        # the final samples of every seed are kept, and the table's share column is computed from them
        assert sorted(r.seed_samples) == sorted(r.seeds) and all(x.shape == (2500, 2) for x in r.seed_samples.values())
        _, c, sd = recordings.toy_mixture("ring")
        st = r.final_statistics(c, sd)
        assert [s.modes for s in st.values()] == modes.tolist()   # the same samples as the recorded curves
        share = np.array([s.modes_min_share for s in st.values()])
        assert f"{share.mean():.1f} ± {share.std(ddof=1):.1f}" in row
    assert table[1 + len(ring_keys)].startswith("no model: uniform on the circle")
    assert table[2 + len(ring_keys)].startswith("no model: uniform on the square")
    assert all("/25" in row for row in table[3 + len(ring_keys):])
    assert table[-1].startswith("no model: uniform on the square")


def test_seed_curves_round_trip(tmp_path):
    r = recordings.Recording("minimax", np.array([0, 10]), np.zeros((2, 3, 2), np.float32), np.array([1, 8]),
                             np.array([0.1, 0.9]), 8)
    r.seeds = {0: (np.array([1, 8]), np.array([0.1, 0.9])), 1: (np.array([2, 4]), np.array([0.2, 0.5]))}
    state = recordings.recordings_state({"ring": {"minimax": r}})
    assert state["ring/minimax/seed_modes"].tolist() == [[1, 8], [2, 4]]
    modes, hq = r.finals()
    assert modes.tolist() == [8, 4] and np.allclose(hq, [0.9, 0.5])
    table = recordings.coverage_table({"ring": {"minimax": r}}, data_names=("ring",), losses=("minimax",))
    assert "6.0 ±  2.8 /8" in table and "8,4" in table and "0.70 ± 0.28" in table
    assert "—" in table                      # no final samples kept: the share and reverse-KL columns are empty
    r.seed_samples = {0: np.tile(recordings.toy_mixture("ring")[1].numpy(), (10, 1)),   # even: 8 modes, KL 0
                      1: np.tile(recordings.toy_mixture("ring")[1][:1].numpy(), (80, 1))}  # collapsed: 1 mode
    state = recordings.recordings_state({"ring": {"minimax": r}})
    assert state["ring/minimax/seed_samples"].shape == (2, 80, 2)
    table = recordings.coverage_table({"ring": {"minimax": r}}, data_names=("ring",), losses=("minimax",))
    assert "4.5 ± 4.9" in table and f"{np.log(8) / 2:.2f} ± {np.log(8) / np.sqrt(2):.2f}" in table


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
    assert " 8.0 ±  0.0 /8" in recordings.coverage_table(recorded)


def test_recording_settings_match_the_shipped_manifests():
    # the live fallback and notebook 05's replay of a seed use RECORDING_SETTINGS: they must be the recordings'
    from course_lib.checkpoints import manifest

    for dname, cfg in recordings.RECORDING_SETTINGS.items():
        shipped = manifest(f"gan2d_runs_{dname}")["config"]
        assert {k: shipped.get(k, "constant" if k == "schedule" else None) for k in cfg} == cfg, dname
        assert len(shipped["seeds"]) >= 3


def test_shipped_long_recording():
    """05's longer runs: the non-saturating GAN, plain and with R1 + EMA, five seeds, final samples kept; the
    stable recipe puts most samples on the ring's modes on every seed, above every plain seed, and some plain
    seed drops a mode while most of its samples are high quality."""
    from course_lib.checkpoints import manifest

    runs = recordings.load_recordings("gan2d_long_ring")["ring"]
    assert sorted(runs) == ["nonsaturating", "nonsaturating+stable"]
    cfg = manifest("gan2d_long_ring")["config"]
    assert cfg["steps"] == 3000 and cfg["hidden"] == 64 and len(cfg["seeds"]) >= 5
    _, c, sd = recordings.toy_mixture("ring")
    plain, stable = (runs[k].final_statistics(c, sd) for k in ("nonsaturating", "nonsaturating+stable"))
    assert sorted(plain) == sorted(stable) == sorted(cfg["seeds"])
    assert min(s.high_quality for s in stable.values()) >= 0.8
    assert all(s.modes_min_share == 8 for s in stable.values())
    assert max(s.high_quality for s in plain.values()) < min(s.high_quality for s in stable.values())
    dropped = min(plain.values(), key=lambda s: s.modes)
    assert dropped.modes < 8 and dropped.high_quality >= 0.8    # a mode dropped, the rest sampled well
    # 06's WGAN-GP runs of the same settings and seeds, in a file of their own: every mode on every seed, fewer
    # samples on them than the plain non-saturating GAN on average
    gp = recordings.load_recordings("gan2d_long_ring_wgangp")["ring"]
    gp_cfg = manifest("gan2d_long_ring_wgangp")["config"]
    assert list(gp) == ["wgan-gp"] and all(gp_cfg[k] == cfg[k] for k in ("steps", "hidden", "schedule", "seeds"))
    gp_st = gp["wgan-gp"].final_statistics(c, sd)
    assert all(s.modes == 8 for s in gp_st.values())
    assert np.mean([s.high_quality for s in gp_st.values()]) < np.mean([s.high_quality for s in plain.values()])
