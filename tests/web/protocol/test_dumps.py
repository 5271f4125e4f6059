"""web/protocol/dumps.py: stable download URLs, cached per data version, revalidated with 304."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from werkzeug.http import http_date

from rdf_bodies import parse_body
from secgraph.build.pipeline import BuiltGraph
from secgraph.config import Settings
from secgraph.namespaces import INFERRED_GRAPH
from secgraph.store.embedded import Store
from secgraph.web import create_app
from secgraph.web.protocol.dumps import DUMPS, DumpFile


def _stored(built: BuiltGraph) -> list[ox.Quad]:
    return list(ox.parse(built.store.dump(ox.RdfFormat.N_QUADS), ox.RdfFormat.N_QUADS))


@pytest.mark.parametrize("dump", DUMPS, ids=lambda dump: dump.filename)
def test_each_dump_is_a_download_of_the_whole_graph(
    cited_client: FlaskClient, cited_built: BuiltGraph, dump: DumpFile
) -> None:
    response = cited_client.get(f"/dumps/{dump.filename}")
    assert response.status_code == 200
    assert response.mimetype == dump.rep.media_type
    assert response.headers["Content-Disposition"] == f'attachment; filename="{dump.filename}"'
    assert response.headers["ETag"].strip('"') == cited_built.store.version
    assert response.last_modified is not None
    rdf_format = dump.rep.rdf_format
    assert rdf_format is not None
    served = parse_body(response.get_data(), rdf_format)
    stored = [
        quad
        for quad in _stored(cited_built)
        if not (dump.asserted_only and quad.graph_name == ox.NamedNode(str(INFERRED_GRAPH)))
    ]
    if dump.keeps_graphs:
        assert {q.graph_name for q in served} == {q.graph_name for q in stored}
        assert len(served) == len(stored)
    else:
        assert len({q.triple for q in served}) == len({q.triple for q in stored})


def test_asserted_dump_leaves_the_inferences_out(cited_client: FlaskClient) -> None:
    response = cited_client.get("/dumps/secgraph-asserted.trig")
    graphs = {q.graph_name for q in ox.parse(response.get_data(), ox.RdfFormat.TRIG)}
    assert ox.NamedNode(str(INFERRED_GRAPH)) not in graphs
    everything = cited_client.get("/dumps/secgraph.trig")
    graphs = {q.graph_name for q in ox.parse(everything.get_data(), ox.RdfFormat.TRIG)}
    assert ox.NamedNode(str(INFERRED_GRAPH)) in graphs


def test_matching_etag_gets_304(cited_client: FlaskClient) -> None:
    etag = cited_client.get("/dumps/secgraph.ttl").headers["ETag"]
    response = cited_client.get("/dumps/secgraph.ttl", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.get_data() == b""
    assert response.headers["ETag"] == etag


def test_other_etag_gets_the_file(cited_client: FlaskClient) -> None:
    response = cited_client.get("/dumps/secgraph.ttl", headers={"If-None-Match": '"stale"'})
    assert response.status_code == 200
    assert response.get_data()


def test_if_modified_since_the_build_gets_304(cited_client: FlaskClient) -> None:
    first = cited_client.get("/dumps/secgraph.nt")
    assert first.last_modified is not None
    since = http_date(first.last_modified)
    response = cited_client.get("/dumps/secgraph.nt", headers={"If-Modified-Since": since})
    assert response.status_code == 304


def test_head_gives_the_headers_only(cited_client: FlaskClient) -> None:
    response = cited_client.head("/dumps/secgraph.nq")
    assert response.status_code == 200
    assert response.mimetype == "application/n-quads"
    assert response.get_data() == b""


def test_unknown_dump_is_404(cited_client: FlaskClient) -> None:
    response = cited_client.get("/dumps/secgraph.xlsx")
    assert response.status_code == 404
    assert "secgraph.ttl" in response.get_data(as_text=True)


class CountingStore:
    """A store that counts its dumps, to see what the web layer caches."""

    def __init__(self, store: Store) -> None:
        self._store, self.dumps = store, 0

    def dump(self, rdf_format: ox.RdfFormat, *, exclude_graphs: Sequence[str] = ()) -> bytes:
        self.dumps += 1
        return self._store.dump(rdf_format, exclude_graphs=exclude_graphs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def test_a_dump_is_serialized_once_per_data_version(
    cited_settings: Settings, cited_built: BuiltGraph
) -> None:
    store = CountingStore(cited_built.store)
    client = create_app(cited_settings, store).test_client()  # type: ignore[arg-type]
    bodies = {client.get("/dumps/secgraph.trig").get_data() for _ in range(3)}
    client.get("/dumps/secgraph.trig", headers={"If-None-Match": f'"{store.version}"'})
    assert len(bodies) == 1
    assert store.dumps == 1
