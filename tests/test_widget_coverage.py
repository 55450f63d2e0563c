"""Every widget a notebook shows has a latency benchmark case and a real-browser case."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Helpers, not widgets: the View base, the live-figure plumbing and gan_frames (the trainer's pictures,
# benchmarked and browser-tested through GANTrainerView).
HELPERS = {"__init__", "live", "base", "gan_frames"}
WIDGET_MODULES = sorted(p.stem for p in (ROOT / "course_lib" / "widgets").glob("*.py") if p.stem not in HELPERS)


def _notebooks_using(module: str):
    pattern = re.compile(rf"course_lib\.widgets\.{module}\b|from course_lib\.widgets import [^\n]*\b{module}\b"
                         rf"|course_lib\.widgets\.{module}")
    return [p for p in sorted((ROOT / "notebook_sources").glob("[0-9][0-9]_*.py")) if pattern.search(p.read_text())]


@pytest.mark.parametrize("module", WIDGET_MODULES)
def test_widget_module_is_benchmarked_and_browser_tested(module):
    users = _notebooks_using(module)
    assert users, f"course_lib/widgets/{module}.py is used by no notebook"
    bench = "\n".join(p.read_text() for p in (ROOT / "benchmarks").glob("widgets_ch*.py"))
    assert re.search(rf"\b{module}\b", bench), f"no benchmarks/widgets_chNN.py case imports widgets.{module}"
    for nb in users:
        nn = nb.stem[:2]
        browser = ROOT / "tests" / "browser" / f"test_browser_ch{nn}.py"
        assert browser.exists(), f"{nb.name} shows a {module} widget but {browser.name} does not exist"
        assert nb.stem in browser.read_text(), f"{browser.name} never opens {nb.stem}.ipynb"
