"""SPARQL 1.1 entailment-regime tests answered through secgraph's own reasoning step.

Measurement, not a unit test. The W3C harness (../shared/tools/sparql_suite.py) skips the
sparql11/entailment tests; this endpoint does reason, so this script runs those whose regime it
claims: RDFS, or the OWL 2 RDF-Based Semantics when the OWL 2 RL profile is among the test's
profiles. Each test's data goes through the same steps as the project build (load ->
secgraph.build.reason.reason -> an OxigraphStore whose default graph is the union of the asserted
and the inferred graph); the query runs in process and its answer is compared with the
expected one by the harness's own comparison (rdflib, multiset, blank-node mapping).

    .venv/bin/python bench/conformance/entailment.py --suite ../shared/w3c-sparql
"""

from __future__ import annotations

import argparse
import sys
from itertools import chain
from pathlib import Path
from types import ModuleType
from typing import Any

import pyoxigraph as ox
from harness import load_harness, write_summary
from rdflib import Dataset, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import Node

from secgraph.build.load import read_quads
from secgraph.build.reason import InconsistencyError, reason
from secgraph.namespaces import ENTAILMENT, INFERRED_GRAPH, OWL_PROFILE, SD
from secgraph.store.embedded import OxigraphStore
from secgraph.terms import quads_to_oxigraph

CLAIMED = {ENTAILMENT.RDFS: "RDFS", ENTAILMENT["OWL-RDF-Based"]: "OWL-RDF-Based"}
"""Regimes the endpoint's materialization implements (its service description says which)."""
ENTAILMENT_DIR = "sparql11/entailment"


def _members(graph: Graph, node: Any, predicate: URIRef) -> set[URIRef]:
    """Objects of ``predicate``, whether written as one IRI or as an RDF list of them."""
    found: set[URIRef] = set()
    for value in graph.objects(node, predicate):
        items = Collection(graph, value) if (value, RDF.first, None) in graph else [value]
        found |= {item for item in items if isinstance(item, URIRef)}
    return found


def skip_reason(manifest: Graph, test: Node) -> str | None:
    """Why the test is outside the regimes claimed (None: run it)."""
    action = manifest.value(test, URIRef(str(harness.MF) + "action"))
    regimes = _members(manifest, action, SD.entailmentRegime)
    profiles = _members(manifest, action, SD.EntailmentProfile)
    if ENTAILMENT.RDFS in regimes:
        return None
    if ENTAILMENT["OWL-RDF-Based"] in regimes and (not profiles or OWL_PROFILE.RL in profiles):
        return None
    named = ", ".join(sorted(str(r).rsplit("/", 1)[-1] for r in regimes)) or "none"
    if ENTAILMENT["OWL-RDF-Based"] in regimes:
        shown = ", ".join(sorted(str(p).rsplit("/", 1)[-1] for p in profiles))
        return f"OWL RDF-Based only for profiles {shown}, not RL"
    return f"regime {named} not claimed"


def build_store(files: list[tuple[str, str]], named: list[tuple[str, str]]) -> OxigraphStore:
    """Load, reason and store as the project build does (pipeline._build_project)."""
    dataset = Dataset()
    for path, iri in files:
        for s, p, o, _ in read_quads(Path(path), iri, base_iri=iri):
            dataset.default_graph.add((s, p, o))
    for path, iri in named:
        graph = dataset.graph(URIRef(iri))
        for s, p, o, _ in read_quads(Path(path), iri, base_iri=iri):
            graph.add((s, p, o))
    inference = reason(dataset)
    asserted = dataset.quads((None, None, None, None))
    inferred = ((s, p, o, INFERRED_GRAPH) for s, p, o in inference.graph)
    quads = list(quads_to_oxigraph(chain(asserted, inferred)))
    # The served dataset's default graph: the union of everything (set semantics); the test's
    # own default-graph data is part of it, so the union is built here, not by the store.
    union = [ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads]
    return OxigraphStore.from_quads(quads + union, union_default_graph=False)


def actual_results(store: OxigraphStore, query: str, base: str) -> Any:
    """Evaluate and read the answer back the way the harness reads an HTTP response."""
    result = store.query(f"BASE <{base}>\n{query}")
    if isinstance(result, ox.QueryTriples):
        graph = Graph().parse(data=ox.serialize(result, format=ox.RdfFormat.N_TRIPLES), format="nt")
        return harness.Results("graph", graph=graph)
    return harness.parse_srj(result.serialize(format=ox.QueryResultsFormat.JSON) or b"")


def run_test(case: Any) -> tuple[str, str]:
    """(status, detail) of one evaluation test."""
    text = Path(case.query_path).read_text(encoding="utf-8")
    info = harness.QueryInfo(text)
    try:
        store = build_store(case.data, case.graph_data)
    except InconsistencyError as error:
        return "failed", f"reasoning found the data inconsistent: {error}"
    try:
        actual = actual_results(store, text, case.query_iri)
    except SyntaxError as error:
        return "failed", f"query rejected: {error}"
    expected = harness.load_expected(case.result_path, case.result_iri, info.form)
    passed, _, kind, detail = harness.compare_results(expected, actual, info, case.lax, True)
    return ("passed", "") if passed else ("failed", f"{kind}: {detail}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", type=Path, required=True, help="the w3c-sparql folder")
    parser.add_argument("--report", type=Path, help="write a JSON report here")
    args = parser.parse_args(argv)
    global harness
    harness = load_harness(args.suite)
    suite = harness.Suite(str(args.suite), harness.DEFAULT_BASE)
    manifest_path = args.suite / ENTAILMENT_DIR / "manifest.ttl"
    suite.load([str(manifest_path)])
    manifest = Graph().parse(manifest_path, publicID=suite.iri_for(str(manifest_path)))
    nodes = {str(node).rsplit("#", 1)[-1]: node for node in manifest.subjects(RDF.type, None)}
    rows = []
    for case in suite.tests:
        reason_skipped = skip_reason(manifest, nodes[case.id.rsplit("#", 1)[-1]])
        if reason_skipped is None and case.result_path is None:
            reason_skipped = "no result file"
        status, detail = ("skipped", reason_skipped) if reason_skipped else run_test(case)
        rows.append({"id": case.id, "name": case.name, "status": status, "detail": detail})
        if status != "passed":
            print(f"{status:7} {case.id}: {detail}")
    write_summary(rows, args.report)
    return 0


harness: ModuleType

if __name__ == "__main__":
    sys.exit(main())
