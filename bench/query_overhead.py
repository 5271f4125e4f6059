"""Per-query cost of running queries in killable query processes against running them in process.

Measurement, not a unit test: builds the shipped graph, answers the same cheap queries N times
three ways and prints the mean time per query of each: "direct" (pyoxigraph evaluates and
serializes the whole result, no row cap: what the endpoint did before), "in process" (the capped
answer, ``answer_query``) and "query process" (the same answer through a killable query process
forked from the in-memory store); then the overhead of the query process over in process, the
ratio of query process to direct, and "on-disk process": the same through a query process that
opened an on-disk copy of the store read-only (``--store-path`` serving).

    .venv/bin/python bench/query_overhead.py --repeat 300
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pyoxigraph as ox

from secgraph.build.pipeline import build
from secgraph.config import Settings
from secgraph.namespaces import PREFIXES
from secgraph.query.answer import QueryFailure, QueryJob, answer_query
from secgraph.query.runner import ProcessQueryRunner, QueryLimits
from secgraph.store.embedded import OxigraphStore, Store

ROOT = Path(__file__).resolve().parents[1]
QUERIES = {
    "ask": "ASK { ?s ?p ?o }",
    "select 10": "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
    "select 1000": "SELECT * WHERE { ?s ?p ?o } LIMIT 1000",
    "construct 100": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 100",
    "competency": (ROOT / "queries" / "sica-members-status.rq").read_text(encoding="utf-8"),
}


def _mean_seconds(run: Callable[[], object], repeat: int) -> float:
    run()  # warm: a query process is forked on first use
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.fmean(times)


def _direct(store: Store, sparql: str) -> Callable[[], object]:
    def run() -> object:
        result = store.query(sparql)
        if isinstance(result, ox.QueryTriples):
            return ox.serialize(result, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        return result.serialize(format=ox.QueryResultsFormat.JSON)

    return run


def _in_process(store: Store, job: QueryJob) -> Callable[[], object]:
    def run() -> object:
        answer = answer_query(store, job)
        if isinstance(answer, QueryFailure):
            answer.raise_error()
        return answer

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300, help="queries per kind and way")
    args = parser.parse_args()
    store = build(Settings(root=ROOT)).store
    if not isinstance(store, OxigraphStore):
        raise SystemExit("expected the embedded store")
    runner = ProcessQueryRunner(store, QueryLimits())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "store"
        OxigraphStore.from_quads(store.quads(), path=path, version=store.version).close()
        on_disk = OxigraphStore.reuse(path, version=store.version)
        if on_disk is None:
            raise SystemExit("the on-disk copy was not reusable")
        disk_runner = ProcessQueryRunner(on_disk, QueryLimits())
        print(
            f"{'query':<14} {'direct':>10} {'in process':>12} {'query process':>14}"
            f" {'overhead':>10} {'process/direct':>15} {'on-disk process':>16}"
        )
        for name, sparql in QUERIES.items():
            job = QueryJob(sparql)
            direct = _mean_seconds(_direct(store, sparql), args.repeat)
            local = _mean_seconds(_in_process(store, job), args.repeat)
            forked = _mean_seconds(partial(runner.run, job), args.repeat)
            spawned = _mean_seconds(partial(disk_runner.run, job), args.repeat)
            print(
                f"{name:<14} {direct * 1e3:>7.3f} ms {local * 1e3:>9.3f} ms "
                f"{forked * 1e3:>11.3f} ms {(forked - local) * 1e3:>7.3f} ms "
                f"{forked / direct:>15.2f} {spawned * 1e3:>13.3f} ms"
            )
        disk_runner.close()
    runner.close()


if __name__ == "__main__":
    main()
