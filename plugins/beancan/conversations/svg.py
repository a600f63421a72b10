"""The drawings, as inline SVG strings built at build time. Pure and deterministic.

* ``graph_svg``: our author in the centre, people on concentric rings:
  mutual relationships on the inner rings, one-way ones outside them, each
  ring in rank order clockwise from the top. Nodes are sized by volume,
  edges are directed (arrow per direction) and as wide as their count.
* ``month_chart_svg``: exchanges per month, theirs above the line, ours below.

Coordinates are rounded to one decimal so the same graph is the same bytes.
Colours come from the theme's stylesheet (classes ``bc-*``), so dark mode
works and the SVG stays small. A theme that knows nothing of Beancan has no
such rules, so the shapes also carry neutral presentation attributes (any
stylesheet rule overrides them): without them the rings, nodes and arrows
fall back to solid black and the edges to no stroke at all.

Drawn here, not in a template: the markup is geometry computed point by point,
which a template would only obscure. Every text and attribute value goes
through ``markupsafe.escape``, the same function as Jinja's autoescape, so
the pages have one escaping rule.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import escape

from ..avatar_files import initials

__all__ = ["GraphNode", "graph_svg", "month_chart_svg"]

RING_FIRST = 110.0
RING_GAP = 75.0
NODE_SPACING = 40.0
LABEL_ROOM = 95.0
#: labels are short (a first name) so the drawing stays legible at phone width.
LABEL_CHARS = 12
CENTRE_RADIUS = 26.0
MIN_NODE, MAX_NODE = 5.0, 16.0
MIN_EDGE, MAX_EDGE = 1.0, 6.0
#: only the strongest get a name beside them; everyone has a tooltip and the table.
LABELLED = 16


@dataclass(frozen=True, slots=True)
class GraphNode:
    name: str
    href: str
    count_in: int
    count_out: int
    mutual: bool

    @property
    def volume(self) -> int:
        return self.count_in + self.count_out


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _attr(value: str) -> str:
    return str(escape(value))


def _rings(count_mutual: int, count_other: int) -> list[tuple[int, float, int]]:
    """(ring index, radius, capacity) for each ring used, mutual ones first."""
    rings = []
    index = 0
    for count in (count_mutual, count_other):
        while count > 0:
            radius = RING_FIRST + index * RING_GAP
            capacity = max(6, int(2 * math.pi * radius // NODE_SPACING))
            used = min(count, capacity)
            rings.append((index, radius, used))
            count -= used
            index += 1
    return rings


def graph_svg(
    me_name: str,
    me_href: str,
    nodes: Sequence[GraphNode],
    *,
    title: str,
    description: str,
    id_prefix: str = "bc-graph",
) -> str:
    """The relationship graph; ``nodes`` are ranked, strongest first."""
    mutual = [n for n in nodes if n.mutual]
    other = [n for n in nodes if not n.mutual]
    rings = _rings(len(mutual), len(other))
    outer = rings[-1][1] if rings else RING_FIRST / 2
    half = outer + LABEL_ROOM
    size = 2 * half
    max_volume = max((n.volume for n in nodes), default=1) or 1
    max_count = max((max(n.count_in, n.count_out) for n in nodes), default=1) or 1
    placed: list[tuple[GraphNode, float, float, float, int]] = []
    queue = [*mutual, *other]
    rank = {id(n): i for i, n in enumerate(nodes)}
    for ring, radius, used in rings:
        offset = 0.5 if ring % 2 else 0.0  # stagger rings so spokes do not line up
        for slot in range(used):
            node = queue.pop(0)
            angle = -math.pi / 2 + 2 * math.pi * (slot + offset) / used
            placed.append((node, radius * math.cos(angle), radius * math.sin(angle), angle,
                           rank[id(node)]))  # fmt: skip
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bc-graph" '
        f'viewBox="{_n(-half)} {_n(-half)} {_n(size)} {_n(size)}" '
        # A group, not an image: WAI-ARIA 1.2 makes the children of role="img"
        # presentational, which hides every node link (axe: nested-interactive).
        f'role="group" aria-labelledby="{id_prefix}-title" '
        f'aria-describedby="{id_prefix}-desc">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>',
        "<defs>"
        f'<marker id="{id_prefix}-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="5" markerHeight="5" orient="auto-start-reverse">'
        '<path d="M0 0L10 5L0 10z" class="bc-arrow" fill="#767676"/></marker></defs>',
    ]
    if mutual and other:
        boundary = rings[len(_rings(len(mutual), 0)) - 1][1] + RING_GAP / 2
        parts.append(f'<circle r="{_n(boundary)}" class="bc-ring" fill="none" stroke="#ccc"/>')
    parts.append('<g class="bc-edges" stroke="#999">')
    for node, x, y, _, _ in placed:
        parts.extend(_edges(node, x, y, max_count, max_volume, id_prefix))
    parts.append("</g>")
    parts.append('<g class="bc-nodes" fill="#767676">')
    parts.append(
        f'<a href="{_attr(me_href)}" class="bc-me"><title>{escape(me_name)}</title>'
        f'<circle r="{_n(CENTRE_RADIUS)}" fill="#444"/>'
        f'<text y="5" text-anchor="middle" fill="#fff">{escape(initials(me_name))}</text></a>'
    )
    for node, x, y, angle, position in placed:
        radius = _node_radius(node, max_volume)
        kind = "mutual" if node.mutual else "oneway"
        label = f"{node.name}: {node.count_in} in, {node.count_out} out"
        parts.append(
            f'<a href="{_attr(node.href)}" class="bc-node bc-{kind}">'
            f"<title>{escape(label)}</title>"
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(radius)}"/>'
        )
        if position < LABELLED:
            lx = x + math.cos(angle) * (radius + 5)
            ly = y + math.sin(angle) * (radius + 5) + 4
            anchor = (
                "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
            )
            if anchor == "middle":
                ly += 8 if math.sin(angle) > 0 else -4
            parts.append(
                f'<text x="{_n(lx)}" y="{_n(ly)}" text-anchor="{anchor}">'
                f"{escape(_short_label(node.name))}</text>"
            )
        parts.append("</a>")
    parts.append("</g></svg>")
    return "".join(parts)


def _short_label(name: str) -> str:
    first = (name.split() or ["?"])[0]
    return first if len(first) <= LABEL_CHARS else first[: LABEL_CHARS - 1] + "…"


def _node_radius(node: GraphNode, max_volume: int) -> float:
    return MIN_NODE + (MAX_NODE - MIN_NODE) * math.sqrt(node.volume / max_volume)


def _edge_width(count: int, max_count: int) -> float:
    return MIN_EDGE + (MAX_EDGE - MIN_EDGE) * math.sqrt(count / max_count)


def _edges(
    node: GraphNode, x: float, y: float, max_count: int, max_volume: int, id_prefix: str
) -> list[str]:
    length = math.hypot(x, y) or 1.0
    ux, uy = x / length, y / length
    # Two directions side by side: shift each a little off the spoke.
    px, py = -uy * 3, ux * 3
    near = CENTRE_RADIUS + 2
    far = length - _node_radius(node, max_volume) - 2
    lines = []
    for direction, count, shift in (("in", node.count_in, -1), ("out", node.count_out, 1)):
        if not count:
            continue
        sx = ux * near + (px * shift if node.mutual else 0)
        sy = uy * near + (py * shift if node.mutual else 0)
        ex = ux * far + (px * shift if node.mutual else 0)
        ey = uy * far + (py * shift if node.mutual else 0)
        if direction == "in":  # they → us: the arrow points at the centre
            sx, sy, ex, ey = ex, ey, sx, sy
        lines.append(
            f'<line x1="{_n(sx)}" y1="{_n(sy)}" x2="{_n(ex)}" y2="{_n(ey)}" '
            f'class="bc-{direction}" stroke-width="{_n(_edge_width(count, max_count))}" '
            f'marker-end="url(#{id_prefix}-arrow)"/>'
        )
    return lines


def month_chart_svg(
    months: Sequence[tuple[str, str, int, int]], *, title: str, description: str, id_prefix: str
) -> str:
    """Bars per month: ``months`` is ``(yyyy-mm, label, in, out)``, oldest first."""
    bar, gap, half = 10, 3, 40
    width = max(len(months), 1) * (bar + gap) + gap
    height = 2 * half + 16
    peak = max((max(i, o) for _, _, i, o in months), default=1) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bc-chart" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>',
        f'<line x1="0" y1="{half}" x2="{width}" y2="{half}" class="bc-axis" stroke="#ccc"/>',
    ]
    for index, (month, label, count_in, count_out) in enumerate(months):
        x = gap + index * (bar + gap)
        if index == 0 or month.endswith("-01"):
            parts.append(f'<text x="{x}" y="{height - 2}">{escape(month[:4])}</text>')
        if not (count_in or count_out):
            continue  # an empty month is a gap; its tooltip would only say "0 and 0"
        tip = f"{label}: {count_in} from them, {count_out} from us"
        parts.append(f"<g><title>{escape(tip)}</title>")
        if count_in:
            h = max(1.0, (half - 2) * count_in / peak)
            parts.append(
                f'<rect x="{x}" y="{_n(half - h)}" width="{bar}" height="{_n(h)}" '
                'class="bc-in" fill="#767676"/>'
            )
        if count_out:
            h = max(1.0, (half - 2) * count_out / peak)
            parts.append(
                f'<rect x="{x}" y="{half}" width="{bar}" height="{_n(h)}" '
                'class="bc-out" fill="#444"/>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
