"""The shipped graph published to a SPARQL server answers as the embedded store: every named query
of queries/, every view's JSON and a sample of resource pages, rows compared as multisets.

Each server runs on 127.0.0.1, started and stopped here: Oxigraph's (the test extra), and
Virtuoso Open Source when its `virtuoso-t` is installed (skipped, saying so, when it is not).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from paths import REPOSITORY
from secgraph.build.pipeline import BuiltGraph
from secgraph.config import Settings
from secgraph.describe.examples import load_examples
from secgraph.namespaces import ID
from secgraph.store.embedded import Store
from secgraph.store.publish import Endpoints, publish
from secgraph.store.remote import RemoteStore
from secgraph.web import create_app
from servers import oxigraph_server
from virtuoso import VirtuosoServer, virtuoso_server

SHIPPED = REPOSITORY
QUERIES = sorted((SHIPPED / "queries").glob("*.rq"))
CARSI = str(ID.carsi)
VIEWS = [
    "/views/funding",
    f"/views/funding?iri={CARSI}",
    "/views/timeline",
    f"/views/timeline?iri={ID.guatemala}",
    f"/views/network?iri={ID.sica}",
    "/?format=json",
    "/search?q=honduras",
]
DATASET_QUERIES = [
    # §13.2: a default graph of several graphs is their merge, each triple once.
    "SELECT ?l {from} WHERE {{ <https://w3id.org/secgraph/id/sica> "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?l }}",
    "SELECT (COUNT(*) AS ?n) {from} WHERE {{ ?s ?p ?o }}",
]
# Where Virtuoso 7.2.5 answers otherwise, and why: strict xfails, so each stays a known, exact
# difference (one that starts to agree fails, to be taken off this list).
_NON_ASCII = "a computed label comes back with '?' for the em dash (U+2014) the view writes"
VIRTUOSO_DIFFERS = {
    "funding-by-kind": "a computed text column differs ('since ' for 'to date')",
    "northern-triangle-commitments": "a projected boolean comes back as xsd:integer 1 / 0",
    "/views/funding": _NON_ASCII,
    f"/views/funding?iri={CARSI}": _NON_ASCII,
    f"/views/network?iri={ID.sica}": "the edges' label lists differ",
    "resource pages": "SP031 internal compiler error on a resource page's query (500)",
}
_BLANK = re.compile(r"_:[A-Za-z0-9]+|b[0-9a-f]{32}")


@pytest.fixture(scope="module")
def shipped_settings() -> Settings:
    return Settings(root=SHIPPED)


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def remote(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    shipped_built: BuiltGraph,
) -> Iterator[RemoteStore]:
    """The shipped build, published to a fresh server of each kind, as a RemoteStore."""
    location = tmp_path_factory.mktemp(request.param)
    if request.param == "oxigraph":
        with oxigraph_server(location) as base:
            publish(shipped_built.store, Endpoints.beside(base + "/query"))
            yield RemoteStore(base + "/query")
    else:
        with virtuoso_server(location) as server:
            publish(shipped_built.store, _virtuoso_endpoints(server))
            yield RemoteStore(server.sparql)


def _virtuoso_endpoints(server: VirtuosoServer) -> Endpoints:
    return Endpoints(server.sparql, server.graph_store, server.update)


@pytest.fixture(scope="module")
def clients(
    remote: RemoteStore, shipped_settings: Settings, shipped_built: BuiltGraph
) -> tuple[FlaskClient, FlaskClient]:
    embedded = create_app(shipped_settings, shipped_built.store).test_client()
    return embedded, create_app(shipped_settings, remote).test_client()


def _known_difference(request: pytest.FixtureRequest, key: str) -> None:
    if request.node.callspec.params.get("remote") == "virtuoso" and key in VIRTUOSO_DIFFERS:
        reason = f"Virtuoso: {VIRTUOSO_DIFFERS[key]}"
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))


def _answer(store: Store, sparql: str) -> object:
    """A result as comparable values: rows or triples as a multiset, blank node labels blanked."""
    result = store.query(sparql)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        names = [variable.value for variable in result.variables]
        return names, Counter(tuple(_shown(row[name]) for name in names) for row in result)
    return Counter(_BLANK.sub("_:", str(triple)) for triple in result)


def _shown(term: object) -> str:
    return "" if term is None else _BLANK.sub("_:", str(term))


@pytest.mark.parametrize("path", QUERIES, ids=[path.stem for path in QUERIES])
def test_named_query_answers_as_the_embedded_store(
    path: Path, remote: RemoteStore, shipped_built: BuiltGraph, request: pytest.FixtureRequest
) -> None:
    _known_difference(request, path.stem)
    sparql = path.read_text()
    expected = _answer(shipped_built.store, sparql)
    if not isinstance(expected, bool):  # an ASK may be false; rows or triples: some to compare
        assert Counter() not in (expected, *expected), "a query with no rows compares nothing"
    assert _answer(remote, sparql) == expected


@pytest.mark.parametrize("path", VIEWS)
def test_view_json_is_the_embedded_one(
    path: str, clients: tuple[FlaskClient, FlaskClient], request: pytest.FixtureRequest
) -> None:
    _known_difference(request, path)
    embedded, remote = clients
    expected = embedded.get(path, headers={"Accept": "application/json"})
    found = remote.get(path, headers={"Accept": "application/json"})
    assert expected.status_code == found.status_code == 200
    assert _as_multisets(found.get_json()) == _as_multisets(expected.get_json())


def _as_multisets(value: object) -> object:
    """JSON with each list as a multiset (rows a view does not order may come in any order)
    and blank node labels blanked: comparable across stores."""
    if isinstance(value, list):
        return sorted(json.dumps(_as_multisets(item), sort_keys=True) for item in value)
    if isinstance(value, dict):
        return {key: _as_multisets(item) for key, item in value.items()}
    return _BLANK.sub("_:", value) if isinstance(value, str) else value


def test_funding_view_counts_each_record_once(clients: tuple[FlaskClient, FlaskClient]) -> None:
    # The source's figures: CARSI FY2012 105,000,000 and FY 2008-2011 361,000,000 (a server's
    # own merge of the graphs counted each record once per source graph stating it).
    _, remote = clients
    measures = remote.get("/views/funding?format=json").get_json()["measures"]
    carsi = {m["series"]: m["value"] for m in measures if m["href"] == "/id/carsi"}
    assert carsi == {"FY 2012": "105000000", "FY 2008\u20132011": "361000000"}


def _sample_resources(store: Store) -> list[str]:
    result = store.query(
        "SELECT DISTINCT ?s WHERE { ?s a ?c"
        ' FILTER(STRSTARTS(STR(?s), "https://w3id.org/secgraph/id/")) } ORDER BY ?s'
    )
    assert isinstance(result, ox.QuerySolutions)
    resources = [row["s"].value for row in result]
    return resources[:: max(1, len(resources) // 25)]  # about 25, spread over the alphabet


def test_resource_pages_are_the_embedded_ones(
    clients: tuple[FlaskClient, FlaskClient],
    shipped_built: BuiltGraph,
    request: pytest.FixtureRequest,
) -> None:
    _known_difference(request, "resource pages")
    embedded, remote = clients
    sample = _sample_resources(shipped_built.store)
    assert len(sample) >= 20
    for iri in sample:
        path = "/id/" + iri[len(str(ID)) :]
        expected = embedded.get(path, headers={"Accept": "application/json"})
        found = remote.get(path, headers={"Accept": "application/json"})
        assert (found.status_code, found.content_type) == (200, expected.content_type), path
        assert _as_multisets(found.get_json()) == _as_multisets(expected.get_json()), path
        # The HTML page says what its JSON twin says; its lines compared as a multiset.
        expected = embedded.get(path, headers={"Accept": "text/html"})
        found = remote.get(path, headers={"Accept": "text/html"})
        assert (found.status_code, found.content_type) == (200, expected.content_type), path
        assert _lines(found.get_data(as_text=True)) == _lines(expected.get_data(as_text=True))


def _lines(html: str) -> Counter[str]:
    return Counter(_BLANK.sub("_:", line.strip()) for line in html.splitlines())


@pytest.mark.parametrize("sparql", DATASET_QUERIES)
def test_several_from_graphs_answer_as_the_embedded_store(
    sparql: str, remote: RemoteStore, shipped_built: BuiltGraph
) -> None:
    every = " ".join(f"FROM <{graph}>" for graph in shipped_built.store.named_graphs())
    query = sparql.format(**{"from": every})
    assert _answer(remote, query) == _answer(shipped_built.store, query)
    graphs = shipped_built.store.named_graphs()[:3]
    plain = sparql.format(**{"from": ""})
    found = remote.query(plain, default_graph_uris=graphs)
    expected = shipped_built.store.query(plain, default_graph_uris=graphs)
    assert isinstance(found, ox.QuerySolutions)
    assert isinstance(expected, ox.QuerySolutions)
    assert Counter(map(str, found)) == Counter(map(str, expected))


def test_unknown_function_answers_as_the_embedded_store(
    remote: RemoteStore, shipped_built: BuiltGraph
) -> None:
    # §17.6: an error where evaluated, so the FILTER keeps only rows where `||` is true anyway.
    sparql = (
        "SELECT ?s (<urn:example:nope>(?s) AS ?z) WHERE { ?s a <https://w3id.org/secgraph/"
        "ontology#Country> FILTER(<urn:example:nope>(?s) || true) }"
    )
    expected = _answer(shipped_built.store, sparql)
    assert isinstance(expected, tuple)
    assert sum(expected[1].values()) > 0
    assert _answer(remote, sparql) == expected


def test_examples_are_the_named_queries() -> None:
    # The list this module walks is the one the home page offers.
    assert {example.slug for example in load_examples(SHIPPED / "queries")} == {
        path.stem for path in QUERIES
    }
