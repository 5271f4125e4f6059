"""A query result as a table of plain cells, and which views its shape fits; no Flask, no HTML.

Like the Wikidata Query Service's result views: a date column offers a timeline, a number
beside a label offers a chart, IRIs offer a graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from secgraph.namespaces import XSD
from secgraph.store.embedded import QueryResult

ROW_LIMIT = 2000
"""Rows kept for a page; the downloads (/sparql) hold them all."""
DATE_TYPES = frozenset(
    str(iri) for iri in (XSD.date, XSD.dateTime, XSD.dateTimeStamp, XSD.gYear, XSD.gYearMonth)
)
NUMBER_TYPES = frozenset(
    str(iri)
    for iri in (
        XSD.integer,
        XSD.decimal,
        XSD.double,
        XSD.float,
        XSD.int,
        XSD.long,
        XSD.nonNegativeInteger,
        XSD.positiveInteger,
        XSD.gYear,
    )
)


@dataclass(frozen=True)
class Cell:
    """One value: its text, and what it is (IRI, blank node, literal with datatype/language)."""

    text: str
    iri: str | None = None
    datatype: str | None = None
    language: str | None = None

    @property
    def is_date(self) -> bool:
        return self.datatype in DATE_TYPES

    @property
    def number(self) -> Decimal | None:
        """The value as a number when its datatype is numeric (xsd:gYear counts: 2012)."""
        if self.datatype not in NUMBER_TYPES:
            return None
        try:
            return Decimal(self.text)
        except InvalidOperation:
            return None


@dataclass(frozen=True)
class Table:
    """A SELECT's rows, a CONSTRUCT's triples (subject, predicate, object), or an ASK's answer."""

    form: str
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[Cell | None, ...], ...] = ()
    boolean: bool | None = None
    truncated: bool = False
    views: tuple[str, ...] = field(default=())


def to_table(result: QueryResult | Iterable[ox.Triple], limit: int = ROW_LIMIT) -> Table:
    """Turn what Store.query returned (or triples read back) into a Table of at most
    ``limit`` rows."""
    if isinstance(result, ox.QueryBoolean):
        return Table(form="ask", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        columns = tuple(variable.value for variable in result.variables)
        rows = _take(
            (tuple(_cell(solution[name]) for name in columns) for solution in result), limit
        )
        form = "select"
    else:
        columns = ("subject", "predicate", "object")
        rows = _take(
            ((_cell(t.subject), _cell(t.predicate), _cell(t.object)) for t in result), limit
        )
        form = "graph"
    kept = tuple(rows[:limit])
    return Table(form, columns, kept, None, len(rows) > limit, views_for(columns, kept))


def views_for(
    columns: tuple[str, ...], rows: tuple[tuple[Cell | None, ...], ...]
) -> tuple[str, ...]:
    """The views a result's shape fits: ``timeline`` (a date column), ``chart`` (a number and a
    label), ``network`` (IRIs), in that order."""
    if not rows:
        return ()
    kinds = [_column_kinds(index, rows) for index in range(len(columns))]
    views = []
    if any("date" in kind for kind in kinds):
        views.append("timeline")
    if any("number" in kind for kind in kinds) and any(
        "text" in kind or "iri" in kind for kind in kinds
    ):
        views.append("chart")
    if any("iri" in kind for kind in kinds):
        views.append("network")
    return tuple(views)


def _column_kinds(index: int, rows: tuple[tuple[Cell | None, ...], ...]) -> set[str]:
    kinds = set()
    for row in rows:
        cell = row[index]
        if cell is None:
            continue
        if cell.iri is not None:
            kinds.add("iri")
        elif cell.is_date:
            kinds.add("date")
        elif cell.number is not None:
            kinds.add("number")
        else:
            kinds.add("text")
    return kinds


def _cell(term: object) -> Cell | None:
    if isinstance(term, ox.NamedNode):
        return Cell(term.value, iri=term.value)
    if isinstance(term, ox.BlankNode):
        return Cell("_:" + term.value)
    if isinstance(term, ox.Literal):
        return Cell(term.value, datatype=term.datatype.value, language=term.language)
    return None if term is None else Cell(str(term))


def _take(rows: Iterable[tuple[Cell | None, ...]], limit: int) -> list[tuple[Cell | None, ...]]:
    """The first ``limit`` + 1 rows: one more than kept tells that there were more."""
    taken: list[tuple[Cell | None, ...]] = []
    for row in rows:
        taken.append(row)
        if len(taken) > limit:
            break
    return taken
