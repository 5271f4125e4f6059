"""ontology/checks: each check rewritten for speed finds the same defects (the same rows, in the
same order) as the form it replaced, kept here as the reference, on data seeded with its defects.

The store is built as the pipeline builds it (OxigraphStore.from_quads: every triple in a named
graph, the default graph their materialized union). That the checks return no row on the shipped
graph is test_content's test_quality_control_query_returns_no_rows.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from paths import REPOSITORY
from secgraph.build.checks import find_checks, run_checks
from secgraph.namespaces import PREFIXES, shorten
from secgraph.store.embedded import OxigraphStore

CHECKS = REPOSITORY / "ontology" / "checks"
_TRIG_PREFIXES = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in PREFIXES.items())
_SPARQL_PREFIXES = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())

# The forms the checks had before they were rewritten (same SELECT clause, same ORDER BY).
REFERENCE = {
    "dangling-reference": """
SELECT DISTINCT ?node ?usedBy ?property WHERE {
  ?usedBy ?property ?node .
  FILTER(isIRI(?node) && STRSTARTS(STR(?node), "https://w3id.org/secgraph/id/"))
  FILTER NOT EXISTS {
    GRAPH ?typedIn { ?node rdf:type ?type }
    FILTER(?typedIn != graph:inferred)
  }
}
ORDER BY ?node ?usedBy
""",
    "duplicate-label": """
SELECT DISTINCT ?label ?first ?second ?class WHERE {
  {
    SELECT DISTINCT ?first ?class ?label ?key WHERE {
      GRAPH ?g1 { ?first rdf:type ?class ; rdfs:label ?l1 . }
      FILTER(?g1 != graph:inferred && LANG(?l1) = "en")
      BIND(STR(?l1) AS ?label)
      BIND(LCASE(STR(?l1)) AS ?key)
    }
  }
  {
    SELECT DISTINCT ?second ?class ?key WHERE {
      GRAPH ?g2 { ?second rdf:type ?class ; rdfs:label ?l2 . }
      FILTER(?g2 != graph:inferred && LANG(?l2) = "en")
      BIND(LCASE(STR(?l2)) AS ?key)
    }
  }
  FILTER(STR(?first) < STR(?second))
}
ORDER BY ?label
""",
    "graph-without-source": """
SELECT DISTINCT ?graph WHERE {
  GRAPH ?graph { ?s ?p ?o }
  FILTER(?graph NOT IN (graph:ontology, graph:inferred, graph:links))
  FILTER NOT EXISTS { GRAPH ?graph { ?source sg:describedIn ?graph } }
}
""",
    "inconsistent-label": """
SELECT DISTINCT ?node ?label1 ?label2 WHERE {
  GRAPH ?g1 { ?node rdfs:label ?label1 }
  GRAPH ?g2 { ?node rdfs:label ?label2 }
  FILTER(?g1 != graph:inferred && ?g2 != graph:inferred)
  FILTER(LANG(?label1) = "en" && LANG(?label2) = "en" && STR(?label1) < STR(?label2))
}
ORDER BY ?node
""",
    "shortcut-missing": """
SELECT ?graph ?fact ?agent ?shortcut ?target WHERE {
  GRAPH ?graph {
    { ?fact sg:participant ?agent ; sg:event ?target ; sg:role ?role . }
    UNION
    { ?fact org:member ?agent ; org:organization ?target ; org:role ?role . }
  }
  GRAPH graph:ontology { ?role sg:shortcut ?shortcut }
  FILTER NOT EXISTS { GRAPH ?graph { ?agent ?shortcut ?target } }
}
ORDER BY ?graph ?fact
""",
    "shortcut-unqualified": """
SELECT ?graph ?agent ?shortcut ?target WHERE {
  GRAPH graph:ontology { ?role sg:shortcut ?shortcut }
  GRAPH ?graph { ?agent ?shortcut ?target }
  FILTER(?graph NOT IN (graph:inferred, graph:ontology))
  FILTER NOT EXISTS {
    GRAPH ?graph {
      { ?fact sg:participant ?agent ; sg:event ?target ; sg:role ?role . }
      UNION
      { ?fact org:member ?agent ; org:organization ?target ; org:role ?role . }
    }
  }
}
ORDER BY ?graph ?agent
""",
    "two-values-in-one-source": """
SELECT ?graph ?node ?property ?value1 ?value2 WHERE {
  VALUES ?property { sg:commitmentKind sg:description sg:representationLevel sg:role }
  GRAPH ?graph { ?node ?property ?value1 , ?value2 . }
  FILTER(?graph != graph:inferred && STR(?value1) < STR(?value2))
}
ORDER BY ?graph ?node
""",
    "undeclared-term": """
SELECT DISTINCT ?term ?graph WHERE {
  GRAPH ?graph { { ?s ?term ?o } UNION { ?s rdf:type ?term } }
  FILTER(?graph != graph:inferred)
  FILTER(STRSTARTS(STR(?term), "https://w3id.org/secgraph/ontology#"))
  FILTER NOT EXISTS { GRAPH graph:ontology { ?term rdf:type ?kind } }
}
ORDER BY ?term
""",
}

# How many leading columns each check's ORDER BY sorts on (its keys are its first variables).
ORDER_KEYS = {
    "dangling-reference": 2,
    "duplicate-label": 1,
    "graph-without-source": 0,
    "inconsistent-label": 1,
    "shortcut-missing": 2,
    "shortcut-unqualified": 2,
    "two-values-in-one-source": 2,
    "undeclared-term": 1,
}

# One dataset seeded with the defects of every rewritten check, and with near misses of each.
SEEDED = """
graph:ontology {
  sg:Organization a owl:Class . sg:Program a owl:Class . sg:Country a owl:Class .
  sg:Actor a owl:Class . sg:Event a owl:Class . sg:SourceDocument a owl:Class .
  sg:funder a owl:ObjectProperty . sg:partner a owl:ObjectProperty .
  sg:describedIn a owl:ObjectProperty . sg:participant a owl:ObjectProperty .
  sg:event a owl:ObjectProperty . sg:role a owl:ObjectProperty .
  sg:coHosted a owl:ObjectProperty . sg:attended a owl:ObjectProperty .
  sg:fullMemberOf a owl:ObjectProperty . sg:shortcut a owl:AnnotationProperty .
  sg:description a owl:DatatypeProperty .
  sg:Role a owl:Class .
  id:host a sg:Role ; sg:shortcut sg:coHosted .
  id:attendee a sg:Role ; sg:shortcut sg:attended .
  id:full-member a sg:Role ; sg:shortcut sg:fullMemberOf .
  id:observer a sg:Role .
}
graph:a {
  id:doc-a a sg:SourceDocument ; sg:describedIn graph:a .
  id:funding sg:funder id:nobody, id:us, id:elsewhere ; sg:partner id:typo, "id:typo" .
  id:other-funding sg:funder id:typo ; rdfs:seeAlso <http://example.org/not-ours> .
  id:us a sg:Country ; rdfs:label "United States"@en, "Estados Unidos"@es .
  id:sica a sg:Organization ; rdfs:label "SICA"@en .
  id:sica-2 a sg:Organization ; rdfs:label "sica"@en .
  id:sica-3 a sg:Organization, sg:Program ; rdfs:label "Sica"@en .
  id:carsi a sg:Program ; rdfs:label "CARSI"@en .
  id:summit a sg:Event .
  id:p1 sg:participant id:us ; sg:event id:summit ; sg:role id:host .
  id:us sg:coHosted id:summit .
  id:p2 sg:participant id:sica ; sg:event id:summit ; sg:role id:attendee .
  id:m1 org:member id:us ; org:organization id:sica ; org:role id:full-member .
  id:carsi sg:attended id:summit .
  id:us sg:misspeltProperty id:sica .
  id:sica a sg:Organisation .
}
graph:b {
  id:doc-b a sg:SourceDocument ; sg:describedIn graph:b .
  id:elsewhere a sg:Actor .
  id:us rdfs:label "USA"@en, "United States"@en .
  id:carsi-2 a sg:Organization ; rdfs:label "CARSI"@en .
  id:sica rdfs:label "SICA"@en, "S.I.C.A."@en-us .
  id:us sg:coHosted id:summit ; sg:fullMemberOf id:sica .
  id:p3 sg:participant id:sica ; sg:event id:summit ; sg:role id:host .
  id:sica sg:coHosted id:summit .
  id:us sg:misspeltProperty id:carsi .
  id:m2 org:member id:us ; org:organization id:sica ; org:role id:full-member .
}
graph:c { id:c-thing sg:partner id:us . id:carsi sg:fullMemberOf id:sica . }
graph:links { id:us sg:partner id:sica . }
graph:inferred {
  id:nobody a sg:Actor . id:us a sg:Actor . id:typo a sg:Actor .
  id:summit sg:inferredOnly id:us ; sg:misspeltProperty id:us .
  id:carsi rdfs:label "Carsi inferred"@en .
  id:carsi-3 a sg:Program ; rdfs:label "CARSI"@en .
}
"""


def _store(trig: str) -> OxigraphStore:
    return OxigraphStore.from_quads(ox.parse(_TRIG_PREFIXES + trig, format=ox.RdfFormat.TRIG))


def _rows(store: OxigraphStore, query: str) -> list[tuple[str, ...]]:
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    return [tuple(_cell(term) for term in row) for row in result]


def _cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    if isinstance(term, ox.NamedNode):
        return shorten(term.value)
    return str(term)


def _assert_same_rows(
    found: list[tuple[str, ...]], reference: list[tuple[str, ...]], name: str
) -> None:
    # The same rows, and in the order ORDER BY fixes: rows that tie on its keys may come in any
    # order (SPARQL 1.1 Query §15.1), so only the key columns are compared in sequence.
    assert sorted(found) == sorted(reference)
    keys = ORDER_KEYS[name]
    assert [row[:keys] for row in found] == [row[:keys] for row in reference]


def _check(name: str) -> str:
    return (CHECKS / f"{name}-violation.rq").read_text(encoding="utf-8")


# What each check finds in SEEDED: the seeded defects, not the near misses.
EXPECTED = {
    "dangling-reference": [
        ("id:event-typo", "id:p4", "sg:event"),  # graph:c's event: typed nowhere
        ("id:nobody", "id:funding", "sg:funder"),  # typed only in graph:inferred
        ("id:typo", "id:funding", "sg:partner"),  # one node, two uses: two rows
        ("id:typo", "id:other-funding", "sg:funder"),
    ],
    "duplicate-label": [
        ('"SICA"', "id:sica", "id:sica-2", "sg:Organization"),
        ('"SICA"', "id:sica", "id:sica-3", "sg:Organization"),
        ('"sica"', "id:sica-2", "id:sica-3", "sg:Organization"),
    ],
    "graph-without-source": [("graph:c",)],
    "inconsistent-label": [("id:us", '"USA"@en', '"United States"@en')],
    "shortcut-missing": [
        ("graph:a", "id:m1", "id:us", "sg:fullMemberOf", "id:sica"),  # stated only in graph:b
        ("graph:a", "id:p2", "id:sica", "sg:attended", "id:summit"),
        ("graph:c", "id:p4", "id:us", "sg:coHosted", "id:event-typo"),
    ],
    "shortcut-unqualified": [
        ("graph:a", "id:carsi", "sg:attended", "id:summit"),
        ("graph:b", "id:us", "sg:coHosted", "id:summit"),  # its participation is graph:a's
        ("graph:c", "id:carsi", "sg:fullMemberOf", "id:sica"),
    ],
    "two-values-in-one-source": [
        ("graph:a", "id:p5", "sg:role", "id:attendee", "id:host"),
        ("graph:b", "id:funding", "sg:description", '"Funding"', '"Funding."'),
    ],
    "undeclared-term": [
        ("sg:Organisation", "graph:a"),
        ("sg:misspeltProperty", "graph:a"),
        ("sg:misspeltProperty", "graph:b"),
    ],
}
# graph:c also states a participation whose event has no type, for dangling-reference and
# shortcut-missing (a fact with a role that has a shortcut, but no shortcut triple).
# two-values-in-one-source: one node, two roles in graph:a; two descriptions in graph:b, but
# one per graph for id:summit (graph:a and graph:b each say it once), and two only where one of
# them is inferred.
SEEDED += """
graph:a { id:p5 sg:role id:host, id:attendee . id:summit sg:description "A summit." .
          id:carsi sg:description "CARSI" . }
graph:b { id:funding sg:description "Funding", "Funding." . id:summit sg:description "Summit." . }
graph:inferred { id:carsi sg:description "CARSI, inferred" . }
"""
SEEDED += "graph:c { id:p4 sg:participant id:us ; sg:event id:event-typo ; sg:role id:host . }\n"


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_rewritten_check_returns_the_rows_of_its_reference_form(name: str) -> None:
    store = _store(SEEDED)
    found = _rows(store, _check(name))
    _assert_same_rows(found, _rows(store, _SPARQL_PREFIXES + REFERENCE[name]), name)
    assert sorted(found) == sorted(EXPECTED[name])


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_rewritten_check_returns_no_row_where_its_reference_returns_none(name: str) -> None:
    # The near misses alone: the seeded data without the graphs and triples that make defects.
    clean = """
    graph:ontology { sg:Organization a owl:Class . sg:coHosted a owl:ObjectProperty .
                     sg:participant a owl:ObjectProperty . sg:event a owl:ObjectProperty .
                     sg:role a owl:ObjectProperty . sg:describedIn a owl:ObjectProperty .
                     sg:Event a owl:Class . sg:shortcut a owl:AnnotationProperty .
                     sg:Role a owl:Class . id:host a sg:Role ; sg:shortcut sg:coHosted . }
    graph:a { id:doc-a sg:describedIn graph:a .
              id:sica a sg:Organization ; rdfs:label "SICA"@en, "Sistema"@es .
              id:sica-2 a sg:Organization ; rdfs:label "Sistema"@es .
              id:summit a sg:Event .
              id:p1 sg:participant id:sica ; sg:event id:summit ; sg:role id:host .
              id:sica sg:coHosted id:summit . }
    graph:b { id:doc-b sg:describedIn graph:b . id:sica rdfs:label "SICA"@en .
              id:y a sg:Organization . }
    graph:inferred { id:sica rdfs:label "Sica, inferred"@en . id:x a sg:Organization ;
                     rdfs:label "sica"@en ; sg:inferredOnly id:y . }
    """
    store = _store(clean)
    assert _rows(store, _check(name)) == []
    assert _rows(store, _SPARQL_PREFIXES + REFERENCE[name]) == []


def test_every_check_runs_through_run_checks_on_the_seeded_store() -> None:
    # The checks as the build runs them: the rows above, as strings, in check-name order.
    report = run_checks(_store(SEEDED), find_checks(CHECKS))
    failing = {result.name.removesuffix("-violation") for result in report.results if result.rows}
    assert set(EXPECTED) <= failing
