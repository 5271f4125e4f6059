"""Endpoint benchmark: the same dataset and queries against secgraph (result cache off and on),
Oxigraph server, rdflib-endpoint and secgraph's constant route (the floor), in one run.

    python bench/endpoint.py --scales 0 3 --seconds 3 --json var/bench/endpoint.json

Scale 0 is the shipped graph; scale k is bench/generate.py's k replicas. Every server holds the
same N-Quads (asserted and inferred graphs, exported by `secgraph export`) with the union of all
graphs as default graph, each triple once, as secgraph's store has it: Oxigraph server loads the
union written into its default graph (its --union-default-graph would give a triple once per
graph holding it), rdflib-endpoint's default graph is the union already. Each server's answer to
each query is compared with secgraph's, whole (rows as a multiset, blank nodes unlabelled), and
any difference is printed; a ratio against a server that answered differently is starred.
Servers are started here on 127.0.0.1 and stopped at the end. secgraph runs
as `make serve` runs it (gunicorn, 2 workers). The load generator is Python threads, one
keep-alive http.client connection each (no new connection per request); it shares the machine's
cores with the servers, so the highest figures are a floor of what the servers can do.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from time import monotonic, perf_counter
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PREFIXES = (
    "PREFIX sg: <https://w3id.org/secgraph/ontology#>\n"
    "PREFIX id: <https://w3id.org/secgraph/id/>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX org: <http://www.w3.org/ns/org#>\n"
)
TYPICAL = {
    "lookup": "SELECT ?p ?o WHERE { id:sica ?p ?o }",
    "join": "SELECT ?m ?org ?label WHERE { ?m org:member ?c ; org:organization ?org . "
    "?org rdfs:label ?label . ?c a sg:Country }",
    "aggregate": "SELECT ?class (COUNT(*) AS ?n) WHERE { ?x a ?class } GROUP BY ?class "
    "ORDER BY DESC(?n)",
    "path": "SELECT ?place ?outer WHERE { ?place sg:locatedIn+ ?outer }",
}
# Results as JSON; CONSTRUCT/DESCRIBE as N-Triples (every server here writes both).
ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
TARGETS = ("secgraph", "secgraph+cache", "oxigraph", "rdflib-endpoint")


def competency_queries() -> dict[str, str]:
    """The named queries in queries/, by file stem."""
    return {
        path.stem: path.read_text(encoding="utf-8") for path in sorted(ROOT.glob("queries/*.rq"))
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(command: list[str], env: dict[str, str], port: int, path: str) -> Iterator[str]:
    """Start ``command``, wait until GET ``path`` answers an ASK, yield the query path; stop it."""
    process = subprocess.Popen(  # noqa: S603
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = monotonic() + 600  # building a large graph takes minutes
        while monotonic() < deadline:
            if process.poll() is not None:
                error = process.stderr.read().decode() if process.stderr else ""
                raise RuntimeError(f"{command[0]} exited: {error[-2000:]}")
            try:
                if fetch(port, path, "ASK { ?s ?p ?o }")[0] == 200:
                    break
            except OSError:
                pass
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.2)  # a pause that ends early if the server exits
        else:
            raise RuntimeError(f"{command[0]} did not answer on port {port} within 600 s")
        yield path
    finally:
        process.terminate()
        process.wait(timeout=30)


def fetch(port: int, path: str, query: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        return request(connection, path, query)
    finally:
        connection.close()


def request(connection: http.client.HTTPConnection, path: str, query: str) -> tuple[int, bytes]:
    target = path if not query else f"{path}?{urlencode({'query': query})}"
    connection.request("GET", target, headers={"Accept": ACCEPT})
    response = connection.getresponse()
    return response.status, response.read()


def load(port: int, targets: list[str], concurrency: int, seconds: float) -> dict[str, float]:
    """Requests per second and p50/p99 latency (ms) of GETs cycling through ``targets`` (request
    paths) for ``seconds``, by ``concurrency`` threads; non-200 answers count as failed."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    deadline = monotonic() + seconds

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine, failed = [], 0
        while monotonic() < deadline:
            target = targets[len(mine) % len(targets)]
            started = perf_counter()
            try:
                connection.request("GET", target, headers={"Accept": ACCEPT})
                response = connection.getresponse()
                response.read()
                failed += response.status != 200
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
            mine.append(perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)
            failures[0] += failed

    started = perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = perf_counter() - started
    latencies.sort()
    count = len(latencies)
    return {
        "rps": count / elapsed,
        "p50": 1000 * latencies[count // 2] if count else float("nan"),
        "p99": 1000 * latencies[min(count - 1, int(count * 0.99))] if count else float("nan"),
        "failed": failures[0],
    }


def export_dataset(env: dict[str, str], out: Path) -> None:
    command = [str(BIN / "secgraph"), "--quiet", "export", "--format", "nquads", "--out", str(out)]
    subprocess.run(command, env=env, check=True, capture_output=True)  # noqa: S603


def with_union_default_graph(dataset: Path, out: Path) -> None:
    """Write ``dataset``'s quads plus, in the default graph, each of its triples once."""
    quads = list(ox.parse(path=str(dataset), format=ox.RdfFormat.N_QUADS))
    union = dict.fromkeys(ox.Quad(*quad.triple) for quad in quads if quad.graph_name)
    ox.serialize([*quads, *union], output=str(out), format=ox.RdfFormat.N_QUADS)


def start_all(stack: ExitStack, work: Path, env: dict[str, str]) -> dict[str, tuple[int, str]]:
    """Every server on a port of its own: {target: (port, query path)}."""
    dataset = work / "dataset.nq"
    export_dataset(env, dataset)
    ports = {target: free_port() for target in TARGETS}
    secgraph = [str(BIN / "secgraph"), "serve", "--host", "127.0.0.1", "--workers", "2"]
    for target, cache in (("secgraph", "0"), ("secgraph+cache", "256")):
        own = env | {"SECGRAPH_RESULT_CACHE_SIZE": cache, "SECGRAPH_BENCH_FLOOR": "1"}
        port = ports[target]
        stack.enter_context(server([*secgraph, "--port", str(port)], own, port, "/sparql"))
    location, unioned = work / "oxigraph", work / "dataset-union.nq"
    with_union_default_graph(dataset, unioned)
    load_command = [str(BIN / "oxigraph"), "load", "--location", str(location)]
    subprocess.run([*load_command, "--file", str(unioned)], check=True, capture_output=True)  # noqa: S603
    oxigraph = [str(BIN / "oxigraph"), "serve-read-only", "--location", str(location)]
    oxigraph += ["--bind", f"127.0.0.1:{ports['oxigraph']}"]
    stack.enter_context(server(oxigraph, env, ports["oxigraph"], "/query"))
    rdflib = [str(BIN / "rdflib-endpoint"), "serve", str(dataset), "--host", "127.0.0.1"]
    rdflib += ["--port", str(ports["rdflib-endpoint"])]
    stack.enter_context(server(rdflib, env, ports["rdflib-endpoint"], "/"))
    return {
        "secgraph": (ports["secgraph"], "/sparql"),
        "secgraph+cache": (ports["secgraph+cache"], "/sparql"),
        "oxigraph": (ports["oxigraph"], "/query"),
        "rdflib-endpoint": (ports["rdflib-endpoint"], "/"),
    }


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
PEERS = ("oxigraph", "rdflib-endpoint")


def answer_of(status: int, body: bytes) -> object:
    """What an answer says, comparable across servers: a boolean, the multiset of rows, or the
    set of triples; blank nodes unlabelled, xsd:string literals as plain ones, tags lowercased."""
    if status != 200:
        return f"HTTP {status}"
    if body.startswith(b"{"):
        parsed = json.loads(body)
        if "boolean" in parsed:
            return bool(parsed["boolean"])
        rows = parsed["results"]["bindings"]
        return Counter(tuple(sorted((k, _term(v)) for k, v in row.items())) for row in rows)
    try:
        triples = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        return frozenset(_triple(triple) for triple in triples)
    except SyntaxError:
        triples = ox.parse(body, format=ox.RdfFormat.TURTLE)
        return frozenset(_triple(triple) for triple in triples)


def _term(value: dict[str, str]) -> tuple[str, ...]:
    kind = {"typed-literal": "literal"}.get(value["type"], value["type"])
    if kind == "bnode":
        return ("bnode",)
    datatype = value.get("datatype", "")
    return (
        kind,
        value["value"],
        "" if datatype == XSD_STRING else datatype,
        value.get("xml:lang", "").lower(),
    )


def _triple(triple: ox.Triple) -> str:
    terms = (triple.subject, triple.predicate, triple.object)
    return " ".join("_:" if isinstance(term, ox.BlankNode) else str(term) for term in terms)


def describe(answer: object) -> str:
    if isinstance(answer, Counter):
        return f"{sum(answer.values())} rows"
    if isinstance(answer, frozenset):
        return f"{len(answer)} triples"
    return str(answer)


def compare_answers(
    servers: dict[str, tuple[int, str]], queries: dict[str, str]
) -> dict[str, dict[str, str]]:
    """{query name: {peer: how its answer differs from secgraph's}} for each differing answer
    (printed, not fatal: a difference is a finding of the benchmark)."""
    differing: dict[str, dict[str, str]] = {}
    for name, text in queries.items():
        ours = answer_of(*fetch(*servers["secgraph"], text))
        for peer in PEERS:
            theirs = answer_of(*fetch(*servers[peer], text))
            if theirs == ours:
                continue
            said = f"{describe(theirs)} against secgraph's {describe(ours)}"
            if isinstance(ours, Counter) and isinstance(theirs, Counter):
                missing, extra = ours - theirs, theirs - ours
                said += f" ({sum(missing.values())} missing, {sum(extra.values())} extra)"
            elif isinstance(ours, frozenset) and isinstance(theirs, frozenset):
                said += f" ({len(ours - theirs)} missing, {len(theirs - ours)} extra)"
            differing.setdefault(name, {})[peer] = said
    return differing


def measure(
    servers: dict[str, tuple[int, str]],
    workload: dict[str, list[str]],
    levels: list[int],
    seconds: float,
) -> dict[str, dict[str, dict[str, float]]]:
    """{workload name: {f"{target}@{concurrency}": figures}}, the floor under "floor"."""
    floor_port = servers["secgraph"][0]
    results: dict[str, dict[str, dict[str, float]]] = {"floor": {}}
    for level in levels:
        results["floor"][f"floor@{level}"] = load(floor_port, ["/bench/floor"], level, seconds)
    for name, texts in workload.items():
        results[name] = {}
        for target, (port, path) in servers.items():
            paths = [f"{path}?{urlencode({'query': text})}" for text in texts]
            for level in levels:
                results[name][f"{target}@{level}"] = load(port, paths, level, seconds)
        print(f"  measured {name}", file=sys.stderr, flush=True)
    return results


def table(
    results: dict[str, dict[str, dict[str, float]]],
    levels: list[int],
    differs: dict[str, list[str]],
) -> str:
    """Requests/s (p50 / p99 ms) per workload, target and concurrency, and the ratios; a ratio
    against a peer that answered some query of the workload differently is starred."""
    header = "| workload | c | " + " | ".join(TARGETS) + " | floor | sg/ox | sg/rdflib | sg/floor "
    header += "| sg+cache/floor |"
    lines = [header, "|" + "---|" * (len(TARGETS) + 7)]
    for name, cells in results.items():
        if name == "floor":
            continue
        for level in levels:
            figures = {t: cells[f"{t}@{level}"] for t in TARGETS}
            floor = results["floor"][f"floor@{level}"]
            shown = [_cell(figures[t]) for t in TARGETS] + [_cell(floor)]
            ours, cached = figures["secgraph"]["rps"], figures["secgraph+cache"]["rps"]
            ratios = [
                ours / figures["oxigraph"]["rps"],
                ours / max(figures["rdflib-endpoint"]["rps"], 1e-9),
                ours / floor["rps"],
                cached / floor["rps"],
            ]
            marks = ["*" if peer in differs.get(name, []) else "" for peer in PEERS] + ["", ""]
            lines.append(
                f"| {name} | {level} | "
                + " | ".join(shown)
                + " | "
                + " | ".join(f"{r:.2f}x{mark}" for r, mark in zip(ratios, marks, strict=True))
                + " |"
            )
    return "\n".join(lines)


def _cell(figures: dict[str, float]) -> str:
    failed = f", {int(figures['failed'])} failed" if figures["failed"] else ""
    return f"{figures['rps']:.0f} ({figures['p50']:.1f} / {figures['p99']:.1f}){failed}"


def run_scale(scale: int, levels: list[int], seconds: float, work: Path) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SECGRAPH_")}
    env |= {"SECGRAPH_ROOT": str(ROOT), "SECGRAPH_CACHE_DIR": str(work / "cache")}
    if scale > 0:
        data = work / f"data-{scale}"
        generate = [sys.executable, str(ROOT / "bench" / "generate.py"), "--scale", str(scale)]
        subprocess.run([*generate, "--out", str(data)], check=True, capture_output=True)  # noqa: S603
        env["SECGRAPH_DATA_DIR"] = str(data)
    competency = competency_queries()
    typical = {name: PREFIXES + text for name, text in TYPICAL.items()}
    workload = {name: [text] for name, text in typical.items()}
    in_turn = f"competency ({len(competency)}, in turn)"
    workload[in_turn] = list(competency.values())
    with ExitStack() as stack:
        servers = start_all(stack, work / f"servers-{scale}", env)
        differing = compare_answers(servers, typical | competency)
        results = measure(servers, workload, levels, seconds)
    # Which peers answered some query of each workload differently from secgraph.
    differs = {name: sorted(differing.get(name, {})) for name in typical}
    differs[in_turn] = sorted({peer for name in competency for peer in differing.get(name, {})})
    return {"scale": scale, "differing": differing, "differs": differs, "results": results}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[0], help="0: shipped graph")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--seconds", type=float, default=3.0, help="per measured cell")
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="secgraph-endpoint-"))
    measured = []
    try:
        for scale in args.scales:
            (work / f"servers-{scale}").mkdir()
            outcome = run_scale(scale, args.concurrency, args.seconds, work)
            measured.append(outcome)
            print(f"\nscale {scale}: requests/s (p50 / p99 ms)")
            print(table(outcome["results"], args.concurrency, outcome["differs"]))
            for name, peers in outcome["differing"].items():
                for peer, said in peers.items():
                    print(f"* answers differ: {name}: {peer} {said}")
            if not outcome["differing"]:
                print("every server gave secgraph's answer to every query")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(measured, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
