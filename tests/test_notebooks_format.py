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


# Colab (README "Running the course for a class"): the first code cell installs the course there and nowhere else.
COLAB_GUARD = 'if "google.colab" in sys.modules:'


def colab_block(path: Path) -> str:
    """The lines of the first code cell before ``import course_lib``/``import math``: the Colab install."""
    first = next(c.source for c in jupytext.read(path).cells if c.cell_type == "code")
    head = first.split("\n\n", 1)[0]
    assert COLAB_GUARD in head, f"{path.name}: the first code cell must start with the Colab install block"
    return head


def test_colab_install_block_is_identical_in_every_notebook_and_matches_the_readme_links():
    blocks = {p.name: colab_block(p) for p in PY}
    assert len(set(blocks.values())) == 1, f"the Colab install block differs between notebooks: {blocks}"
    block = next(iter(blocks.values()))
    first = jupytext.read(PY[0]).cells
    assert [c for c in first if c.cell_type == "code"][0].source.index("import course_lib") > len(block), \
        "the Colab install must run before `import course_lib`"
    # the same repository and branch as the README's Colab badges (both written by scripts/class_links.py)
    repo, branch = re.search(r"git\+https://github\.com/([^@\"]+)@([^\"]+)\"", block).groups()
    readme = (ROOT / "README.md").read_text()
    badges = re.findall(r"colab\.research\.google\.com/github/([^/]+/[^/]+)/blob/([^/]+)/notebooks/(\w+)\.ipynb", readme)
    assert sorted({b[2] for b in badges}) == [p.stem for p in PY], "README: one Colab badge per notebook"
    assert {(b[0], b[1]) for b in badges} == {(repo, branch)}, f"README badges vs notebooks' install {repo}@{branch}"
    assert block in readme, "README's Colab section must quote the notebooks' install block as it is"


def _run_colab_block(monkeypatch, colab: bool) -> list:
    import subprocess
    import sys
    import types

    calls = []
    monkeypatch.setattr(subprocess, "check_call", lambda cmd, *a, **k: calls.append(cmd))
    if colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(colab_block(PY[0]), {})
    return calls


def test_colab_install_block_does_nothing_outside_colab(monkeypatch):
    assert _run_colab_block(monkeypatch, colab=False) == []


def test_colab_install_block_installs_the_course_without_touching_colabs_own_packages(monkeypatch):
    import sys

    (cmd,) = _run_colab_block(monkeypatch, colab=True)
    assert cmd[:4] == [sys.executable, "-m", "pip", "install"]
    # --no-deps: the course's own pins (ipykernel, jupyterlab, ipywidgets 8) would replace Colab's runtime
    # packages, which Colab warns can crash its runtime; what Colab lacks is named explicitly
    assert "--no-deps" in cmd and {"pot", "mlxtend"} <= set(cmd)
    assert any(a.startswith("git+https://github.com/") for a in cmd)
