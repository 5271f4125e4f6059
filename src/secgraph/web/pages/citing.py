"""Place a resource's citations beside the fact rows they support; no Flask, no HTML.

The data cites a resource, not each of its triples (PROV-O §3.3: the resource is derived from a
source document, with the quoted words), so a row's citations are those of the source documents
of the graphs stating it. Quotes that name the row's value come first; the rest follow, folded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from secgraph.describe.search import fold
from secgraph.web.pages.terms import Provenance, Row, Shown

MIN_NAMING_LENGTH = 3
"""Values shorter than this (folded) are not looked for in quotes: "1" is in too many."""


@dataclass(frozen=True)
class RowCitations:
    """The citations beside one fact: quotes naming its value, then its sources' other quotes."""

    naming: tuple[Cited, ...] = ()
    others: tuple[Cited, ...] = ()

    @property
    def count(self) -> int:
        return len(self.naming) + len(self.others)


@dataclass(frozen=True)
class Group:
    """Statements of one kind, under a heading."""

    slug: str
    title: str
    rows: tuple[Row, ...]
    also: tuple[tuple[Provenance, ...], ...] = ()
    """Per row, the other graphs stating the same fact (one row per fact, all its sources)."""
    cited: tuple[RowCitations, ...] = ()
    """Per row, the citations shown beside it (secgraph.web.pages.citing)."""


@dataclass(frozen=True)
class Cited:
    """A citation as shown: the fact node, its source document and the quoted words."""

    fact: Shown
    source: Shown
    quote: str | None


def cite_rows(groups: Iterable[Group], citations: Sequence[Cited]) -> tuple[Group, ...]:
    """``groups`` with each row's citations attached (``Group.cited``, one per row)."""
    return tuple(
        replace(
            group,
            cited=tuple(
                citations_for(row, more, citations)
                for row, more in zip(group.rows, group.also or _none(group), strict=True)
            ),
        )
        for group in groups
    )


def citations_for(row: Row, also: Iterable[Provenance], citations: Sequence[Cited]) -> RowCitations:
    """The citations of ``row``: those from the source documents of the graphs stating it."""
    sources = {
        provenance.source.iri
        for provenance in (row.provenance, *also)
        if provenance is not None and provenance.source is not None
    }
    mine = [cited for cited in citations if cited.source.iri in sources]
    wanted = fold(row.value.text)
    if len(wanted) < MIN_NAMING_LENGTH:
        return RowCitations(others=tuple(mine))
    naming = tuple(cited for cited in mine if cited.quote and wanted in fold(cited.quote))
    return RowCitations(naming, tuple(cited for cited in mine if cited not in naming))


def unplaced(groups: Iterable[Group], citations: Sequence[Cited]) -> tuple[Cited, ...]:
    """Citations no row shows (their source states none of the resource's facts)."""
    shown = {
        id(cited)
        for group in groups
        for placed in group.cited
        for cited in (*placed.naming, *placed.others)
    }
    return tuple(cited for cited in citations if id(cited) not in shown)


def _none(group: Group) -> list[tuple[Provenance, ...]]:
    return [() for _ in group.rows]
