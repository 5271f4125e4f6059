"""query/federation.py: SERVICE reaches allowlisted endpoints only, with a timeout and a row cap;
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

from paths import REPOSITORY, TESTS
from secgraph.build.pipeline import BuiltGraph
from secgraph.config import Settings
from secgraph.query.federation import FederationError, FederationPolicy, find_service_blocks
from secgraph.sparql.gate import GateRefusalError
from secgraph.web import create_app
from servers import FIXTURE_PROJECT, oxigraph_command, oxigraph_server

JSON = "application/sparql-results+json"
STAND_IN = TESTS / "fixtures" / "federation" / "wikidata-stand-in.ttl"
SHIPPED = REPOSITORY

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


ALLOW_A = FederationPolicy(allowlist={"http://a.example/q"}, timeout=1.0, row_cap=10)


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("SELECT * { SERVICE <http://a.example/q> { ?s ?p ?o } }", 1),
        ("select * { service silent <http://a.example/q> { ?s ?p ?o } }", 1),
        ("SELECT * { ?s ?p 'SERVICE' }", 0),
        ('SELECT * { ?s ?p """a\nSERVICE b""" }', 0),
        ("SELECT * { ?s <http://example.org/SERVICE> ?o }", 0),
        ("PREFIX ex: <http://example.org/> SELECT * { ?s ex:SERVICE ?service }", 0),
        ("SELECT * { ?s ?p ?o } # SERVICE <x>", 0),
        ("SELECT * { ?s ?p ?o FILTER(?o != 'SERVICE <http://a.example/q> {}') }", 0),
    ],
)
def test_service_blocks_are_found_only_where_service_is_a_keyword(query: str, count: int) -> None:
    blocks, _ = find_service_blocks(query, ALLOW_A)
    assert len(blocks) == count


def test_service_blocks_are_found_with_their_endpoint_and_pattern() -> None:
    query = "SELECT * { ?a ?b ?c . SERVICE SILENT <http://a.example/q> { ?s ?p '}' } }"
    [block], _ = find_service_blocks(query, ALLOW_A)
    assert (block.endpoint, block.pattern, block.silent) == (
        "http://a.example/q",
        "{ ?s ?p '}' }",
        True,
    )
    assert query[block.start : block.end].startswith("SERVICE SILENT")


def test_a_service_beside_a_string_that_spells_one_is_placed_right() -> None:
    query = (
        "SELECT * { ?s ?p 'SERVICE <http://a.example/q> { ?x ?y ?z }' . "
        "SERVICE <http://a.example/q> { ?s ?p ?o } }"
    )
    [block], _ = find_service_blocks(query, ALLOW_A)
    assert query[block.start : block.end] == "SERVICE <http://a.example/q> { ?s ?p ?o }"


def test_the_remote_prologue_is_written_from_the_parse() -> None:
    query = (
        "BASE <http://b.example/> PREFIX ex: <http://example.org/> "
        "SELECT * { SERVICE <http://a.example/q> { ?s ex:p ?o } }"
    )
    _, prologue = find_service_blocks(query, ALLOW_A)
    assert prologue.splitlines() == ["BASE <http://b.example/>", "PREFIX ex: <http://example.org/>"]


def test_a_nested_service_is_refused() -> None:
    query = (
        "SELECT * { SERVICE <http://a.example/q> { SERVICE <http://b.example/q> { ?s ?p ?o } } }"
    )
    with pytest.raises(GateRefusalError) as refused:
        find_service_blocks(query, ALLOW_A)
    assert refused.value.status == 400


def test_a_service_named_by_a_variable_is_refused() -> None:
    query = "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }"
    with pytest.raises(FederationError, match="full IRI") as refused:
        find_service_blocks(query, ALLOW_A)
    assert refused.value.status == 400


@pytest.mark.parametrize(
    ("declared", "status"), [("http://a.example/", None), ("http://elsewhere.example/", 403)]
)
def test_a_prefixed_service_name_is_checked_as_the_iri_it_stands_for(
    declared: str, status: int | None
) -> None:
    query = f"PREFIX ex: <{declared}> SELECT * {{ SERVICE ex:q {{ ?s ?p ?o }} }}"
    if status is None:
        [block], _ = find_service_blocks(query, ALLOW_A)
        assert block.endpoint == "http://a.example/q"
        return
    with pytest.raises(FederationError) as refused:
        find_service_blocks(query, ALLOW_A)
    assert refused.value.status == status


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


def test_the_remote_prologue_keeps_the_hash_of_its_namespaces() -> None:
    """Most vocabularies end in '#' (rdfs:, owl:, xsd:): the remote query names them as the
    query does, not as the gate's copy of the text reads them."""
    query = (
        "BASE <http://b.example/dir#frag>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        'SELECT * { ?s rdfs:comment "see #2" . SERVICE <http://a.example/q> { ?s rdfs:label ?o } }'
    )
    blocks, prologue = find_service_blocks(query, ALLOW_A)
    assert prologue.splitlines() == [
        "BASE <http://b.example/dir#frag>",
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>",
    ]
    assert [block.endpoint for block in blocks] == ["http://a.example/q"]  # the '#' in a string


def test_iris_the_gates_copy_cannot_tell_apart_are_refused() -> None:
    query = (
        "PREFIX a: <http://example.org/x#> PREFIX b: <http://example.org/x~> "
        "SELECT * { SERVICE <http://a.example/q> { ?s a:p ?o } }"
    )
    with pytest.raises(GateRefusalError) as refused:
        find_service_blocks(query, ALLOW_A)
    assert refused.value.status == 400
