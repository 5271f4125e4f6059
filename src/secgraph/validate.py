"""SHACL validation (pySHACL) of an already-reasoned graph; never infers, never stores."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from time import perf_counter

from pyshacl import validate
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH
from rdflib.term import Node


@dataclass(frozen=True, order=True)
class Violation:
    """One sh:ValidationResult (SHACL §3.6.2); absent values are empty strings."""

    focus_node: str
    result_path: str
    message: str
    severity: str
    source_shape: str
    source_constraint_component: str
    value: str

    def to_text(self) -> str:
        return f"{self.focus_node}  {self.result_path or '-'}  {self.message}"


@dataclass(frozen=True)
class ValidationReport:
    """Whether the data conforms, and every result, sorted by focus node, path, message."""

    conforms: bool
    results: tuple[Violation, ...]
    seconds: float = 0.0

    def to_text(self) -> str:
        """One line per result: ``focus  path  message``."""
        return "\n".join(result.to_text() for result in self.results)

    def to_dict(self) -> dict[str, object]:
        return {"conforms": self.conforms, "results": [asdict(r) for r in self.results]}


def validate_graph(
    data_graph: Graph, shapes_graph: Graph, *, allow_warnings: bool = True, inplace: bool = False
) -> ValidationReport:
    """Validate ``data_graph`` against ``shapes_graph``.

    ``inference="none"``: reasoning already happened once, in reason.py, and the data graph
    holds its result. ``advanced=True`` enables SHACL-AF (SPARQL-based constraints, targets).
    With ``allow_warnings``, sh:Warning and sh:Info results are reported but do not fail.
    ``inplace`` skips pySHACL's copy of ``data_graph`` (SHACL-AF rules would then change it):
    for a graph the caller built just for validation.
    """
    started = perf_counter()
    conforms, results_graph, _ = validate(
        data_graph,
        shacl_graph=shapes_graph,
        inference="none",
        advanced=True,
        allow_warnings=allow_warnings,
        inplace=inplace,
    )
    if not isinstance(results_graph, Graph):  # only a serialized report would not be a Graph
        raise TypeError(f"unexpected pySHACL report: {type(results_graph).__name__}")
    results = tuple(sorted(_violations(results_graph)))
    return ValidationReport(bool(conforms), results, perf_counter() - started)


def _violations(report: Graph) -> list[Violation]:
    def text(result: Node, predicate: Node) -> str:
        value = report.value(result, predicate)
        if value is None:
            return ""
        if isinstance(value, BNode):
            return f"_:{value}"
        return value.n3() if isinstance(value, Literal) and predicate == SH.value else str(value)

    return [
        Violation(
            focus_node=text(result, SH.focusNode),
            result_path=text(result, SH.resultPath),
            message=text(result, SH.resultMessage),
            severity=text(result, SH.resultSeverity),
            source_shape=text(result, SH.sourceShape),
            source_constraint_component=text(result, SH.sourceConstraintComponent),
            value=text(result, SH.value),
        )
        for result in report.subjects(RDF.type, SH.ValidationResult)
    ]
