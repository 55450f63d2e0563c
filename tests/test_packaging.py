"""The project's own files agree with each other: pyproject ⇔ environment.yml, Makefile ⇔ README ⇔ CI."""
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _norm(req: str) -> str:
    name, spec = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", req).groups()
    return re.sub(r"[-_.]+", "-", name).lower() + spec.replace(" ", "")


def _env_pip_requirements():
    lines = (ROOT / "environment.yml").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "- pip:")
    reqs = []
    for line in lines[start + 1:]:
        m = re.match(r"^\s{6,}-\s+(.*)$", line)
        if not m:
            break
        reqs.append(m.group(1).strip())
    return reqs


def test_environment_yml_lists_the_pyproject_dependencies():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_norm(r) for r in meta["dependencies"] + meta["optional-dependencies"]["dev"]}
    env = _env_pip_requirements()
    assert "-e ." in env, "environment.yml must install course_lib itself (- -e .)"
    listed = {_norm(r) for r in env if not r.startswith("-")}
    assert listed == wanted, f"only in pyproject: {wanted - listed}; only in environment.yml: {listed - wanted}"


def test_required_stack_is_declared():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {re.split(r"[<>=!~ \[]", r)[0].lower() for r in meta["dependencies"] + meta["optional-dependencies"]["dev"]}
    assert {"jupyterlab", "torch", "torchvision", "matplotlib", "ipywidgets", "nbval", "jupytext"} <= names


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    quick = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^(make \w+)$", quick, flags=re.M)
    assert commands == ["make lab", "make test"], commands
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, flags=re.M)
    assert "set -euo pipefail" in ci
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\ntest: ", 1)[1].split("\n\n", 1)[0]
    assert "$(BIN)/python -m pytest -n $(JOBS)" in recipe
    # the notebooks run with kernels that round unlike the recording's (README, "Tolerance policy")
    assert 'export COURSE_KERNEL_CPU="$$($(BIN)/python scripts/test_cpu_capability.py)"' in recipe
