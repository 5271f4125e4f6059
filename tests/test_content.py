"""Shipped content: it builds, every quality-control query returns no rows, and every shape
example is judged as written. Runs on the fixture project always, on the real one when present."""

from __future__ import annotations

import re
import shutil
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest

from secgraph.config import Settings
from secgraph.namespaces import PREFIXES
from secgraph.pipeline import BuildError, BuiltGraph, build

REPOSITORY = Path(__file__).parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
PROJECTS = {
    "fixture": (FIXTURES / "project", FIXTURES / "examples"),
    "shipped": (REPOSITORY, Path(__file__).parent / "data"),
}
# An invalid example says what it breaks: "# breaks: <constraint> on <focus> at <path>".
BREAKS = re.compile(r"^# breaks: (\S+) on (\S+) at (\S+)$", re.MULTILINE)


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
def test_invalid_example_breaks_what_it_says(project: str, example: Path, tmp_path: Path) -> None:
    expected = [
        (_expand(constraint), _expand(focus), _expand(path))
        for constraint, focus, path in BREAKS.findall(example.read_text(encoding="utf-8"))
    ]
    assert expected, f"{example.name} lacks a '# breaks: <constraint> on <focus> at <path>' line"
    with pytest.raises(BuildError) as caught:
        _build_example(project, example, tmp_path)
    report = caught.value.report
    assert report is not None, str(caught.value)
    found = [(v.source_constraint_component, v.focus_node, v.result_path) for v in report.results]
    assert sorted(found) == sorted(expected)
