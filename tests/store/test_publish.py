"""store/publish.py against a real Oxigraph server: graphs replaced whole, stale ones removed,
counts checked, by Graph Store Protocol or by SPARQL Update."""

from __future__ import annotations

from pathlib import Path

import pytest

from secgraph.build.pipeline import BuiltGraph, build
from secgraph.config import Settings
from secgraph.namespaces import GRAPH, ID, INFERRED_GRAPH, RDFS, SG
from secgraph.store.publish import Endpoints, PublishError, publish, verify_counts
from secgraph.store.remote import RemoteStore
from servers import oxigraph_server


def test_republishing_replaces_graphs_and_removes_stale_ones(
    tmp_path: Path, project: Path, built: BuiltGraph
) -> None:
    extra = project / "data" / "extra.ttl"
    extra.write_text(f"<{ID.panama}> a <{SG.Country}> ; <{RDFS.label}> 'Panama'@en .\n")
    with oxigraph_server(tmp_path / "oxigraph") as base:
        endpoints = Endpoints.beside(base + "/query")
        first = publish(build(Settings(root=project)).store, endpoints)
        store = RemoteStore(endpoints.query, refresh_seconds=0)
        assert str(GRAPH.extra) in store.named_graphs()
        assert store.version == first.version
        second = publish(built.store, endpoints)
        assert second.removed == (str(GRAPH.extra),)
        assert store.graph_sizes() == built.store.graph_sizes()
        assert store.version == built.store.version != first.version


def test_publish_via_sparql_update_gives_the_same_counts(tmp_path: Path, built: BuiltGraph) -> None:
    with oxigraph_server(tmp_path / "oxigraph") as base:
        report = publish(built.store, Endpoints.beside(base + "/query"), via="update")
        store = RemoteStore(base + "/query")
        assert (report.via, report.triples) == ("update", 92)
        assert store.graph_sizes() == built.store.graph_sizes()
        assert store.version == built.store.version


def test_counts_that_differ_after_publishing_are_reported(built: BuiltGraph) -> None:
    expected = {**built.store.graph_sizes(), str(GRAPH.missing): 4}
    expected[str(INFERRED_GRAPH)] = 16
    with pytest.raises(PublishError) as caught:
        verify_counts(built.store, expected)
    assert caught.value.differences == {
        str(GRAPH.missing): (4, None),
        str(INFERRED_GRAPH): (16, 15),
    }
    assert f"{GRAPH.missing}: built 4, server has none" in str(caught.value)


def test_endpoints_default_to_oxigraph_layout_and_take_fusekis() -> None:
    oxigraph = Endpoints.beside("http://127.0.0.1:7878/query")
    assert (oxigraph.graph_store, oxigraph.update) == (
        "http://127.0.0.1:7878/store",
        "http://127.0.0.1:7878/update",
    )
    fuseki = Endpoints.beside(
        "http://127.0.0.1:3030/ds/query", graph_store="http://127.0.0.1:3030/ds/data"
    )
    assert (fuseki.graph_store, fuseki.update) == (
        "http://127.0.0.1:3030/ds/data",
        "http://127.0.0.1:3030/ds/update",
    )
