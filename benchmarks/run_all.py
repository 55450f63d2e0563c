"""Every benchmark of the course in one run (what `make benchmark` calls)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["widget_latency.py", "run_notebooks.py"]


def main() -> int:
    extra = sorted(p.name for p in HERE.glob("*.py")
                   if p.name not in SCRIPTS + ["run_all.py"] and not p.name.startswith("widgets_ch"))
    status = 0
    for name in SCRIPTS + extra:
        print(f"\n=== {name} ===", flush=True)
        status |= subprocess.call([sys.executable, str(HERE / name)])
    return status


if __name__ == "__main__":
    sys.exit(main())
