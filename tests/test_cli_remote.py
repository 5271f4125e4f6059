"""`secgraph publish --to` and `secgraph serve --store-url` against a real Oxigraph server: the
pages and the endpoint over the remote store are those of the embedded one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from secgraph.cli import EXIT_OK, EXIT_REMOTE, EXIT_USAGE, main
from secgraph.config import Settings, settings_from_env
from secgraph.namespaces import GRAPH
from secgraph.store.remote import RemoteStore
from secgraph.web import create_app
from servers import FIXTURE_PROJECT, free_port, oxigraph_server

ROOT = ["--root", str(FIXTURE_PROJECT)]
BROWSER = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
PAGES = [
    (
        "/sparql?query=SELECT+%3Fg+(COUNT(*)+AS+%3Fn)+WHERE+{GRAPH+%3Fg{%3Fs+%3Fp+%3Fo}}+GROUP+BY+%3Fg",
        "*/*",
    ),
    ("/sparql?query=ASK{%3Fs+a+%3Fc}", "application/sparql-results+xml"),
    ("/sparql?query=CONSTRUCT+WHERE{%3Fs+a+%3Fc}", "application/n-triples"),
    ("/sparql?query=SELEC", "*/*"),
    ("/id/sica", BROWSER),
    ("/id/carsi-safe-streets", BROWSER),
    ("/id/carsi-safe-streets", "text/turtle"),
    ("/graph/dialogue-2008", BROWSER),
    ("/ontology", BROWSER),
    (f"/data?graph={GRAPH.members}", "text/turtle"),
    ("/dumps/secgraph.nq", "*/*"),
    ("/?format=json", "*/*"),
    ("/search?q=honduras&format=json", "*/*"),
    ("/views/network?iri=https://w3id.org/secgraph/id/sica&format=json", "*/*"),
    ("/views/timeline?iri=https://w3id.org/secgraph/id/guatemala&format=json", "*/*"),
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as base:
        yield base + "/query"


@pytest.fixture(scope="module")
def published(oxigraph: str) -> str:
    assert main([*ROOT, "publish", "--to", oxigraph]) == EXIT_OK
    return oxigraph


def test_publish_prints_each_graph_and_exits_0(
    oxigraph: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, *ROOT, "publish", "--to", oxigraph)
    assert code == EXIT_OK
    assert "graph:inferred       15\n" in out
    assert "graph:ontology       47\n" in out
    assert re.search(r"published 4 graphs, 92 triples, to \S+/store \(via gsp\)", out)


def test_publish_needs_a_target(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, *ROOT, "publish")
    assert code == EXIT_USAGE
    assert "publish needs --to URL (or SECGRAPH_STORE_URL)" in err


def test_publish_to_an_unreachable_server_exits_69(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    code, _, err = run(capsys, "--quiet", *ROOT, "publish", "--to", url)
    assert code == EXIT_REMOTE
    assert err.startswith(f"error: POST {url}: unreachable: ")


def test_serve_store_url_skips_the_build_and_serves_the_remote_store(
    published: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    served: dict[str, Any] = {}
    monkeypatch.setattr("secgraph.web.server.run", lambda *args: served.update(args=args))
    code, _, err = run(capsys, "--root", "/nonexistent", "serve", "--store-url", published)
    assert code == EXIT_OK
    settings, _, store = served["args"]
    assert isinstance(store, RemoteStore)
    assert (settings.store_url, store.query_url) == (published, published)
    assert "graph:members        3\n" in err


def test_serve_from_an_unreachable_store_exits_69(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    code, _, err = run(capsys, *ROOT, "serve", "--store-url", url)
    assert (code, err.splitlines()[0][:30]) == (EXIT_REMOTE, f"error: POST {url}"[:30])


def test_store_url_is_a_setting_with_an_environment_variable(tmp_path: Path) -> None:
    environ = {"SECGRAPH_STORE_URL": "http://127.0.0.1:7878/query"}
    settings = settings_from_env({"root": tmp_path}, environ=environ)
    assert settings.store_url == "http://127.0.0.1:7878/query"
    with pytest.raises(ValueError, match="store_url must be an absolute http"):
        Settings(root=tmp_path, store_url="127.0.0.1:7878/query")


def _client(settings: Settings, store: Any) -> FlaskClient:
    return create_app(settings, store).test_client()


@pytest.mark.parametrize(("path", "accept"), PAGES)
def test_pages_and_endpoint_over_the_remote_store_are_the_embedded_ones(
    path: str, accept: str, published: str, settings: Settings, client: FlaskClient
) -> None:
    remote = _client(settings, RemoteStore(published)).get(path, headers={"Accept": accept})
    embedded = client.get(path, headers={"Accept": accept})
    assert (remote.status_code, remote.content_type) == (
        embedded.status_code,
        embedded.content_type,
    )
    # Blank node labels are chosen per build, and RDF comes in the store's order.
    assert _comparable(remote) == _comparable(embedded)


def test_a_failing_remote_store_answers_502(settings: Settings) -> None:
    dead = RemoteStore(f"http://127.0.0.1:{free_port()}/query")
    response = _client(settings, dead).get("/sparql", query_string={"query": "ASK {}"})
    assert (response.status_code, response.mimetype) == (502, "text/plain")
    assert "127.0.0.1" not in response.get_data(as_text=True)  # the backend stays private


def _comparable(response: TestResponse) -> object:
    rdf_format = ox.RdfFormat.from_media_type(response.mimetype)
    if rdf_format is None or response.status_code != 200:
        return re.sub(rb"_:[A-Za-z0-9]+|b[0-9a-f]{32}", b"_:", response.data)
    quads = ox.parse(response.data, format=rdf_format)
    return sorted(re.sub(r"_:[A-Za-z0-9]+", "_:", str(quad)) for quad in quads)
