"""bench/crash: kill -9 `secgraph serve` during a stream of acknowledged writes, restart, and
check that every acknowledged write is there and the store still validates.

    python bench/crash/run.py --rounds 50

Each round starts the server (writes enabled, on-disk store kept across rounds), streams small
valid SPARQL Updates (each inserting a unique marker) and kills the whole process group with
SIGKILL at a random moment. The next start must hold every write answered 204 before the kill.
Prints rounds, acknowledged writes, lost writes and corrupt stores (a start that fails, or data
that no longer conforms to the shapes).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import queue
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from rdflib import Graph

from secgraph.build.load import load_sources
from secgraph.build.validate import validate_graph
from secgraph.config import Settings

REPOSITORY = Path(__file__).resolve().parents[2]
TOKEN = "crash-bench-token"  # noqa: S105 (a local benchmark, not a secret)
GRAPH = "https://w3id.org/secgraph/graph/crash-bench"
SUBJECT = "https://w3id.org/secgraph/id/sica"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
MARKERS = f"SELECT ?marker WHERE {{ GRAPH <{GRAPH}> {{ <{SUBJECT}> <{COMMENT}> ?marker }} }}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start(root: Path, store: Path, port: int, deadline: float = 120) -> subprocess.Popen[str]:
    """Start the server in its own process group; return once it listens (or raise)."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SECGRAPH_")}
    environ["SECGRAPH_WRITE_TOKEN"] = TOKEN
    args = [sys.executable, "-m", "secgraph", "--root", str(root), "serve", "--writes-enabled"]
    args += ["--workers", "1", "--store-path", str(store), "--port", str(port)]
    process = subprocess.Popen(  # noqa: S603 (our own command line)
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environ,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_pump, args=(process, lines), daemon=True).start()
    log, ends = [], time.monotonic() + deadline
    while time.monotonic() < ends:
        try:
            line = lines.get(timeout=max(0.0, ends - time.monotonic()))
        except queue.Empty:
            break
        log.append(line)
        if "Booting worker" in line:
            return process
        if process.poll() is not None and lines.empty():
            break
    kill(process)
    raise RuntimeError("server did not start:\n" + "".join(log[-30:]))


def _pump(process: subprocess.Popen[str], lines: queue.Queue[str]) -> None:
    if process.stdout is None:
        raise RuntimeError("the server's output is not piped")
    for line in process.stdout:
        lines.put(line)


def kill(process: subprocess.Popen[str]) -> None:
    """kill -9 the master and its worker (the whole process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def wait_ready(base: str, deadline: float = 60) -> None:
    ends = time.monotonic() + deadline
    while time.monotonic() < ends:
        try:
            if requests.get(f"{base}/sparql", params={"query": "ASK {}"}, timeout=5).ok:
                return
        except requests.ConnectionError:
            time.sleep(0.02)  # the worker is still importing; poll again
    raise RuntimeError(f"{base} never answered")


def stream_writes(
    base: str, round_number: int, acknowledged: list[str], stop: threading.Event
) -> None:
    session = requests.Session()
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    number = 0
    while not stop.is_set():
        marker = f"marker-{round_number}-{number}"
        update = f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <{SUBJECT}> <{COMMENT}> "{marker}" }} }}'
        try:
            response = session.post(
                f"{base}/update", data=update.encode(), headers=headers, timeout=30
            )
        except requests.RequestException:
            return  # the server died mid-request: this write was never acknowledged
        if response.status_code == 204:
            acknowledged.append(marker)
        number += 1


def present_markers(base: str) -> set[str]:
    response = requests.get(f"{base}/sparql", params={"query": MARKERS}, timeout=30)
    response.raise_for_status()
    return {row["marker"]["value"] for row in response.json()["results"]["bindings"]}


def conforms(base: str, root: Path) -> bool:
    """Whether the served data (asserted + inferred) still conforms to the shapes."""
    response = requests.get(
        f"{base}/data?default", headers={"Accept": "application/n-triples"}, timeout=60
    )
    response.raise_for_status()
    union = Graph()
    union.parse(data=response.text, format="nt")  # the default graph is the union
    return validate_graph(union, load_sources(Settings(root=root)).shapes).conforms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--root", type=Path, default=REPOSITORY / "tests" / "fixtures" / "project")
    parser.add_argument("--max-kill-delay", type=float, default=2.0, help="seconds")
    parser.add_argument("--seed", type=int, default=None)
    options = parser.parse_args()
    chance = random.Random(options.seed)  # noqa: S311 (when to kill, not a secret)
    acknowledged: list[str] = []
    lost: set[str] = set()
    corrupt = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        store = Path(scratch) / "store"
        for round_number in range(options.rounds + 1):
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            try:
                process = start(options.root, store, port)
                wait_ready(base)
            except RuntimeError as error:
                print(f"round {round_number}: corrupt store: {error}", file=sys.stderr)
                corrupt += 1
                continue
            lost |= set(acknowledged) - present_markers(base)
            if not conforms(base, options.root):
                corrupt += 1
            if round_number == options.rounds:
                kill(process)  # the last start only verifies
                break
            stop = threading.Event()
            writer = threading.Thread(
                target=stream_writes, args=(base, round_number, acknowledged, stop)
            )
            writer.start()
            stop.wait(chance.uniform(0.0, options.max_kill_delay))  # a random moment
            kill(process)
            stop.set()
            writer.join()
    seconds = time.perf_counter() - started
    print(f"rounds: {options.rounds}")
    print(f"acknowledged writes: {len(acknowledged)}")
    print(f"lost writes: {len(lost)}")
    print(f"corrupt stores: {corrupt}")
    print(f"seconds: {seconds:.1f} ({options.root.name})")
    return 0 if not lost and not corrupt else 1


if __name__ == "__main__":
    sys.exit(main())
