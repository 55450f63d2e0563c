"""Notebooks are text-first: each py:percent file is paired with an output-free .ipynb, in sync."""
import json
import re
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"  # what students open: .ipynb only
SRC_DIR = ROOT / "notebook_sources"  # the jupytext py:percent sources (source of truth)
PLANNED = [
    "00_why_generative_models", "01_maximum_likelihood", "02_pca_and_autoencoders",
    "03_autoencoder_family", "04_variational_autoencoders", "05_gans", "06_wasserstein_gans",
    "07_diffusion_models", "08_autoregressive_and_masked_models", "09_evaluating_generative_models",
]
PY = sorted(SRC_DIR.glob("*.py"))
IPYNB = sorted(NB_DIR.glob("*.ipynb"))
SKELETON = ["Objectives", "Setup", "Summary", "Exercises", "References"]


def test_every_notebook_is_paired_and_planned():
    assert PY, "no notebooks found"
    assert [p.stem for p in PY] == [p.stem for p in IPYNB]
    for p in PY:
        assert p.stem in PLANNED, f"{p.name} is not in the planned sequence {PLANNED}"


def test_students_folder_holds_only_notebooks():
    # The first screen a student sees: notebooks, nothing paired or internal beside them.
    extra = sorted(p.name for p in NB_DIR.iterdir() if p.suffix != ".ipynb" and not p.name.startswith("."))
    assert not extra, f"notebooks/ should hold only .ipynb files, found {extra}"


@pytest.mark.parametrize("path", PY, ids=lambda p: p.name)
def test_pairing_metadata_points_across_folders(path):
    fmt = jupytext.read(path).metadata["jupytext"]["formats"]
    assert fmt == "notebooks///ipynb,notebook_sources///py:percent", f"{path.name}: formats {fmt!r}"


@pytest.mark.parametrize("path", IPYNB, ids=lambda p: p.name)
def test_ipynb_committed_without_outputs(path):
    nb = json.loads(path.read_text())
    dirty = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
             and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs; run `jupyter nbconvert --clear-output` or `make sync`"


@pytest.mark.parametrize("path", PY, ids=lambda p: p.name)
def test_pair_in_sync(path):
    py = jupytext.read(path)
    ipynb = jupytext.read(NB_DIR / f"{path.stem}.ipynb")
    a = [(c.cell_type, c.source.strip()) for c in py.cells]
    b = [(c.cell_type, c.source.strip()) for c in ipynb.cells]
    assert len(a) == len(b), f"{path.name}: {len(a)} cells in .py, {len(b)} in .ipynb; run `make sync`"
    for i, (ca, cb) in enumerate(zip(a, b)):
        assert ca == cb, f"{path.name}: cell {i} differs between .py and .ipynb; run `make sync`"


@pytest.mark.parametrize("path", PY, ids=lambda p: p.name)
def test_notebook_follows_the_skeleton(path):
    nb = jupytext.read(path)
    headings = [line for c in nb.cells if c.cell_type == "markdown" for line in c.source.splitlines()
                if line.startswith("## ")]
    pos = []
    for name in SKELETON:
        hits = [i for i, h in enumerate(headings) if name.lower() in h.lower()]
        assert hits, f"{path.name}: no '## {name}' section (skeleton: {SKELETON})"
        pos.append(hits[0])
    assert pos == sorted(pos), f"{path.name}: sections out of order: {headings}"
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert re.search(r"course_lib\.setup\(seed=\d+", code[0]), "the first code cell must call course_lib.setup(seed=...)"
