"""What the graph holds, for the home page: instances per class, source documents; no Flask.

Every query is fixed text; the namespace and class it asks about arrive as bindings.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from secgraph.namespaces import SG, sparql_prologue
from secgraph.store.embedded import Store

# Classes of the secgraph vocabulary only: owl:Thing, rdfs:Resource and the classes that
# reasoning adds from other vocabularies would drown the ones people look for.
_CLASS_COUNTS = (
    sparql_prologue()
    + """SELECT ?class ?namespace (COUNT(DISTINCT ?x) AS ?n) WHERE {
  ?x a ?class FILTER(isIRI(?x) && STRSTARTS(STR(?class), STR(?namespace)))
} GROUP BY ?class ?namespace ORDER BY DESC(?n) ?class"""
)
_SOURCES = (
    sparql_prologue()
    + """SELECT ?document ?documentClass ?title ?issued
  (GROUP_CONCAT(DISTINCT STR(?publisher); separator=" ") AS ?publishers) WHERE {
  ?document a ?documentClass .
  OPTIONAL { ?document dcterms:title ?title }
  OPTIONAL { ?document dcterms:issued ?issued }
  OPTIONAL { ?document dcterms:publisher ?publisher }
} GROUP BY ?document ?documentClass ?title ?issued ORDER BY ?issued ?title"""
)


@dataclass(frozen=True)
class ClassCount:
    """A class and how many distinct resources are its instances (asserted or inferred)."""

    iri: str
    instances: int


@dataclass(frozen=True)
class SourceDocument:
    """A source document: title, issue date (None when the source gives none), publishers."""

    iri: str
    title: str | None
    issued: str | None
    publishers: tuple[str, ...]


def class_counts(store: Store) -> list[ClassCount]:
    """Instances per class of the secgraph vocabulary, most populous first."""
    rows = _select(store, _CLASS_COUNTS, {"namespace": ox.Literal(str(SG))})
    return [ClassCount(row["class"].value, int(row["n"].value)) for row in rows]


def source_documents(store: Store) -> list[SourceDocument]:
    """The source documents the facts come from, oldest first (undated last)."""
    rows = _select(store, _SOURCES, {"documentClass": ox.NamedNode(str(SG.SourceDocument))})
    documents = [
        SourceDocument(
            iri=row["document"].value,
            title=_text(row["title"]) or None,
            issued=_text(row["issued"]) or None,
            # GROUP_CONCAT over no publisher at all may leave the variable unbound
            publishers=tuple(sorted(_text(row["publishers"]).split())),
        )
        for row in rows
    ]
    return sorted(documents, key=lambda item: (item.issued is None, item.issued or ""))


def _select(
    store: Store, query: str, bindings: dict[str, ox.NamedNode | ox.Literal]
) -> list[ox.QuerySolution]:
    result = store.query(query, bindings=bindings)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("a SELECT query must return solutions")
    return list(result)


def _text(term: object) -> str:
    return term.value if isinstance(term, ox.Literal | ox.NamedNode) else ""
