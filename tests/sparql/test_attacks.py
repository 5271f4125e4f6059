"""An attacker's view of the query gate (secgraph.sparql.gate): no route, spelling or redirect makes
the server connect to an address a client names, and no update writes the default graph.

A TCP listener on 127.0.0.1 stands for the target; once each request is answered its accept queue
is read without waiting (the kernel completes a handshake on its own, so a connection the server
had opened would be there).
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secgraph.build.pipeline import BuiltGraph
from secgraph.config import Settings
from secgraph.sparql.gate import GateRefusalError, check_update, refuse_services
from secgraph.web import create_app
from writes_support import AUTH, writable_app

DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
JSON = {"Accept": "application/json"}


@pytest.fixture
def target() -> Iterator[socket.socket]:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        server.setblocking(False)
        yield server


def _url(target: socket.socket) -> str:
    host, port = target.getsockname()
    return f"http://{host}:{port}/sparql"


def connections(target: socket.socket) -> int:
    """How many connections reached ``target`` since the last call (and closes them)."""
    count = 0
    while True:
        try:
            connection, _ = target.accept()
        except BlockingIOError:
            return count
        connection.close()
        count += 1


def test_the_probe_counts_a_connection(target: socket.socket) -> None:
    with socket.create_connection(target.getsockname()):
        assert connections(target) == 1


# The tricks of the probe that found the hole, each a way to spell SERVICE <target> { … } that a
# regular expression read otherwise than the engine.
TRICKS = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o # x\rSERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o # x\r\nSERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o .SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ {{}}SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ sErViCe SiLeNt <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ S\\u0045RVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX t: <{base}> SELECT * WHERE {{ SERVICE t:sparql {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ VALUES ?t {{ <{url}> }} SERVICE ?t {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ ?a ?b ?c MINUS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "SELECT * WHERE {{ ?a ?b ?c FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s <x:a#b> ?o . SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p '#' . SERVICE <{url}> {{ ?s ?p ?o }} }}",
]


def _trick(template: str, target: socket.socket) -> str:
    url = _url(target)
    return template.format(url=url, base=url.removesuffix("sparql"))


@pytest.fixture
def open_client(built: BuiltGraph, settings: Settings) -> FlaskClient:
    """An app whose allowlist names another local address (federation switched on)."""
    allowed = Settings(root=settings.root, federation_allowlist=("http://127.0.0.1:9/sparql",))
    return create_app(allowed, built.store).test_client()


@pytest.mark.parametrize("template", TRICKS)
@pytest.mark.parametrize("how", ["GET", "POST form", "POST direct"])
def test_sparql_refuses_every_spelling_of_service_without_connecting(
    open_client: FlaskClient, target: socket.socket, template: str, how: str
) -> None:
    query = _trick(template, target)
    if how == "GET":
        response = open_client.get("/sparql", query_string={"query": query})
    elif how == "POST form":
        response = open_client.post("/sparql", data={"query": query})
    else:
        response = open_client.post("/sparql", data=query.encode(), content_type=DIRECT)
    assert response.status_code in (400, 403), response.get_data(as_text=True)
    assert connections(target) == 0


@pytest.mark.parametrize("template", TRICKS)
def test_the_store_itself_refuses_every_spelling_of_service(
    built: BuiltGraph, target: socket.socket, template: str
) -> None:
    with pytest.raises(GateRefusalError):
        built.store.query(_trick(template, target))
    assert connections(target) == 0


def _query_routes(app: Flask) -> Iterator[tuple[str, str]]:
    """Every GET and POST route of the app, with a value for each of its path variables."""
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", "x", rule.rule)
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            yield method, path


def test_no_route_of_the_app_connects_for_a_query_parameter(
    open_client: FlaskClient, target: socket.socket
) -> None:
    routes = list(_query_routes(open_client.application))
    # The routes that take a client's query are among them (the editor and every view).
    assert {("GET", "/query"), ("POST", "/query"), ("GET", "/views/chart")} <= set(routes)
    assert {("GET", "/views/timeline"), ("GET", "/views/network"), ("GET", "/sparql")} <= set(
        routes
    )
    query = _trick(TRICKS[0], target)
    for method, path in routes:
        if method == "GET":
            response = open_client.get(path, query_string={"query": query, "iri": _url(target)})
        else:
            response = open_client.post(path, data={"query": query, "update": query})
        assert response.status_code != 500, (method, path, response.get_data(as_text=True))
        assert connections(target) == 0, (method, path)


@pytest.mark.parametrize("path", ["/query", "/views/chart", "/views/timeline", "/views/network"])
def test_pages_taking_a_query_refuse_service_with_the_endpoints_answer(
    open_client: FlaskClient, target: socket.socket, path: str
) -> None:
    response = open_client.get(path, query_string={"query": _trick(TRICKS[1], target)})
    assert response.status_code == 403
    assert "allowlist" in response.get_data(as_text=True)
    assert connections(target) == 0


@contextmanager
def redirector(to: str) -> Iterator[str]:
    """A local endpoint answering every request with 302 and 307 to ``to``; yields its URL."""

    class Redirect(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(307 if "307" in self.path else 302)
            self.send_header("Location", to)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.parametrize("status", ["302", "307"])
def test_an_allowlisted_endpoint_redirecting_elsewhere_is_not_followed(
    built: BuiltGraph, settings: Settings, target: socket.socket, status: str
) -> None:
    with redirector(_url(target)) as base:
        endpoint = f"{base}/{status}"
        allowed = Settings(root=settings.root, federation_allowlist=(endpoint,))
        client = create_app(allowed, built.store).test_client()
        query = f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}"
        response = client.get(
            "/sparql", query_string={"query": query}, headers={"Accept": "application/json"}
        )
    assert response.status_code == 502
    assert f"answered {status}" in response.get_json()["message"]
    assert connections(target) == 0


@pytest.fixture
def wclient(project: Path, tmp_path: Path) -> FlaskClient:
    return writable_app(project, tmp_path / "store").test_client()


def _dump(client: FlaskClient) -> bytes:
    response = client.get("/data", headers={"Accept": "application/n-quads"})
    assert response.status_code == 200
    return response.get_data()


OUTBOUND_UPDATES = [
    "LOAD <{url}>",
    "LOAD SILENT <{url}> INTO GRAPH <https://w3id.org/secgraph/graph/edits>",
    "# x\rLOAD <{url}>",
    "lOaD <{url}>",
    "\\u004COAD <{url}>",
    "INSERT {{ GRAPH <https://w3id.org/secgraph/graph/edits> {{ ?s ?p ?o }} }}"
    " WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "INSERT {{ GRAPH <https://w3id.org/secgraph/graph/edits> {{ ?s ?p ?o }} }}"
    " WHERE {{ ?s ?p ?o # x\rSERVICE <{url}> {{ ?s ?p ?o }} }}",
]
DEFAULT_GRAPH_WRITES = [
    "CLEAR DEFAULT",
    "CLEAR SILENT DEFAULT",
    "DROP DEFAULT",
    "DROP SILENT DEFAULT",
    "CLEAR ALL",
    "CLEAR SILENT ALL",
    "DROP ALL",
    "DROP SILENT ALL",
    "DELETE WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "DELETE DATA { <https://w3id.org/secgraph/id/sica> a <http://www.w3.org/ns/org#Organization> }",
    "COPY <https://w3id.org/secgraph/graph/edits> TO DEFAULT",
    "MOVE DEFAULT TO <https://w3id.org/secgraph/graph/edits>",
    "ADD <https://w3id.org/secgraph/graph/edits> TO DEFAULT",
]


@pytest.mark.parametrize("template", OUTBOUND_UPDATES)
def test_an_update_that_would_fetch_is_refused_without_connecting(
    wclient: FlaskClient, target: socket.socket, template: str
) -> None:
    before = _dump(wclient)
    text = _trick(template, target)
    response = wclient.post(
        "/update", data=text.encode(), content_type=UPDATE, headers={**AUTH, **JSON}
    )
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.get_json()["error"] == "outbound-refused"
    assert connections(target) == 0
    assert _dump(wclient) == before


@pytest.mark.parametrize("text", DEFAULT_GRAPH_WRITES)
def test_an_update_writing_the_default_graph_is_refused_and_changes_nothing(
    wclient: FlaskClient, text: str
) -> None:
    before = _dump(wclient)
    response = wclient.post(
        "/update", data=text.encode(), content_type=UPDATE, headers={**AUTH, **JSON}
    )
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.get_json()["error"] == "default-graph-read-only"
    assert _dump(wclient) == before


# Property-based mutations: what may stand before the keyword, how the keyword is spelled,
# and what names the target.
SEPARATORS = [" ", "\t", "\n", "\r", "\r\n", "\f", "\u00a0", "\u2028", ".", ";", "}", "{}", ""]
COMMENTS = ["", "# c\r", "# c\r\n", "# c\n", "#\r", "# SERVICE\r"]
TARGETS = ["<{url}>", "t:sparql", "?t", "$t"]


def _spellings(word: str) -> st.SearchStrategy[str]:
    def spell(choices: list[tuple[bool, bool]]) -> str:
        letters = []
        for letter, (upper, escaped) in zip(word, choices, strict=True):
            shown = letter.upper() if upper else letter.lower()
            letters.append(f"\\u{ord(shown):04X}" if escaped else shown)
        return "".join(letters)

    pairs = st.tuples(st.booleans(), st.booleans())
    return st.lists(pairs, min_size=len(word), max_size=len(word)).map(spell)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    before=st.sampled_from(SEPARATORS),
    comment=st.sampled_from(COMMENTS),
    keyword=_spellings("service"),
    silent=st.sampled_from(["", "SILENT ", "silent\r"]),
    target_form=st.sampled_from(TARGETS),
    wrapper=st.sampled_from(["{}", "OPTIONAL {{ {} }}", "{{ SELECT * WHERE {{ {} }} }}"]),
)
def test_no_mutation_of_a_service_query_connects(
    open_client: FlaskClient,
    target: socket.socket,
    before: str,
    comment: str,
    keyword: str,
    silent: str,
    target_form: str,
    wrapper: str,
) -> None:
    url = _url(target)
    block = f"{keyword} {silent}{target_form.format(url=url)} {{ ?s ?p ?o }}"
    body = wrapper.format(f"?s ?p ?o {comment}{before}{block}")
    prologue = f"PREFIX t: <{url.removesuffix('sparql')}>\n"
    query = f"{prologue}SELECT * WHERE {{ VALUES ?t {{ <{url}> }} {body} }}"
    response = open_client.post("/sparql", data={"query": query})
    assert response.status_code in (400, 403), response.get_data(as_text=True)
    assert connections(target) == 0
    try:
        refuse_services(query)
    except GateRefusalError:
        return  # refused: SERVICE seen, or the text unreadable
    # Every mutation holds a SERVICE block wherever it is valid SPARQL; so a text the gate lets
    # through must be one the engine cannot parse either (and it must not connect trying).
    with pytest.raises(SyntaxError):
        ox.Store().query(query)
    assert connections(target) == 0


@settings(max_examples=100, deadline=None)
@given(
    comment=st.sampled_from(COMMENTS),
    before=st.sampled_from([" ", "\n", "\r", "\r\n", ";", ""]),
    keyword=_spellings("load"),
)
def test_no_mutation_of_a_load_update_passes_the_gate(
    comment: str, before: str, keyword: str
) -> None:
    text = f"CLEAR GRAPH <http://example.org/g> {comment}{before}; {keyword} <http://127.0.0.1:9/x>"
    with pytest.raises(GateRefusalError):
        check_update(text)
