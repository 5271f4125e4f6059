"""SHACL validation of an already-reasoned graph (pySHACL, or the SPARQL compilation of the shapes
in shacl_sparql.py when it covers them); never infers, never stores."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from time import perf_counter

import pyoxigraph as ox
from pyshacl import validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from secgraph.build.shacl_sparql import Result, UnsupportedShapeError, compile_shapes
from secgraph.terms import OxTerm, graph_from_triples, to_rdflib


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
    validator: str = "pyshacl"  # or "sparql": the compiled shapes of shacl_sparql.py

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


def validate_store(
    data: ox.Store,
    shapes_graph: Graph,
    *,
    allow_warnings: bool = True,
    originals: Graph | None = None,
    union: bool = False,
) -> ValidationReport:
    """Validate the default graph of ``data`` (every triple: asserted and inferred), or with
    ``union`` the union of its named graphs (a triple in several graphs counts once).

    The shapes are compiled to one SPARQL query per constraint (shacl_sparql.py) when every
    feature they use is covered; otherwise pySHACL validates a copy of the default graph. Either
    way the report is the one ``validate_graph`` gives for the same triples.

    Oxigraph stores numeric literals by value ("16.0"^^xsd:decimal comes back as "16"): pass the
    rdflib graph the store was built from as ``originals`` and reported values keep the data's
    lexical form, as pySHACL prints them. Blank nodes print with the store's identifiers.
    """
    started = perf_counter()
    try:
        compiled = compile_shapes(shapes_graph)
    except UnsupportedShapeError:
        graph = originals if originals is not None else _default_graph(data, union)
        report = validate_graph(
            graph, shapes_graph, allow_warnings=allow_warnings, inplace=originals is None
        )
        return ValidationReport(report.conforms, report.results, perf_counter() - started)
    allowed = {SH.Info, SH.Warning} if allow_warnings else set()
    results = [_violation(result, originals) for result in compiled.run(data, union=union)]
    conforms = all(URIRef(v.severity) in allowed for v in results)
    return ValidationReport(conforms, tuple(sorted(results)), perf_counter() - started, "sparql")


def validate_triples(
    triples: Sequence[ox.Triple | ox.Quad], shapes_graph: Graph, *, allow_warnings: bool = True
) -> ValidationReport:
    """Validate the set of ``triples`` (graph names ignored: asserted and inferred together, as
    users query them) the way validate_store does, values in results spelled as in ``triples``."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    report = validate_store(store, shapes_graph, allow_warnings=allow_warnings)
    if report.results:
        # Only a report quotes values: the rdflib copy that keeps their spelling is paid for then.
        originals = graph_from_triples(triples)
        report = validate_store(
            store, shapes_graph, allow_warnings=allow_warnings, originals=originals
        )
    return report


def _default_graph(store: ox.Store, union: bool) -> Graph:
    # Blank nodes keep the store's identifiers (terms.graph_from_triples), as the compiled
    # validator prints them. Oxigraph's union default graph is the union of the named graphs only.
    quads = store.quads_for_pattern(None, None, None, None if union else ox.DefaultGraph())
    return graph_from_triples(q for q in quads if not union or q.graph_name != ox.DefaultGraph())


def _violation(result: Result, originals: Graph | None) -> Violation:
    return Violation(
        focus_node=_text(result.focus),
        result_path=str(result.path) if result.path is not None else "",
        message=result.message,
        severity=str(result.severity),
        source_shape=f"_:{result.source_shape}"
        if isinstance(result.source_shape, BNode)
        else str(result.source_shape),
        source_constraint_component=str(result.component),
        value=_value_text(result, originals),
    )


def _text(term: OxTerm) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return str(to_rdflib(term))
    return term.value


def _value_text(result: Result, originals: Graph | None) -> str:
    value = result.value
    if value is None:
        return ""
    if not isinstance(value, ox.Literal):
        return _text(value)
    literal = to_rdflib(value)
    if not isinstance(literal, Literal):
        return _text(value)
    if (
        originals is not None
        and result.path is not None
        and not isinstance(result.focus, ox.Literal)
    ):
        original = _original(literal, to_rdflib(result.focus), result.path, originals)
        if original is not None:
            literal = original
    return literal.n3()


def _original(stored: Literal, focus: Node, path: URIRef, originals: Graph) -> Literal | None:
    """The data's own literal the store holds as ``stored`` (same value, datatype and language)."""
    datatype = stored.datatype or (None if stored.language else XSD.string)
    for candidate in originals.objects(focus, path):
        if not isinstance(candidate, Literal) or candidate.language != stored.language:
            continue
        if (candidate.datatype or (None if candidate.language else XSD.string)) != datatype:
            continue
        if candidate == stored or candidate.eq(stored):
            return candidate
    return None
