"""describe/jsonld.py, describe/jsonld_context.py, describe/frames.py, web/protocol/context.py,
web/protocol/frames.py: the versioned @context, compacted and framed JSON-LD, round trips, and a
loader that never fetches."""

from __future__ import annotations

import json
import socket
import warnings
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from paths import REPOSITORY, TESTS
from secgraph.build.pipeline import BuiltGraph
from secgraph.config import Settings
from secgraph.describe.jsonld import JsonLdInputError, JsonLdWriter, dump_jsonld
from secgraph.describe.jsonld_context import (
    CONTEXT_URL,
    VERSION,
    build_context,
    context_file,
    render_context,
)
from secgraph.namespaces import ID, SG
from secgraph.web import create_app

REPO = REPOSITORY
FIXTURE_ONTOLOGY = TESTS / "fixtures" / "project" / "ontology"
JSON_LD = "application/ld+json"


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing in JSON-LD processing may open a connection: any attempt fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def _merged(quads: list[ox.Quad]) -> Graph:
    triples = list(dict.fromkeys(quad.triple for quad in quads))
    graph = Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph


def _assert_same_dataset(got: list[ox.Quad], expected: list[ox.Quad]) -> None:
    """Isomorphic graph by graph, and merged (blank nodes shared across graphs stay one)."""
    names = {quad.graph_name for quad in got} | {quad.graph_name for quad in expected}
    for name in names:
        mine = _merged([quad for quad in got if quad.graph_name == name])
        theirs = _merged([quad for quad in expected if quad.graph_name == name])
        assert isomorphic(mine, theirs), name
    assert isomorphic(_merged(got), _merged(expected))


def test_the_kept_context_is_the_one_the_ontology_gives() -> None:
    # A generated artifact, never hand-edited: a change of keys needs a new version and file.
    kept = context_file(REPO / "ontology")
    built = build_context(sorted((REPO / "ontology").glob("*.ttl")))
    assert kept.read_text(encoding="utf-8") == render_context(built), (
        "regenerate with `python -m secgraph.describe.jsonld_context` under a new VERSION"
    )


def test_context_has_short_readable_keys() -> None:
    context = build_context(sorted((REPO / "ontology").glob("*.ttl")))["@context"]
    expected = {
        "label": "rdfs:label",
        "altLabel": "skos:altLabel",
        "memberOf": "org:memberOf",
        "participant": "sg:participant",
        "amount": "sg:amount",
        "currency": "sg:currency",
        "fiscalPeriod": "sg:fiscalPeriod",
        "source": "prov:entity",
        "quote": "sg:quote",
    }
    for key, curie in expected.items():
        term = context[key]
        assert (term if isinstance(term, str) else term["@id"]) == curie, key
    assert context["participant"]["@type"] == "@id"
    assert context["amount"]["@type"] == "xsd:decimal"
    assert context["label"]["@container"] == "@language"


def test_full_export_round_trips_to_an_isomorphic_dataset(cited_built: BuiltGraph) -> None:
    writer = JsonLdWriter.for_ontology(FIXTURE_ONTOLOGY)
    body = dump_jsonld(cited_built.store, writer)
    assert json.loads(body)["@context"] == writer.context["@context"]  # inline: read offline
    stored = list(ox.parse(cited_built.store.dump(ox.RdfFormat.N_QUADS), ox.RdfFormat.N_QUADS))
    _assert_same_dataset(writer.to_quads(body), stored)


def test_resource_twin_round_trips_to_the_turtle_twin(cited_client: FlaskClient) -> None:
    response = cited_client.get("/id/sica.jsonld")
    assert response.status_code == 200
    assert response.mimetype == JSON_LD
    document = response.get_json()
    writer = JsonLdWriter.for_ontology(FIXTURE_ONTOLOGY)
    assert document["@context"] == writer.context["@context"]
    assert document.get("@graph") or document.get("@id")
    from_jsonld = writer.to_quads(response.get_data())
    turtle = list(ox.parse(cited_client.get("/id/sica.ttl").get_data(), ox.RdfFormat.TURTLE))
    assert isomorphic(_merged(from_jsonld), _merged(turtle))


def test_compacted_resource_uses_the_short_keys(cited_client: FlaskClient) -> None:
    text = cited_client.get("/id/sica.jsonld").get_data(as_text=True)
    assert '"label": {' in text  # a language map: {"en": ..., "es": ...}
    assert str(SG.hasMember) not in text  # the key hasMember, not the IRI


@pytest.mark.parametrize(
    "document",
    [
        {"@context": "https://example.org/context.jsonld", "@id": "https://example.org/a"},
        {"@context": ["https://schema.org/", {"x": "https://example.org/x"}], "x": "1"},
        {"@context": {"@import": "https://example.org/c.jsonld"}, "@id": "https://example.org/a"},
    ],
    ids=["string", "in-a-list", "import"],
)
def test_remote_contexts_are_refused_without_fetching(document: dict[str, Any]) -> None:
    writer = JsonLdWriter.for_ontology(FIXTURE_ONTOLOGY)
    with pytest.raises(JsonLdInputError, match=r"remote JSON-LD context .* refused"):
        writer.to_quads(json.dumps(document))


def test_the_local_context_url_resolves_without_fetching() -> None:
    writer = JsonLdWriter.for_ontology(FIXTURE_ONTOLOGY)
    document = {"@context": CONTEXT_URL, "@id": "id:sica", "label": {"es": "SICA"}}
    [quad] = writer.to_quads(json.dumps(document))
    assert quad.subject == ox.NamedNode(str(ID.sica))
    assert quad.object == ox.Literal("SICA", language="es")


def test_malformed_json_ld_says_what_is_wrong() -> None:
    writer = JsonLdWriter.for_ontology(FIXTURE_ONTOLOGY)
    with pytest.raises(JsonLdInputError, match="not JSON"):
        writer.to_quads("{not json")


def test_context_is_served_with_its_media_type_and_cors(client: FlaskClient) -> None:
    response = client.get(f"/context/{VERSION}.jsonld", headers={"Origin": "https://x.org"})
    assert response.status_code == 200
    assert response.mimetype == JSON_LD
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "@context" in response.get_json()
    again = client.get(
        f"/context/{VERSION}.jsonld", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


def test_kept_context_file_is_what_is_served(tmp_path: Path) -> None:
    settings = Settings(root=REPO)
    store = ox.Store()
    from secgraph.store.embedded import OxigraphStore

    app = create_app(settings, OxigraphStore(store))
    served = app.test_client().get(f"/context/{VERSION}.jsonld").get_data()
    assert served == context_file(REPO / "ontology").read_bytes()


@pytest.mark.parametrize("path", ["/context", "/context.jsonld"])
def test_unversioned_context_redirects_to_the_current(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/context/{VERSION}.jsonld")


def test_unknown_context_version_is_404(client: FlaskClient) -> None:
    assert client.get("/context/0.0.1.jsonld").status_code == 404


def test_two_writers_keep_their_own_context_for_one_url() -> None:
    # One URL, two context documents (a fixture project and the repository): each writer
    # resolves its own.
    document = json.dumps({"@context": CONTEXT_URL, "@id": "https://e.org/a", "k": "v"})
    first = JsonLdWriter({"@context": {"k": "https://e.org/first"}})
    second = JsonLdWriter({"@context": {"k": "https://e.org/second"}})
    assert [q.predicate.value for q in first.to_quads(document)] == ["https://e.org/first"]
    assert [q.predicate.value for q in second.to_quads(document)] == ["https://e.org/second"]


OFFLINE_DOCUMENTS = [  # each JSON-LD answer and the twin holding the same statements
    ("/id/sica", "application/n-triples"),  # a resource: its graphs merged
    ("/id/carsi", "application/n-triples"),
    ("/data?graph=https://w3id.org/secgraph/graph/dialogue-2008", "application/n-triples"),
    ("/data?default", "application/n-triples"),
    ("/data", "application/n-quads"),  # the dataset, each statement in its graph
]


def _no_network(*_arguments: object, **_keywords: object) -> None:
    raise AssertionError("a JSON-LD reader tried to reach the network")


def _rdflib_quads(body: bytes) -> list[ox.Quad]:
    with warnings.catch_warnings():  # rdflib's JSON-LD parser calls its own deprecated API
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset = Dataset().parse(data=body, format="json-ld")
        nquads = dataset.serialize(format="nquads")
    return list(ox.parse(nquads.encode(), ox.RdfFormat.N_QUADS))


@pytest.mark.parametrize(("path", "twin_type"), OFFLINE_DOCUMENTS)
def test_every_reader_reads_the_served_json_ld_offline_as_its_twin(
    cited_client: FlaskClient, path: str, twin_type: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyoxigraph (which cannot load a remote context), rdflib and pyld read each JSON-LD
    answer with the network cut, and each gets the statements its RDF twin holds."""
    monkeypatch.setattr(socket.socket, "connect", _no_network)
    monkeypatch.setattr(socket, "create_connection", _no_network)
    body = cited_client.get(path, headers={"Accept": JSON_LD})
    assert (body.status_code, body.mimetype) == (200, JSON_LD)
    twin = cited_client.get(path, headers={"Accept": twin_type})
    assert (twin.status_code, twin.mimetype) == (200, twin_type)
    expected = list(ox.parse(twin.get_data(), format=ox.RdfFormat.from_media_type(twin_type)))
    assert expected
    readers = {
        "pyoxigraph": list(ox.parse(body.get_data(), format=ox.RdfFormat.JSON_LD)),
        "rdflib": _rdflib_quads(body.get_data()),
        "pyld": JsonLdWriter({"@context": {}}).to_quads(body.get_data()),
    }
    for reader, quads in readers.items():
        try:
            _assert_same_dataset(quads, expected)
        except AssertionError as error:
            raise AssertionError(f"{reader} read other statements: {error}") from None


def test_the_context_declares_no_json_ld_version_it_does_not_need() -> None:
    """Jena's JSON-LD 1.0 reader refuses "@version": 1.1; nothing in the context needs 1.1."""
    context = context_file(REPO / "ontology").read_text(encoding="utf-8")
    assert '"@version"' not in context
