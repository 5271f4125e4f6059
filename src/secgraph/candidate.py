"""Check a candidate dataset as the build would: re-reason, SHACL-validate, run the QC queries.

Given the asserted quads after an edit, returns the quads to serve (asserted plus a fresh
``graph:inferred``) or raises ``RejectedEditError`` with the inconsistency, SHACL report or failing
checks. Uses the pipeline's own steps (reason, validate_graph, run_checks); no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph
from rdflib.term import IdentifiedNode, Node

from secgraph.checks import CheckReport, run_checks
from secgraph.namespaces import INFERRED_GRAPH
from secgraph.pipeline import describe_cause
from secgraph.reason import InconsistencyError, reason
from secgraph.store import OxigraphStore
from secgraph.terms import quad_to_rdflib, to_oxigraph
from secgraph.validate import ValidationReport, validate_graph

_INFERRED = ox.NamedNode(str(INFERRED_GRAPH))


class RejectedEditError(Exception):
    """The edited data would break the graph's rules: answered 422 with ``cause``."""

    def __init__(self, cause: InconsistencyError | ValidationReport | CheckReport) -> None:
        self.cause = cause
        super().__init__(describe_cause(cause))


@dataclass(frozen=True)
class Rules:
    """What an edited dataset is checked against: the shapes and the QC query files."""

    shapes: Graph
    checks: tuple[Path, ...]


def asserted_quads(store: ox.Store) -> list[ox.Quad]:
    """Every quad of ``store`` outside ``graph:inferred`` (the part reasoning starts from)."""
    return [quad for quad in store if quad.graph_name != _INFERRED]


def check_candidate(asserted: Iterable[ox.Quad], rules: Rules) -> ox.Store:
    """An in-memory store of ``asserted`` plus their inferences, if all checks pass; else
    RejectedEditError with the inconsistency, the SHACL report or the failing checks.

    Blank nodes keep their identifiers, so the result can be compared quad by quad with the
    served data (the on-disk store is updated by that difference)."""
    asserted = list(asserted)
    dataset, back = _to_rdflib(asserted)
    try:
        inference = reason(dataset)
    except InconsistencyError as error:
        raise RejectedEditError(error) from None
    union = Graph()
    for subject, predicate, obj, _ in dataset.quads((None, None, None, None)):
        union.add((subject, predicate, obj))
    union += inference.graph
    report = validate_graph(union, rules.shapes)
    if not report.conforms:
        raise RejectedEditError(report)
    result = ox.Store()
    result.extend(asserted)
    result.extend(
        ox.Quad(*_triple_to_oxigraph(triple, back), _INFERRED) for triple in inference.graph
    )
    checks = run_checks(OxigraphStore(result), rules.checks)
    if not checks.passed:
        raise RejectedEditError(checks)
    return result


def _to_rdflib(quads: list[ox.Quad]) -> tuple[Dataset, dict[Node, ox.BlankNode]]:
    bnodes: dict[str, BNode] = {}
    dataset = Dataset()
    graphs: dict[Node | None, Graph] = {}
    for quad in quads:
        subject, predicate, obj, name = quad_to_rdflib(quad, bnodes)
        graph = graphs.get(name)
        if graph is None:
            if name is not None and not isinstance(name, IdentifiedNode):
                raise ValueError(f"not a graph name: {name!r}")
            graph = graphs[name] = dataset.default_graph if name is None else dataset.graph(name)
        graph.add((subject, predicate, obj))
    back: dict[Node, ox.BlankNode] = {node: ox.BlankNode(label) for label, node in bnodes.items()}
    return dataset, back


def _triple_to_oxigraph(
    triple: tuple[Node, Node, Node], back: dict[Node, ox.BlankNode]
) -> tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]:
    subject, predicate, obj = (to_oxigraph(term, back) for term in triple)
    if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
        raise ValueError(f"not a valid RDF triple: {triple!r}")
    return subject, predicate, obj
