"""Read a result table as timeline items, chart measures or network parts, by column shape.

A column named ``<x>Label`` names the IRIs of column ``<x>``, as in the Wikidata Query Service.
"""

from __future__ import annotations

from collections.abc import Iterable

from secgraph.namespaces import SG
from secgraph.query.results import Cell, Table
from secgraph.web.pages.charts import Dated, Measure, Node
from secgraph.web.pages.ui import labels
from secgraph.web.protocol.links import href

KIND_TITLES = {
    "actor": "Actor (state, organization, person)",
    "event": "Event or forum",
    "agreement": "Agreement or other instrument",
    "initiative": "Initiative or program",
    "other": "Other",
}
_KIND_CLASSES = (
    ("actor", str(SG.Actor)),
    ("event", str(SG.Event)),
    ("event", str(SG.Forum)),
    ("agreement", str(SG.PolicyInstrument)),
    ("initiative", str(SG.Initiative)),
)


def kind_of(classes: Iterable[str]) -> str:
    """The colour group of a resource with these classes (asserted or inferred)."""
    held = set(classes)
    return next((kind for kind, iri in _KIND_CLASSES if iri in held), "other")


def timeline_items(table: Table) -> list[Dated]:
    """One item per row with a date: the first date column, the row's first IRI, its label."""
    date_at = _first(table, lambda cell: cell.is_date)
    if date_at is None:
        return []
    iri_at = _first(table, lambda cell: cell.iri is not None)
    kind_at = table.columns.index("kind") if "kind" in table.columns else None
    items: dict[tuple[str, str], Dated] = {}
    for row in table.rows:
        date = row[date_at]
        if date is None:
            continue
        subject = row[iri_at] if iri_at is not None else None
        label = _label(table, row, iri_at)
        kind = row[kind_at] if kind_at is not None else None
        item = Dated(
            date.text,
            label,
            href(subject.iri) if subject is not None and subject.iri else None,
            kind.text if kind is not None else "",
        )
        items.setdefault((date.text, label), item)
    return list(items.values())


def measures(table: Table) -> list[Measure]:
    """One measure per row with a number: labelled by the first text or IRI column, split by
    the first date column (or a second text column)."""
    value_at = _first(table, lambda cell: cell.number is not None and not cell.is_date)
    if value_at is None:
        return []
    iri_at = _first(table, lambda cell: cell.iri is not None)
    texts = [
        index
        for index in range(len(table.columns))
        if index != value_at and _first(table, _is_text, index) == index
    ]
    series_at = _first(table, lambda cell: cell.is_date)
    if series_at is None and len(texts) > 1:
        series_at = texts[1]
    found = []
    for row in table.rows:
        value = row[value_at]
        if value is None or value.number is None:
            continue
        named = row[texts[0]] if texts else None
        category = named.text if named is not None else _label(table, row, iri_at)
        series = row[series_at] if series_at is not None else None
        subject = row[iri_at] if iri_at is not None else None
        link = href(subject.iri) if subject is not None and subject.iri else None
        found.append(Measure(category, series.text if series else "", value.number, link))
    return found


def network_parts(table: Table) -> tuple[list[Node], list[tuple[str, str, str]]]:
    """Every IRI of the rows is a node; IRIs next to each other in a row are linked, named by
    the later column."""
    names = labels()
    nodes: dict[str, Node] = {}
    links: dict[tuple[str, str], str] = {}
    for row in table.rows:
        previous: str | None = None
        for column, cell in zip(table.columns, row, strict=True):
            if cell is None or cell.iri is None:
                continue
            if cell.iri not in nodes:
                kind = kind_of(names.types(cell.iri))
                nodes[cell.iri] = Node(cell.iri, names.name(cell.iri), href(cell.iri), kind)
            if previous is not None and previous != cell.iri:
                links.setdefault((previous, cell.iri), column)
            previous = cell.iri
    return list(nodes.values()), [(a, b, label) for (a, b), label in links.items()]


def _is_text(cell: Cell) -> bool:
    return cell.iri is None and not cell.is_date and cell.number is None


def _first(table: Table, test: object, only: int | None = None) -> int | None:
    """The first column (or just ``only``) whose every bound cell passes ``test``."""
    for index in range(len(table.columns)) if only is None else (only,):
        cells = [row[index] for row in table.rows if row[index] is not None]
        if cells and all(test(cell) for cell in cells):  # type: ignore[operator]
            return index
    return None


def _label(table: Table, row: tuple[Cell | None, ...], iri_at: int | None) -> str:
    if iri_at is None:
        return next((cell.text for cell in row if cell is not None), "")
    named = table.columns[iri_at] + "Label"
    if named in table.columns and (cell := row[table.columns.index(named)]) is not None:
        return cell.text
    subject = row[iri_at]
    return labels().name(subject.iri) if subject is not None and subject.iri else ""
