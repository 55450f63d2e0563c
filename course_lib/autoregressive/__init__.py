"""Autoregressive and masked models (notebooks 01 and 08).

| module | concept | notebook |
|---|---|---|
| ``fvsbn`` | fully visible sigmoid belief network, independent-pixel baseline | 01, 08 |
"""
from __future__ import annotations

from course_lib.autoregressive.fvsbn import FVSBN, IndependentBernoulli, all_binary_vectors

__all__ = [
    "FVSBN",
    "IndependentBernoulli",
    "all_binary_vectors",
]
