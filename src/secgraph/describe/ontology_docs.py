"""The ontology as documentation: class hierarchy and property table with live instance and
usage counts, read from graph:ontology and the data; no Flask, no HTML."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from secgraph.describe.labels import Labels
from secgraph.namespaces import ONTOLOGY_GRAPH, sparql_prologue
from secgraph.store.embedded import Store

_CLASSES = (
    sparql_prologue()
    + """SELECT ?g ?class ?parent ?comment WHERE { GRAPH ?g {
  ?class a owl:Class FILTER(isIRI(?class))
  OPTIONAL { ?class rdfs:subClassOf ?parent FILTER(isIRI(?parent) && ?parent != ?class) }
  OPTIONAL { ?class rdfs:comment|skos:definition ?comment }
} }"""
)
_INSTANCES = "SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?class } GROUP BY ?class"
_PROPERTIES = (
    sparql_prologue()
    + """SELECT ?g ?p ?kind ?domain ?range WHERE { GRAPH ?g {
  VALUES ?kind { owl:ObjectProperty owl:DatatypeProperty }
  ?p a ?kind
  OPTIONAL { ?p rdfs:domain ?domain FILTER(isIRI(?domain)) }
  OPTIONAL { ?p rdfs:range ?range FILTER(isIRI(?range)) }
} } ORDER BY ?p"""
)
_USES = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"
_MAX_DEPTH = 12
"""A bound for subclass cycles (owl:equivalentClass written as two subClassOf)."""


@dataclass(frozen=True)
class ClassNode:
    """A class in the hierarchy: its label, definition, instances (stated or inferred), and
    its direct subclasses."""

    iri: str
    label: str
    definition: str | None
    instances: int
    children: tuple[ClassNode, ...]


@dataclass(frozen=True)
class PropertyDoc:
    """A property: kind (object or datatype), domain, range and how many statements use it."""

    iri: str
    label: str
    kind: str
    domain: str | None
    range: str | None
    uses: int


def class_tree(store: Store, labels: Labels) -> list[ClassNode]:
    """The ontology's classes as a forest: roots are classes with no superclass among them."""
    rows = _select(store, _CLASSES, {"g": ox.NamedNode(str(ONTOLOGY_GRAPH))})
    parents: dict[str, set[str]] = {}
    definitions: dict[str, str] = {}
    for row in rows:
        parents.setdefault(row["class"].value, set())
        if row["parent"] is not None:
            parents[row["class"].value].add(row["parent"].value)
        if row["comment"] is not None:
            definitions.setdefault(row["class"].value, row["comment"].value)
    counts = _counts(store, _INSTANCES, "class")
    children: dict[str, list[str]] = {}
    for child, above in parents.items():
        for parent in above & parents.keys():
            children.setdefault(parent, []).append(child)

    def node(iri: str, depth: int) -> ClassNode:
        below = sorted(children.get(iri, []), key=labels.name) if depth < _MAX_DEPTH else []
        kids = tuple(node(child, depth + 1) for child in below)
        return ClassNode(iri, labels.name(iri), definitions.get(iri), counts.get(iri, 0), kids)

    roots = [iri for iri, above in parents.items() if not above & parents.keys()]
    return [node(iri, 0) for iri in sorted(roots, key=labels.name)]


def property_docs(store: Store, labels: Labels) -> list[PropertyDoc]:
    """The ontology's object and datatype properties with domain, range and usage counts."""
    rows = _select(store, _PROPERTIES, {"g": ox.NamedNode(str(ONTOLOGY_GRAPH))})
    uses = _counts(store, _USES, "p")
    found: dict[str, PropertyDoc] = {}
    for row in rows:
        iri = row["p"].value
        if iri in found:
            continue
        found[iri] = PropertyDoc(
            iri=iri,
            label=labels.name(iri),
            kind="object" if row["kind"].value.endswith("ObjectProperty") else "datatype",
            domain=row["domain"].value if row["domain"] is not None else None,
            range=row["range"].value if row["range"] is not None else None,
            uses=uses.get(iri, 0),
        )
    return sorted(found.values(), key=lambda item: item.label.lower())


def _counts(store: Store, query: str, key: str) -> dict[str, int]:
    return {row[key].value: int(row["n"].value) for row in _select(store, query, {})}


def _select(
    store: Store, query: str, bindings: Mapping[str, ox.NamedNode]
) -> list[ox.QuerySolution]:
    result = store.query(query, bindings=dict(bindings) or None)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("a SELECT query must return solutions")
    return list(result)
