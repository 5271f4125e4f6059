"""`secgraph links`: coverage by class and links per target, as a table or JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import AddFile
from secgraph.cli import EXIT_OK, EXIT_SOURCE, main

LINKS = """
graph:links {
    id:guatemala skos:exactMatch <http://www.wikidata.org/entity/Q774> ,
        <https://sws.geonames.org/3595528/> .
}
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_links_prints_coverage_by_class_and_per_target(
    project: Path, add_file: AddFile, capsys: pytest.CaptureFixture[str]
) -> None:
    add_file("data/links.trig", LINKS)
    code, out, _ = run(capsys, "--quiet", "--root", str(project), "links")
    assert code == EXIT_OK
    rows = [line.split() for line in out.splitlines() if line.strip()]
    assert rows[0] == ["class", "entities", "linked", "unlinked"]
    [country] = [row for row in rows if row[0] == "sg:Country"]
    assert int(country[2]) == 1
    assert int(country[1]) == int(country[2]) + int(country[3])
    assert ["Wikidata", "skos:exactMatch", "1"] in rows
    assert ["GeoNames", "skos:exactMatch", "1"] in rows
    assert ["DBpedia", "skos:exactMatch", "0"] in rows


def test_links_json_has_classes_and_targets(
    project: Path, add_file: AddFile, capsys: pytest.CaptureFixture[str]
) -> None:
    add_file("data/links.trig", LINKS)
    code, out, _ = run(capsys, "--quiet", "--root", str(project), "links", "--format", "json")
    assert code == EXIT_OK
    report = json.loads(out)
    linked = {c["class_iri"].rsplit("#", 1)[-1]: c["linked"] for c in report["classes"]}
    assert linked["Country"] == 1
    targets = {t["target"]: t["triples"] for t in report["targets"]}
    assert targets == {"Wikidata": 1, "GeoNames": 1, "DBpedia": 0}


def test_links_on_broken_sources_exits_2(
    project: Path, add_file: AddFile, capsys: pytest.CaptureFixture[str]
) -> None:
    add_file("data/links.trig", "graph:links { id:guatemala skos:exactMatch }")
    code, _, err = run(capsys, "--quiet", "--root", str(project), "links")
    assert code == EXIT_SOURCE
    assert "links.trig" in err
