"""web/protocol/service.py: GET /sparql without a query describes the service (Service Description
§2)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from secgraph.build.pipeline import BuiltGraph, build
from secgraph.config import settings_from_env
from secgraph.namespaces import ENTAILMENT, FORMATS, ID, OWL_PROFILE, RDF, RDFS, SD, SG, VOID
from secgraph.store.embedded import DEFAULT_GRAPH
from secgraph.terms import quad_to_rdflib
from secgraph.web import create_app

FORMATS_PARSED = [
    ("text/turtle", "text/turtle; charset=utf-8"),
    ("application/ld+json", "application/ld+json"),
    ("application/rdf+xml", "application/rdf+xml; charset=utf-8"),
    ("application/n-triples", "application/n-triples"),
]


def _parse(body: bytes, content_type: str) -> Graph:
    """Parse with pyoxigraph (rdflib's JSON-LD parser warns), navigate with rdflib."""
    rdf_format = ox.RdfFormat.from_media_type(content_type)
    assert rdf_format is not None, content_type
    graph = Graph()
    bnodes: dict[str, BNode] = {}
    for quad in ox.parse(body, rdf_format):
        subject, predicate, obj, _ = quad_to_rdflib(quad, bnodes)
        graph.add((subject, predicate, obj))
    return graph


def _description(client: FlaskClient, accept: str = "", **query: str) -> Graph:
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", query_string=query, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "Accept" in response.vary
    return _parse(response.get_data(), response.headers["Content-Type"])


def _service(graph: Graph) -> Node:
    services = list(graph.subjects(RDF.type, SD.Service))
    assert len(services) == 1
    return services[0]


@pytest.mark.parametrize(("accept", "content_type"), FORMATS_PARSED)
def test_description_is_content_negotiated(
    client: FlaskClient, accept: str, content_type: str
) -> None:
    response = client.get("/sparql", headers={"Accept": accept})
    assert (response.status_code, response.headers["Content-Type"]) == (200, content_type)
    assert "Accept" in response.vary
    graph = _parse(response.get_data(), content_type)
    assert (None, SD.endpoint, URIRef("http://localhost/sparql")) in graph


def test_description_is_turtle_by_default_and_format_parameter_works(client: FlaskClient) -> None:
    assert client.get("/sparql").headers["Content-Type"] == "text/turtle; charset=utf-8"
    response = client.get("/sparql", query_string={"format": "jsonld"})
    assert response.headers["Content-Type"] == "application/ld+json"


def test_description_names_the_endpoint_language_and_result_formats(client: FlaskClient) -> None:
    graph = _description(client)
    service = _service(graph)
    assert graph.value(service, SD.endpoint) == URIRef("http://localhost/sparql")
    assert set(graph.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query}
    names = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV"]
    names += ["SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG", "N-Quads"]
    assert set(graph.objects(service, SD.resultFormat)) == {FORMATS[name] for name in names}


def test_description_claims_union_default_graph_and_owl_rl_entailment(client: FlaskClient) -> None:
    graph = _description(client)
    service = _service(graph)
    # SERVICE reaches the default allowlist (Wikidata, DBpedia): federated query is claimed.
    assert set(graph.objects(service, SD.feature)) == {SD.UnionDefaultGraph, SD.BasicFederatedQuery}
    assert graph.value(service, SD.defaultEntailmentRegime) == ENTAILMENT["OWL-RDF-Based"]
    assert graph.value(service, SD.defaultSupportedEntailmentProfile) == OWL_PROFILE.RL


def test_description_counts_the_triples_of_every_named_graph(
    client: FlaskClient, built: BuiltGraph
) -> None:
    graph = _description(client, "application/n-triples")
    dataset = graph.value(_service(graph), SD.defaultDataset)
    described = {}
    for named in graph.objects(dataset, SD.namedGraph):
        assert graph.value(named, SD.entailmentRegime) == ENTAILMENT.Simple
        size = graph.value(graph.value(named, SD.graph), VOID.triples)
        described[str(graph.value(named, SD.name))] = int(size)  # type: ignore[arg-type]
    sizes = built.store.graph_sizes()
    assert described == {name: n for name, n in sizes.items() if name != DEFAULT_GRAPH}
    assert len(described) == 4


def test_description_counts_the_union_default_graph_as_a_set(
    client: FlaskClient, built: BuiltGraph
) -> None:
    graph = _description(client)
    default = graph.value(graph.value(_service(graph), SD.defaultDataset), SD.defaultGraph)
    size = graph.value(default, VOID.triples)
    assert isinstance(size, Literal)
    assert 0 < int(size) <= sum(built.store.graph_sizes().values())


def test_description_uses_the_public_url(tmp_path: Path, built: BuiltGraph) -> None:
    settings = settings_from_env(
        {"root": tmp_path, "public_url": "https://data.example.org/secgraph"}, environ={}
    )
    client = create_app(settings, built.store).test_client()
    graph = _description(client)
    expected = URIRef("https://data.example.org/secgraph/sparql")
    assert graph.value(_service(graph), SD.endpoint) == expected


def test_served_file_is_described_with_simple_entailment(tmp_path: Path) -> None:
    data = tmp_path / "data.trig"
    data.write_text(f'<{ID.a}> <{SG.name}> "a" .\n<{ID.g}> {{ <{ID.a}> <{SG.name}> "b" . }}\n')
    settings = settings_from_env({"root": tmp_path, "data_file": data}, environ={})
    client = create_app(settings, build(settings).store).test_client()
    graph = _description(client)
    service = _service(graph)
    assert graph.value(service, SD.defaultEntailmentRegime) == ENTAILMENT.Simple
    assert SD.UnionDefaultGraph not in set(graph.objects(service, SD.feature))
    dataset = graph.value(service, SD.defaultDataset)
    default = graph.value(dataset, SD.defaultGraph)
    assert int(graph.value(default, VOID.triples)) == 1  # type: ignore[arg-type]
    names = [graph.value(named, SD.name) for named in graph.objects(dataset, SD.namedGraph)]
    assert names == [ID.g]


def test_description_with_an_unacceptable_accept_returns_406(client: FlaskClient) -> None:
    response = client.get("/sparql", headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 406
    assert response.headers["Content-Type"] == "application/json"
    assert "Accept" in response.vary


def test_head_describes_without_a_body(client: FlaskClient) -> None:
    response = client.head("/sparql")
    assert (response.status_code, response.get_data()) == (200, b"")
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"


def test_description_claims_federated_query_and_names_the_allowlist(
    tmp_path: Path, built: BuiltGraph
) -> None:
    allowlist = ("https://query.wikidata.org/sparql", "http://127.0.0.1:7878/query")
    settings = settings_from_env({"root": tmp_path, "federation_allowlist": allowlist}, environ={})
    graph = _description(create_app(settings, built.store).test_client())
    service = _service(graph)
    assert SD.BasicFederatedQuery in set(graph.objects(service, SD.feature))
    [note] = graph.objects(service, RDFS.comment)
    assert isinstance(note, Literal)
    assert note.language == "en"
    assert str(note).endswith(": http://127.0.0.1:7878/query, https://query.wikidata.org/sparql")


def test_description_claims_no_federation_when_the_allowlist_is_empty(
    tmp_path: Path, built: BuiltGraph
) -> None:
    settings = settings_from_env({"root": tmp_path, "federation_allowlist": ()}, environ={})
    graph = _description(create_app(settings, built.store).test_client())
    service = _service(graph)
    assert SD.BasicFederatedQuery not in set(graph.objects(service, SD.feature))
    assert list(graph.objects(service, RDFS.comment)) == []
