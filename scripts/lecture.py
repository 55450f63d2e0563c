"""Present a notebook live in a lecture: JupyterLab in lecture style, widgets live.

    make lecture NB=05          # or: python scripts/lecture.py 05  (a number or a file name)

Starts JupyterLab on ``notebooks/`` with
- ``COURSE_LIB_STYLE=lecture`` in the kernel's environment, so the notebook's own first cell
  ``course_lib.setup(seed=0)`` applies :mod:`course_lib.lecture` (text >= 18 px on 1280x720,
  widget figures scaled up, larger controls) -- the notebook file is not changed;
- its own settings folder ``.lecture/settings`` (your usual JupyterLab settings are untouched) with
  larger notebook text, every cell rendered (a widget scrolled away stays alive), and two shortcuts:
  **Alt+P** Presentation mode (hides the side bars, enlarges the notebook) and **Alt+S** the simple
  (single-document) interface.

Why not RISE: jupyterlab-rise 0.43.1 with this JupyterLab (4.6) and ipywidgets 8 shows a widget
cell's text repr instead of the widget ("Exception opening new comm" in the browser console);
tested in docs/lecture_mode.md. JupyterLab's own modes keep the widgets live.
Slides follow the notebook's ``## `` headings (see scripts/course_pages.py); in JupyterLab the same
headings are the table of contents and collapsible sections (Ctrl+Shift+K in the TOC panel).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from course_lib.lecture import ENV_VAR, write_lab_settings  # noqa: E402


def find_notebook(name: str) -> Path:
    """``05``, ``05_gans``, ``05_gans.ipynb`` or a path -> notebooks/05_gans.ipynb."""
    p = Path(name)
    if p.suffix == ".ipynb" and p.exists():
        return p.resolve()
    hits = sorted((ROOT / "notebooks").glob(f"{p.stem}*.ipynb"))
    if len(hits) != 1:
        raise SystemExit(f"lecture.py: notebook {name!r} matches {[h.name for h in hits] or 'nothing'} in notebooks/")
    return hits[0]


def lecture_env(settings: Path) -> dict:
    write_lab_settings(settings)
    return dict(os.environ, **{ENV_VAR: "lecture", "JUPYTERLAB_SETTINGS_DIR": str(settings),
                               "JUPYTERLAB_WORKSPACES_DIR": str(settings.parent / "workspaces")})


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebook", help="number (05), stem (05_gans) or path of the notebook to present")
    ap.add_argument("--port", type=int, default=8888)
    args = ap.parse_args(argv)
    nb = find_notebook(args.notebook)
    env = lecture_env(ROOT / ".lecture" / "settings")
    print(f"Presenting {nb.name}: press Alt+P for Presentation mode, Alt+S for the simple interface, "
          "Run > Run All Cells before the lecture.")
    cmd = [sys.executable, "-m", "jupyterlab", f"--port={args.port}", f"--ServerApp.root_dir={nb.parent}",
           f"--LabApp.default_url=/lab/tree/{nb.name}"]
    return subprocess.call(cmd, env=env, cwd=nb.parent)


if __name__ == "__main__":
    sys.exit(main())
