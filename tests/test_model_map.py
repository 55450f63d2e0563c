"""The course map of notebook 00 points at notebooks that are planned, and draws every family."""
import re

import matplotlib.pyplot as plt

from course_lib.likelihood import EDGES, FAMILIES, NODES, draw_model_map

PLANNED_NUMBERS = {f"{i:02d}" for i in range(10)}  # tests/test_notebooks_format.py plans notebooks 00..09


def test_map_references_planned_notebooks():
    planned = PLANNED_NUMBERS
    refs = set()
    for _, _, text, _ in NODES.values():
        refs |= set(re.findall(r"\d\d", text.split("[")[-1]))
    for row in FAMILIES:
        refs |= set(re.findall(r"\d\d", row[3]))
    assert refs and refs <= planned
    assert planned - {"00"} <= refs  # every later notebook appears somewhere on the map
    assert all(a in NODES and b in NODES for a, b in EDGES)


def test_draw_model_map_draws_one_box_per_node():
    fig, ax = plt.subplots()
    boxes = draw_model_map(ax)
    assert len(boxes) == len(NODES)
    assert {b.get_text() for b in boxes} == {n[2] for n in NODES.values()}
    plt.close(fig)
