"""Load test of `secgraph serve`: N concurrent clients for a fixed time, then the same beside a
pathological query.

Measurement, not a unit test. Starts `python -m secgraph serve` (gunicorn, as `make serve` does)
on a free port, waits for /health/ready, then runs two phases of ``--seconds`` each:

1. ``--clients`` threads, each on its own keep-alive connection, sending the competency queries
   of queries/ in turn (POST application/sparql-query);
2. the same, plus one more client sending a four-way cross product of all triples over and over
   (each stopped at the server's query timeout).

Prints requests/s, p50 / p99 latency and the error count (any status but 200, or a failed
connection) of the clients in each phase, and the ratio of their p99 in phase 2 to phase 1.

    .venv/bin/python bench/load/run.py --clients 32 --seconds 60
    .venv/bin/python bench/load/run.py --clients 32 --seconds 60 --store-path var/bench/store
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
START_SECONDS = 600  # building the shipped graph (reasoning, SHACL) comes before listening


@dataclass
class Tally:
    """What the clients of one phase saw."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, status: int | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if status is not None:
                self.statuses[status] = self.statuses.get(status, 0) + 1
            if status != 200:
                self.errors += 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(
    port: int, workers: int, store_path: Path | None, cache_size: int | None
) -> subprocess.Popen[bytes]:
    """`secgraph serve` on ``port``, its output discarded (the access log is one line a request)."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SECGRAPH_")}
    if cache_size is not None:  # an environment-only setting
        environ["SECGRAPH_RESULT_CACHE_SIZE"] = str(cache_size)
    args = [sys.executable, "-m", "secgraph", "--root", str(ROOT), "serve"]
    args += ["--port", str(port), "--workers", str(workers)]
    args += ["--store-path", str(store_path)] if store_path else []
    # The command is this Python running this project: no outside input reaches it.
    return subprocess.Popen(  # noqa: S603
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environ
    )


def wait_ready(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode} before it was ready")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/health/ready")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)  # polling a starting server; this is a benchmark, not a test
    raise SystemExit(f"the server was not ready within {START_SECONDS} s")


def client(port: int, queries: list[str], until: float, tally: Tally) -> None:
    """Send ``queries`` in turn on one keep-alive connection until ``until``."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    index = 0
    while time.monotonic() < until:
        body = queries[index % len(queries)].encode()
        index += 1
        started = time.perf_counter()
        status: int | None = None
        try:
            connection.request(
                "POST", "/sparql", body=body, headers={"Content-Type": "application/sparql-query"}
            )
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        tally.add(time.perf_counter() - started, status)
    connection.close()


def run_phase(port: int, clients: int, seconds: float, queries: list[str], slow: bool) -> Tally:
    tally, slow_tally = Tally(), Tally()
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client, args=(port, queries, until, tally)) for _ in range(clients)
    ]
    if slow:
        threads.append(
            threading.Thread(target=client, args=(port, [PATHOLOGICAL], until, slow_tally))
        )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if slow:
        count = len(slow_tally.latencies)
        print(f"  pathological client: {count} requests, statuses {slow_tally.statuses}")
    return tally


def p(latencies: list[float], percent: int) -> float:
    return statistics.quantiles(latencies, n=100, method="inclusive")[percent - 1]


def report(name: str, tally: Tally, seconds: float) -> float:
    count = len(tally.latencies)
    p50, p99 = p(tally.latencies, 50), p(tally.latencies, 99)
    print(
        f"{name}: {count} requests, {count / seconds:.1f} requests/s, "
        f"p50 {p50 * 1e3:.1f} ms, p99 {p99 * 1e3:.1f} ms, errors {tally.errors} "
        f"(statuses {dict(sorted(tally.statuses.items()))})"
    )
    return p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each phase")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (serve default)")
    parser.add_argument(
        "--store-path", type=Path, help="serve an on-disk store here (default: in memory)"
    )
    parser.add_argument(
        "--result-cache-size",
        type=int,
        help="answers each worker caches (default: the server's; 0: every query is evaluated)",
    )
    parser.add_argument(
        "--exclude", action="append", default=[], help="leave out queries/NAME.rq (repeatable)"
    )
    args = parser.parse_args()
    paths = sorted((ROOT / "queries").glob("*.rq"))
    queries = [path.read_text(encoding="utf-8") for path in paths if path.stem not in args.exclude]
    port = free_port()
    cache = args.result_cache_size
    server = start_server(port, args.workers, args.store_path, cache)
    try:
        wait_ready(port, server)
        print(
            f"{args.clients} clients, {args.seconds:g} s per phase, {len(queries)} queries, "
            f"{args.workers} workers, excluded: {', '.join(args.exclude) or 'none'}, "
            f"store: {'on disk' if args.store_path else 'in memory'}, "
            f"result cache: {'default' if cache is None else cache}"
        )
        base = report(
            "phase 1 (queries only)",
            run_phase(port, args.clients, args.seconds, queries, False),
            args.seconds,
        )
        print("phase 2 (beside a pathological query):")
        beside = report(
            "phase 2 (queries only)",
            run_phase(port, args.clients, args.seconds, queries, True),
            args.seconds,
        )
        print(f"p99 ratio phase 2 / phase 1: {beside / base:.2f} (target: below 2)")
    finally:
        server.terminate()
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
