"""web/protocol/void.py + describe/catalog.py: VoID and DCAT from the live data; counts checked
independently."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from rdf_bodies import parse_body
from secgraph.build.pipeline import BuiltGraph
from secgraph.config import Settings
from secgraph.namespaces import DCAT, DCTERMS, GRAPH, ID, RDF, SG, VOID
from secgraph.terms import quad_to_rdflib
from secgraph.web import create_app
from secgraph.web.protocol.dumps import DUMPS

DATASET = URIRef("http://localhost/.well-known/void#dataset")


def _void(client: FlaskClient, accept: str = "text/turtle") -> Graph:
    response = client.get("/.well-known/void", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == accept
    assert "Accept" in response.vary
    rdf_format = ox.RdfFormat.from_media_type(accept)
    assert rdf_format is not None
    graph, bnodes = Graph(), dict[str, BNode]()
    for quad in parse_body(response.get_data(), rdf_format):
        subject, predicate, obj, _ = quad_to_rdflib(quad, bnodes)
        graph.add((subject, predicate, obj))
    return graph


def _count(graph: Graph, subject: Node, predicate: URIRef) -> int:
    value = graph.value(subject, predicate)
    assert isinstance(value, Literal), (subject, predicate)
    return int(value)


def _quads(built: BuiltGraph) -> list[ox.Quad]:
    return list(ox.parse(built.store.dump(ox.RdfFormat.N_QUADS), ox.RdfFormat.N_QUADS))


def test_void_counts_equal_counts_taken_from_the_dump(
    cited_client: FlaskClient, cited_built: BuiltGraph
) -> None:
    triples = {quad.triple for quad in _quads(cited_built)}
    void = _void(cited_client)
    assert (DATASET, RDF.type, VOID.Dataset) in void
    assert _count(void, DATASET, VOID.triples) == len(triples)
    assert _count(void, DATASET, VOID.distinctSubjects) == len({t.subject for t in triples})
    assert _count(void, DATASET, VOID.distinctObjects) == len({t.object for t in triples})
    entities = {
        t.subject
        for t in triples
        if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(str(ID))
    }
    assert _count(void, DATASET, VOID.entities) == len(entities)
    assert _count(void, DATASET, VOID.properties) == len({t.predicate for t in triples})


def test_class_partitions_count_distinct_instances(
    cited_client: FlaskClient, cited_built: BuiltGraph
) -> None:
    instances: defaultdict[str, set[object]] = defaultdict(set)
    for quad in _quads(cited_built):
        if quad.predicate.value == str(RDF.type):
            instances[quad.object.value].add(quad.subject)
    void = _void(cited_client)
    partitions = {
        str(void.value(part, VOID["class"])): _count(void, part, VOID.entities)
        for part in void.objects(DATASET, VOID.classPartition)
    }
    assert partitions == {name: len(members) for name, members in instances.items()}
    assert partitions[str(SG.Country)] == 4
    assert _count(void, DATASET, VOID.classes) == len(instances)


def test_property_partitions_count_distinct_triples(
    cited_client: FlaskClient, cited_built: BuiltGraph
) -> None:
    per_property: defaultdict[str, set[ox.Triple]] = defaultdict(set)
    for quad in _quads(cited_built):
        per_property[quad.predicate.value].add(quad.triple)
    void = _void(cited_client)
    partitions = {
        str(void.value(part, VOID.property)): _count(void, part, VOID.triples)
        for part in void.objects(DATASET, VOID.propertyPartition)
    }
    assert partitions == {name: len(found) for name, found in per_property.items()}


def test_each_named_graph_is_a_subset_with_its_source(
    cited_client: FlaskClient, cited_built: BuiltGraph
) -> None:
    sizes: defaultdict[str, int] = defaultdict(int)
    for quad in _quads(cited_built):
        sizes[quad.graph_name.value] += 1
    void = _void(cited_client)
    subsets = {
        str(s): _count(void, s, VOID.triples)
        for s in void.objects(DATASET, VOID.subset)
        if (s, RDF.type, VOID.Linkset) not in void  # linksets: tests/describe/test_linksets.py
    }
    assert subsets == sizes
    dialogue = GRAPH["dialogue-2008"]
    assert void.value(dialogue, DCTERMS.source) == ID["source-dialogue-2008"]
    assert void.value(GRAPH.members, DCTERMS.source) is None


def test_endpoint_dumps_and_vocabularies_are_listed(cited_client: FlaskClient) -> None:
    void = _void(cited_client)
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef("http://localhost/sparql")
    dumps = {str(dump) for dump in void.objects(DATASET, VOID.dataDump)}
    assert dumps == {f"http://localhost/dumps/{dump.filename}" for dump in DUMPS}
    vocabularies = {str(v) for v in void.objects(DATASET, VOID.vocabulary)}
    assert {str(SG), str(RDF), "http://www.w3.org/ns/org#"} <= vocabularies
    assert void.value(DATASET, VOID.uriSpace) == Literal(str(ID))


def test_dcat_distributions_and_access_service(cited_client: FlaskClient) -> None:
    void = _void(cited_client)
    assert (DATASET, RDF.type, DCAT.Dataset) in void
    distributions = list(void.objects(DATASET, DCAT.distribution))
    downloads = {str(void.value(d, DCAT.downloadURL)): d for d in distributions}
    ttl = downloads["http://localhost/dumps/secgraph.ttl"]
    assert str(void.value(ttl, DCAT.mediaType)).endswith("/media-types/text/turtle")
    services = [void.value(d, DCAT.accessService) for d in distributions]
    endpoints = {str(void.value(s, DCAT.endpointURL)) for s in services if s is not None}
    assert endpoints == {"http://localhost/sparql", "http://localhost/data"}
    for service in filter(None, services):
        assert void.value(service, DCAT.servesDataset) == DATASET
    assert void.value(DATASET, DCTERMS.title) is not None
    assert void.value(DATASET, DCTERMS.modified) is not None


def test_json_ld_is_offered_too(cited_client: FlaskClient) -> None:
    void = _void(cited_client, "application/ld+json")
    assert (DATASET, RDF.type, VOID.Dataset) in void


def test_turtle_is_the_default_and_html_is_not_offered(cited_client: FlaskClient) -> None:
    assert cited_client.get("/.well-known/void").mimetype == "text/turtle"
    response = cited_client.get("/.well-known/void", headers={"Accept": "text/html"})
    assert response.status_code == 406


def test_public_url_setting_makes_links_point_at_the_deployment(
    cited_settings: Settings, cited_built: BuiltGraph
) -> None:
    settings = Settings(root=cited_settings.root, public_url="https://kg.example.org/secgraph")
    client = create_app(settings, cited_built.store).test_client()
    void = _void(client)
    dataset = URIRef("https://kg.example.org/secgraph/.well-known/void#dataset")
    endpoint = URIRef("https://kg.example.org/secgraph/sparql")
    assert void.value(dataset, VOID.sparqlEndpoint) == endpoint


@pytest.mark.parametrize("url", ["ftp://example.org/", "/relative", "https://x.org/?q=1"])
def test_public_url_must_be_an_absolute_http_url(tmp_path: object, url: str) -> None:
    with pytest.raises(ValueError, match="public_url"):
        Settings(public_url=url)
