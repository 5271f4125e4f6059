"""Every query bounded and isolated, from every route: the time limit, the memory limit and the
nesting limit hold on /sparql, the editor and the views, no input kills the serving process
(these tests run in it), and the cheap fast path never takes a job whose cost can change."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from secgraph.build.pipeline import BuiltGraph
from secgraph.config import Settings
from secgraph.query.answer import QueryJob
from secgraph.query.process import QueryProcess
from secgraph.query.runner import ProcessQueryRunner, QueryLimits
from secgraph.sparql.gate import GateRefusalError, check_nesting
from secgraph.store.embedded import OxigraphStore
from secgraph.web import create_app

CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SORTED_CROSS_PRODUCT = (
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?b ?c ?d ?e ?f ?g ?h ?i"
)
CHEAP = "ASK { ?s ?p ?o }"
JSON = {"Accept": "application/json"}


def _app(settings: Settings, built: BuiltGraph, **changes: object) -> Flask:
    return create_app(replace(settings, **changes), built.store)  # type: ignore[arg-type]


@pytest.fixture
def bounded(settings: Settings, built: BuiltGraph) -> FlaskClient:
    return _app(settings, built, query_timeout=1.0).test_client()


def _get(client: FlaskClient, path: str, query: str) -> tuple[int, str]:
    response = client.get(path, query_string={"query": query}, headers=JSON)
    return response.status_code, response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path", ["/sparql", "/query", "/views/chart", "/views/timeline", "/views/network"]
)
def test_every_query_route_stops_a_runaway_query_at_the_time_limit(
    bounded: FlaskClient, path: str
) -> None:
    status, body = _get(bounded, path, CROSS_PRODUCT)
    assert status == 503, body
    assert "time limit" in body
    assert _get(bounded, "/sparql", CHEAP)[0] == 200  # and the next query is answered


def test_editor_by_post_stops_a_runaway_query_at_the_time_limit(bounded: FlaskClient) -> None:
    response = bounded.post("/query", data={"query": CROSS_PRODUCT}, headers=JSON)
    assert response.status_code == 503
    assert "time limit" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/sparql", "/query", "/views/chart"])
def test_a_query_past_its_memory_limit_is_stopped_with_503_and_the_server_answers_on(
    settings: Settings, built: BuiltGraph, path: str
) -> None:
    client = _app(settings, built, query_timeout=30.0, query_memory_mb=64).test_client()
    status, body = _get(client, path, SORTED_CROSS_PRODUCT)
    assert status == 503, body
    assert "memory" in body
    assert _get(client, "/sparql", CHEAP)[0] == 200


@pytest.mark.parametrize("path", ["/query", "/views/chart", "/views/timeline"])
def test_pages_answer_an_unknown_function_with_a_readable_4xx_or_its_value(
    bounded: FlaskClient, path: str
) -> None:
    query = "SELECT ?x (<http://example.org/unknown>(1) AS ?y) WHERE { BIND(1 AS ?x) }"
    status, body = _get(bounded, path, query)
    assert status in (200, 400), body


def _nested(kind: str, depth: int) -> str:
    if kind == "parentheses":
        return "SELECT * WHERE { FILTER(" + "(" * depth + "true" + ")" * depth + ") }"
    if kind == "negations":
        return "SELECT * WHERE { FILTER(" + "!" * depth + "true) }"
    if kind == "path groups":
        return "SELECT * WHERE { ?s " + "(" * depth + "<http://e/p>" + ")" * depth + " ?o }"
    if kind == "groups":
        return "SELECT * WHERE " + "{" * depth + "}" * depth
    if kind == "service":
        inner = "(" * depth + "true" + ")" * depth
        return f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:9/s> {{ FILTER({inner}) }} }}"
    raise ValueError(kind)


@pytest.mark.parametrize("depth", [5_000, 20_000, 100_000])
@pytest.mark.parametrize("kind", ["parentheses", "negations", "path groups", "groups", "service"])
def test_deep_nesting_is_refused_up_front_with_400_naming_the_limit(
    client: FlaskClient, kind: str, depth: int
) -> None:
    response = client.post("/sparql", data={"query": _nested(kind, depth)}, headers=JSON)
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "query-too-deep"
    assert "256" in body["message"]


@pytest.mark.parametrize("depth", [5_000, 20_000])
def test_deep_nesting_on_the_editor_is_a_readable_400(client: FlaskClient, depth: int) -> None:
    response = client.post("/query", data={"query": _nested("parentheses", depth)})
    assert response.status_code == 400
    assert "deep" in response.get_data(as_text=True) or "characters" in response.get_data(
        as_text=True
    )


@pytest.mark.parametrize("length", [5_000, 20_000])
@pytest.mark.parametrize("form", ["BIND({n} AS ?v{i})", "MINUS {{ ?s{i} ?p ?o }}", "{{}} UNION"])
def test_long_flat_chains_end_in_an_answer_not_a_dead_process(
    bounded: FlaskClient, form: str, length: int
) -> None:
    # Not nested brackets, but the engine's algebra nests once per item: on the query
    # process's deep stack these are answered (or stopped at the time limit), never a crash.
    chain = " ".join(form.format(n=index, i=index) for index in range(length))
    query = f"SELECT * WHERE {{ {chain} {{}} }}"
    response = bounded.post("/sparql", data={"query": query}, headers=JSON)
    assert response.status_code in (200, 503), response.get_data(as_text=True)
    assert _get(bounded, "/sparql", CHEAP)[0] == 200


def test_nesting_is_counted_across_brackets_and_prefix_operators() -> None:
    check_nesting("SELECT * { FILTER(((1))) }", limit=16)
    with pytest.raises(GateRefusalError, match="more than 16"):
        check_nesting("SELECT * {" + "{" * 16 + "}" * 16 + "}", limit=16)
    with pytest.raises(GateRefusalError, match="more than 16"):
        check_nesting("SELECT * { FILTER(" + "! " * 17 + "true) }", limit=16)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (RAND() AS ?r) WHERE {}",
        "SELECT (NOW() AS ?t) WHERE {}",
        "SELECT (STRUUID() AS ?u) WHERE {}",
        "SELECT (uuid() AS ?u) WHERE {}",
        "SELECT (BNODE() AS ?b) WHERE {}",
        "SELECT (rand() AS ?r) WHERE {}",
    ],
)
def test_a_job_whose_cost_can_change_is_never_proven_cheap(built: BuiltGraph, query: str) -> None:
    assert isinstance(built.store, OxigraphStore)
    runner = ProcessQueryRunner(built.store, QueryLimits(timeout=30, cheap_under=30))
    try:
        job = QueryJob(query)
        for _ in range(2):
            runner.run(job)
            assert not runner.is_cheap(job)  # so every run is one the time limit can stop
    finally:
        runner.close()


def test_a_forked_query_process_holds_none_of_the_servers_connections() -> None:
    """A connection the server closes is closed for its client: the query process forked while
    it was open keeps no copy, so a keep-alive client never sends a request nobody reads."""
    server_end, client_end = socket.socketpair()
    process = QueryProcess.fork(OxigraphStore.from_quads([]), data="test")
    try:
        server_end.close()
        client_end.settimeout(10)
        assert client_end.recv(1) == b""  # end of stream: no other holder of the server end
        assert process.run(QueryJob(CHEAP), slow_after=10, deadline=time.monotonic() + 10)
    finally:
        process.stop()
        client_end.close()


WORKER = """
import sys, time
from pathlib import Path
import pyoxigraph as ox
from secgraph.query.answer import QueryJob
from secgraph.query.process import QueryProcess
from secgraph.store.embedded import OxigraphStore

ex = "http://example.org/"
quads = [ox.Quad(ox.NamedNode(ex + str(n)), ox.NamedNode(ex + "p"), ox.Literal(n),
                 ox.NamedNode(ex + "g")) for n in range(200)]
if sys.argv[2] == "fork":
    process = QueryProcess.fork(OxigraphStore.from_quads(quads), data="test")
else:  # an on-disk store, read by a new interpreter (python -m secgraph.query.process)
    disk = OxigraphStore.from_quads(quads, path=Path(sys.argv[3]))
    process = QueryProcess.spawn(disk.disk_snapshot(), data="test")
process.connection.send(QueryJob(sys.argv[1]))  # minutes of work for the query process
print(process.pid, flush=True)
time.sleep(120)
"""


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has died; only its exit status waits to be read


@pytest.mark.skipif(sys.platform != "linux", reason="the parent-death signal is Linux's")
@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_a_query_process_dies_with_its_worker_even_in_the_middle_of_a_query(
    start: str, tmp_path: Path
) -> None:
    command = [sys.executable, "-c", WORKER, CROSS_PRODUCT, start, str(tmp_path / "store")]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as worker:
        try:
            assert worker.stdout is not None
            child = int(worker.stdout.readline())
            assert _running(child)
        finally:
            worker.kill()
    deadline = time.monotonic() + 10
    while _running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(child)
