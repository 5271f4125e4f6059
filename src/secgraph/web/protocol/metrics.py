"""GET /metrics: request, error, latency and query-timeout counters and the store's triple count,
in the Prometheus text exposition format (prometheus_client); no other routes.

Each app has its own registry, so counters are per serving process, unless the server shares
them across its workers (``share_across_workers``: prometheus_client's multiprocess mode, each
worker writing its counts to files in a per-run directory); then a scrape reads every worker's
counts, whichever worker answers it, and the ``pid`` label tells them apart.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, values
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from secgraph.store.embedded import Store

blueprint = Blueprint("metrics", __name__)
_METRICS = "secgraph.metrics"
_SHARED = "secgraph.metrics_directory"
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
        self.store = store
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


def share_across_workers(app: Flask, runs: Path) -> Path:
    """Make the workers forked after this call count into files under ``runs/<this pid>`` (new
    and empty; directories of runs whose process is gone are deleted) and scrapes read them
    all. Call it in the server's master before it forks, before any request is counted."""
    for old in runs.glob("*") if runs.is_dir() else ():
        if not (old.name.isdigit() and _running(int(old.name))):
            shutil.rmtree(old, ignore_errors=True)
    directory = runs / str(os.getpid())
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    # prometheus_client picks how values are kept when it is imported, from this variable; the
    # app is imported (and built) before the server knows its directory, so the choice is made
    # again here. Labelled counters make their values at first use, in the workers.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)
    values.ValueClass = values.MultiProcessValue()  # type: ignore[no-untyped-call]
    app.extensions[_SHARED] = directory
    return directory


def _running(pid: int) -> bool:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, 0)
        return True
    return False


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
    metrics = _metrics()
    registry = metrics.registry
    shared: Path | None = current_app.extensions.get(_SHARED)
    if shared is not None:  # every worker's counts, from the files they write
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(shared))  # type: ignore[no-untyped-call]
        registry.register(_StoreCollector(metrics.store))
    return Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
