"""store/evaluation.py and sparql/text.py: a dataset of several default graphs is their RDF merge
(SPARQL 1.1 Query §13.2), and a function the engine does not know is an expression error (§17.6)."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest

from secgraph.build.pipeline import BuiltGraph
from secgraph.sparql.text import DatasetClauses, dataset_clauses
from secgraph.store.embedded import OxigraphStore

EX = "http://example.org/"
G1, G2 = "urn:x:g1", "urn:x:g2"
SICA_LABELS = (
    "PREFIX id: <https://w3id.org/secgraph/id/> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?l {from} WHERE {{ id:sica rdfs:label ?l }}"
)


def _rows(result: object) -> Counter[tuple[str, ...]]:
    assert isinstance(result, ox.QuerySolutions)
    names = [variable.value for variable in result.variables]
    return Counter(tuple(str(row[name]) for name in names) for row in result)


@pytest.fixture
def two_graphs() -> OxigraphStore:
    """One triple in both graphs, one in g2 only; the default graph is their union."""
    handle = ox.Store()
    a, p = ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p")
    for graph in (G1, G2):
        handle.add(ox.Quad(a, p, ox.Literal("shared"), ox.NamedNode(graph)))
    handle.add(ox.Quad(a, p, ox.Literal("own"), ox.NamedNode(G2)))
    return OxigraphStore(handle)


def test_from_clauses_resolve_prefixes_and_base_as_the_engine_does() -> None:
    query = (
        "BASE <http://example.org/dir/> PREFIX g: <http://example.org/>"
        " SELECT * FROM g:g1 FROM <g2>"
        " FROM NAMED g:g1 WHERE { ?s ?p ?o }"
    )
    g1 = EX + "g1"
    assert dataset_clauses(query) == DatasetClauses((g1, EX + "dir/g2"), (g1,))


def test_from_inside_strings_iris_and_comments_is_no_dataset_clause() -> None:
    query = 'SELECT ?from WHERE { ?s <urn:FROM> "FROM <x>" } # FROM <y>'
    assert dataset_clauses(query) == DatasetClauses((), ())


def test_several_from_graphs_count_a_shared_triple_once(two_graphs: OxigraphStore) -> None:
    query = "SELECT ?o FROM <urn:x:g1> FROM <urn:x:g2> WHERE { ?s ?p ?o }"
    assert _rows(two_graphs.query(query)) == Counter({('"shared"',): 1, ('"own"',): 1})
    counted = "SELECT (COUNT(*) AS ?n) FROM <urn:x:g1> FROM <urn:x:g2> WHERE { ?s ?p ?o }"
    union = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert _rows(two_graphs.query(counted)) == _rows(two_graphs.query(union))


def test_protocol_default_graphs_are_merged_and_override_from(two_graphs: OxigraphStore) -> None:
    query = "SELECT ?o FROM <urn:x:g1> WHERE { ?s ?p ?o }"
    result = two_graphs.query(query, default_graph_uris=[G1, G2, G1])
    assert _rows(result) == Counter({('"shared"',): 1, ('"own"',): 1})


def test_merged_dataset_keeps_its_named_graphs_apart(two_graphs: OxigraphStore) -> None:
    query = (
        "SELECT ?g ?o FROM <urn:x:g1> FROM <urn:x:g2> FROM NAMED <urn:x:g2>"
        " WHERE { GRAPH ?g { ?s ?p ?o } }"
    )
    assert _rows(two_graphs.query(query)) == Counter(
        {("<urn:x:g2>", '"shared"'): 1, ("<urn:x:g2>", '"own"'): 1}
    )


def test_merged_dataset_takes_bindings(two_graphs: OxigraphStore) -> None:
    query = "SELECT ?o FROM <urn:x:g1> FROM <urn:x:g2> WHERE { ?s ?p ?o }"
    result = two_graphs.query(query, bindings={"o": ox.Literal("own")})
    assert _rows(result) == Counter({('"own"',): 1})


def test_merge_sees_data_replaced_after_it_was_made(two_graphs: OxigraphStore) -> None:
    query = "SELECT ?o FROM <urn:x:g1> FROM <urn:x:g2> WHERE { ?s ?p ?o }"
    assert len(_rows(two_graphs.query(query))) == 2
    added = ox.Quad(
        ox.NamedNode(EX + "b"), ox.NamedNode(EX + "p"), ox.Literal("new"), ox.NamedNode(G1)
    )
    two_graphs.replace_quads([], [added])
    assert _rows(two_graphs.query(query))[('"new"',)] == 1


def test_every_graph_in_from_gives_the_union_default_graphs_answer(
    shipped_built: BuiltGraph,
) -> None:
    store = shipped_built.store
    every = " ".join(f"FROM <{graph}>" for graph in store.named_graphs())
    merged = _rows(store.query(SICA_LABELS.format(**{"from": every})))
    union = _rows(store.query(SICA_LABELS.format(**{"from": ""})))
    assert merged == union
    assert set(merged.values()) == {1}  # each label once: a set


def test_carsi_total_over_every_from_graph_is_the_union_default_graphs(
    shipped_built: BuiltGraph,
) -> None:
    store = shipped_built.store
    every = " ".join(f"FROM <{graph}>" for graph in store.named_graphs())
    query = (
        "PREFIX sg: <https://w3id.org/secgraph/ontology#> PREFIX id: <https://w3id.org/secgraph/id/>"
        " SELECT (SUM(?amount) AS ?total) (COUNT(*) AS ?n) {from} WHERE {{"
        " ?funding sg:fundedInitiative id:carsi ; sg:amount ?amount }}"
    )
    assert _rows(store.query(query.format(**{"from": every}))) == _rows(
        store.query(query.format(**{"from": ""}))
    )


def test_unknown_function_in_filter_drops_rows_and_in_bind_leaves_unbound(
    two_graphs: OxigraphStore,
) -> None:
    dropped = "SELECT ?o { ?s ?p ?o FILTER(<urn:example:nope>(?o)) }"
    assert _rows(two_graphs.query(dropped)) == Counter()
    kept = "SELECT ?o { ?s ?p ?o FILTER(<urn:example:nope>(?o) || true) }"  # §17.2: E || true
    assert sum(_rows(two_graphs.query(kept)).values()) == 2
    unbound = "PREFIX f: <urn:example:> SELECT ?z { BIND(f:a(f:b()) AS ?z) } ORDER BY f:c()"
    assert _rows(two_graphs.query(unbound)) == Counter({("None",): 1})


def test_known_cast_is_never_replaced_by_an_unknown_function(two_graphs: OxigraphStore) -> None:
    query = (
        "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>"
        ' SELECT ?n ?z { BIND(xsd:integer("7") AS ?n) BIND(<urn:example:nope>() AS ?z) }'
    )
    assert _rows(two_graphs.query(query)) == Counter(
        {('"7"^^<http://www.w3.org/2001/XMLSchema#integer>', "None"): 1}
    )


def test_group_concat_of_tagged_strings_is_a_simple_literal(two_graphs: OxigraphStore) -> None:
    # SPARQL 1.1 Query §18.5.1.7: GROUP_CONCAT's result is a simple literal.
    query = 'SELECT (GROUP_CONCAT(?o ; separator=")") AS ?g) { VALUES ?o { "1"@en "2"@en } }'
    assert _rows(two_graphs.query(query)) == Counter({('"1)2"',): 1})


def test_upper_case_booleans_are_keywords(two_graphs: OxigraphStore) -> None:
    # SPARQL 1.1 Query §19.8: keywords, true and false among them, are case-insensitive.
    query = 'SELECT (TRUE AS ?t) (False AS ?f) ("TRUE" AS ?s) {}'
    xsd = "http://www.w3.org/2001/XMLSchema#boolean"
    assert _rows(two_graphs.query(query)) == Counter(
        {(f'"true"^^<{xsd}>', f'"false"^^<{xsd}>', '"TRUE"'): 1}
    )


def test_rewritten_query_reports_the_error_where_the_query_has_it(
    two_graphs: OxigraphStore,
) -> None:
    query = "SELECT (GROUP_CONCAT(?o) AS ?g) { ?s ?p ?o } GROUP BY ?s ORDER"
    with pytest.raises(SyntaxError) as raised:
        two_graphs.query(query)
    with pytest.raises(SyntaxError) as plain:
        ox.Store().query(query)
    assert str(raised.value) == str(plain.value)
