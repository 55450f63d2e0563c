"""course_lib: the small, tested helper library behind the genmodels-course notebooks.

Importing it does nothing but define names: call :func:`course_lib.setup` in a
notebook's first cell to seed every generator and pick a device.  Submodules
(``course_lib.data``, ``course_lib.viz``, ...) load on first access.
"""
from __future__ import annotations

import importlib

from course_lib._setup import setup

__version__ = "0.1.0"
__all__ = ["setup", "__version__"]



def __getattr__(name: str):
    # Lazy submodules keep `import course_lib` cheap and side-effect free.
    if not name.startswith("_"):
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module 'course_lib' has no attribute {name!r}")
