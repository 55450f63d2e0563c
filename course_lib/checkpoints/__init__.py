"""Checkpoints trained by the project's own scripts (``scripts/train_*.py``) and shipped in the package.

Each ``NAME.pt`` (a ``state_dict``) comes with ``NAME.json``: its sha256, the script and settings
that produced it, and the metrics it reached. :func:`load_state_dict` checks the hash and loads
with ``weights_only=True``; anything wrong raises :class:`CheckpointError` with a clear message so a
notebook can say so and fall back to training live.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import torch

__all__ = ["CHECKPOINT_DIR", "CheckpointError", "sha256_of", "load_state_dict", "save_checkpoint", "manifest"]

CHECKPOINT_DIR = Path(__file__).resolve().parent


class CheckpointError(RuntimeError):
    """A shipped checkpoint is missing, corrupted or does not fit the model."""


def sha256_of(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def manifest(name: str, directory: str | Path = CHECKPOINT_DIR) -> dict:
    path = Path(directory) / f"{name}.json"
    if not path.exists():
        raise CheckpointError(f"checkpoint {name!r}: no manifest {path}; "
                              f"retrain it with the script named in the course (scripts/train_*.py)")
    return json.loads(path.read_text())


def load_state_dict(name: str, directory: str | Path = CHECKPOINT_DIR, map_location="cpu") -> dict:
    """Hash-checked, ``weights_only=True`` load of ``directory/NAME.pt``."""
    meta = manifest(name, directory)
    path = Path(directory) / f"{name}.pt"
    if not path.exists():
        raise CheckpointError(f"checkpoint {name!r}: file {path} is missing; retrain it with "
                              f"`python {meta.get('script', 'scripts/train_*.py')}`")
    digest = sha256_of(path)
    if digest != meta["sha256"]:
        raise CheckpointError(f"checkpoint {name!r}: sha256 {digest[:12]}… does not match the manifest "
                              f"({meta['sha256'][:12]}…): the file is corrupted or was replaced; retrain it with "
                              f"`python {meta.get('script', 'scripts/train_*.py')}`")
    try:
        return torch.load(path, map_location=map_location, weights_only=True)
    except Exception as err:
        raise CheckpointError(f"checkpoint {name!r}: could not be loaded safely ({err})") from None


def save_checkpoint(name: str, state_dict: dict, info: dict, directory: str | Path = CHECKPOINT_DIR) -> Path:
    """Write ``NAME.pt`` and its manifest ``NAME.json`` (sha256 + ``info``: script, config, metrics)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.pt"
    torch.save({k: v.detach().cpu().contiguous() for k, v in state_dict.items()}, path)
    meta = {"name": name, "sha256": sha256_of(path), "bytes": path.stat().st_size, **info}
    (directory / f"{name}.json").write_text(json.dumps(meta, indent=2) + "\n")
    return path
