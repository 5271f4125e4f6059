"""web/protocol/health.py and web/protocol/metrics.py: liveness, readiness, and counters in the
Prometheus text format, parsed back with prometheus_client's own parser; shared by a server's
workers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from urllib.request import urlopen

from flask import Flask
from flask.testing import FlaskClient
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from conftest import PATHOLOGICAL
from secgraph.build.pipeline import BuiltGraph
from secgraph.config import Settings
from secgraph.store.embedded import OxigraphStore
from secgraph.web import create_app
from servers import secgraph_server


def test_liveness_is_200_json(client: FlaskClient) -> None:
    response = client.get("/health")
    assert (response.status_code, response.mimetype) == (200, "application/json")
    assert response.get_json() == {"status": "ok"}


def test_readiness_is_200_when_the_store_answers(client: FlaskClient) -> None:
    response = client.get("/health/ready")
    assert (response.status_code, response.mimetype) == (200, "application/json")
    assert response.get_json() == {"status": "ready"}


def test_readiness_is_503_for_an_empty_store(settings: Settings) -> None:
    client = create_app(settings, OxigraphStore.from_quads([])).test_client()
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "reason": "the store holds no triples"}


def _samples(client: FlaskClient) -> dict[str, list[Sample]]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type == CONTENT_TYPE_LATEST
    text = response.get_data(as_text=True)
    return {family.name: family.samples for family in text_string_to_metric_families(text)}


def _value(samples: list[Sample], name: str, **labels: str) -> float:
    found = [s.value for s in samples if s.name == name and labels.items() <= s.labels.items()]
    assert len(found) == 1, f"{name} {labels}: {found}"
    return found[0]


def test_metrics_count_requests_by_route_and_status(app: Flask) -> None:
    client = app.test_client()
    for _ in range(3):
        client.get("/sparql", query_string={"query": "ASK {}"})
    client.get("/sparql", query_string={"query": "SELEC"})
    client.get("/no-such-page")
    samples = _samples(client)
    requests = samples["secgraph_http_requests"]
    assert _value(requests, "secgraph_http_requests_total", route="/sparql", status="200") == 3
    assert _value(requests, "secgraph_http_requests_total", route="/sparql", status="400") == 1
    assert _value(requests, "secgraph_http_requests_total", route="unmatched", status="404") == 1
    errors = samples["secgraph_http_errors"]
    assert _value(errors, "secgraph_http_errors_total", route="/sparql", status="400") == 1
    latency = samples["secgraph_http_request_duration_seconds"]
    assert _value(latency, "secgraph_http_request_duration_seconds_count", route="/sparql") == 4


def test_metrics_report_the_store_triple_count(app: Flask, built: BuiltGraph) -> None:
    samples = _samples(app.test_client())
    triples = _value(samples["secgraph_store_triples"], "secgraph_store_triples")
    assert triples == sum(built.store.graph_sizes().values())
    assert triples > 0


def test_metrics_count_query_timeouts(settings: Settings, built: BuiltGraph) -> None:
    client = create_app(replace(settings, query_timeout=0.5), built.store).test_client()
    assert client.get("/sparql", query_string={"query": PATHOLOGICAL}).status_code == 503
    samples = _samples(client)
    assert _value(samples["secgraph_query_timeouts"], "secgraph_query_timeouts_total") == 1
    assert (
        _value(
            samples["secgraph_http_errors"],
            "secgraph_http_errors_total",
            route="/sparql",
            status="503",
        )
        == 1
    )


def _health_counts(base: str) -> dict[str, float]:
    """GET /health answers counted so far in one scrape of a running server, by worker pid."""
    with urlopen(f"{base}/metrics", timeout=30) as response:
        text = response.read().decode()
    counts: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if (
                sample.name == "secgraph_http_requests_total"
                and sample.labels["route"] == "/health"
            ):
                pid = sample.labels["pid"]
                counts[pid] = counts.get(pid, 0) + sample.value
    return counts


def _get(url: str) -> int:
    with urlopen(url, timeout=30) as response:
        status: int = response.status
        return status


def test_two_workers_counts_add_up_in_every_scrape(project: Path) -> None:
    # Under gunicorn each scrape is answered by one worker; it must report every worker's counts.
    sent = 0
    with secgraph_server("--workers", "2", root=project) as base, ThreadPoolExecutor(16) as pool:
        for _ in range(20):  # until both workers have answered some requests
            assert set(pool.map(_get, [f"{base}/health"] * 32)) == {200}
            sent += 32
            counts = _health_counts(base)
            assert sum(counts.values()) == sent, counts
            if len(counts) == 2:
                break
        assert len(counts) == 2, f"one worker answered all {sent} requests: {counts}"
        for _ in range(6):  # scrapes land on either worker; each sees the same totals
            assert _health_counts(base) == counts
        (run,) = (project / "var" / "cache" / "metrics").iterdir()  # this run's, made at start
        assert any(run.glob("counter_*.db"))
