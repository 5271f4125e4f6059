"""store/remote.py against a real Oxigraph server the fixture project is published to: what
RemoteStore answers is what the embedded store answers for the same build."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pyoxigraph as ox
import pytest
import requests

from secgraph.build.pipeline import BuiltGraph
from secgraph.namespaces import GENID, GRAPH, ID, INFERRED_GRAPH, ONTOLOGY_GRAPH, RDFS
from secgraph.namespaces import sparql_prologue as prologue
from secgraph.sparql.client import RemoteError
from secgraph.store.embedded import Store
from secgraph.store.publish import Endpoints, PublishReport, publish
from secgraph.store.remote import RemoteStore
from servers import free_port, oxigraph_server

QUERIES = {
    "members": "SELECT ?m WHERE { id:sica sg:hasMember ?m } ORDER BY ?m",
    "labels per graph": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s rdfs:label ?l } }"
    " GROUP BY ?g ORDER BY ?g",
    "inferred actors": "SELECT ?a WHERE { GRAPH graph:inferred { ?a a sg:Actor }"
    " FILTER(isIRI(?a)) } ORDER BY ?a",
    "blank actors": "SELECT (COUNT(*) AS ?n) WHERE { ?a a sg:Actor FILTER(isBlank(?a)) }",
    "union default graph": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "from clause": "SELECT (COUNT(*) AS ?n) FROM graph:members WHERE { ?s ?p ?o }",
    "ask": "ASK { id:guatemala sg:memberOf id:sica }",
    "unbound optional": "SELECT ?c ?d WHERE { ?c a sg:Country OPTIONAL { ?c sg:date ?d } }"
    " ORDER BY ?c",
}


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as base:
        yield base


@pytest.fixture(scope="module")
def published(oxigraph: str, built: BuiltGraph) -> PublishReport:
    return publish(built.store, Endpoints.beside(oxigraph + "/query"))


@pytest.fixture
def remote(oxigraph: str, published: PublishReport) -> RemoteStore:
    return RemoteStore(oxigraph + "/query")


def rows(store: Store, query: str, **bindings: ox.NamedNode | ox.Literal) -> object:
    """A query's answer as comparable values; blank node labels, which differ, as ``_:``."""
    result = store.query(prologue() + query, bindings=bindings or None)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        names = [variable.value for variable in result.variables]
        return [tuple(_shown(row[name]) for name in names) for row in result]
    return sorted(tuple(_shown(term) for term in triple) for triple in result)


def _shown(term: object) -> str:
    return "_:" if isinstance(term, ox.BlankNode) else str(term)


def test_publish_pushes_every_graph_to_an_oxigraph_server(
    published: PublishReport, remote: RemoteStore, built: BuiltGraph
) -> None:
    sizes = built.store.graph_sizes()
    assert published.graphs == sizes
    assert {str(INFERRED_GRAPH), str(ONTOLOGY_GRAPH)} <= set(remote.named_graphs())
    assert (
        remote.graph_sizes()
        == sizes
        == {
            str(GRAPH["dialogue-2008"]): 27,
            str(INFERRED_GRAPH): 15,
            str(GRAPH.members): 3,
            str(ONTOLOGY_GRAPH): 47,
        }
    )


def test_remote_version_is_the_published_build_fingerprint(
    remote: RemoteStore, built: BuiltGraph
) -> None:
    assert remote.version == built.store.version
    assert re.fullmatch(r"[0-9a-f]{64}", remote.version)


def test_remote_data_time_is_the_publication_time(
    remote: RemoteStore, published: PublishReport
) -> None:
    # dcterms:modified of graph:publication, written by publish(): whole seconds, UTC.
    assert remote.modified is not None
    assert remote.modified.tzinfo is not None
    age = datetime.now(UTC) - remote.modified
    assert timedelta(0) <= age < timedelta(hours=1)


@pytest.mark.parametrize("name", QUERIES)
def test_remote_store_answers_as_the_embedded_store(
    name: str, remote: RemoteStore, built: BuiltGraph
) -> None:
    expected = rows(built.store, QUERIES[name])
    assert expected  # the comparison means something only if there is an answer
    assert rows(remote, QUERIES[name]) == expected


def test_construct_parses_into_pyoxigraph_triples(remote: RemoteStore, built: BuiltGraph) -> None:
    query = "CONSTRUCT { ?c sg:memberOf ?o } WHERE { ?c a sg:Country ; sg:memberOf ?o }"
    assert isinstance(remote.query(prologue() + query), ox.QueryTriples)
    assert rows(remote, query) == rows(built.store, query)
    assert len(rows(remote, query)) == 3  # type: ignore[arg-type]


def test_bindings_travel_as_values_never_as_query_text(remote: RemoteStore) -> None:
    query = "SELECT ?label WHERE { ?x rdfs:label ?label }"
    assert rows(remote, query, x=ox.NamedNode(str(ID.honduras))) == [('"Honduras"@en',)]
    hostile = ox.Literal('x" } } ; DROP ALL ; SELECT * { "')
    assert rows(remote, "SELECT ?x WHERE { ?x rdfs:label ?label }", label=hostile) == []
    assert remote.graph_sizes()[str(GRAPH.members)] == 3


def test_protocol_graph_uris_restrict_the_dataset(remote: RemoteStore, built: BuiltGraph) -> None:
    members = [str(GRAPH.members)]
    for store in (remote, built.store):
        count = store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph_uris=members
        )
        assert [int(row["n"].value) for row in count] == [3]  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="Invalid IRI"):
        remote.query("ASK {}", default_graph_uris=["not an iri"])


def test_blank_node_shared_by_two_graphs_survives_publication(
    remote: RemoteStore, built: BuiltGraph
) -> None:
    # graph:dialogue-2008 labels the blank node, graph:inferred types it: one node, two graphs.
    query = 'SELECT ?x WHERE { ?x a sg:Actor ; rdfs:label "an unnamed local partner"@en }'
    [(node,)] = [tuple(row) for row in remote.query(prologue() + query)]  # type: ignore[union-attr]
    assert isinstance(node, ox.BlankNode)
    assert rows(remote, query) == rows(built.store, query) == [("_:",)]
    # A blank node from one answer can be asked about in the next, as in the embedded store.
    labels = remote.query(f"SELECT ?l WHERE {{ ?x <{RDFS.label}> ?l }}", bindings={"x": node})
    assert [row["l"].value for row in labels] == ["an unnamed local partner"]  # type: ignore[union-attr]


def test_blank_nodes_are_skolem_iris_on_the_server(oxigraph: str, published: PublishReport) -> None:
    query = (
        "SELECT ?x WHERE { GRAPH ?g { ?x a ?c } FILTER(isBlank(?x) || STRSTARTS(STR(?x), ?genid)) }"
    )
    answer = requests.post(
        oxigraph + "/query",
        data={"query": query.replace("?genid", f'"{GENID}"')},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    ).json()
    [value] = {row["x"]["value"] for row in answer["results"]["bindings"]}
    assert value.startswith(str(GENID))
    assert {row["x"]["type"] for row in answer["results"]["bindings"]} == {"uri"}


def test_dump_holds_the_same_quads(remote: RemoteStore, built: BuiltGraph) -> None:
    def lines(data: bytes) -> list[str]:
        return sorted(re.sub(r"_:\S+", "_:", line) for line in data.decode().splitlines())

    for rdf_format in (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES):
        assert lines(remote.dump(rdf_format)) == lines(built.store.dump(rdf_format))
    asserted = remote.dump(ox.RdfFormat.N_QUADS, exclude_graphs=[str(INFERRED_GRAPH)])
    assert len(lines(asserted)) == 92 - 15


def test_malformed_query_raises_the_syntax_error_the_embedded_store_raises(
    remote: RemoteStore, built: BuiltGraph
) -> None:
    messages = []
    for store in (remote, built.store):
        with pytest.raises(SyntaxError, match=r"^error at 1:\d+: expected ") as caught:
            store.query("SELECT WHERE { ?s ?p ?o }")
        messages.append(str(caught.value))
    assert messages[0] == messages[1]


def test_unreachable_server_error_names_the_url() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(RemoteError, match=rf"^POST {re.escape(url)}: unreachable: .*refused"):
        RemoteStore(url).query("ASK {}")


def test_error_status_names_the_url_and_quotes_the_answer(oxigraph: str) -> None:
    with pytest.raises(RemoteError, match=r"/nowhere: answered 404 Not Found: ") as caught:
        RemoteStore(oxigraph + "/nowhere").query("ASK {}")
    assert caught.value.status == 404
