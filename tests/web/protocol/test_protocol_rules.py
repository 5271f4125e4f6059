"""SPARQL 1.1 Protocol rules not covered one by one elsewhere: every results format and every
RDF format, each reached both by Accept and by the `format` parameter, and the dataset
parameters in a form body; status, Content-Type, Vary, then the body parsed back."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from test_sparql import (
    ASK,
    CONSTRUCT,
    EXPECTED_MEMBERS,
    FORM,
    MEMBERS,
    _bindings,
    expect,
)
from werkzeug.test import TestResponse

from secgraph.namespaces import GRAPH, ID
from secgraph.web.protocol.negotiation import (
    BOOLEAN_FORMATS,
    GRAPH_FORMATS,
    SOLUTIONS_FORMATS,
    Format,
)

WAYS = ("accept", "format")


def _get(client: FlaskClient, query: str, fmt: Format, way: str) -> TestResponse:
    # By Accept (§2.1.5 content negotiation) or by the `format` parameter (its short name).
    if way == "accept":
        return client.get(
            "/sparql", query_string={"query": query}, headers={"Accept": fmt.media_type}
        )
    return client.get("/sparql", query_string={"query": query, "format": fmt.names[0]})


def _members(response: TestResponse, fmt: Format) -> list[str]:
    if fmt.media_type == "text/csv":  # CSV keeps no term types: read it as CSV
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        assert rows[0] == ["member"]
        return [row[0] for row in rows[1:]]
    assert isinstance(fmt.serializer, ox.QueryResultsFormat)
    solutions = ox.parse_query_results(response.get_data(), format=fmt.serializer)
    assert isinstance(solutions, ox.QuerySolutions)
    return [row["member"].value for row in solutions]


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("fmt", SOLUTIONS_FORMATS, ids=lambda fmt: fmt.names[0])
def test_select_in_each_results_format(client: FlaskClient, fmt: Format, way: str) -> None:
    response = _get(client, MEMBERS, fmt, way)
    expect(response, 200, fmt.content_type)
    assert _members(response, fmt) == EXPECTED_MEMBERS


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("fmt", BOOLEAN_FORMATS, ids=lambda fmt: fmt.names[0])
def test_ask_in_each_results_format(client: FlaskClient, fmt: Format, way: str) -> None:
    response = _get(client, ASK, fmt, way)
    expect(response, 200, fmt.content_type)
    assert isinstance(fmt.serializer, ox.QueryResultsFormat)
    answer = ox.parse_query_results(response.get_data(), format=fmt.serializer)
    assert isinstance(answer, ox.QueryBoolean)
    assert bool(answer) is True


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=lambda fmt: fmt.names[0])
def test_construct_in_each_rdf_format(client: FlaskClient, fmt: Format, way: str) -> None:
    response = _get(client, CONSTRUCT, fmt, way)
    expect(response, 200, fmt.content_type)
    assert fmt.rdf_format is not None
    quads = list(ox.parse(response.get_data(), fmt.rdf_format))
    assert sorted(quad.subject.value for quad in quads) == EXPECTED_MEMBERS
    assert {quad.object.value for quad in quads} == {str(ID.sica)}


def test_dataset_parameters_in_a_form_body(client: FlaskClient) -> None:
    # §2.1.2: with a URL-encoded POST, default-graph-uri and named-graph-uri go in the body.
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    body = urlencode([("query", query), ("named-graph-uri", str(GRAPH.members))], doseq=True)
    response = client.post("/sparql", data=body, content_type=FORM)
    assert _bindings(response, "g") == [str(GRAPH.members)]
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    body = urlencode([("query", count), ("default-graph-uri", str(GRAPH.members))])
    response = client.post("/sparql", data=body, content_type=FORM)
    assert _bindings(response, "n") == ["3"]  # the members graph alone: 3 triples
