"""The drawings: valid XML, titled, escaped, deterministic, and sized for big graphs."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from beancan.conversations.svg import GraphNode, graph_svg, month_chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def nodes(count: int) -> list[GraphNode]:
    return [
        GraphNode(f"Person {i} <b>&", f"/conversations/p{i}/?a=1&b=2", count - i, i % 3, i % 2 == 0)
        for i in range(count)
    ]


@pytest.mark.parametrize("count", [0, 1, 9, 60, 300])
def test_graph_svg_parses_and_has_a_title_and_one_link_per_node(count):
    svg = graph_svg("Me <Author>", "/", nodes(count), title="Who Me talks with", description="d&d")
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == "Who Me talks with"
    assert root.find(f"{SVG}desc").text == "d&d"
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert links[0] == "/"
    assert links[1:] == [f"/conversations/p{i}/?a=1&b=2" for i in sorted(
        range(count), key=lambda i: (i % 2 != 0, i))]  # fmt: skip
    assert "<b>" not in svg


def test_graph_svg_is_the_same_bytes_every_time():
    assert graph_svg("Me", "/", nodes(40), title="t", description="d") == graph_svg(
        "Me", "/", nodes(40), title="t", description="d"
    )


def test_mutual_relationships_get_arrows_both_ways():
    svg = graph_svg("Me", "/", [GraphNode("A", "/a/", 2, 1, True)], title="t", description="d")
    root = ET.fromstring(svg)
    assert sorted(line.get("class") for line in root.iter(f"{SVG}line")) == ["bc-in", "bc-out"]


def test_month_chart_parses_and_labels_every_bar():
    months = [("2025-12", "Dec 2025", 1, 0), ("2026-01", "Jan 2026", 0, 2)]
    root = ET.fromstring(month_chart_svg(months, title="Per month", description="x", id_prefix="c"))
    assert root.find(f"{SVG}title").text == "Per month"
    tips = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g")]
    assert tips == ["Dec 2025: 1 from them, 0 from us", "Jan 2026: 0 from them, 2 from us"]


def _painted(element, parents, attribute):
    """The presentation attribute an element gets from itself or its nearest ancestor."""
    while element is not None:
        if element.get(attribute):
            return element.get(attribute)
        element = parents.get(element)
    return None


@pytest.mark.parametrize("drawing", ["graph", "chart"])
def test_drawings_keep_their_look_in_a_theme_without_beancans_stylesheet(drawing):
    """A theme that knows nothing of Beancan has no ``bc-*`` rules: shapes carry defaults.

    Without them SVG paints every shape solid black and every line not at all.
    """
    if drawing == "graph":
        svg = graph_svg("Me", "/", nodes(9), title="t", description="d")
    else:
        svg = month_chart_svg([("2026-01", "Jan", 3, 1), ("2026-02", "Feb", 0, 2)],
                              title="t", description="d", id_prefix="c")  # fmt: skip
    root = ET.fromstring(svg)
    parents = {child: parent for parent in root.iter() for child in parent}
    for shape in ("circle", "path", "rect"):
        for element in root.iter(f"{SVG}{shape}"):
            assert _painted(element, parents, "fill") not in (None, "#000", "black"), shape
    for element in root.iter(f"{SVG}line"):
        assert _painted(element, parents, "stroke"), "line"
    ring = [c for c in root.iter(f"{SVG}circle") if c.get("class") == "bc-ring"]
    assert all(c.get("fill") == "none" for c in ring)
