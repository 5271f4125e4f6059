"""How pages show RDF terms and statements, with their graph and source; no Flask, no HTML.

Labels, short names, literal languages and datatypes, blank nodes shown inside the statement that
leads to them, RDF lists as ordered members.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from secgraph.describe.describe import Source, Statement, Term
from secgraph.describe.labels import Labels
from secgraph.namespaces import RDF, XSD, shorten

_PLAIN = frozenset({str(XSD.string), str(RDF.langString)})
_FIRST, _REST, _NIL = str(RDF.first), str(RDF.rest), str(RDF.nil)
Nested = Mapping[ox.BlankNode, Sequence[Statement]]


@dataclass(frozen=True)
class Shown:
    """A term as a page shows it: text, and the IRI to link it to (None for literals)."""

    text: str
    iri: str | None = None
    curie: str | None = None
    note: str | None = None
    """A literal's language tag or datatype."""
    language: str | None = None
    """A literal's language tag, for the page's lang attribute."""
    rows: tuple[Row, ...] = ()
    """A blank node's own statements, shown inside it."""
    items: tuple[Shown, ...] | None = None
    """The members of an RDF list, in order."""


@dataclass(frozen=True)
class Provenance:
    """Where an asserted statement comes from: its graph and the source document it holds."""

    graph: Shown
    source: Shown | None


@dataclass(frozen=True)
class Row:
    """One statement on a page: property, value, and provenance (None when inferred)."""

    property: Shown
    value: Shown
    provenance: Provenance | None = None
    inferred: bool = False


class TermShower:
    """Builds Shown terms and Rows with labels from the store and the graphs' sources."""

    def __init__(
        self, labels: Labels, sources: Mapping[str, Source], nested: Nested | None = None
    ) -> None:
        self.labels, self._sources, self._nested = labels, sources, nested or {}
        self._titles = {source.document: source.title for source in sources.values()}

    def iri(self, iri: str, text: str | None = None) -> Shown:
        """An IRI, shown by its label (or ``text``), linked, with its short name."""
        curie = shorten(iri)
        return Shown(
            text=text or self.labels.name(iri),
            iri=iri,
            curie=None if curie.startswith("<") else curie,
        )

    def source(self, iri: str) -> Shown:
        """A source document, shown by its title when the graph it describes records one."""
        return self.iri(iri, text=self._titles.get(iri))

    def term(self, term: Term, depth: int = 0) -> Shown:
        """Any term; blank nodes show their statements (or list members) inside them."""
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        if isinstance(term, ox.Literal):
            return literal(term)
        statements = self._nested.get(term, ())
        if depth > 8:  # a bound for cycles among blank nodes
            return Shown(text="…")
        items = self._list_items(term, depth)
        if items is not None:
            return Shown(text="", items=items)
        rows = tuple(self.row(item, depth + 1) for item in statements)
        return Shown(text="" if rows else "(an unnamed node)", rows=rows)

    def row(self, statement: Statement, depth: int = 0) -> Row:
        """A statement as a row: the property, the value, and where it is stated."""
        return Row(
            property=self.iri(statement.predicate.value),
            value=self.term(statement.object, depth),
            provenance=None if statement.inferred else self.provenance(statement.graph),
            inferred=statement.inferred,
        )

    def provenance(self, graph: ox.NamedNode | None) -> Provenance | None:
        """The graph and, when one is recorded, the source document behind a statement."""
        if graph is None:
            return None
        source = self._sources.get(graph.value)
        shown_source = None if source is None else self.source(source.document)
        shown_graph = self.iri(graph.value, text=shorten(graph.value))
        return Provenance(graph=shown_graph, source=shown_source)

    def _list_items(self, node: ox.BlankNode, depth: int) -> tuple[Shown, ...] | None:
        """An RDF list (rdf:first / rdf:rest ... rdf:nil) as its members, else None."""
        items: list[Shown] = []
        current: Term = node
        while isinstance(current, ox.BlankNode) and len(items) < 1000:
            statements = self._nested.get(current, ())
            by_predicate = {item.predicate.value: item.object for item in statements}
            if _FIRST not in by_predicate or _REST not in by_predicate:
                return None
            items.append(self.term(by_predicate[_FIRST], depth + 1))
            current = by_predicate[_REST]
        is_nil = isinstance(current, ox.NamedNode) and current.value == _NIL
        return tuple(items) if is_nil else None


def literal(term: ox.Literal) -> Shown:
    """A literal: its lexical form, noted with its language tag or (non-string) datatype."""
    if term.language is not None:
        return Shown(text=term.value, note=term.language, language=term.language)
    datatype = term.datatype.value
    return Shown(text=term.value, note=None if datatype in _PLAIN else shorten(datatype))
