"""Real SPARQL and RDF clients against `secgraph serve` (gunicorn on 127.0.0.1): SPARQLWrapper,
rdflib's SPARQLStore, Rasqal's roqet and Raptor's rapper read what the server and the CLI write.

roqet and rapper come from Debian (rasqal-utils, raptor2-utils; .ci/run installs them); on a
machine without them their tests skip, saying so.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, JSONLD, N3, RDFXML, TURTLE, XML, SPARQLWrapper

from secgraph.build.pipeline import BuiltGraph
from secgraph.cli import main
from secgraph.namespaces import ID, INFERRED_GRAPH, sparql_prologue
from servers import FIXTURE_PROJECT, secgraph_server

MEMBERS = sparql_prologue() + "SELECT ?m WHERE { id:sica sg:hasMember ?m } ORDER BY ?m"
EXPECTED = [str(ID.belize), str(ID.guatemala), str(ID.honduras)]
ASK = sparql_prologue() + "ASK { id:guatemala sg:memberOf id:sica }"
CONSTRUCT = sparql_prologue() + "CONSTRUCT WHERE { ?country sg:memberOf id:sica }"
# Raptor's parser names for the media types the server writes (rapper has no JSON-LD parser).
RAPPER = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/rdf+xml": "rdfxml",
    "application/trig": "trig",
    "application/n-quads": "nquads",
}
EXPORTS = {"turtle": "turtle", "ntriples": "ntriples", "trig": "trig", "nquads": "nquads"}


def needs(tool: str, package: str) -> pytest.MarkDecorator:
    reason = f"{tool} is not installed (Debian package {package}; .ci/run installs it)"
    return pytest.mark.skipif(shutil.which(tool) is None, reason=reason)


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with secgraph_server() as url:
        yield url


@pytest.fixture
def endpoint(base: str) -> str:
    return base + "/sparql"


def test_sparqlwrapper_reads_a_json_select(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint, returnFormat=JSON)
    client.setQuery(MEMBERS)
    rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert [row["m"]["value"] for row in rows] == EXPECTED


def test_sparqlwrapper_reads_an_xml_select_sent_by_post(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint, returnFormat=XML)
    client.setMethod("POST")
    client.setQuery(MEMBERS)
    document = client.queryAndConvert()
    uris = [node.firstChild.data for node in document.getElementsByTagName("uri")]  # type: ignore[union-attr]
    assert uris == EXPECTED


def test_sparqlwrapper_reads_an_ask(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint, returnFormat=JSON)
    client.setQuery(ASK)
    assert client.queryAndConvert() == {"head": {}, "boolean": True}


# SPARQLWrapper 2.0 converts RDF/XML and JSON-LD through rdflib's ConjunctiveGraph, which
# rdflib 7 deprecates: a warning about the client, not about what the server sent.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("wanted", [TURTLE, RDFXML, JSONLD, N3])
def test_sparqlwrapper_reads_a_construct(endpoint: str, wanted: str) -> None:
    # N3: SPARQLWrapper sends format=n3, answered with Turtle (a subset of N3); it was a 406.
    client = SPARQLWrapper(endpoint, returnFormat=wanted)
    client.setQuery(CONSTRUCT)
    converted = client.queryAndConvert()
    graph = converted if isinstance(converted, Graph) else Graph().parse(data=converted)
    assert sorted(str(country) for country in graph.subjects()) == EXPECTED


def test_rdflib_sparqlstore_selects_through_a_graph(endpoint: str, built: BuiltGraph) -> None:
    graph = Graph(store=SPARQLStore(endpoint, returnFormat="json"))
    assert [str(row[0]) for row in graph.query(MEMBERS)] == EXPECTED  # type: ignore[index]
    assert graph.query(ASK).askAnswer is True
    about_sica = list(graph.triples((URIRef(str(ID.sica)), None, None)))
    expected = built.store.query(f"SELECT * WHERE {{ <{ID.sica}> ?p ?o }}")
    assert len(about_sica) == len(list(expected)) == 7


@needs("roqet", "rasqal-utils")
def test_roqet_reads_a_select_over_the_protocol(endpoint: str) -> None:
    # Rasqal asks for SPARQL XML results only, and reads no ASK boolean or CONSTRUCT graph from
    # a service (its limits, not the server's): SELECT is what it can check.
    query = MEMBERS.replace("?m WHERE {", "?m ?label WHERE { ?m rdfs:label ?label .")
    output = _run("roqet", "-i", "sparql", "-p", endpoint, "-e", query, "-r", "xml")
    results = ox.parse_query_results(output, ox.QueryResultsFormat.XML)
    assert isinstance(results, ox.QuerySolutions)
    rows = [(row["m"].value, str(row["label"])) for row in results]
    assert rows == [
        (iri, f'"{name}"@en')
        for iri, name in zip(EXPECTED, ("Belize", "Guatemala", "Honduras"), strict=True)
    ]


@needs("rapper", "raptor2-utils")
@pytest.mark.parametrize("format_name", EXPORTS)
def test_rapper_parses_every_export_format(format_name: str, tmp_path: Path) -> None:
    out = tmp_path / f"export.{format_name}"
    assert (
        main(["--root", str(FIXTURE_PROJECT), "export", "--format", format_name, "--out", str(out)])
        == 0
    )
    assert _rapper_count(EXPORTS[format_name], out) == 92


@needs("rapper", "raptor2-utils")
@pytest.mark.parametrize("media_type", RAPPER)
@pytest.mark.parametrize(
    "path",
    [
        "/sparql?" + requests.compat.urlencode({"query": CONSTRUCT}),
        "/id/sica",
        f"/data?graph={INFERRED_GRAPH}",
        "/dumps/secgraph-asserted",
    ],
)
def test_rapper_parses_every_rdf_response(
    base: str, path: str, media_type: str, tmp_path: Path
) -> None:
    if path.startswith("/dumps/"):
        path += (
            "." + (ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.TURTLE).file_extension
        )
    response = requests.get(base + path, headers={"Accept": media_type}, timeout=60)
    if response.status_code == 406:  # a graph-only resource offers no dataset format
        assert media_type in ("application/trig", "application/n-quads")
        return
    assert (response.status_code, response.headers["Content-Type"].split(";")[0]) == (
        200,
        media_type,
    )
    body = tmp_path / "body"
    body.write_bytes(response.content)
    expected = len(
        list(ox.parse(response.content, format=ox.RdfFormat.from_media_type(media_type)))
    )
    assert expected > 0
    assert _rapper_count(RAPPER[media_type], body) == expected


def _rapper_count(parser: str, path: Path) -> int:
    log = _run("rapper", "-i", parser, "-c", str(path), stderr=True)
    assert "rapper: Error" not in log, log
    assert "Warning" not in log, log
    found = re.search(r"Parsing returned (\d+) triples", log)
    assert found, log
    return int(found.group(1))


def _run(*args: str, stderr: bool = False) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stderr if stderr else done.stdout


@needs("rapper", "raptor2-utils")
@pytest.mark.parametrize("parser", ["turtle", "ntriples", "rdfxml", "trig", "nquads"])
@pytest.mark.parametrize(
    "path", ["/id/sica", "/sparql?" + requests.compat.urlencode({"query": CONSTRUCT})]
)
def test_rapper_negotiates_every_format_by_itself(base: str, path: str, parser: str) -> None:
    """rapper fetching the URL sends its own Accept (application/x-trig, text/x-nquads, ...)
    and gets that syntax, the same statements as N-Triples gives, not the HTML page."""
    reference = requests.get(base + path, headers={"Accept": "application/n-triples"}, timeout=60)
    expected = len(list(ox.parse(reference.content, format=ox.RdfFormat.N_TRIPLES)))
    log = _run("rapper", "-i", parser, "-c", base + path, stderr=True)
    assert "rapper: Error" not in log, log
    found = re.search(r"Parsing returned (\d+) triples", log)
    assert found, log
    assert int(found.group(1)) == expected > 0
