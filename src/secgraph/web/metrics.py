"""GET /metrics: request, error, latency and query-timeout counters and the store's triple count,
in the Prometheus text exposition format (prometheus_client); no other routes.

Each app has its own registry, so counters are per serving process: under gunicorn every worker
counts the requests it served, and a scrape reads the worker that answered it (the ``pid``
label tells them apart).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector

from secgraph.store import Store

blueprint = Blueprint("metrics", __name__)
_METRICS = "secgraph.metrics"
_UNMATCHED = "unmatched"  # route label of requests no route matched (404, 405 before routing)


class _StoreCollector(Collector):
    """Counts the store's triples at scrape time (so the number is the live one)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def collect(self) -> Iterator[Metric]:
        gauge = GaugeMetricFamily("secgraph_store_triples", "Triples in the store, all graphs.")
        gauge.add_metric([], sum(self._store.graph_sizes().values()))
        yield gauge


class Metrics:
    """The metrics of one app, in a registry of their own."""

    def __init__(self, store: Store) -> None:
        self.registry = CollectorRegistry()
        labels = ["route", "method", "status", "pid"]
        self.requests = Counter(
            "secgraph_http_requests", "HTTP requests answered.", labels, registry=self.registry
        )
        self.errors = Counter(
            "secgraph_http_errors",
            "HTTP requests answered with a 4xx or 5xx status.",
            labels,
            registry=self.registry,
        )
        self.latency = Histogram(
            "secgraph_http_request_duration_seconds",
            "Time from request to response, by route.",
            ["route", "pid"],
            registry=self.registry,
        )
        self.timeouts = Counter(
            "secgraph_query_timeouts",
            "Queries stopped at the time limit.",
            ["pid"],
            registry=self.registry,
        )
        self.registry.register(_StoreCollector(store))


def init_app(app: Flask, store: Store) -> None:
    """Count every request of ``app`` and serve the counts at /metrics."""
    app.extensions[_METRICS] = Metrics(store)
    app.before_request(_start_clock)
    app.after_request(_count)
    app.register_blueprint(blueprint)


def count_query_timeout() -> None:
    """Count one query stopped at the time limit by the current app."""
    _metrics().timeouts.labels(pid=str(os.getpid())).inc()


def _metrics() -> Metrics:
    found: Metrics = current_app.extensions[_METRICS]
    return found


def _start_clock() -> None:
    g.secgraph_started = time.perf_counter()


def _count(response: Response) -> Response:
    metrics, pid = _metrics(), str(os.getpid())
    route = request.url_rule.rule if request.url_rule is not None else _UNMATCHED
    labels = {"route": route, "method": request.method, "status": str(response.status_code)}
    metrics.requests.labels(pid=pid, **labels).inc()
    if response.status_code >= 400:
        metrics.errors.labels(pid=pid, **labels).inc()
    started = g.get("secgraph_started")
    if started is not None:
        metrics.latency.labels(route=route, pid=pid).observe(time.perf_counter() - started)
    return response


@blueprint.route("/metrics")
def exposition() -> Response:
    """The counters in the Prometheus text exposition format (the version the library writes)."""
    return Response(generate_latest(_metrics().registry), content_type=CONTENT_TYPE_LATEST)
