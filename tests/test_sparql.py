"""web/sparql.py: one test per SPARQL 1.1 Protocol rule; status, Content-Type, Vary, body."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from secgraph.config import settings_from_env
from secgraph.namespaces import GRAPH, ID, SG, sparql_prologue
from secgraph.pipeline import build
from secgraph.web import create_app

JSON = "application/sparql-results+json"
MEMBERS = (
    sparql_prologue() + "SELECT ?member WHERE { id:sica sg:hasMember ?member } ORDER BY ?member"
)
EXPECTED_MEMBERS = [str(ID.belize), str(ID.guatemala), str(ID.honduras)]


def _assert_protocol_headers(response: TestResponse, status: int, media_type: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == media_type
    assert "Accept" in response.vary


def _bindings(response: TestResponse, name: str) -> list[str]:
    _assert_protocol_headers(response, 200, JSON)
    body = json.loads(response.get_data())
    return [row[name]["value"] for row in body["results"]["bindings"]]


def test_get_select_returns_sparql_json(client: FlaskClient) -> None:
    # §2.1.1 query via GET.
    response = client.get("/sparql", query_string={"query": MEMBERS})
    assert _bindings(response, "member") == EXPECTED_MEMBERS
    assert json.loads(response.get_data())["head"] == {"vars": ["member"]}


def test_post_form_query(client: FlaskClient) -> None:
    # §2.1.2 query via URL-encoded POST.
    response = client.post(
        "/sparql",
        data=urlencode({"query": MEMBERS}),
        content_type="application/x-www-form-urlencoded",
    )
    assert _bindings(response, "member") == EXPECTED_MEMBERS


def test_post_direct_query(client: FlaskClient) -> None:
    # §2.1.3 query via POST directly.
    response = client.post(
        "/sparql", data=MEMBERS.encode(), content_type="application/sparql-query"
    )
    assert _bindings(response, "member") == EXPECTED_MEMBERS


def test_ask_returns_a_json_boolean(client: FlaskClient) -> None:
    query = sparql_prologue() + "ASK { id:honduras a sg:Actor }"
    response = client.get("/sparql", query_string={"query": query})
    _assert_protocol_headers(response, 200, JSON)
    assert json.loads(response.get_data()) == {"head": {}, "boolean": True}


def test_construct_returns_turtle_by_default(client: FlaskClient) -> None:
    query = (
        sparql_prologue() + "CONSTRUCT { ?m sg:memberOf id:sica } WHERE { id:sica sg:hasMember ?m }"
    )
    response = client.get("/sparql", query_string={"query": query})
    _assert_protocol_headers(response, 200, "text/turtle")
    triples = list(ox.parse(response.get_data(), ox.RdfFormat.TURTLE))
    assert sorted(quad.subject.value for quad in triples) == EXPECTED_MEMBERS


def test_construct_honours_accept_n_triples(client: FlaskClient) -> None:
    query = sparql_prologue() + "DESCRIBE id:belize"
    response = client.get(
        "/sparql", query_string={"query": query}, headers={"Accept": "application/n-triples"}
    )
    _assert_protocol_headers(response, 200, "application/n-triples")
    triples = list(ox.parse(response.get_data(), ox.RdfFormat.N_TRIPLES))
    assert {quad.subject.value for quad in triples} == {str(ID.belize)}
    assert len(triples) >= 3


def test_malformed_query_returns_400_with_position(client: FlaskClient) -> None:
    # §2.1.7: a malformed query gets 400 Bad Request.
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    _assert_protocol_headers(response, 400, "text/plain")
    assert response.get_data(as_text=True).startswith("error at 1:25: expected")


def test_missing_query_returns_400(client: FlaskClient) -> None:
    response = client.get("/sparql")
    _assert_protocol_headers(response, 400, "text/plain")
    assert "exactly one 'query' parameter, got no" in response.get_data(as_text=True)


def test_two_queries_return_400(client: FlaskClient) -> None:
    response = client.get("/sparql?" + urlencode([("query", "ASK {}"), ("query", "ASK {}")]))
    _assert_protocol_headers(response, 400, "text/plain")


def test_post_with_another_content_type_returns_415(client: FlaskClient) -> None:
    response = client.post("/sparql", data=b"ASK {}", content_type="text/plain")
    _assert_protocol_headers(response, 415, "text/plain")


def test_default_graph_uri_selects_the_default_graph(client: FlaskClient) -> None:
    response = client.get(
        "/sparql",
        query_string={"query": MEMBERS, "default-graph-uri": str(GRAPH.members)},
    )
    assert _bindings(response, "member") == []  # hasMember is inferred, not in that graph
    query = sparql_prologue() + "SELECT ?c WHERE { ?c sg:memberOf id:sica }"
    response = client.get(
        "/sparql", query_string={"query": query, "default-graph-uri": str(GRAPH.members)}
    )
    assert _bindings(response, "c") == [str(ID.honduras)]


def test_named_graph_uri_limits_the_named_graphs(client: FlaskClient) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = client.post(
        "/sparql?" + urlencode({"named-graph-uri": str(GRAPH.members)}),
        data=query.encode(),
        content_type="application/sparql-query",
    )
    assert _bindings(response, "g") == [str(GRAPH.members)]


def test_invalid_graph_uri_returns_400(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": MEMBERS, "default-graph-uri": "not an iri"}
    )
    _assert_protocol_headers(response, 400, "text/plain")


def test_default_graph_is_the_union_with_inferences(client: FlaskClient) -> None:
    query = sparql_prologue() + "SELECT ?x WHERE { ?x sg:partOf id:citizen-security-partnership }"
    response = client.get("/sparql", query_string={"query": query})
    assert sorted(_bindings(response, "x")) == [str(ID.carsi), str(ID["carsi-safe-streets"])]


@pytest.fixture
def file_client(tmp_path: Path) -> FlaskClient:
    """An app serving a data file as-is, as the W3C conformance harness runs it."""
    data = tmp_path / "data.trig"
    data.write_text(
        f'<{ID.a}> <{SG.name}> "default" .\n<{GRAPH.g}> {{ <{ID.a}> <{SG.name}> "named" . }}\n',
        encoding="utf-8",
    )
    settings = settings_from_env({"root": tmp_path, "data_file": data}, environ={})
    return create_app(settings, build(settings).store).test_client()


def test_served_file_keeps_its_own_default_graph(file_client: FlaskClient) -> None:
    response = file_client.get("/sparql", query_string={"query": "SELECT ?o { ?s ?p ?o }"})
    assert _bindings(response, "o") == ["default"]
    named = "SELECT ?o { GRAPH ?g { ?s ?p ?o } }"
    assert _bindings(file_client.get("/sparql", query_string={"query": named}), "o") == ["named"]
