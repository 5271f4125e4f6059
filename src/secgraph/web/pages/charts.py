"""Geometry of the SVG views (timeline, bar chart, network) from plain items; no Flask, no SVG text.

Templates draw what these functions place; every coordinate is in SVG user units.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

ROW_HEIGHT = 28
LABEL_WIDTH = 260
"""Room left of the bars for category names."""
BAR_WIDTH = 520
"""Length of the longest bar."""
NETWORK_SIZE = 720


@dataclass(frozen=True)
class Dated:
    """Something that happened on a date (ISO 8601 lexical form: 2008, 2008-12, 2008-12-12)."""

    date: str
    label: str
    href: str | None = None
    kind: str = ""


@dataclass(frozen=True)
class Placed:
    """An item with its position: ``y`` of its row; ``year`` set on the first item of a year."""

    item: Dated
    y: int
    year: str | None


def place_timeline(items: Sequence[Dated]) -> tuple[list[Placed], int]:
    """Items in date order, one row each, a year heading before the first of each year;
    returns the placed items and the height they need."""
    placed, y, last_year = [], ROW_HEIGHT, None
    for item in sorted(items, key=lambda entry: (entry.date, entry.label)):
        year = item.date[:4]
        if year != last_year:
            y += ROW_HEIGHT // 2 if last_year else 0
            placed.append(Placed(item, y + ROW_HEIGHT, year))
            y += ROW_HEIGHT * 2
        else:
            placed.append(Placed(item, y, None))
            y += ROW_HEIGHT
        last_year = year
    return placed, y + ROW_HEIGHT // 2


@dataclass(frozen=True)
class Measure:
    """A number for a category, split by an optional series (a fiscal year, say)."""

    category: str
    series: str
    value: Decimal
    href: str | None = None


@dataclass(frozen=True)
class Bar:
    """A placed bar: its measure, row ``y``, ``width``; ``heading`` on a category's first bar."""

    measure: Measure
    y: int
    width: float
    heading: bool


def place_bars(measures: Sequence[Measure]) -> tuple[list[Bar], int]:
    """Bars grouped by category (in first-seen order), longest bar ``BAR_WIDTH`` long;
    returns the bars and the height they need."""
    top = max((abs(item.value) for item in measures), default=Decimal(0)) or Decimal(1)
    order = list(dict.fromkeys(item.category for item in measures))
    bars, y = [], ROW_HEIGHT
    for category in order:
        group = [item for item in measures if item.category == category]
        for index, item in enumerate(sorted(group, key=lambda measure: measure.series)):
            if index == 0:
                y += ROW_HEIGHT  # room for the category's heading above its bars
            width = float(abs(item.value) / top) * BAR_WIDTH
            bars.append(Bar(item, y, max(width, 1.0), index == 0))
            y += ROW_HEIGHT
        y += ROW_HEIGHT // 2
    return bars, y


@dataclass(frozen=True)
class Node:
    """A resource in the network: where it is drawn and what kind it is (for its colour)."""

    key: str
    label: str
    href: str | None
    kind: str
    x: float = 0.0
    y: float = 0.0


@dataclass(frozen=True)
class Edge:
    """A link between two placed nodes, named by its properties."""

    source: Node
    target: Node
    label: str


def place_network(
    nodes: Sequence[Node], links: Sequence[tuple[str, str, str]], centre: str | None
) -> tuple[list[Node], list[Edge]]:
    """The ``centre`` node in the middle, the others on a ring around it; past 16 nodes every
    other one sits on an inner ring, so that neighbouring labels do not collide."""
    middle = NETWORK_SIZE / 2
    placed: dict[str, Node] = {}
    others = [node for node in nodes if node.key != centre]
    for node in nodes:
        if node.key == centre:
            placed[node.key] = _at(node, middle, middle)
    staggered = len(others) > 16
    for index, node in enumerate(others):
        radius = middle * (0.62 if staggered and index % 2 else 0.88)
        angle = 2 * math.pi * index / max(len(others), 1) - math.pi / 2
        x, y = middle + radius * math.cos(angle), middle + radius * math.sin(angle)
        placed[node.key] = _at(node, x, y)
    edges = [
        Edge(placed[source], placed[target], label)
        for source, target, label in links
        if source in placed and target in placed and source != target
    ]
    return list(placed.values()), edges


def _at(node: Node, x: float, y: float) -> Node:
    return Node(node.key, node.label, node.href, node.kind, round(x, 1), round(y, 1))
