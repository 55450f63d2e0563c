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


def test_map_boxes_do_not_overlap_at_the_narrowest_output_area():
    # the notebook shows the map at viz.MAX_FIGURE_PX (840 px) wide with the course's fonts: the boxes are
    # measured there, so no label hides another (a 15-inch map re-laid out at 840 px did, before)
    from course_lib import viz

    with plt.rc_context(viz.COURSE_STYLE):
        fig, ax = plt.subplots(figsize=(viz.MAX_FIGURE_PX / 90, 6.2), dpi=90)
        boxes = draw_model_map(ax)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        extents = [b.get_bbox_patch().get_window_extent(renderer) for b in boxes]
        inside = ax.get_window_extent(renderer).expanded(1.05, 1.05)
        plt.close(fig)
    clashes = [(boxes[i].get_text(), boxes[j].get_text()) for i in range(len(boxes))
               for j in range(i + 1, len(boxes)) if extents[i].overlaps(extents[j])]
    assert not clashes, f"overlapping boxes: {clashes}"
    assert all(inside.contains(e.x0, e.y0) and inside.contains(e.x1, e.y1) for e in extents), "a box leaves the axes"
