"""Evaluating generative models (notebooks 05, 06 and 09).

| module | concept | notebook |
|---|---|---|
| ``coverage`` | mode coverage and high-quality fraction; exact EMD between point clouds | 05, 06, 07 |
| ``optimal_transport`` | exact transport plans (assignment, network simplex), 1-D EMD | 06 |
"""
from __future__ import annotations

from course_lib.evaluation.coverage import emd, Coverage, mode_coverage
from course_lib.evaluation.optimal_transport import TransportPlan, SOLVERS, cost_matrix, transport_plan, emd_1d

__all__ = [
    "emd",
    "Coverage",
    "mode_coverage",
    "TransportPlan",
    "SOLVERS",
    "cost_matrix",
    "transport_plan",
    "emd_1d",
]
