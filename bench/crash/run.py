"""bench/crash: kill -9 `secgraph serve` during a stream of acknowledged writes and check that
every acknowledged write is still served and the store still validates.

    python bench/crash/run.py --rounds 50 [--kill all|worker]

Each round streams small valid SPARQL Updates (each inserting a unique marker) beside a stream
of queries, and at a random moment sends SIGKILL to
- ``all``: the whole process group (master and worker); the next round starts the server again
  on the same on-disk store, which must hold every write answered 204 before the kill;
- ``worker``: the worker only; gunicorn's master forks a new one, which must serve every
  acknowledged write (else they are *invisible*), and the killed worker's query processes must
  be gone (else they are *orphans*). A last full restart counts what the journal lost.
Prints rounds, acknowledged writes, lost writes, invisible writes, orphans and corrupt stores
(a start that fails, or data that no longer conforms to the shapes).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import queue
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import requests
from rdflib import Graph

from secgraph.build.load import load_sources
from secgraph.build.validate import validate_graph
from secgraph.config import Settings

REPOSITORY = Path(__file__).resolve().parents[2]
TOKEN = "crash-bench-token"  # noqa: S105 (a local benchmark, not a secret)
GRAPH = "https://w3id.org/secgraph/graph/crash-bench"
"""Where the markers go by default: a graph of its own (the fixture project takes it; the shipped
data's rules want a source document for every graph, so there pass --graph with one of its own)."""
SUBJECT = "https://w3id.org/secgraph/id/sica"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
_BOOTED = re.compile(r"Booting worker with pid: (\d+)")
MARKERS = (
    f"SELECT ?marker WHERE {{ GRAPH ?g {{ <{SUBJECT}> <{COMMENT}> ?marker }} "
    'FILTER(STRSTARTS(?marker, "marker-")) }'
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    """A running ``secgraph serve``: its master process and the lines it prints."""

    process: subprocess.Popen[str]
    lines: queue.Queue[str]
    worker: int


def start(root: Path, store: Path, port: int, deadline: float = 120) -> Server:
    """Start the server in its own process group; return once a worker boots (or raise)."""
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
    try:
        return Server(process, lines, next_worker(process, lines, deadline))
    except RuntimeError:
        kill(process)
        raise


def next_worker(process: subprocess.Popen[str], lines: queue.Queue[str], deadline: float) -> int:
    """The pid of the next worker the master boots, read from its log (or raise)."""
    log, ends = [], time.monotonic() + deadline
    while time.monotonic() < ends:
        try:
            line = lines.get(timeout=max(0.0, ends - time.monotonic()))
        except queue.Empty:
            break
        log.append(line)
        if (found := _BOOTED.search(line)) is not None:
            return int(found.group(1))
        if process.poll() is not None and lines.empty():
            break
    raise RuntimeError("no worker booted:\n" + "".join(log[-30:]))


def drain(lines: queue.Queue[str]) -> list[str]:
    """The lines the server printed that nobody has read yet."""
    found = []
    with contextlib.suppress(queue.Empty):
        while True:
            found.append(lines.get_nowait())
    return found


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` now (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


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
        except (requests.ConnectionError, requests.Timeout):
            # The worker is still importing, or catching up with the journal (a connection
            # waits in the listen queue meanwhile); poll again.
            time.sleep(0.02)
    raise RuntimeError(f"{base} never answered")


def stream_queries(base: str, stop: threading.Event) -> None:
    """Keep the worker's query processes busy, as readers beside the writer would."""
    session = requests.Session()
    while not stop.is_set():
        with contextlib.suppress(requests.RequestException):
            session.get(f"{base}/sparql", params={"query": MARKERS}, timeout=30)


def stream_writes(
    base: str, round_number: int, acknowledged: list[str], stop: threading.Event, graph: str
) -> None:
    session = requests.Session()
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    number = 0
    while not stop.is_set():
        marker = f"marker-{round_number}-{number}"
        update = f'INSERT DATA {{ GRAPH <{graph}> {{ <{SUBJECT}> <{COMMENT}> "{marker}" }} }}'
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


@dataclass
class Tally:
    acknowledged: list[str] = field(default_factory=list)
    lost: set[str] = field(default_factory=set)
    invisible: set[str] = field(default_factory=set)
    orphans: int = 0
    watched: int = 0  # query processes a killed worker had, each checked for an orphan
    corrupt: int = 0


def check(base: str, root: Path, tally: Tally, missing: set[str]) -> None:
    """Add the acknowledged writes ``base`` does not serve to ``missing``; count a store that
    no longer conforms."""
    missing |= set(tally.acknowledged) - present_markers(base)
    if not conforms(base, root):
        tally.corrupt += 1


def write_until_killed(
    base: str,
    round_number: int,
    tally: Tally,
    delay: float,
    killing: Callable[[], None],
    graph: str = GRAPH,
) -> None:
    """Stream writes and queries for ``delay`` seconds, then call ``killing``."""
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=stream_writes, args=(base, round_number, tally.acknowledged, stop, graph)
        ),
        threading.Thread(target=stream_queries, args=(base, stop)),
    ]
    for thread in threads:
        thread.start()
    stop.wait(delay)
    killing()
    stop.set()
    for thread in threads:
        thread.join()


def kill_all_rounds(options: argparse.Namespace, store: Path, tally: Tally) -> None:
    chance = random.Random(options.seed)  # noqa: S311 (when to kill, not a secret)
    for round_number in range(options.rounds + 1):
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        try:
            server = start(options.root, store, port)
            wait_ready(base)
        except RuntimeError as error:
            print(f"round {round_number}: corrupt store: {error}", file=sys.stderr)
            tally.corrupt += 1
            continue
        check(base, options.root, tally, tally.lost)
        if round_number == options.rounds:
            kill(server.process)  # the last start only verifies
            break
        delay = chance.uniform(0.0, options.max_kill_delay)
        killing = partial(kill, server.process)
        write_until_killed(base, round_number, tally, delay, killing, options.graph)


def kill_worker_rounds(options: argparse.Namespace, store: Path, tally: Tally) -> None:
    chance = random.Random(options.seed)  # noqa: S311 (when to kill, not a secret)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start(options.root, store, port)
    try:
        wait_ready(base)
        for round_number in range(options.rounds):
            delay = chance.uniform(0.0, options.max_kill_delay)
            worker, orphaned = server.worker, []

            def kill_worker(worker: int = worker, orphaned: list[int] = orphaned) -> None:
                orphaned += children(worker)  # its query processes, if any ran
                with contextlib.suppress(ProcessLookupError):
                    os.kill(worker, signal.SIGKILL)

            write_until_killed(base, round_number, tally, delay, kill_worker, options.graph)
            try:
                server.worker = next_worker(server.process, server.lines, 120)
                wait_ready(base)
            except RuntimeError as error:
                print(f"round {round_number}: no new worker: {error}", file=sys.stderr)
                print("".join(drain(server.lines)[-30:]), file=sys.stderr)
                tally.corrupt += 1
                return
            check(base, options.root, tally, tally.invisible)
            ends = time.monotonic() + 5  # a parent-death signal is delivered at once
            while any(alive(pid) for pid in orphaned) and time.monotonic() < ends:
                time.sleep(0.05)
            tally.orphans += sum(alive(pid) for pid in orphaned)
            tally.watched += len(orphaned)
    finally:
        kill(server.process)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start(options.root, store, port)  # a full start: what the journal kept
    try:
        wait_ready(base)
        check(base, options.root, tally, tally.lost)
    finally:
        kill(server.process)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--root", type=Path, default=REPOSITORY / "tests" / "fixtures" / "project")
    parser.add_argument("--max-kill-delay", type=float, default=2.0, help="seconds")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--kill", choices=("all", "worker"), default="all", help="what dies")
    parser.add_argument("--graph", default=GRAPH, help="the named graph the markers go into")
    options = parser.parse_args()
    tally = Tally()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        store = Path(scratch) / "store"
        rounds = kill_worker_rounds if options.kill == "worker" else kill_all_rounds
        rounds(options, store, tally)
    seconds = time.perf_counter() - started
    print(f"rounds: {options.rounds}")
    print(f"killed: {options.kill}")
    print(f"acknowledged writes: {len(tally.acknowledged)}")
    print(f"lost writes: {len(tally.lost)}")
    print(f"invisible writes: {len(tally.invisible)}")
    print(f"orphans: {tally.orphans} (of {tally.watched} query processes of killed workers)")
    print(f"corrupt stores: {tally.corrupt}")
    print(f"seconds: {seconds:.1f} ({options.root.resolve().name})")
    failed = tally.lost or tally.invisible or tally.orphans or tally.corrupt
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
