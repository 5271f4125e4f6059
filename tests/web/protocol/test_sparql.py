"""web/protocol/sparql.py: one test per SPARQL 1.1 Protocol rule; status, Content-Type, Vary,
body."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from secgraph.build.pipeline import build
from secgraph.config import settings_from_env
from secgraph.namespaces import GRAPH, ID, SG, sparql_prologue
from secgraph.web import create_app

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
MEMBERS = (
    sparql_prologue() + "SELECT ?member WHERE { id:sica sg:hasMember ?member } ORDER BY ?member"
)
EXPECTED_MEMBERS = [str(ID.belize), str(ID.guatemala), str(ID.honduras)]
ASK = sparql_prologue() + "ASK { id:honduras a sg:Actor }"
CONSTRUCT = (
    sparql_prologue() + "CONSTRUCT { ?m sg:memberOf id:sica } WHERE { id:sica sg:hasMember ?m }"
)
DESCRIBE = sparql_prologue() + "DESCRIBE id:belize"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"


def expect(response: TestResponse, status: int, content_type: str) -> None:
    """The headers every answer carries: status, exact Content-Type, Vary: Accept."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == content_type
    assert "Accept" in response.vary


def _bindings(response: TestResponse, name: str) -> list[str]:
    expect(response, 200, JSON)
    body = json.loads(response.get_data())
    return [row[name]["value"] for row in body["results"]["bindings"]]


def error_body(response: TestResponse, status: int, error: str) -> dict[str, object]:
    expect(response, status, "application/json")
    body: dict[str, object] = json.loads(response.get_data())
    assert body["error"] == error
    return body


def test_get_select_returns_sparql_json(client: FlaskClient) -> None:
    # §2.1.1 query via GET.
    response = client.get("/sparql", query_string={"query": MEMBERS})
    assert _bindings(response, "member") == EXPECTED_MEMBERS
    assert json.loads(response.get_data())["head"] == {"vars": ["member"]}


def test_post_form_query(client: FlaskClient) -> None:
    # §2.1.2 query via URL-encoded POST.
    response = client.post("/sparql", data=urlencode({"query": MEMBERS}), content_type=FORM)
    assert _bindings(response, "member") == EXPECTED_MEMBERS


def test_post_direct_query(client: FlaskClient) -> None:
    # §2.1.3 query via POST directly.
    response = client.post("/sparql", data=MEMBERS.encode(), content_type=DIRECT)
    assert _bindings(response, "member") == EXPECTED_MEMBERS


def test_head_answers_the_headers_of_get_without_a_body(client: FlaskClient) -> None:
    # RFC 9110 §9.3.2: HEAD is GET without the content.
    response = client.head("/sparql", query_string={"query": MEMBERS})
    expect(response, 200, JSON)
    assert response.get_data() == b""


def test_relative_iris_resolve_against_the_endpoint(client: FlaskClient) -> None:
    # SPARQL 1.1 Query §4.1.1.1: the service sets the base IRI; here, the endpoint's URL.
    response = client.get("/sparql", query_string={"query": "SELECT (<id/x> AS ?i) {}"})
    assert _bindings(response, "i") == ["http://localhost/id/x"]
    own_base = "BASE <http://example.org/> SELECT (<x> AS ?i) {}"
    assert _bindings(client.get("/sparql", query_string={"query": own_base}), "i") == [
        "http://example.org/x"
    ]


def test_malformed_query_returns_400_with_position_in_json(client: FlaskClient) -> None:
    # §2.1.7: a malformed query gets 400 Bad Request; the parser says where.
    response = client.get(
        "/sparql",
        query_string={"query": "SELECT *\nWHERE { ?s ?p }"},
        headers={"Accept": "application/json"},
    )
    body = error_body(response, 400, "malformed-query")
    assert (body["line"], body["column"]) == (2, 16)  # as pyoxigraph's parser counts
    assert str(body["message"]).startswith("malformed query at line 2, column 16: expected")


def test_malformed_query_returns_400_with_position_in_text(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    expect(response, 400, TEXT)
    assert response.get_data(as_text=True).startswith("malformed query at line 1, column 25:")


def test_missing_query_returns_400(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"default-graph-uri": str(GRAPH.members)})
    expect(response, 400, TEXT)
    assert "exactly one 'query' parameter, got no" in response.get_data(as_text=True)


def test_two_queries_return_400(client: FlaskClient) -> None:
    response = client.get("/sparql?" + urlencode([("query", "ASK {}"), ("query", "ASK {}")]))
    expect(response, 400, TEXT)
    assert "got 2" in response.get_data(as_text=True)


def test_query_in_url_and_direct_body_returns_400(client: FlaskClient) -> None:
    response = client.post(
        "/sparql?" + urlencode({"query": "ASK {}"}), data=b"ASK {}", content_type=DIRECT
    )
    expect(response, 400, TEXT)


def test_post_with_another_content_type_returns_415(client: FlaskClient) -> None:
    response = client.post(
        "/sparql", data=b"ASK {}", content_type="text/plain", headers={"Accept": "application/json"}
    )
    body = error_body(response, 415, "unsupported-media-type")
    assert body["accepted"] == [FORM, DIRECT]


def test_direct_post_in_another_charset_returns_415(client: FlaskClient) -> None:
    # §2.1.3: the query travels UTF-8 encoded.
    response = client.post(
        "/sparql", data="ASK {}".encode("utf-16"), content_type=DIRECT + "; charset=UTF-16"
    )
    expect(response, 415, TEXT)


def test_another_method_returns_405_with_allow(client: FlaskClient) -> None:
    response = client.put("/sparql", query_string={"query": "ASK {}"})
    expect(response, 405, TEXT)
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("post", {"data": urlencode({"update": "CLEAR ALL"}), "content_type": FORM}),
        ("post", {"data": b"CLEAR ALL", "content_type": "application/sparql-update"}),
        ("get", {"query_string": {"update": "CLEAR ALL"}}),
    ],
    ids=["form", "direct", "get"],
)
def test_update_is_refused_with_400(
    client: FlaskClient, method: str, kwargs: dict[str, object]
) -> None:
    # §2.2 update operation: not served by this read-only endpoint.
    response = getattr(client, method)("/sparql", headers={"Accept": "application/json"}, **kwargs)
    body = error_body(response, 400, "update-not-supported")
    assert "endpoint is read-only" in str(body["message"])
    assert "Update is disabled" in str(body["message"])
    assert "--writes-enabled" in str(body["message"])  # says how to enable writes
    assert "update_endpoint" not in body


def test_service_clause_off_the_allowlist_returns_403(client: FlaskClient) -> None:
    # Federated query reaches allowlisted endpoints only; SILENT does not soften a refusal.
    query = "SELECT * WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": JSON})
    error_body(response, 403, "service-not-allowed")


def test_malformed_service_query_still_returns_400_with_position(client: FlaskClient) -> None:
    query = "SELECT * WHERE {\n  SERVICE <http://example.org/sparql> { ?s ?p } }"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": JSON})
    body = error_body(response, 400, "malformed-query")
    # The gate's parser refuses it before any engine sees it: the SERVICE block on line 2,
    # columns counted in the client's text (the endpoint's prologue taken off).
    assert (body["line"], body["column"]) == (2, 3)
    assert body["message"].startswith("malformed query at line 2, column 3: ")


def test_default_graph_uri_selects_the_default_graph(client: FlaskClient) -> None:
    # §2.1.4: protocol graph IRIs set the dataset.
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
        content_type=DIRECT,
    )
    assert _bindings(response, "g") == [str(GRAPH.members)]


def test_invalid_graph_uri_returns_400(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": MEMBERS, "default-graph-uri": "not an iri"}
    )
    expect(response, 400, TEXT)


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


def test_unsupported_function_answers_200_and_drops_the_filtered_rows(
    client: FlaskClient,
) -> None:
    # SPARQL 1.1 Query §17.6: an unknown function is an error when evaluated, so a FILTER using
    # it drops every row (§17.3) and BIND leaves its variable unbound; neither 400 nor 500.
    filtered = "SELECT ?s { ?s ?p ?o FILTER(<urn:example:unknown>(?o)) }"
    bound = 'SELECT ?n { BIND(<ttp://www.w3.org/2001/XMLSchema#integer>("1") AS ?n) }'
    for _ in range(2):  # the query process that saw them still answers
        response = client.get("/sparql", query_string={"query": filtered})
        assert response.status_code == 200
        assert response.get_json()["results"]["bindings"] == []
        response = client.get("/sparql", query_string={"query": bound})
        assert response.status_code == 200
        assert response.get_json()["results"]["bindings"] == [{}]
    assert client.get("/sparql", query_string={"query": MEMBERS}).status_code == 200
