"""Check a candidate dataset as the build would: re-reason, SHACL-validate, run the QC queries.

Given the asserted quads after an edit, returns the quads to serve (asserted plus a fresh
``graph:inferred``) or raises ``RejectedEditError`` with the inconsistency, SHACL report or failing
checks. Uses the pipeline's own steps (reason, validate_triples, run_checks); no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from secgraph.build.checks import CheckReport, run_checks
from secgraph.build.pipeline import describe_cause
from secgraph.build.reason import InconsistencyError, reason
from secgraph.build.validate import ValidationReport, validate_triples
from secgraph.namespaces import INFERRED_GRAPH
from secgraph.store.embedded import OxigraphStore

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
    try:
        inference = reason(asserted)
    except InconsistencyError as error:
        raise RejectedEditError(error) from None
    report = validate_triples([*asserted, *inference.triples], rules.shapes)
    if not report.conforms:
        raise RejectedEditError(report)
    result = ox.Store()
    result.extend(asserted)
    result.extend(ox.Quad(t.subject, t.predicate, t.object, _INFERRED) for t in inference.triples)
    checks = run_checks(OxigraphStore(result), rules.checks)
    if not checks.passed:
        raise RejectedEditError(checks)
    return result
