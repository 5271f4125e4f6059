"""web/federation.py: SERVICE reaches allowlisted endpoints only, with a timeout and a row cap;
results come back as VALUES. A real Oxigraph server on 127.0.0.1 plays the remote endpoint."""

from __future__ import annotations

import json
import select
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from secgraph.config import Settings
from secgraph.pipeline import BuiltGraph
from secgraph.web import create_app, federation
from secgraph.web.federation import (
    FederationError,
    check_syntax,
    find_service_blocks,
    service_spans,
)
from servers import FIXTURE_PROJECT, oxigraph_command, oxigraph_server

JSON = "application/sparql-results+json"
STAND_IN = Path(__file__).parent / "fixtures" / "federation" / "wikidata-stand-in.ttl"
SHIPPED = Path(__file__).parents[1]

# CARSI funding from secgraph, joined through the curated skos:exactMatch links with the
# population of each funder from the (stand-in) Wikidata endpoint.
CARSI_FUNDERS_WITH_POPULATION = """
PREFIX sg:   <https://w3id.org/secgraph/ontology#>
PREFIX id:   <https://w3id.org/secgraph/id/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX wdt:  <http://www.wikidata.org/prop/direct/>
SELECT ?funding ?amount ?funder ?population WHERE {
  ?funding sg:fundedInitiative id:carsi ; sg:funder ?funder ; sg:amount ?amount .
  ?funder skos:exactMatch ?item .
  SERVICE <%s> { ?item wdt:P1082 ?population }
} ORDER BY ?funding
"""
POPULATIONS = """
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
SELECT ?item ?population WHERE { SERVICE <%s> { ?item wdt:P1082 ?population } }
"""


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("SELECT * { SERVICE <http://example.org/s> { ?s ?p ?o } }", 1),
        ("select * { service silent ?endpoint { ?s ?p ?o } }", 1),
        ("SELECT * { ?s ?p 'SERVICE' }", 0),
        ('SELECT * { ?s ?p """a\nSERVICE b""" }', 0),
        ("SELECT * { ?s <http://example.org/SERVICE> ?o }", 0),
        ("PREFIX ex: <http://example.org/> SELECT * { ?s ex:SERVICE ?service }", 0),
        ("SELECT * { ?s ?p ?o } # SERVICE <x>", 0),
    ],
)
def test_service_keyword_is_found_only_where_it_is_a_keyword(query: str, count: int) -> None:
    assert len(service_spans(query)) == count


@pytest.mark.parametrize(
    "keyword", ["SERVICE", "Service", "\u017fervice", "SERV\u0130CE", "serv\u0131ce", "SERVICIO"]
)
def test_keyword_search_skipped_for_most_queries_finds_what_the_full_scan_finds(
    keyword: str,
) -> None:
    query = f"SELECT * {{ {keyword} <http://example.org/s> {{ ?s ?p ?o }} }}"
    visible = federation._HIDING.sub(federation._blank, query)
    scanned = [match.span() for match in federation._SERVICE.finditer(visible)]
    assert service_spans(query) == scanned


def test_a_valid_service_query_passes_the_check() -> None:
    query = "SELECT * {\n  SERVICE SILENT\n <http://192.0.2.1/sparql> { ?s ?p ?o } }"
    check_syntax(query, service_spans(query))  # would hang or fail if it fetched anything


def test_a_malformed_service_query_fails_where_the_parser_says() -> None:
    query = "SELECT * {\n  SERVICE <http://example.org/s> { ?s ?p } }"
    with pytest.raises(SyntaxError, match="error at 2:"):
        check_syntax(query, service_spans(query))


def test_service_blocks_are_found_with_their_endpoint_and_pattern() -> None:
    query = "SELECT * { ?a ?b ?c . SERVICE SILENT <http://e.example/q> { ?s ?p '}' } }"
    [block] = find_service_blocks(query)
    assert (block.endpoint, block.pattern, block.silent) == (
        "http://e.example/q",
        "{ ?s ?p '}' }",
        True,
    )
    assert query[block.start : block.end].startswith("SERVICE SILENT")


def test_a_nested_service_travels_inside_its_outer_block() -> None:
    query = (
        "SELECT * { SERVICE <http://a.example/q> { SERVICE <http://b.example/q> { ?s ?p ?o } } }"
    )
    assert [block.endpoint for block in find_service_blocks(query)] == ["http://a.example/q"]


@pytest.mark.parametrize("target", ["?endpoint", "ex:endpoint"])
def test_a_service_not_named_by_a_full_iri_is_refused(target: str) -> None:
    query = f"PREFIX ex: <http://example.org/> SELECT * {{ SERVICE {target} {{ ?s ?p ?o }} }}"
    with pytest.raises(FederationError, match="full IRI") as refused:
        find_service_blocks(query)
    assert refused.value.status == 400


@contextmanager
def silent_listener() -> Iterator[tuple[socket.socket, str]]:
    """A TCP socket on 127.0.0.1 that queues connections and never answers; yields its URL."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener, f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"


def _client(
    store_of: BuiltGraph, root: Path = FIXTURE_PROJECT, **federation: object
) -> FlaskClient:
    settings = Settings(root=root, **federation)  # type: ignore[arg-type]
    return create_app(settings, store_of.store).test_client()


def _ask(client: FlaskClient, query: str) -> tuple[int, dict[str, object]]:
    response = client.post(
        "/sparql", data={"query": query}, headers={"Accept": "application/json, " + JSON}
    )
    return response.status_code, json.loads(response.get_data())


def test_refused_target_answers_403_and_no_request_leaves(built: BuiltGraph) -> None:
    with silent_listener() as (listener, url):
        client = _client(built, federation_allowlist=("https://query.wikidata.org/sparql",))
        status, body = _ask(client, POPULATIONS % url)
        readable, _, _ = select.select([listener], [], [], 0)  # a connection would be queued
    assert status == 403
    assert body["error"] == "service-not-allowed"
    assert url in str(body["message"])
    assert "allowlist" in str(body["message"])
    assert readable == [], "a request reached the refused endpoint"


def test_a_silent_endpoint_times_out_with_a_clear_error(built: BuiltGraph) -> None:
    with silent_listener() as (_, url):
        client = _client(built, federation_allowlist=(url,), federation_timeout=0.5)
        status, body = _ask(client, POPULATIONS % url)
    assert status == 502
    assert body["error"] == "service-failed"
    assert "no answer within 0.5 s" in str(body["message"])


@pytest.fixture(scope="module")
def stand_in(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An Oxigraph server on 127.0.0.1 holding the Wikidata stand-in; yields its query URL."""
    location = tmp_path_factory.mktemp("wikidata-stand-in")
    load = [oxigraph_command(), "load", "--location", str(location), "--file", str(STAND_IN)]
    subprocess.run(load, check=True, capture_output=True)
    with oxigraph_server(location) as base:
        yield f"{base}/query"


def test_row_cap_is_enforced(built: BuiltGraph, stand_in: str) -> None:
    client = _client(built, federation_allowlist=(stand_in,), federation_row_cap=3)
    status, body = _ask(client, POPULATIONS % stand_in)
    assert status == 400
    assert body["error"] == "service-row-cap"
    assert "more than 3 rows" in str(body["message"])


def test_allowlisted_service_results_join_in(built: BuiltGraph, stand_in: str) -> None:
    client = _client(built, federation_allowlist=(stand_in,))
    status, body = _ask(client, POPULATIONS % stand_in)
    assert status == 200
    populations = {
        row["item"]["value"].rpartition("/")[2]: row["population"]["value"]
        for row in body["results"]["bindings"]  # type: ignore[index]
    }
    assert len(populations) == 8
    assert populations["Q774"] == "1000001"


def test_carsi_funding_joins_with_stand_in_populations(
    shipped_built: BuiltGraph, stand_in: str
) -> None:
    client = _client(shipped_built, root=SHIPPED, federation_allowlist=(stand_in,))
    status, body = _ask(client, CARSI_FUNDERS_WITH_POPULATION % stand_in)
    assert status == 200, body
    rows = [
        {name: cell["value"] for name, cell in row.items()}
        for row in body["results"]["bindings"]  # type: ignore[index]
    ]
    print("\nfederated query output (CARSI funding x stand-in population):")
    for row in rows:
        print("  " + "  ".join(f"{name}={value}" for name, value in sorted(row.items())))
    assert rows, "no CARSI funding joined with a population"
    assert {row["funder"] for row in rows} == {"https://w3id.org/secgraph/id/united-states"}
    assert {row["population"] for row in rows} == {"1000008"}  # the stand-in's figure for Q30
