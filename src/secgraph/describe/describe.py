"""Describe one resource or one graph with the store's quads: facts, citations, links; no HTML.

Every IRI reaches SPARQL as a binding (SEP-0007 substitution), never as query text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from secgraph.namespaces import INFERRED_GRAPH, sparql_prologue
from secgraph.store.embedded import Store

Subject = ox.NamedNode | ox.BlankNode
Term = ox.NamedNode | ox.BlankNode | ox.Literal
INFERRED = ox.NamedNode(str(INFERRED_GRAPH))

# Quads of the named graphs, plus the triples only a served file's own default graph holds
# (with the union default graph every triple is also in a named graph, so that part is empty).
_QUADS = """
  { GRAPH ?g { ?s ?p ?o } }
  UNION { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?named { ?s ?p ?o } } }
"""
_OUTGOING = "SELECT ?s ?p ?o ?g WHERE {" + _QUADS + "} ORDER BY ?p ?o ?g"
_INCOMING = "SELECT ?o ?s ?p ?g WHERE {" + _QUADS + "} ORDER BY ?p ?s LIMIT %d"
_GRAPH = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?s ?p ?o"
_OWNERS = """SELECT DISTINCT ?o ?s ?owner ?via WHERE {
  ?s ?p ?o FILTER(isBlank(?s)) ?owner ?via ?s FILTER(isIRI(?owner))
}"""
# PROV-O §3.3 qualification: a fact node -> prov:qualifiedDerivation -> [ prov:entity source ].
_CITATIONS = """SELECT DISTINCT ?s ?source ?quote WHERE {
  ?s prov:qualifiedDerivation ?d . ?d prov:entity ?source . OPTIONAL { ?d sg:quote ?quote }
} ORDER BY ?source ?quote"""
_LINKED_CITATIONS = """SELECT DISTINCT ?o ?s ?source ?quote WHERE {
  ?s ?p ?o FILTER(isIRI(?s))
  ?s prov:qualifiedDerivation ?d . ?d prov:entity ?source . OPTIONAL { ?d sg:quote ?quote }
} ORDER BY ?s ?source ?quote"""
_SOURCES = """SELECT DISTINCT ?graph ?doc ?title WHERE {
  ?doc sg:describedIn ?graph OPTIONAL { ?doc dcterms:title ?title }
} ORDER BY ?graph ?doc"""
_MAX_NESTED = 1000
"""Blank nodes followed from one subject at most: a bound for cyclic or huge structures."""


@dataclass(frozen=True)
class Statement:
    """One triple and the graph holding it (None: a served file's default graph)."""

    subject: Subject
    predicate: ox.NamedNode
    object: Term
    graph: ox.NamedNode | None

    @property
    def inferred(self) -> bool:
        return self.graph == INFERRED

    def quad(self) -> ox.Quad:
        graph = ox.DefaultGraph() if self.graph is None else self.graph
        return ox.Quad(self.subject, self.predicate, self.object, graph)


@dataclass(frozen=True)
class Citation:
    """A fact node's citation: the source document and the exact words it takes from it."""

    fact: ox.NamedNode
    source: ox.NamedNode
    quote: str | None


@dataclass(frozen=True)
class Source:
    """The source document whose facts a named graph holds (``doc sg:describedIn graph``)."""

    graph: str
    document: str
    title: str | None


@dataclass(frozen=True)
class Link:
    """A statement pointing at the described resource; for a blank subject, who holds it."""

    statement: Statement
    owner: ox.NamedNode | None = None
    via: ox.NamedNode | None = None


@dataclass(frozen=True)
class Description:
    """What the store says about one IRI: its statements, the blank nodes they lead to (with
    citations), the statements pointing at it, and the citations of the nodes linking here."""

    iri: ox.NamedNode
    statements: tuple[Statement, ...]
    nested: Mapping[ox.BlankNode, tuple[Statement, ...]]
    citations: tuple[Citation, ...]
    incoming: tuple[Link, ...]
    linked_citations: Mapping[str, tuple[Citation, ...]] = field(default_factory=dict)

    def quads(self) -> list[ox.Quad]:
        """The resource's own description: outgoing statements, asserted and inferred, and the
        blank nodes they lead to (citation nodes included), each in its graph."""
        nested = (item for statements in self.nested.values() for item in statements)
        quads = dict.fromkeys(item.quad() for item in (*self.statements, *nested))
        # Grouped by graph, so that TriG writes one block per graph.
        return sorted(quads, key=lambda quad: str(quad.graph_name))


def describe(store: Store, iri: str, *, incoming_limit: int = 500) -> Description | None:
    """Describe ``iri``; None when no statement mentions it as subject or object."""
    node = ox.NamedNode(iri)
    statements = statements_about(store, node)
    incoming = _incoming(store, node, incoming_limit)
    if not statements and not incoming:
        return None
    return Description(
        iri=node,
        statements=statements,
        nested=_nested(store, statements),
        citations=tuple(_citations(store, _CITATIONS, "s", node)),
        incoming=incoming,
        linked_citations=_group_citations(_citations(store, _LINKED_CITATIONS, "o", node)),
    )


def statements_about(store: Store, subject: Subject) -> tuple[Statement, ...]:
    """Every statement with ``subject`` as subject, in every graph."""
    rows = _select(store, _OUTGOING, {"s": subject})
    return tuple(_statement(subject, row["p"], row["o"], row["g"]) for row in rows)


def graph_statements(store: Store, graph: str) -> tuple[Statement, ...]:
    """Every statement of one named graph, sorted by subject."""
    name = ox.NamedNode(graph)
    rows = _select(store, _GRAPH, {"g": name})
    return tuple(_statement(row["s"], row["p"], row["o"], name) for row in rows)


def graph_sources(store: Store) -> dict[str, Source]:
    """Named graph IRI -> the source document it holds; one document per graph (the first)."""
    sources: dict[str, Source] = {}
    for row in _select(store, _SOURCES, {}):
        graph, title = row["graph"].value, row["title"]
        known = sources.get(graph)
        better_title = title is not None and (known is None or known.title is None)
        if known is None or better_title:
            text = None if title is None else title.value
            sources[graph] = Source(graph=graph, document=row["doc"].value, title=text)
    return sources


def _incoming(store: Store, node: ox.NamedNode, limit: int) -> tuple[Link, ...]:
    # SPARQL's LIMIT takes no variable: the limit is an int from our code, never user input.
    rows = _select(store, _INCOMING % int(limit), {"o": node})
    owners = {row["s"]: (row["owner"], row["via"]) for row in _select(store, _OWNERS, {"o": node})}
    links = []
    for row in rows:
        statement = _statement(row["s"], row["p"], node, row["g"])
        owner, via = owners.get(row["s"], (None, None))
        links.append(Link(statement, owner=owner, via=via))
    return tuple(links)


def _nested(
    store: Store, statements: Iterable[Statement]
) -> dict[ox.BlankNode, tuple[Statement, ...]]:
    """Follow blank-node objects (citation nodes, RDF lists) to a Concise Bounded Description."""
    found: dict[ox.BlankNode, tuple[Statement, ...]] = {}
    frontier = [item.object for item in statements if isinstance(item.object, ox.BlankNode)]
    while frontier and len(found) < _MAX_NESTED:
        node = frontier.pop()
        if node in found:
            continue
        found[node] = statements_about(store, node)
        frontier += [item.object for item in found[node] if isinstance(item.object, ox.BlankNode)]
    return found


def _citations(store: Store, query: str, name: str, node: ox.NamedNode) -> list[Citation]:
    citations = []
    for row in _select(store, query, {name: node}):
        fact, source = row["s"], row["source"]
        if isinstance(fact, ox.NamedNode) and isinstance(source, ox.NamedNode):
            quote = row["quote"]
            citations.append(Citation(fact, source, None if quote is None else quote.value))
    return citations


def _group_citations(citations: Iterable[Citation]) -> dict[str, tuple[Citation, ...]]:
    grouped: dict[str, list[Citation]] = {}
    for citation in citations:
        grouped.setdefault(citation.fact.value, []).append(citation)
    return {fact: tuple(items) for fact, items in grouped.items()}


def _statement(subject: object, predicate: object, obj: object, graph: object) -> Statement:
    if not isinstance(subject, ox.NamedNode | ox.BlankNode):
        raise TypeError(f"not a subject: {subject!r}")
    if not isinstance(predicate, ox.NamedNode):
        raise TypeError(f"not a predicate: {predicate!r}")
    if not isinstance(obj, ox.NamedNode | ox.BlankNode | ox.Literal):
        raise TypeError(f"not an object: {obj!r}")
    name = graph if isinstance(graph, ox.NamedNode) else None
    return Statement(subject, predicate, obj, name)


def _select(store: Store, query: str, bindings: Mapping[str, Subject]) -> list[ox.QuerySolution]:
    result = store.query(sparql_prologue() + query, bindings=bindings or None)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("a SELECT query must return solutions")
    return list(result)
