"""web/server.py: `secgraph serve` runs gunicorn on 127.0.0.1 and answers SPARQL over HTTP."""

from __future__ import annotations

import importlib
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pyoxigraph as ox
import pytest

from paths import TESTS
from secgraph.config import ENV_PREFIX, Settings
from secgraph.namespaces import ID, sparql_prologue
from secgraph.web.server import gunicorn_options
from servers import secgraph_server

FIXTURE_PROJECT = TESTS / "fixtures" / "project"
TIMEOUT_SECONDS = 60
MEMBERS = sparql_prologue() + "SELECT ?m WHERE { id:sica sg:hasMember ?m } ORDER BY ?m"
EXPECTED = [str(ID.belize), str(ID.guatemala), str(ID.honduras)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running_server(*extra: str, port: int | None = None) -> Iterator[str]:
    """Start `python -m secgraph serve`, wait for gunicorn's "Listening at" line (no sleeping),
    yield the base URL, then stop it with SIGTERM and check it exited cleanly."""
    port = port or _free_port()
    args = [sys.executable, "-m", "secgraph", "--root", str(FIXTURE_PROJECT), "serve"]
    args += ["--port", str(port), "--workers", "2", *extra]
    environ = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIX)}
    with subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=environ
    ) as process:
        yield from _until_stopped(process, port)
    assert process.returncode == 0


def _until_stopped(process: subprocess.Popen[str], port: int) -> Iterator[str]:
    lines: queue.Queue[str] = queue.Queue()

    def read_log() -> None:
        for line in process.stderr or ():
            lines.put(line)
        lines.put("")  # end of output: the server exited

    reader = threading.Thread(target=read_log)
    reader.start()
    try:
        log: list[str] = []
        while not log or "Listening at: " not in log[-1]:
            try:
                log.append(lines.get(timeout=TIMEOUT_SECONDS))
            except queue.Empty:
                log.append("")
            if not log[-1]:
                pytest.fail("server did not start:\n" + "".join(log))
        assert f"Listening at: http://127.0.0.1:{port}" in log[-1]
        yield f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=TIMEOUT_SECONDS)
        reader.join(timeout=TIMEOUT_SECONDS)


def _members(base: str) -> list[str]:
    request = Request(
        base + "/sparql?" + urlencode({"query": MEMBERS}),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urlopen(request, timeout=TIMEOUT_SECONDS) as response:
        assert response.headers["Content-Type"] == "application/sparql-results+json"
        body = json.load(response)
    return [row["m"]["value"] for row in body["results"]["bindings"]]


def test_serve_answers_sparql_over_http() -> None:
    with running_server() as base:
        # Several requests, so that both forked workers are likely to serve one.
        assert [_members(base) for _ in range(4)] == [EXPECTED] * 4


def test_iris_resolve_under_the_public_url_given_to_serve() -> None:
    # The deployment is published at another name than the one it binds to (as behind a
    # proxy): an IRI id:<slug> resolves at <public-url>id/<slug>, and absolute links name
    # the public URL, not the address the request came through.
    port = _free_port()
    public = f"http://localhost:{port}/"
    with running_server("--public-url", public, port=port) as base:
        turtle = {"Accept": "text/turtle"}
        with urlopen(Request(public + "id/sica", headers=turtle), timeout=TIMEOUT_SECONDS) as got:
            assert got.status == 200
            described = ox.parse(got.read(), ox.RdfFormat.TURTLE)
            assert {quad.subject for quad in described} >= {ox.NamedNode(str(ID.sica))}
        with urlopen(Request(base + "/sparql", headers=turtle), timeout=TIMEOUT_SECONDS) as got:
            description = got.read().decode()
        assert f"<{public}sparql>" in description
        assert base not in description


def test_serve_from_an_on_disk_store(tmp_path: Path) -> None:
    # Workers open the store read-only after the fork; the master's handle is closed first.
    with running_server("--store-path", str(tmp_path / "store")) as base:
        assert [_members(base) for _ in range(4)] == [EXPECTED] * 4
    assert (tmp_path / "store.fingerprint").is_file()


def test_wsgi_module_builds_the_app_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SECGRAPH_ROOT", str(FIXTURE_PROJECT))
    monkeypatch.delitem(sys.modules, "secgraph.web.wsgi", raising=False)
    wsgi = importlib.import_module("secgraph.web.wsgi")
    response = wsgi.app.test_client().get("/sparql", query_string={"query": MEMBERS})
    rows = response.get_json(force=True)["results"]["bindings"]
    assert [row["m"]["value"] for row in rows] == EXPECTED


def test_gunicorn_binds_loopback_and_preloads(tmp_path: Path) -> None:
    options = gunicorn_options(Settings(root=tmp_path, port=8123, workers=3))
    assert options["bind"] == "127.0.0.1:8123"
    assert (options["workers"], options["preload_app"]) == (3, True)
    assert gunicorn_options(Settings(root=tmp_path, host="::1"))["bind"] == "[::1]:8000"


def test_connections_that_never_send_a_request_do_not_hold_up_a_new_client() -> None:
    # 200 connections that stay silent (no request yet) and 50 idle after a keep-alive request:
    # with gthread's own accept each silent one would hold a request thread for 5 s in turn.
    with secgraph_server() as url:
        host, port = url.removeprefix("http://").split(":")
        silent = [socket.create_connection((host, int(port))) for _ in range(200)]
        kept = []
        for _ in range(50):
            connection = socket.create_connection((host, int(port)), timeout=5)
            connection.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            kept.append(connection)
        try:
            for connection in kept:
                assert connection.recv(4096).startswith(b"HTTP/1.1 200")
            with urlopen(f"{url}/health", timeout=5) as answer:
                assert answer.status == 200
        finally:
            for connection in silent + kept:
                connection.close()


def test_two_servers_on_one_machine_leave_each_other_working(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No shared per-user file between servers: gunicorn's control socket is not opened, so
    one server stopping cannot delete another's; each keeps answering whichever stops first."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    (tmp_path / "run").mkdir()
    ask = "/sparql?" + urlencode({"query": "ASK { ?s ?p ?o }"})
    with secgraph_server() as first:
        with secgraph_server() as second:
            assert urlopen(second + ask, timeout=30).status == 200
            assert not list(tmp_path.rglob("*.ctl"))  # none in HOME or XDG_RUNTIME_DIR
        assert urlopen(first + ask, timeout=30).status == 200  # the second one stopped
        with secgraph_server() as third:
            assert urlopen(third + ask, timeout=30).status == 200
            assert urlopen(first + ask, timeout=30).status == 200
