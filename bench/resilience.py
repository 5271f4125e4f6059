"""bench/resilience: a bounded fuzz of `secgraph serve` with hostile queries on every query route.

    python bench/resilience.py --requests 5000

Starts the server (the fixture project unless --root, two workers, a short query timeout) on a
free 127.0.0.1 port, with a TCP listener on another standing for an address an attacker names,
then sends ``--requests`` requests drawn at random: deep nesting (5k, 20k, 100k), long flat
chains, cross products with and without ORDER BY, unknown functions, RAND-dependent cost,
SERVICE and LOAD in every spelling the attack tests know, and random bytes; on /sparql (GET,
form and direct POST), the /query editor (GET and POST) and the three views. Prints the answers
by status, the undocumented 5xx (a 5xx without one of the documented error codes), requests
with no answer, worker deaths seen in the server's log and connections to the listener.
"""

from __future__ import annotations

import argparse
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import requests

REPOSITORY = Path(__file__).resolve().parents[1]
FIXTURE = REPOSITORY / "tests" / "fixtures" / "project"
DOCUMENTED_5XX = {"query-timeout", "server-busy", "query-memory", "service-failed"}
WORKER_DEATH = re.compile(r"Worker \(pid:\d+\) (?:was sent \w+|exited)|Segmentation|SIGSEGV")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def queries(target: str, rng: random.Random) -> str:
    """One hostile query."""
    depth = rng.choice([5_000, 20_000, 100_000])
    length = rng.choice([1_000, 5_000, 20_000])
    base = target.removesuffix("sparql")
    forms = [
        "SELECT * WHERE { FILTER(" + "(" * depth + "1" + ")" * depth + ") }",
        "SELECT * WHERE { FILTER(" + "!" * depth + "true) }",
        "SELECT * WHERE { ?s " + "(" * depth + "<http://e/p>" + ")" * depth + " ?o }",
        "SELECT * WHERE " + "{" * depth + "}" * depth,
        "SELECT * WHERE { " + " ".join(f"BIND({i} AS ?v{i})" for i in range(length)) + " }",
        "SELECT * WHERE { " + " UNION ".join(["{}"] * length) + " }",
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?b ?c ?d ?e ?f ?g ?h ?i",
        "SELECT (<http://example.org/unknown>(1) AS ?x) WHERE {}",
        "SELECT * WHERE { ?s ?p ?o FILTER(<http://example.org/f>(?o)) }",
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i"
        " FILTER(RAND() < 0.5 || ?a = ?d) }",
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o # x\rSERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o .SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"PREFIX t: <{base}> SELECT * WHERE {{ sErViCe t:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?t {{ <{target}> }} SERVICE ?t {{ ?s ?p ?o }} }}",
        f"LOAD <{target}>",
        "".join(chr(rng.randrange(1, 0x2FF)) for _ in range(rng.randrange(1, 400))),
    ]
    return rng.choice(forms)


def send(session: requests.Session, url: str, query: str, rng: random.Random) -> requests.Response:
    route = rng.choice(
        ["sparql-get", "sparql-form", "sparql-direct", "query-get", "query-post"] * 2
        + ["chart", "timeline", "network"]
    )
    headers = {"Accept": "application/json"}
    timeout = 60
    if route == "sparql-get":
        return session.get(
            f"{url}/sparql", params={"query": query}, headers=headers, timeout=timeout
        )
    if route == "sparql-form":
        return session.post(
            f"{url}/sparql", data={"query": query}, headers=headers, timeout=timeout
        )
    if route == "sparql-direct":
        return session.post(
            f"{url}/sparql",
            data=query.encode(),
            headers={**headers, "Content-Type": "application/sparql-query"},
            timeout=timeout,
        )
    if route == "query-get":
        return session.get(
            f"{url}/query", params={"query": query}, headers=headers, timeout=timeout
        )
    if route == "query-post":
        return session.post(f"{url}/query", data={"query": query}, headers=headers, timeout=timeout)
    return session.get(
        f"{url}/views/{route}", params={"query": query}, headers=headers, timeout=timeout
    )


def _documented(response: requests.Response) -> bool:
    """Whether a 5xx is one the README documents: /sparql's error codes, or a page's message
    for the same limits (a page's JSON twin carries the message as ``error``)."""
    try:
        body = response.json()
    except ValueError:
        return False
    error = str(body.get("error", "")) if isinstance(body, dict) else ""
    return error in DOCUMENTED_5XX or any(
        words in error for words in ("time limit", "memory (the query_memory_mb", "was busy")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--root", type=Path, default=FIXTURE)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=3.0, help="the server's query timeout")
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)  # noqa: S311 - a reproducible fuzz, not a secret
    port = _free_port()
    with socket.socket() as listener, tempfile.TemporaryFile("w+") as log:
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        listener.setblocking(False)
        target = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        command = [sys.executable, "-m", "secgraph", "--root", str(arguments.root), "serve"]
        command += ["--port", str(port), "--workers", "2"]
        command += ["--query-timeout", str(arguments.timeout), "--query-memory-mb", "512"]
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    if requests.get(f"{url}/health", timeout=2).status_code == 200:
                        break
                except requests.RequestException:
                    time.sleep(0.2)
            statuses: Counter[int] = Counter()
            undocumented: Counter[str] = Counter()
            unanswered = 0
            connections = 0
            session = requests.Session()
            started = time.monotonic()
            for _ in range(arguments.requests):
                query = queries(target, rng)
                try:
                    response = send(session, url, query, rng)
                except requests.RequestException:
                    unanswered += 1
                    session = requests.Session()
                    continue
                statuses[response.status_code] += 1
                if response.status_code >= 500 and not _documented(response):
                    undocumented[f"{response.status_code} {query[:60]!r}"] += 1
                while True:
                    try:
                        connection, _ = listener.accept()
                    except BlockingIOError:
                        break
                    connection.close()
                    connections += 1
            elapsed = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
        log.seek(0)
        deaths = len(WORKER_DEATH.findall(log.read()))
    print(f"requests: {arguments.requests} in {elapsed:.0f} s")
    print("answers by status:", dict(sorted(statuses.items())))
    print(f"undocumented 5xx: {sum(undocumented.values())}")
    for what, count in undocumented.most_common(10):
        print(f"  {count} x {what}")
    print(f"no answer: {unanswered}")
    print(f"worker deaths: {deaths}")
    print(f"connections to the attacker's address: {connections}")


if __name__ == "__main__":
    main()
