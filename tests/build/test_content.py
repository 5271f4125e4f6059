"""Shipped content: it builds, every quality-control query returns no rows, and every shape
example is judged as written. Runs on the fixture project always, on the real one when present."""

from __future__ import annotations

import re
import shutil
import tempfile
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from paths import REPOSITORY, TESTS
from secgraph.build.pipeline import BuildError, BuiltGraph, build
from secgraph.config import Settings
from secgraph.namespaces import PREFIXES, shorten

FIXTURES = TESTS / "fixtures"
PROJECTS = {
    "fixture": (FIXTURES / "project", FIXTURES / "examples"),
    "shipped": (REPOSITORY, TESTS / "data"),
}
# An invalid example says what it breaks: "# breaks: <constraint> on <focus> at <path>", one line
# per expected SHACL result; a node-level constraint (sh:or, sh:xone, sh:sparql on a node shape)
# reports no sh:resultPath, so its line ends after the focus node.
BREAKS = re.compile(r"^# breaks: (\S+) on (\S+)(?: at (\S+))?$", re.MULTILINE)


@cache
def _build_once(name: str) -> BuiltGraph | BuildError:
    """The project's graph (or why it does not build), built once per test session."""
    try:
        return build(Settings(root=_project(name)))
    except BuildError as error:
        return error


def _built(name: str) -> BuiltGraph:
    outcome = _build_once(name)
    if isinstance(outcome, BuildError):
        pytest.skip(f"the {name} project does not build; see test_content_builds_and_conforms")
    return outcome


def _project(name: str) -> Path:
    root = PROJECTS[name][0]
    if not (root / "ontology").is_dir():
        pytest.skip(f"no ontology/ in the {name} project yet")
    return root


def _expand(name: str) -> str:
    if not name:  # no path: a node-level constraint
        return ""
    prefix, _, local = name.partition(":")
    return PREFIXES[prefix] + local


def _cases(kind: str) -> list[tuple[str, Path]]:
    return [
        (project, path)
        for project, (_, examples) in PROJECTS.items()
        for path in sorted((examples / kind).glob("*.ttl"))
    ]


def _build_example(project: str, example: Path, tmp_path: Path) -> BuiltGraph:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(example, data / example.name)
    return build(Settings(root=_project(project), data_dir=data))


@cache
def _invalid_outcome(project: str, example: Path) -> BuildError | None:
    """Why ``example`` alone does not build (None if it does), found once per test session."""
    with tempfile.TemporaryDirectory() as directory:
        try:
            _build_example(project, example, Path(directory))
        except BuildError as error:
            return error
    return None


def _shape_constraints(shapes_dir: Path) -> dict[str, str]:
    """Each constraint an invalid example is to break, by its sh:message: every property shape of
    every node shape, and every node-level logical (SHACL §4.6) or SPARQL-based (§5) constraint."""
    shapes = Graph()
    for path in sorted(shapes_dir.glob("*.ttl")):
        shapes.parse(path, format="turtle")

    def message(node: Node) -> str:
        return str(shapes.value(node, SH.message))

    constraints: dict[str, str] = {}
    for node_shape in shapes.subjects(RDF.type, SH.NodeShape):
        name = str(node_shape).rpartition("#")[2]
        found = [
            (message(prop), f"{name} {shorten(str(shapes.value(prop, SH.path)))}")
            for prop in shapes.objects(node_shape, SH.property)
        ]
        if any((node_shape, SH[key], None) in shapes for key in ("or", "xone", "and", "not")):
            found.append((message(node_shape), f"{name} (node)"))
        found += [
            (message(rule), f"{name} sh:sparql") for rule in shapes.objects(node_shape, SH.sparql)
        ]
        for text, where in found:
            assert text not in constraints, (
                f"{where} shares its sh:message with {constraints[text]}"
            )
            constraints[text] = where
    return constraints


@pytest.mark.parametrize("project", list(PROJECTS))
def test_content_builds_and_conforms(project: str) -> None:
    outcome = _build_once(project)
    assert not isinstance(outcome, BuildError), str(outcome)
    report = outcome.report
    assert report is not None
    assert report.conforms, report.to_text()


@pytest.mark.parametrize(
    ("project", "check"),
    [
        (name, path)
        for name, (root, _) in PROJECTS.items()
        for path in sorted((root / "ontology" / "checks").glob("*-violation.rq"))
    ],
    ids=lambda value: value.name if isinstance(value, Path) else value,
)
def test_quality_control_query_returns_no_rows(project: str, check: Path) -> None:
    store = _built(project).store
    result = store.query(check.read_text(encoding="utf-8"))
    assert isinstance(result, ox.QuerySolutions)
    assert [str(row) for row in result] == []


@pytest.mark.parametrize(
    ("project", "example"), _cases("valid"), ids=lambda v: getattr(v, "name", v)
)
def test_valid_example_conforms(project: str, example: Path, tmp_path: Path) -> None:
    report = _build_example(project, example, tmp_path).report
    assert report is not None
    assert report.conforms, report.to_text()


@pytest.mark.parametrize(
    ("project", "example"), _cases("invalid"), ids=lambda v: getattr(v, "name", v)
)
def test_invalid_example_breaks_what_it_says(project: str, example: Path) -> None:
    expected = [
        (_expand(constraint), _expand(focus), _expand(path))
        for constraint, focus, path in BREAKS.findall(example.read_text(encoding="utf-8"))
    ]
    assert expected, f"{example.name} lacks a '# breaks: <constraint> on <focus> at <path>' line"
    error = _invalid_outcome(project, example)
    assert error is not None, f"{example.name} builds without error"
    report = error.report
    assert report is not None, str(error)
    found = [(v.source_constraint_component, v.focus_node, v.result_path) for v in report.results]
    assert sorted(found) == sorted(expected)


def test_every_shape_constraint_is_broken_by_an_invalid_example() -> None:
    # One invalid example per constraint shows that each one bites; a result's sh:resultMessage
    # is its constraint's sh:message, which names it (_shape_constraints checks they are unique).
    examples = PROJECTS["shipped"][1]
    constraints = _shape_constraints(_project("shipped") / "shapes")
    broken = set()
    for example in sorted((examples / "invalid").glob("*.ttl")):
        error = _invalid_outcome("shipped", example)
        if error is not None and error.report is not None:
            broken |= {result.message for result in error.report.results}
    unbroken = {where for message, where in constraints.items() if message not in broken}
    assert unbroken == set()


def test_ontology_ranges_and_shape_datatypes_agree() -> None:
    # A datatype property's rdfs:range and the sh:datatype its shapes check name one datatype: data
    # written to pass the shapes is then well-typed for the ontology too (OWL 2 RL rule dt-type2).
    root = _project("shipped")
    ontology, shapes = Graph(), Graph()
    for path in sorted((root / "ontology").glob("*.ttl")):
        ontology.parse(path, format="turtle")
    for path in sorted((root / "shapes").glob("*.ttl")):
        shapes.parse(path, format="turtle")
    ranges = {
        prop: datatype
        for prop in ontology.subjects(RDF.type, OWL.DatatypeProperty)
        for datatype in ontology.objects(prop, RDFS.range)
        if str(datatype).startswith(str(XSD))
    }
    disagreeing = {
        (shorten(str(path)), shorten(str(ranges[path])), shorten(str(datatype)))
        for constraint, datatype in shapes.subject_objects(SH.datatype)
        if (path := shapes.value(constraint, SH.path)) in ranges and datatype != ranges[path]
    }
    assert ranges, "no datatype property with an XSD range in the ontology"
    assert disagreeing == set()


def test_dangling_reference_check_finds_a_node_typed_only_by_inference() -> None:
    # sg:funder's range types id:nobody sg:Actor in graph:inferred; no source declares it, so the
    # check reports it, while id:us, typed in the source's own graph, passes.
    check = _project("shipped") / "ontology" / "checks" / "dangling-reference-violation.rq"
    store = ox.Store()
    store.load(
        (
            f"@prefix id: <{PREFIXES['id']}> . @prefix sg: <{PREFIXES['sg']}> .\n"
            f"@prefix graph: <{PREFIXES['graph']}> .\n"
            "graph:source { id:funding sg:funder id:nobody, id:us . id:us a sg:Country . }\n"
            "graph:inferred { id:nobody a sg:Actor . id:us a sg:Actor . }\n"
        ),
        format=ox.RdfFormat.TRIG,
    )
    result = store.query(check.read_text(encoding="utf-8"), use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    found = [(shorten(row["node"].value), shorten(row["property"].value)) for row in result]
    assert found == [("id:nobody", "sg:funder")]
