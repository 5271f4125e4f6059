"""query/answer.py: SPARQL JSON results written here are pyoxigraph's, byte for byte."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

from secgraph.build.pipeline import BuiltGraph
from secgraph.namespaces import XSD
from secgraph.query.answer import (
    RESULTS_JSON,
    QueryAnswer,
    QueryFailure,
    QueryJob,
    answer_query,
    results_json,
)
from secgraph.store.embedded import OxigraphStore
from secgraph.store.evaluation import MAX_UNSUPPORTED_FUNCTIONS

EX = "https://example.org/"
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
IRI_PART = st.text("abcXYZ09-._~/é", max_size=8)
TAG = st.sampled_from(["en", "es", "en-US", "zh-Hant-TW"])
DATATYPE = st.sampled_from(
    [
        "http://www.w3.org/2001/XMLSchema#string",
        "http://www.w3.org/2001/XMLSchema#integer",
        "http://www.w3.org/2001/XMLSchema#date",
        EX + "own-type",
    ]
)
TERM = st.one_of(
    st.builds(lambda part: ox.NamedNode(EX + part), IRI_PART),
    st.builds(lambda label: ox.BlankNode("b" + label), st.text("abc019", max_size=6)),
    st.builds(ox.Literal, TEXT),
    st.builds(lambda text, tag: ox.Literal(text, language=tag), TEXT, TAG),
    st.builds(lambda text, kind: ox.Literal(text, datatype=ox.NamedNode(kind)), TEXT, DATATYPE),
)
ROW = st.lists(st.one_of(st.none(), TERM), min_size=3, max_size=3)


def _document(rows: list[list[ox.Term | None]]) -> bytes:
    """The rows as a TSV results document (§3 of the TSV format: N-Triples terms)."""
    lines = ["?a\t?b\t?c"] + [
        "\t".join("" if term is None else str(term) for term in row) for row in rows
    ]
    return ("\n".join(lines) + "\n").encode()


@examples(max_examples=300, deadline=None)
@given(st.lists(ROW, max_size=6))
def test_results_json_is_byte_for_byte_pyoxigraphs(rows: list[list[ox.Term | None]]) -> None:
    tsv = ox.QueryResultsFormat.TSV
    expected = ox.parse_query_results(_document(rows), format=tsv)
    assert isinstance(expected, ox.QuerySolutions)
    solutions = list(ox.parse_query_results(_document(rows), format=tsv))
    written = results_json(["a", "b", "c"], solutions)
    assert written == expected.serialize(format=ox.QueryResultsFormat.JSON)


def test_results_json_of_no_variables_and_one_empty_row_is_pyoxigraphs() -> None:
    store = ox.Store()
    expected = store.query("SELECT * {}").serialize(format=ox.QueryResultsFormat.JSON)
    assert results_json([], list(store.query("SELECT * {}"))) == expected


def test_literal_with_a_base_direction_is_left_to_pyoxigraph() -> None:
    store = ox.Store()
    query = 'SELECT ?t { BIND("a"@en--ltr AS ?t) }'
    assert results_json(["t"], list(store.query(query))) is None
    answer = answer_query(OxigraphStore(store, union_default_graph=False), QueryJob(query))
    assert isinstance(answer, QueryAnswer)
    assert answer.body == store.query(query).serialize(format=ox.QueryResultsFormat.JSON)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o",
        "SELECT ?s ?label WHERE { ?s a ?c OPTIONAL { ?s rdfs:label ?label } } ORDER BY ?s ?label",
        "SELECT ?c (COUNT(*) AS ?n) WHERE { ?x a ?c } GROUP BY ?c ORDER BY DESC(?n) ?c",
    ],
)
def test_json_answer_is_the_one_pyoxigraph_writes_for_the_built_graph(
    built: BuiltGraph, query: str
) -> None:
    query = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> " + query
    answer = answer_query(built.store, QueryJob(query, solutions_format=RESULTS_JSON))
    assert isinstance(answer, QueryAnswer)
    expected = built.store.query(query)
    assert isinstance(expected, ox.QuerySolutions)
    assert answer.body == expected.serialize(format=ox.QueryResultsFormat.JSON)
    assert not answer.truncated


def test_unsupported_function_leaves_its_variable_unbound(built: BuiltGraph) -> None:
    # SPARQL 1.1 Query §17.6: an unknown function is an error when evaluated; a projected
    # expression that errs leaves its variable unbound. Here a mistyped xsd: IRI.
    job = QueryJob(
        'SELECT ?k (<ttp://www.w3.org/2001/XMLSchema#integer>("1") AS ?n) { BIND(1 AS ?k) }'
    )
    answer = answer_query(built.store, job)
    assert isinstance(answer, QueryAnswer)
    assert json.loads(answer.body)["results"]["bindings"] == [
        {"k": {"type": "literal", "value": "1", "datatype": str(XSD.integer)}}
    ]


def test_more_unknown_functions_than_registered_is_a_value_failure_not_a_crash(
    built: BuiltGraph,
) -> None:
    calls = " ".join(
        f"BIND(<urn:f:{index}>() AS ?v{index})" for index in range(MAX_UNSUPPORTED_FUNCTIONS + 1)
    )
    failure = answer_query(built.store, QueryJob(f"SELECT * {{ {calls} }}"))
    assert isinstance(failure, QueryFailure)
    assert failure.error == "value"
    assert "custom function" in failure.message
