"""Links to other open-data graphs, counted by SPARQL over a store: per target and by class.

Read-only; the queries are constants (no user input reaches their text). What is counted is
what the store holds, asserted or inferred, each distinct triple once.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

import pyoxigraph as ox

from secgraph.build.report import render_table
from secgraph.namespaces import (
    BASE,
    ID,
    INFERRED_GRAPH,
    LINK_TARGETS,
    OWL,
    SG,
    SKOS,
    shorten,
    sparql_prologue,
)
from secgraph.store.embedded import Store

LINK_PREDICATES = (str(SKOS.exactMatch), str(SKOS.closeMatch), str(OWL.sameAs))
"""Properties that link an entity to the same thing in another graph."""
_PREDICATES = " ".join(f"<{p}>" for p in LINK_PREDICATES)
_TARGETS = " ".join(f'("{name}" "{space}")' for name, space in LINK_TARGETS.items())

# Links from secgraph's own entities only: a symmetric or transitive closure (SKOS §10) would
# otherwise count the external IRI's links back, or between two external IRIs.
_LINK_COUNTS = f"""SELECT ?target ?p (COUNT(*) AS ?n) WHERE {{
  {{ SELECT DISTINCT ?s ?p ?o WHERE {{
      {{ GRAPH ?g {{ ?s ?p ?o }} }} UNION {{ ?s ?p ?o }}
      VALUES ?p {{ {_PREDICATES} }}
      FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{ID}") && isIRI(?o)) }} }}
  VALUES (?target ?space) {{ {_TARGETS} }}
  FILTER(STRSTARTS(STR(?o), ?space))
}} GROUP BY ?target ?p"""

# Types as the sources assert them (not the inferred superclasses), so that each entity is counted
# under the classes its data file gives it.
_COVERAGE = f"""SELECT ?class (COUNT(DISTINCT ?e) AS ?entities) (COUNT(DISTINCT ?linked) AS ?with)
WHERE {{
  GRAPH ?g {{ ?e a ?class }}
  FILTER(?g != <{INFERRED_GRAPH}> && STRSTARTS(STR(?e), "{ID}") && STRSTARTS(STR(?class), "{SG}"))
  OPTIONAL {{
    ?e ?p ?target VALUES ?p {{ {_PREDICATES} }}
    FILTER(isIRI(?target) && !STRSTARTS(STR(?target), "{BASE}"))
    BIND(?e AS ?linked)
  }}
}} GROUP BY ?class ORDER BY ?class"""


@dataclass(frozen=True)
class LinkCount:
    """How many distinct links of one predicate go from secgraph entities to one target graph."""

    target: str
    uri_space: str
    predicate: str
    triples: int


@dataclass(frozen=True)
class ClassCoverage:
    """Entities of one class (as asserted) with and without a link to another graph."""

    class_iri: str
    entities: int
    linked: int

    @property
    def unlinked(self) -> int:
        return self.entities - self.linked


def count_links(store: Store) -> list[LinkCount]:
    """Links per target and predicate; a target nothing links to gets one skos:exactMatch row
    of 0, so that every target in LINK_TARGETS is accounted for."""
    found = {
        (row["target"].value, row["p"].value): _int(row["n"])
        for row in _select(store, _LINK_COUNTS)
    }
    counts: list[LinkCount] = []
    for name, space in LINK_TARGETS.items():
        rows = [
            LinkCount(name, space, predicate, found[(name, predicate)])
            for predicate in LINK_PREDICATES
            if (name, predicate) in found
        ]
        counts += rows or [LinkCount(name, space, LINK_PREDICATES[0], 0)]
    return counts


def count_coverage(store: Store) -> list[ClassCoverage]:
    """For each class of secgraph's vocabulary in use: its entities, and how many are linked."""
    return [
        ClassCoverage(row["class"].value, _int(row["entities"]), _int(row["with"]))
        for row in _select(store, _COVERAGE)
    ]


def render_coverage(coverage: list[ClassCoverage], links: list[LinkCount]) -> str:
    """A table per class (entities, with, without an external identifier), then one per target."""
    rows = [
        (shorten(c.class_iri), str(c.entities), str(c.linked), str(c.unlinked)) for c in coverage
    ]
    total = sum(c.entities for c in coverage), sum(c.linked for c in coverage)
    rows.append(("(sum over classes)", str(total[0]), str(total[1]), str(total[0] - total[1])))
    targets = [(link.target, shorten(link.predicate), str(link.triples)) for link in links]
    return (
        render_table(("class", "entities", "linked", "unlinked"), rows)
        + "\n"
        + render_table(("target", "predicate", "links"), targets)
    )


def coverage_json(coverage: list[ClassCoverage], links: list[LinkCount]) -> str:
    """The same as JSON: ``{"classes": [...], "targets": [...]}``."""
    classes = [{**asdict(c), "unlinked": c.unlinked} for c in coverage]
    return json.dumps({"classes": classes, "targets": [asdict(link) for link in links]}, indent=2)


def _int(term: object) -> int:
    if not isinstance(term, ox.Literal):
        raise TypeError(f"not a count: {term!r}")
    return int(term.value)


def _select(store: Store, query: str) -> list[ox.QuerySolution]:
    result = store.query(sparql_prologue() + query)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("a SELECT query must return solutions")
    return list(result)
