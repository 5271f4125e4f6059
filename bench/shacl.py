"""SHACL benchmark: the validate step by pySHACL (validate_graph) and by the shapes compiled to
SPARQL (validate_store), on the same triples in the same run, and whether their reports are equal.

    python bench/shacl.py --scales 0 30 300 --pyshacl-max 30

Scale 0 is the shipped data; scale n is bench/generate.py's n replicas. Each scale is loaded and
reasoned once (as pipeline.build does: the fast rules with the ontology's closure); the asserted
and inferred triples go into an rdflib graph for pySHACL and into an in-memory Oxigraph store's
default graph for validate_store (the time to fill that store is printed apart). pySHACL runs only
up to --pyshacl-max replicas: it needs minutes beyond that.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from time import perf_counter

import pyoxigraph as ox
from rdflib import BNode, Graph

ROOT = Path(__file__).resolve().parents[1]


def union(data_dir: Path | None) -> tuple[Graph, Graph]:
    from secgraph.build.load import load_sources
    from secgraph.build.ontology_closure import closure_key, ontology_closure
    from secgraph.build.reason import reason
    from secgraph.config import Settings
    from secgraph.namespaces import ONTOLOGY_GRAPH

    settings = Settings(root=ROOT, data_dir=data_dir) if data_dir else Settings(root=ROOT)
    loaded = load_sources(settings)
    closure = ontology_closure(
        loaded.dataset.graph(ONTOLOGY_GRAPH), settings.cache_dir, closure_key(loaded.files.ontology)
    )
    inference = reason(loaded.dataset, reasoner="fast", ontology_closure=closure)
    graph = Graph()
    for subject, predicate, obj, _ in loaded.dataset.quads((None, None, None, None)):
        graph.add((subject, predicate, obj))
    graph += inference.graph
    return graph, loaded.shapes


def to_store(graph: Graph) -> ox.Store:
    from secgraph.terms import to_oxigraph

    def term(node: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        # Blank nodes keep rdflib's identifiers, so the two reports can be compared as they are.
        return ox.BlankNode(str(node)) if isinstance(node, BNode) else to_oxigraph(node, {})  # type: ignore[arg-type]

    store = ox.Store()
    store.bulk_extend(ox.Quad(term(s), term(p), term(o), ox.DefaultGraph()) for s, p, o in graph)
    return store


def measure(scale: int, pyshacl: bool, work: Path) -> None:
    from secgraph.build.validate import validate_graph, validate_store

    data_dir = None
    if scale:
        data_dir = work / f"data-{scale}"
        generate = [sys.executable, str(ROOT / "bench" / "generate.py"), "--scale", str(scale)]
        subprocess.run([*generate, "--out", str(data_dir)], check=True, capture_output=True)  # noqa: S603
    graph, shapes = union(data_dir)
    started = perf_counter()
    store = to_store(graph)
    filled = perf_counter() - started
    compiled = validate_store(store, shapes, originals=graph)
    line = (
        f"scale {scale:>4}  triples {len(graph):>9,}  store fill {filled:6.2f} s  "
        f"validate_store ({compiled.validator}) {compiled.seconds:6.2f} s"
    )
    if pyshacl:
        reference = validate_graph(graph, shapes)
        same = (reference.conforms, reference.results) == (compiled.conforms, compiled.results)
        ratio = reference.seconds / compiled.seconds
        line += f"  pySHACL {reference.seconds:7.2f} s  ratio {ratio:6.1f}x  reports equal: {same}"
    print(line, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[0, 30], help="0 = shipped data")
    parser.add_argument("--pyshacl-max", type=int, default=30, help="largest scale pySHACL runs on")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        for scale in args.scales:
            measure(scale, scale <= args.pyshacl_max, Path(work))
    return 0


if __name__ == "__main__":
    sys.exit(main())
