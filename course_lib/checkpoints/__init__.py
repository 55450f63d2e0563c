"""Checkpoints trained by the project's own scripts (``scripts/train_*.py``) and shipped in the package.

Each ``NAME.pt`` (a ``state_dict``) comes with ``NAME.json``: its sha256, the script and settings
that produced it, and the metrics it reached. :func:`load_state_dict` checks the hash and loads
with ``weights_only=True``; anything wrong raises :class:`CheckpointError` with a clear message so a
notebook can say so and fall back to training live.
"""
from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from pathlib import Path

import torch
from torch import nn

__all__ = ["CHECKPOINT_DIR", "CheckpointError", "sha256_of", "load_state_dict", "load_into", "load_or_train",
           "save_checkpoint", "manifest", "quality_curve", "curve_trend"]

CHECKPOINT_DIR = Path(__file__).resolve().parent


class CheckpointError(RuntimeError):
    """A shipped checkpoint is missing, corrupted or does not fit the model."""


def sha256_of(path: str | Path) -> str:
    """The SHA-256 hex digest of the file ``path`` (a CheckpointError if it is missing or not a file)."""
    if not isinstance(path, (str, Path)):
        raise TypeError(f"sha256_of: path must be a str or pathlib.Path, got {type(path).__name__}")
    if not Path(path).is_file():
        what = "is a directory" if Path(path).is_dir() else "does not exist"
        raise CheckpointError(f"sha256_of: path {str(path)!r} {what}; a checkpoint is one .pt file")
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _checked_name(name) -> str:
    # A checkpoint is named, never addressed by path: "../x" must not read outside the folder.
    if not isinstance(name, str) or not name or "/" in name or "\\" in name or name.startswith("."):
        raise CheckpointError(f"checkpoint name must be a plain file stem like 'vae_mnist_20d', got {name!r}")
    return name


def _rebuild_hint(meta: dict | None) -> str:
    script = (meta or {}).get("script") if isinstance(meta, dict) else None
    return f"rebuild it with `python {script}`" if script else "rebuild it with its script in scripts/ (train_*.py)"


def manifest(name: str, directory: str | Path = CHECKPOINT_DIR) -> dict:
    """The manifest ``NAME.json`` as a dict; any missing, truncated or malformed file is a CheckpointError."""
    name = _checked_name(name)
    path = Path(directory) / f"{name}.json"
    if not path.exists():
        raise CheckpointError(f"checkpoint {name!r}: no manifest {path}; {_rebuild_hint(None)}")
    try:
        meta = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError) as err:
        raise CheckpointError(f"checkpoint {name!r}: manifest {path} is not valid JSON ({err}); "
                              f"{_rebuild_hint(None)}") from None
    if not isinstance(meta, dict) or not isinstance(meta.get("sha256"), str):
        raise CheckpointError(f"checkpoint {name!r}: manifest {path} has no 'sha256' entry; {_rebuild_hint(meta)}")
    return meta


def quality_curve(meta: dict, key: str = "fid_over_floor") -> list[tuple[int, float]]:
    """The validation curve a training script saved with a checkpoint, over all its resumed runs:
    [(total steps, value of ``key``), …] in order of training.

    ``meta`` is a manifest (:func:`manifest`); a run continued with ``--resume`` keeps the one before under
    "resumed_from", whose steps come first. Runs that recorded no curve add their steps only."""
    if not isinstance(meta, dict):
        raise TypeError(f"quality_curve: meta must be a manifest dict (checkpoints.manifest(name)), "
                        f"got {type(meta).__name__}")
    if not isinstance(key, str):
        raise TypeError(f"quality_curve: key must be the name of a curve value (a string), got {key!r}")
    runs = [meta]
    while isinstance(runs[-1].get("resumed_from"), dict):
        runs.append(runs[-1]["resumed_from"])
    points, offset, seen = [], 0, set()
    for run in reversed(runs):   # oldest first
        for point in run.get("curve") or ():
            if isinstance(point, dict):
                seen |= set(point) - {"step"}
                if point.get(key) is not None:
                    points.append((offset + int(point["step"]), float(point[key])))
        offset += int(run.get("config", {}).get("steps", 0))
    if seen and not points:   # a typo would otherwise read as "no curve"
        raise ValueError(f"quality_curve: key {key!r} is in no point of the curve; its keys are {sorted(seen)}")
    return points


def curve_trend(points, *, tol: float = 0.05) -> str:
    """Where a validation curve (lower is better) was going when training stopped: "falling" when its last
    point is more than ``tol`` (relative) below the one before, "rising" when more than ``tol`` above it,
    "flat" in between; "no curve" with fewer than two points. A falling curve says the budget ended training,
    a flat one that more steps at this size would not help (capacity)."""
    if not isinstance(points, (list, tuple)):
        raise TypeError(f"curve_trend: points must be a list of (step, value) pairs (quality_curve's result), "
                        f"got {type(points).__name__}")
    pts = list(points)
    if not all(isinstance(p, (list, tuple)) and len(p) == 2 and all(isinstance(v, (int, float)) for v in p)
               and all(math.isfinite(v) for v in p) for p in pts):
        raise ValueError("curve_trend: points must be (step, value) pairs of finite numbers")
    if isinstance(tol, bool) or not (isinstance(tol, (int, float)) and 0 <= tol < 1):
        raise ValueError(f"curve_trend: tol must be a relative tolerance in [0, 1), got {tol!r}")
    if len(pts) < 2:
        return "no curve"
    (_, before), (_, last) = pts[-2], pts[-1]
    change = (last - before) / abs(before)
    return "falling" if change < -tol else "rising" if change > tol else "flat"


def load_state_dict(name: str, directory: str | Path = CHECKPOINT_DIR, map_location="cpu") -> dict:
    """Hash-checked, ``weights_only=True`` load of ``directory/NAME.pt``."""
    meta = manifest(name, directory)
    path = Path(directory) / f"{name}.pt"
    if not path.is_file():  # missing, or a directory of that name: either way no weights to read
        what = "is a directory, not a file" if path.is_dir() else "is missing"
        raise CheckpointError(f"checkpoint {name!r}: {path} {what}; {_rebuild_hint(meta)}")
    digest = sha256_of(path)
    if digest != meta["sha256"]:
        raise CheckpointError(f"checkpoint {name!r}: sha256 {digest[:12]}… of {path} does not match the manifest "
                              f"({meta['sha256'][:12]}…): the file is corrupted or was replaced; {_rebuild_hint(meta)}")
    try:
        return torch.load(path, map_location=map_location, weights_only=True)
    except Exception as err:
        raise CheckpointError(f"checkpoint {name!r}: {path} could not be loaded safely ({err}); "
                              f"{_rebuild_hint(meta)}") from None


def load_into(model: nn.Module, name: str, directory: str | Path = CHECKPOINT_DIR) -> dict:
    """Load checkpoint ``name`` into ``model`` (hash-checked); returns the manifest.

    A checkpoint of another model (missing/unexpected keys, other shapes) is a CheckpointError too.
    """
    state = load_state_dict(name, directory)
    meta = manifest(name, directory)
    try:
        model.load_state_dict(state)
    except RuntimeError as err:
        first = str(err).splitlines()[0]
        raise CheckpointError(f"checkpoint {name!r} does not fit {type(model).__name__} ({first}); "
                              f"{_rebuild_hint(meta)}") from None
    return meta


def load_or_train(name: str, build: Callable[[], nn.Module], train: Callable[[nn.Module], object], *,
                  part: Callable[[nn.Module], nn.Module] | None = None,
                  directory: str | Path = CHECKPOINT_DIR, verbose: bool = True) -> tuple[nn.Module, dict | None]:
    """The shipped weights of ``name`` when they load, else a model trained live, saying why.

    Args:
        build: ``build()`` returns a fresh model of the checkpoint's architecture.
        train: ``train(model)`` trains a fresh model live (the fallback; keep it short).
        part: which sub-module the checkpoint holds (e.g. ``lambda gan: gan.G``); default the whole model.

    Returns:
        ``(model, manifest)`` in eval mode; ``manifest`` is None when the model was trained live.
    """
    model = build()
    try:
        meta = load_into(part(model) if part is not None else model, name, directory)
        if verbose:
            print(f"{name}: loaded the shipped checkpoint (sha256 {meta['sha256'][:12]}…, from {meta.get('script', '?')})")
        return model.eval(), meta
    except CheckpointError as err:
        if verbose:
            print(f"⚠ {err}\n→ training {name} live instead (a shorter run than the script's)")
        model = build()
        train(model)
        return model.eval(), None


def save_checkpoint(name: str, state_dict: dict, info: dict, directory: str | Path = CHECKPOINT_DIR) -> Path:
    """Write ``NAME.pt`` and its manifest ``NAME.json`` (sha256 + ``info``: script, config, metrics)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.pt"
    torch.save({k: v.detach().cpu().contiguous() for k, v in state_dict.items()}, path)
    meta = {"name": name, "sha256": sha256_of(path), "bytes": path.stat().st_size, **info}
    (directory / f"{name}.json").write_text(json.dumps(meta, indent=2) + "\n")
    return path
