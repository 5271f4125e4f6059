"""build/validate.py: SHACL results come back as sorted, readable violations."""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, SH

from secgraph.build.load import load_sources
from secgraph.build.validate import ValidationReport, Violation, validate_graph
from secgraph.config import Settings
from secgraph.namespaces import ID, SG


def _shapes(settings: Settings) -> Graph:
    return load_sources(settings).shapes


def test_conforming_data_has_no_results(settings: Settings) -> None:
    data = Graph()
    data.add((ID.belize, RDF.type, SG.Actor))
    data.add((ID.belize, RDFS.label, Literal("Belize", lang="en")))
    report = validate_graph(data, _shapes(settings))
    assert report == ValidationReport(True, (), report.seconds)


def test_shape_violation_reports_focus_node_and_path(settings: Settings) -> None:
    data = Graph()
    data.add((ID["mou-2008"], RDF.type, SG.Agreement))
    data.add((ID["mou-2008"], SG.date, Literal("December 2008")))
    report = validate_graph(data, _shapes(settings))
    assert not report.conforms
    assert [(v.focus_node, v.result_path, v.message) for v in report.results] == [
        (str(ID["mou-2008"]), str(SG.date), "An agreement has at most one xsd:date."),
        (str(ID["mou-2008"]), str(SG.signedBy), "An agreement is signed by at least one actor."),
    ]
    components = [v.source_constraint_component for v in report.results]
    assert components == [str(SH.DatatypeConstraintComponent), str(SH.MinCountConstraintComponent)]
    assert report.results[0].value == '"December 2008"'
    assert {v.severity for v in report.results} == {str(SH.Violation)}


def test_report_renders_one_line_per_violation_and_a_dict(settings: Settings) -> None:
    data = Graph()
    data.add((ID.nowhere, RDF.type, SG.Program))
    report = validate_graph(data, _shapes(settings))
    assert report.to_text() == f"{ID.nowhere}  {RDFS.label}  Every program needs a label."
    as_dict = report.to_dict()
    assert as_dict["conforms"] is False
    [result] = as_dict["results"]
    assert result.pop("source_shape").startswith("_:")  # an anonymous property shape
    assert result == {
        "focus_node": str(ID.nowhere),
        "result_path": str(RDFS.label),
        "message": "Every program needs a label.",
        "severity": str(SH.Violation),
        "source_constraint_component": str(SH.MinCountConstraintComponent),
        "value": "",
    }


def test_warnings_are_reported_without_failing() -> None:
    shapes = Graph()
    shape = SG.DateWarningShape
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.targetClass, SG.Agreement))
    shapes.add((shape, SH.severity, SH.Warning))
    shapes.add((shape, SH["class"], SG.Program))
    data = Graph()
    data.add((ID.x, RDF.type, SG.Agreement))
    report = validate_graph(data, shapes)
    assert report.conforms
    assert [(v.focus_node, v.severity) for v in report.results] == [(str(ID.x), str(SH.Warning))]
    strict = validate_graph(data, shapes, allow_warnings=False)
    assert not strict.conforms


def test_violations_sort_by_focus_node_then_path() -> None:
    late = Violation("b", "p", "m", "", "", "", "")
    early = Violation("a", "q", "m", "", "", "", "")
    assert sorted([late, early]) == [early, late]


def test_pyshacl_report_names_its_validator(settings: Settings) -> None:
    data = Graph()
    data.add((ID.nowhere, RDF.type, SG.Program))
    assert validate_graph(data, _shapes(settings)).validator == "pyshacl"
