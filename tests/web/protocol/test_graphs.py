"""web/protocol/graphs.py: the SPARQL 1.1 Graph Store Protocol read side at /data; one test per
rule."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from rdflib import BNode, Graph
from rdflib.compare import isomorphic
from werkzeug.test import TestResponse

from rdf_bodies import parse_body
from secgraph.build.pipeline import BuiltGraph
from secgraph.namespaces import GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH
from secgraph.terms import quad_to_rdflib

GRAPH_FORMATS = [
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
]
NAMED_GRAPHS = [GRAPH["dialogue-2008"], GRAPH.members, ONTOLOGY_GRAPH, INFERRED_GRAPH]


def _assert_headers(response: TestResponse, status: int, media_type: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == media_type
    assert "Accept" in response.vary


def _graph(quads: Iterable[ox.Quad]) -> Graph:
    graph, bnodes = Graph(), dict[str, BNode]()
    for quad in quads:
        subject, predicate, obj, _ = quad_to_rdflib(quad, bnodes)
        graph.add((subject, predicate, obj))
    return graph


def _stored(built: BuiltGraph) -> list[ox.Quad]:
    return list(ox.parse(built.store.dump(ox.RdfFormat.N_QUADS), ox.RdfFormat.N_QUADS))


def _served(response: TestResponse, rdf_format: ox.RdfFormat) -> list[ox.Quad]:
    return parse_body(response.get_data(), rdf_format)


@pytest.mark.parametrize(("media_type", "rdf_format"), GRAPH_FORMATS)
def test_default_graph_is_the_union_of_all_graphs(
    cited_client: FlaskClient, cited_built: BuiltGraph, media_type: str, rdf_format: ox.RdfFormat
) -> None:
    # §5.2: GET ?default equals CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } (default = union here).
    response = cited_client.get("/data?default", headers={"Accept": media_type})
    _assert_headers(response, 200, media_type)
    assert isomorphic(_graph(_served(response, rdf_format)), _graph(_stored(cited_built)))


@pytest.mark.parametrize(("media_type", "rdf_format"), GRAPH_FORMATS)
@pytest.mark.parametrize("name", NAMED_GRAPHS, ids=lambda name: str(name).rsplit("/", 1)[-1])
def test_named_graph_round_trips(
    cited_client: FlaskClient,
    cited_built: BuiltGraph,
    name: object,
    media_type: str,
    rdf_format: ox.RdfFormat,
) -> None:
    # §4.2 indirect identification: ?graph=<IRI>, percent-encoded by the client.
    response = cited_client.get(
        "/data", query_string={"graph": str(name)}, headers={"Accept": media_type}
    )
    _assert_headers(response, 200, media_type)
    stored = [q for q in _stored(cited_built) if q.graph_name == ox.NamedNode(str(name))]
    assert stored, "the fixture must hold something in every graph tested"
    assert isomorphic(_graph(_served(response, rdf_format)), _graph(stored))


def test_whole_dataset_keeps_each_graph(cited_client: FlaskClient, cited_built: BuiltGraph) -> None:
    response = cited_client.get("/data")
    _assert_headers(response, 200, "application/trig")
    served, stored = _served(response, ox.RdfFormat.TRIG), _stored(cited_built)
    names = {quad.graph_name for quad in stored}
    assert {quad.graph_name for quad in served} == names
    for name in names:
        assert isomorphic(
            _graph(q for q in served if q.graph_name == name),
            _graph(q for q in stored if q.graph_name == name),
        ), name


def test_whole_dataset_in_n_quads(cited_client: FlaskClient, cited_built: BuiltGraph) -> None:
    response = cited_client.get("/data", headers={"Accept": "application/n-quads"})
    _assert_headers(response, 200, "application/n-quads")
    assert len(_served(response, ox.RdfFormat.N_QUADS)) == len(_stored(cited_built))


def test_no_accept_header_gets_turtle(cited_client: FlaskClient) -> None:
    # §5: without Accept, "the server MUST return one of RDF XML, Turtle, or N-Triples".
    _assert_headers(cited_client.get("/data?default"), 200, "text/turtle")


def test_unknown_graph_is_404(cited_client: FlaskClient) -> None:
    response = cited_client.get("/data", query_string={"graph": str(GRAPH.nothing)})
    _assert_headers(response, 404, "text/plain")


def test_relative_graph_iri_is_400(cited_client: FlaskClient) -> None:
    # §4.2: "The query string IRI MUST be an absolute IRI and the server MUST respond with a
    # 400 Bad Request if it is not."
    response = cited_client.get("/data?graph=members")
    _assert_headers(response, 400, "text/plain")


@pytest.mark.parametrize(
    "query",
    [f"default&graph={GRAPH.members}", f"graph={GRAPH.members}&graph={ONTOLOGY_GRAPH}"],
    ids=["default-and-graph", "two-graphs"],
)
def test_ambiguous_target_is_400(cited_client: FlaskClient, query: str) -> None:
    _assert_headers(cited_client.get("/data?" + query), 400, "text/plain")


def test_unacceptable_format_is_406(cited_client: FlaskClient) -> None:
    # §5.2: "In the event that the specified representation format is not supported, a 406".
    response = cited_client.get("/data?default", headers={"Accept": "text/html"})
    _assert_headers(response, 406, "text/plain")


def test_dataset_is_not_offered_as_a_single_graph_format(cited_client: FlaskClient) -> None:
    response = cited_client.get("/data", headers={"Accept": "text/turtle"})
    _assert_headers(response, 406, "text/plain")


def test_head_is_get_without_a_body(cited_client: FlaskClient) -> None:
    # §5.6: "identical to GET except that the server MUST NOT return a message-body".
    response = cited_client.head("/data", query_string={"graph": str(GRAPH.members)})
    _assert_headers(response, 200, "text/turtle")
    assert response.get_data() == b""
    assert int(response.headers["Content-Length"]) > 0


def test_matching_etag_gets_304(cited_client: FlaskClient) -> None:
    first = cited_client.get("/data?default")
    etag = first.headers["ETag"]
    again = cited_client.get("/data?default", headers={"If-None-Match": etag})
    assert again.status_code == 304
    other = cited_client.get(
        "/data?default", headers={"If-None-Match": etag, "Accept": "application/n-triples"}
    )
    assert other.status_code == 200  # another representation, another tag


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE", "PATCH"])
def test_writes_are_refused_with_allow(cited_client: FlaskClient, method: str) -> None:
    # §5.1 and RFC 9110 §15.5.6: 405 Method Not Allowed lists the methods that are allowed.
    response = cited_client.open(
        "/data?default", method=method, data=b"<a:b> <a:c> <a:d> .", content_type="text/turtle"
    )
    assert response.status_code == 405
    allowed = {item.strip() for item in response.headers["Allow"].split(",")}
    assert {"GET", "HEAD"} <= allowed
    assert method not in allowed
