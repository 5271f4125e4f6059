"""W3C SPARQL 1.1 Protocol and Service Description tests against `secgraph serve`.

Measurement, not a unit test. The query harness ignores these manifests (mf:ProtocolTest,
mf:ServiceDescriptionTest). This script serves the protocol tests' data (each ut:graphData file
as the named graph its rdfs:label names) with `secgraph serve --data`, sends every request of
every query-operation test as written (method, path, headers, body), and checks the expected
status class, result kind (boolean / tabular / RDF) and boolean. Update-operation tests are
skipped: the endpoint serves queries only, by design.

    .venv/bin/python bench/conformance/protocol.py --suite ../shared/w3c-sparql
"""

from __future__ import annotations

import argparse
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import requests
from harness import write_summary
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from secgraph.namespaces import SD

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RESULTS = {"application/sparql-results+json", "application/sparql-results+xml"}
TABULAR = RESULTS | {"text/csv", "text/tab-separated-values"}
TIMEOUT_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(data: Path) -> Iterator[str]:
    """Run `secgraph serve --data` on a free port until the block ends; yield the endpoint."""
    port = _free_port()
    args = [sys.executable, "-m", "secgraph", "serve", "--data", str(data), "--port", str(port)]
    endpoint = f"http://127.0.0.1:{port}/sparql"
    # Our own interpreter and module, a path we wrote: no untrusted input reaches the command.
    with subprocess.Popen(  # noqa: S603
        [*args, "--workers", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    ) as server:
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and server.poll() is None:
                try:
                    requests.get(endpoint, params={"query": "ASK {}"}, timeout=2)
                    break
                except requests.ConnectionError:
                    time.sleep(0.1)
            yield endpoint
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=TIMEOUT_SECONDS)


def write_dataset(manifest: Graph, folder: Path, out: Path) -> None:
    """Every ut:graphData file of the manifest, in the named graph its rdfs:label names."""
    dataset = ox.Dataset()
    for data in manifest.objects(None, UT.graphData):
        name, path = manifest.value(data, RDFS.label), manifest.value(data, UT.graph)
        source = folder / str(path).rsplit("/", 1)[-1]
        for quad in ox.parse(path=source, format=ox.RdfFormat.N_TRIPLES):
            dataset.add(ox.Quad(quad.subject, quad.predicate, quad.object, ox.NamedNode(name)))
    out.write_bytes(ox.serialize(dataset, format=ox.RdfFormat.TRIG) or b"")


def send(endpoint: str, manifest: Graph, request: Node) -> requests.Response:
    """Send one ht:Request as written, its /sparql/ path mapped onto ``endpoint``."""
    path = str(manifest.value(request, HT.absolutePath)).removeprefix("/sparql/")
    headers = {}
    for header_list in manifest.objects(request, HT.headers):
        for header in Collection(manifest, header_list):
            headers[str(manifest.value(header, HT.fieldName))] = str(
                manifest.value(header, HT.fieldValue)
            )
    body = manifest.value(manifest.value(request, HT.body), CNT.chars)
    return requests.request(
        str(manifest.value(request, HT.methodName)),
        endpoint + path,
        headers=headers,
        data=None if body is None else str(body).encode("utf-8"),
        timeout=TIMEOUT_SECONDS,
    )


def check(response: requests.Response, manifest: Graph, expected: Node) -> str | None:
    """What differs from the expected ht:Response (None: as expected)."""
    statuses = manifest.objects(expected, MF.expectedStatus)
    classes = {str(status).rsplit("StatusCode", 1)[-1] for status in statuses}
    if f"{response.status_code // 100}xx" not in classes:
        return f"HTTP {response.status_code}, expected {' or '.join(sorted(classes))}"
    kind = manifest.value(expected, MF.expectedFormat)
    media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    if kind is not None:
        allowed = {"boolean": RESULTS, "tabular": TABULAR}.get(str(kind))
        rdf = ox.RdfFormat.from_media_type(media_type) is not None
        if (allowed is not None and media_type not in allowed) or (allowed is None and not rdf):
            return f"{media_type} is not a {kind} format"
    boolean = manifest.value(expected, MF.expectedBoolean)
    if boolean is not None:
        results_format = ox.QueryResultsFormat.from_media_type(media_type)
        answer = ox.parse_query_results(response.content, format=results_format)
        if bool(answer) != boolean.toPython():
            return f"answered {bool(answer)}, expected {boolean}"
    return None


def run_protocol_test(endpoint: str, manifest: Graph, test: Node) -> tuple[str, str]:
    requests_list = manifest.value(manifest.value(test, MF.action), HT.requests)
    for request in Collection(manifest, requests_list):
        method = str(manifest.value(request, HT.methodName))
        try:
            response = send(endpoint, manifest, request)
        except requests.RequestException as error:
            return "failed", f"{method}: {error}"
        problem = check(response, manifest, manifest.value(request, HT.resp))
        if problem:
            return "failed", f"{method}: {problem}"
    return "passed", ""


def run_service_description_test(endpoint: str, name: str) -> tuple[str, str]:
    # Service Description §2: GET without a query answers RDF holding an sd:endpoint triple
    # for the URL asked; "conforms to schema" is read as one sd:Service, typed, with a language.
    response = requests.get(endpoint, timeout=TIMEOUT_SECONDS)
    rdf_format = ox.RdfFormat.from_media_type(response.headers.get("Content-Type", ""))
    if response.status_code != 200 or rdf_format is None:
        return "failed", f"HTTP {response.status_code} {response.headers.get('Content-Type')}"
    graph = Graph().parse(data=response.content, format="turtle")
    services = set(graph.subjects(RDF.type, SD.Service))
    if "endpoint" in name and (None, SD.endpoint, URIRef(endpoint)) not in graph:
        return "failed", f"no sd:endpoint <{endpoint}>"
    if "schema" in name and not (
        len(services) == 1 and all(graph.value(s, SD.supportedLanguage) for s in services)
    ):
        return "failed", "not exactly one sd:Service with sd:supportedLanguage"
    return "passed", ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--suite", type=Path, required=True, help="the w3c-sparql folder")
    parser.add_argument("--report", type=Path, help="write a JSON report here")
    args = parser.parse_args(argv)
    folder = args.suite / "sparql11" / "protocol"
    manifest = Graph().parse(folder / "manifest.ttl")
    sd_manifest = Graph().parse(args.suite / "sparql11" / "service-description" / "manifest.ttl")
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as directory:
        data = Path(directory, "protocol.trig")
        write_dataset(manifest, folder, data)
        with serving(data) as endpoint:
            for test in Collection(manifest, next(manifest.objects(None, MF.entries))):
                name = str(test).rsplit("#", 1)[-1]
                if "update" in name:
                    status, detail = "skipped", "update operation: not offered (read-only)"
                else:
                    status, detail = run_protocol_test(endpoint, manifest, test)
                rows.append({"id": f"protocol#{name}", "status": status, "detail": detail})
            for test in Collection(sd_manifest, next(sd_manifest.objects(None, MF.entries))):
                name = str(test).rsplit("#", 1)[-1]
                status, detail = run_service_description_test(endpoint, name)
                row = {"id": f"service-description#{name}", "status": status, "detail": detail}
                rows.append(row)
    for row in rows:
        if row["status"] != "passed":
            print(f"{row['status']:7} {row['id']}: {row['detail']}")
    write_summary(rows, args.report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
