"""Hard limits: a query timeout that stops a pathological query while others are served (on
in-memory and on-disk stores), the result-row cap, the request-body cap (413) and the
query-string cap (414)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from conftest import PATHOLOGICAL
from secgraph.build.pipeline import BuiltGraph
from secgraph.config import Settings
from secgraph.query import runner as query_runner
from secgraph.query.answer import QueryJob
from secgraph.query.runner import ProcessQueryRunner, QueryLimits, QueryTimeoutError, runner_for
from secgraph.store.embedded import OxigraphStore
from secgraph.web import create_app
from secgraph.web.protocol.execution import TRUNCATED_HEADER

CHEAP = "ASK { ?s ?p ?o }"
JSON_ACCEPT = {"Accept": "application/json"}
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _app(settings: Settings, built: BuiltGraph, **limits: Any) -> Flask:
    return create_app(replace(settings, **limits), built.store)


@pytest.fixture
def limited(settings: Settings, built: BuiltGraph) -> Flask:
    return _app(settings, built, query_timeout=1.0, max_result_rows=5, max_body_bytes=2000)


def _ask(client: FlaskClient, query: str, **headers: str) -> TestResponse:
    return client.get("/sparql", query_string={"query": query}, headers=headers)


def test_pathological_query_is_stopped_with_503_while_a_cheap_one_is_answered(
    limited: Flask,
) -> None:
    answers: list[TestResponse] = []
    slow = threading.Thread(
        target=lambda: answers.append(_ask(limited.test_client(), PATHOLOGICAL, **JSON_ACCEPT))
    )
    slow.start()
    cheap = _ask(limited.test_client(), CHEAP)
    still_running = slow.is_alive()
    slow.join(timeout=30)
    assert cheap.status_code == 200
    assert cheap.get_json() == {"head": {}, "boolean": True}
    assert still_running, "the cheap query should be answered while the slow one runs"
    (timed_out,) = answers
    assert timed_out.status_code == 503
    body = timed_out.get_json()
    assert (body["error"], body["limit_seconds"]) == ("query-timeout", 1.0)
    assert "query_timeout" in body["message"]


def test_timeout_error_is_plain_text_without_json_accept(limited: Flask) -> None:
    response = _ask(limited.test_client(), PATHOLOGICAL)
    assert response.status_code == 503
    assert response.mimetype == "text/plain"
    assert "1 s time limit" in response.get_data(as_text=True)


def test_store_serves_again_after_a_timeout(limited: Flask) -> None:
    client = limited.test_client()
    assert _ask(client, PATHOLOGICAL).status_code == 503
    again = [_ask(client, CHEAP).status_code for _ in range(3)]
    assert again == [200, 200, 200]


def test_select_over_the_row_cap_is_cut_and_says_so(limited: Flask) -> None:
    response = _ask(limited.test_client(), "SELECT * WHERE { ?s ?p ?o }")
    assert response.status_code == 200
    assert response.headers[TRUNCATED_HEADER] == "5"
    assert len(response.get_json()["results"]["bindings"]) == 5


@pytest.mark.parametrize(("fmt", "lines"), [("csv", 6), ("tsv", 6)])
def test_truncated_select_keeps_its_format(limited: Flask, fmt: str, lines: int) -> None:
    response = limited.test_client().get(
        "/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p ?o }", "format": fmt}
    )
    assert response.headers[TRUNCATED_HEADER] == "5"
    assert len(response.get_data(as_text=True).strip().splitlines()) == lines  # header + 5


def test_construct_over_the_cap_keeps_that_many_triples(limited: Flask) -> None:
    response = limited.test_client().get(
        "/sparql",
        query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/n-triples"},
    )
    assert response.headers[TRUNCATED_HEADER] == "5"
    assert len(response.get_data(as_text=True).strip().splitlines()) == 5


def test_result_under_the_cap_has_no_truncation_header(limited: Flask) -> None:
    response = _ask(limited.test_client(), "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5")
    assert TRUNCATED_HEADER not in response.headers
    assert len(response.get_json()["results"]["bindings"]) == 5


def test_truncated_result_keeps_blank_nodes_and_literals(limited: Flask) -> None:
    query = (
        "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
        'SELECT ?b ?l WHERE { VALUES ?l { "a\\tb"@en "2"^^xsd:integer } BIND(BNODE() AS ?b) }'
    )
    bindings = _ask(limited.test_client(), query).get_json()["results"]["bindings"]
    assert [row["l"] for row in bindings] == [
        {"type": "literal", "value": "a\tb", "xml:lang": "en"},
        {"type": "literal", "value": "2", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
    ]
    assert all(row["b"]["type"] == "bnode" for row in bindings)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/sparql-query", "ASK {}" + " " * 3000),
        ("application/x-www-form-urlencoded", "query=ASK+%7B%7D" + "+" * 3000),
    ],
)
def test_body_over_the_cap_is_413_saying_the_limit(
    limited: Flask, content_type: str, body: str
) -> None:
    response = limited.test_client().post(
        "/sparql", data=body, content_type=content_type, headers=JSON_ACCEPT
    )
    assert response.status_code == 413
    answer = json.loads(response.get_data())
    assert (answer["error"], answer["limit_bytes"]) == ("request-too-large", 2000)
    assert "max_body_bytes" in answer["message"]


def test_body_under_the_cap_is_answered(limited: Flask) -> None:
    response = limited.test_client().post(
        "/sparql", data="ASK {}", content_type="application/sparql-query"
    )
    assert response.status_code == 200


def test_query_string_over_the_cap_is_414(settings: Settings, built: BuiltGraph) -> None:
    app = _app(settings, built, max_query_string_bytes=100)
    long_query = "ASK { ?s ?p ?o }" + " " * 200
    response = _ask(app.test_client(), long_query, Accept="text/plain")
    assert response.status_code == 414
    assert "over the 100 byte limit" in response.get_data(as_text=True)
    assert "POST" in response.get_data(as_text=True)
    assert _ask(app.test_client(), CHEAP).status_code == 200


def test_limits_are_checked_when_set() -> None:
    with pytest.raises(ValueError, match="query_timeout must be positive"):
        Settings(query_timeout=0)
    with pytest.raises(ValueError, match="max_query_string_bytes must be within"):
        Settings(max_query_string_bytes=9000)


def test_on_disk_store_is_queried_in_query_processes(tmp_path: Path) -> None:
    quad = ox.Quad(ox.NamedNode("https://example.org/s"), RDF_TYPE, ox.NamedNode("https://e.org/C"))
    store = OxigraphStore.from_quads([quad], path=tmp_path / "store", union_default_graph=False)
    runner = runner_for(store, QueryLimits(timeout=30))
    assert isinstance(runner, ProcessQueryRunner)
    answer = runner.run(QueryJob("SELECT ?s WHERE { ?s a ?c }", solutions_format="text/csv"))
    assert answer.body == b"s\r\nhttps://example.org/s\r\n"
    runner.close()


@pytest.fixture
def on_disk(settings: Settings, built: BuiltGraph, tmp_path: Path) -> Flask:
    """An app over an on-disk copy of the built graph, opened read-only as `serve` opens it."""
    path = tmp_path / "store"
    assert isinstance(built.store, OxigraphStore)
    OxigraphStore.from_quads(built.store.quads(), path=path, version="on-disk").close()
    store = OxigraphStore.reuse(path, version="on-disk")
    assert store is not None
    return create_app(replace(settings, store_path=path, query_timeout=2.0), store)


def test_pathological_query_on_an_on_disk_store_is_stopped_while_a_cheap_one_is_answered(
    on_disk: Flask,
) -> None:
    answers: list[tuple[TestResponse, float]] = []

    def slow_request() -> None:
        started = time.monotonic()
        response = _ask(on_disk.test_client(), PATHOLOGICAL, **JSON_ACCEPT)
        answers.append((response, time.monotonic() - started))

    slow = threading.Thread(target=slow_request)
    slow.start()
    cheap = _ask(on_disk.test_client(), "SELECT ?s WHERE { ?s a ?c } LIMIT 1")
    still_running = slow.is_alive()
    slow.join(timeout=30)
    assert cheap.status_code == 200
    assert len(cheap.get_json()["results"]["bindings"]) == 1
    assert still_running, "the cheap query should be answered while the slow one runs"
    ((timed_out, elapsed),) = answers
    assert timed_out.status_code == 503
    assert timed_out.get_json()["error"] == "query-timeout"
    # 2 s limit; the slack covers starting a query process on a busy machine.
    assert elapsed < 2.0 + 3.0
    assert _ask(on_disk.test_client(), CHEAP).get_json() == {"head": {}, "boolean": True}


class _NoPipe:
    """Stands in for QueryProcess.run once a job must no longer cross a pipe."""

    def __call__(self, *args: object) -> None:
        raise AssertionError("a job proven cheap was sent to a query process")


def _eager_runner(store: OxigraphStore, **limits: Any) -> ProcessQueryRunner:
    # A generous bound, so that the first answer counts as cheap even on a loaded machine.
    return ProcessQueryRunner(store, QueryLimits(timeout=30, cheap_under=30, **limits))


@pytest.mark.parametrize(
    "job",
    [
        QueryJob("SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"),
        QueryJob("SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o", max_rows=3),
        QueryJob("CONSTRUCT WHERE { ?s a ?c }", graph_format="application/n-triples"),
        QueryJob("ASK { ?s a ?c }", boolean_format="application/sparql-results+xml"),
        QueryJob("SELECT ?s WHERE { ?s ?p ?o }", solutions_format=None),
    ],
)
def test_job_answered_quickly_is_answered_in_process_next_time_with_the_same_answer(
    built: BuiltGraph, job: QueryJob, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert isinstance(built.store, OxigraphStore)
    runner = _eager_runner(built.store)
    try:
        in_a_process = runner.run(job)
        assert runner.is_cheap(job)
        monkeypatch.setattr("secgraph.query.process.QueryProcess.run", _NoPipe())
        assert runner.run(job) == in_a_process  # kind, media type, body and truncation
    finally:
        runner.close()


def test_job_that_took_longer_than_the_bound_keeps_running_in_query_processes(
    built: BuiltGraph,
) -> None:
    assert isinstance(built.store, OxigraphStore)
    runner = ProcessQueryRunner(built.store, QueryLimits(timeout=30, cheap_under=0))
    try:
        job = QueryJob(CHEAP)
        runner.run(job)
        assert not runner.is_cheap(job)
    finally:
        runner.close()


def test_pathological_query_is_never_proven_cheap(built: BuiltGraph) -> None:
    assert isinstance(built.store, OxigraphStore)
    runner = ProcessQueryRunner(built.store, QueryLimits(timeout=1.0, cheap_under=30))
    try:
        job = QueryJob(PATHOLOGICAL)
        for _ in range(2):
            with pytest.raises(QueryTimeoutError):
                runner.run(job)
            assert not runner.is_cheap(job)
    finally:
        runner.close()


def test_cheap_job_on_other_data_goes_to_a_query_process_again(
    built: BuiltGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = OxigraphStore.from_quads(built.store.quads(), version="first")
    runner = _eager_runner(first)
    try:
        job = QueryJob(CHEAP)
        runner.run(job)
        assert runner.is_cheap(job)
        monkeypatch.setattr(first, "_version", "second")  # as an accepted edit would
        assert not runner.is_cheap(job)
    finally:
        runner.close()


def test_data_of_unknown_version_is_never_proven_cheap(built: BuiltGraph) -> None:
    unversioned = OxigraphStore.from_quads(built.store.quads())
    runner = _eager_runner(unversioned)
    try:
        job = QueryJob(CHEAP)
        runner.run(job)
        assert not runner.is_cheap(job)
    finally:
        runner.close()


def test_remembered_cheap_jobs_are_bounded_in_number_and_text(built: BuiltGraph) -> None:
    assert isinstance(built.store, OxigraphStore)
    limits = QueryLimits(timeout=30, cheap_under=30, cheap_jobs=3, cheap_text=64 * 40)
    runner = ProcessQueryRunner(built.store, limits)
    try:
        jobs = [QueryJob(f"ASK {{ ?s ?p {number} }}") for number in range(5)]
        for job in jobs:
            runner.run(job)
        assert [runner.is_cheap(job) for job in jobs] == [False, False, True, True, True]
        long = QueryJob("ASK { ?s ?p ?o }" + " " * 40)  # over 1/64 of cheap_text
        runner.run(long)
        assert not runner.is_cheap(long)
        assert [runner.is_cheap(job) for job in jobs[2:]] == [True, True, True]
    finally:
        runner.close()


class _EditedBetween:
    """A writable-like store caught mid-edit: the copy it serves (``pinned``) is new, while its
    top-level version still names the data a job was proven cheap on."""

    def __init__(self, served: OxigraphStore, previous: OxigraphStore) -> None:
        self.served, self.previous = served, previous

    @property
    def version(self) -> str:
        return self.previous.version

    def pinned(self) -> OxigraphStore:
        return self.served

    def disk_snapshot(self) -> None:
        return None


def test_cheap_job_reads_version_and_data_from_one_pinned_copy(
    built: BuiltGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = OxigraphStore.from_quads(built.store.quads(), version="first")
    second = OxigraphStore.from_quads(built.store.quads(), version="second")
    runner = _eager_runner(first)
    try:
        job = QueryJob(CHEAP)
        expected = runner.run(job)
        assert runner.is_cheap(job)
        in_process: list[object] = []
        real = query_runner.answer_query

        def spy(store: Any, asked: QueryJob) -> Any:
            in_process.append(store)
            return real(store, asked)

        monkeypatch.setattr(query_runner, "answer_query", spy)
        runner.store = _EditedBetween(served=second, previous=first)  # type: ignore[assignment]
        assert runner.run(job) == expected  # answered, but by a query process
        assert in_process == []  # the pinned copy ("second") was never proven cheap
        runner.store = _EditedBetween(served=first, previous=second)  # type: ignore[assignment]
        assert runner.run(job) == expected
        assert in_process == [first]  # proven cheap on the pinned copy: answered here, from it
    finally:
        runner.close()
