"""Write the README's per-notebook Colab and Binder links for the repository that hosts the course.

    python scripts/class_links.py OWNER/genmodels-course [--branch main]

Rewrites the block between ``<!-- BEGIN generated: class-links -->`` and ``<!-- END generated: class-links -->``
in README.md: one row per notebook with an "Open in Colab" badge and a Binder link (repo2docker builds the
image from environment.yml and opens the notebook in JupyterLab), and points the Colab install at the top of
every notebook's first code cell (``pip install ... git+https://github.com/OWNER/NAME@BRANCH``, in
``notebook_sources/*.py`` and the paired ``notebooks/*.ipynb``) at the same repository and branch.
Run it once after publishing the repository; tests/test_notebooks_format.py checks that both agree.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BADGE = "https://colab.research.google.com/assets/colab-badge.svg"


def table(repo: str, branch: str) -> str:
    rows = ["| notebook | Colab | Binder |", "|---|---|---|"]
    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        colab = f"https://colab.research.google.com/github/{repo}/blob/{branch}/notebooks/{nb.name}"
        binder = f"https://mybinder.org/v2/gh/{repo}/{branch}?labpath=notebooks/{nb.name}"
        rows.append(f"| `{nb.stem}` | [![Open in Colab]({BADGE})]({colab}) | [launch]({binder}) |")
    return "\n".join(rows)


INSTALL = re.compile(r'"git\+https://github\.com/[^@"]+@[^"]+"')


def point_installs(repo: str, branch: str) -> int:
    """Rewrite the Colab install URL in every notebook source and its paired .ipynb; returns files changed."""
    url = f'"git+https://github.com/{repo}@{branch}"'
    changed = 0
    for path in [*sorted((ROOT / "notebook_sources").glob("[0-9][0-9]_*.py")),
                 *sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")), README]:  # README quotes the block
        text = path.read_text()
        if path.suffix == ".ipynb":  # the URL sits inside a JSON string: quotes are escaped there
            new = re.sub(r'\\"git\+https://github\.com/[^@"\\]+@[^"\\]+\\"', lambda m: json.dumps(url)[1:-1], text)
        else:
            new = INSTALL.sub(url, text)
        if new != text:
            path.write_text(new)
            changed += 1
    return changed


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("repo", help="OWNER/NAME of the hosting repository")
    ap.add_argument("--branch", default="main")
    args = ap.parse_args(argv)
    if not re.fullmatch(r"[\w.<>-]+/[\w.-]+", args.repo):
        raise SystemExit(f"class_links.py: repo must look like OWNER/NAME, got {args.repo!r}")
    text = README.read_text()
    pattern = re.compile(r"(<!-- BEGIN generated: class-links -->\n).*?(<!-- END generated: class-links -->)", re.S)
    if not pattern.search(text):
        raise SystemExit("class_links.py: README.md has no class-links block")
    README.write_text(pattern.sub(lambda m: m.group(1) + table(args.repo, args.branch) + "\n" + m.group(2), text))
    n = point_installs(args.repo, args.branch)
    print(f"README.md: links for {args.repo}@{args.branch}; Colab install re-pointed in {n} notebook file(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
