"""course_lib: the small, tested helper library behind the genmodels-course notebooks.

Importing it does nothing but define names: call :func:`course_lib.setup` in a
notebook's first cell to seed every generator and pick a device. Subpackages load on first access
(``course_lib.gans``, ``course_lib.vae``, ...), so ``import course_lib`` stays cheap; ``dir(course_lib)``
(tab completion) lists them all.

Shared foundations: ``training``, ``nn``, ``distributions``, ``data``, ``viz``, ``checkpoints``.
Families: ``likelihood`` (00-01), ``autoencoders`` (02-03), ``vae`` (04), ``gans`` (05-06),
``diffusion`` (07), ``autoregressive`` (01, 08), ``evaluation`` (05-09). Above them the ``zoo`` of shipped
models; on top: ``widgets``, ``exercises``.
"""
from __future__ import annotations

import importlib

from course_lib._setup import setup

__version__ = "0.1.0"
__all__ = ["setup", "__version__"]

#: what ``course_lib.<TAB>`` offers: the shared foundations, the families, and the layers on top
SUBMODULES = ("training", "nn", "distributions", "data", "viz", "checkpoints",
              "likelihood", "autoencoders", "vae", "gans", "diffusion", "autoregressive", "evaluation",
              "zoo", "widgets", "exercises")


def __dir__():
    return sorted([*__all__, *SUBMODULES])


def __getattr__(name: str):
    # Lazy submodules keep `import course_lib` cheap and side-effect free; only the listed ones load, so
    # no import hides here: each is the package of the same name in this folder.
    if name in SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'course_lib' has no attribute {name!r}")
