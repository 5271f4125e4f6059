"""build/pipeline.py: build orchestrates every step and reports one error type."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.namespace import RDF, RDFS, XSD

from paths import REPOSITORY
from secgraph.build.load import SourceError, load_sources
from secgraph.build.pipeline import BuildError, BuiltGraph, _reason, build
from secgraph.build.reason import InconsistencyError
from secgraph.build.validate import ValidationReport, validate_graph, validate_triples
from secgraph.config import Settings, settings_from_env
from secgraph.namespaces import GRAPH, ID, SG, sparql_prologue
from secgraph.terms import graph_from_triples


def test_build_records_counts_and_timings(built: BuiltGraph) -> None:
    stats = built.stats
    assert list(stats.timings) == ["find", "load", "reason", "validate", "store", "check"]
    assert all(seconds >= 0 for seconds in stats.timings.values())
    assert stats.inferred == 15
    assert stats.instances == {
        str(SG.Actor): 6,
        str(SG.Agreement): 1,
        str(SG.Country): 4,
        str(SG.Organization): 1,
        str(SG.Program): 3,
    }
    # The fast rules type a literal only by a property's range (prp-rng on generalized triples,
    # as owlrl); owlrl also types every literal by its datatype (dt-type2) and drops 36.
    assert stats.dropped_inferences == {
        "owl:Thing or rdfs:Resource": 20,
        "reflexive schema triple": 104,
        "built-in vocabulary subject": 53,
        "literal subject": 1,
    }
    assert built.report is not None
    assert built.report.conforms
    assert built.checks is not None
    assert [result.name for result in built.checks.results] == ["unlabelled-class-violation"]
    assert built.checks.passed


def test_inferred_facts_are_queryable_from_the_default_graph(built: BuiltGraph) -> None:
    query = sparql_prologue() + "SELECT ?m WHERE { id:sica sg:hasMember ?m } ORDER BY ?m"
    result = built.store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    assert [row["m"].value for row in result] == [
        str(ID.belize),
        str(ID.guatemala),
        str(ID.honduras),
    ]


def test_source_error_becomes_build_error(project: Path, add_file) -> None:
    add_file("data/broken.trig", "graph:x { id:a sg:p }\n")
    with pytest.raises(BuildError) as caught:
        build(Settings(root=project))
    assert isinstance(caught.value.source_error, SourceError)
    assert caught.value.source_error.path == "data/broken.trig"
    assert caught.value.report is None
    assert caught.value.inconsistency is None


def test_inconsistency_becomes_build_error(project: Path, add_file) -> None:
    add_file("data/bad.trig", "graph:bad { id:panama a sg:Country, sg:Agreement . }\n")
    with pytest.raises(BuildError) as caught:
        build(Settings(root=project))
    assert isinstance(caught.value.inconsistency, InconsistencyError)
    assert str(ID.panama) in str(caught.value)
    assert "reason" in caught.value.timings


def test_violations_become_build_error_with_the_report(project: Path, add_file) -> None:
    add_file("data/unsigned.trig", "graph:unsigned { id:mou a sg:Agreement . }\n")
    with pytest.raises(BuildError) as caught:
        build(Settings(root=project))
    report = caught.value.report
    assert isinstance(report, ValidationReport)
    assert [(v.focus_node, v.result_path) for v in report.results] == [
        (str(ID.mou), str(SG.signedBy))
    ]
    assert "An agreement is signed by at least one actor." in str(caught.value)


def test_quality_check_rows_become_build_error(project: Path, add_file) -> None:
    add_file("data/odd.trig", "graph:odd { id:Thing a owl:Class . }\n")
    with pytest.raises(BuildError) as caught:
        build(Settings(root=project))
    checks = caught.value.checks
    assert checks is not None
    assert checks.defects == 1
    [failing] = [result for result in checks.results if result.rows]
    assert failing.title == "Classes without a label"
    assert failing.rows == ((f"<{ID.Thing}>",),)  # terms in N-Triples syntax
    assert "unlabelled-class-violation" in str(caught.value)


def test_data_file_is_served_as_is(tmp_path: Path) -> None:
    data = tmp_path / "w3c.trig"
    data.write_text(
        f"<{ID.a}> <{SG.memberOf}> <{ID.b}> .\n"
        f"<{GRAPH.g}> {{ <{ID.c}> <{SG.memberOf}> <{ID.d}> . }}\n",
        encoding="utf-8",
    )
    settings = settings_from_env({"root": tmp_path, "data_file": data}, environ={})
    assert settings.union_default_graph is False
    built = build(settings)
    assert built.report is None
    assert "reason" not in built.stats.timings  # no inference: no hasMember triples
    result = built.store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert isinstance(result, ox.QuerySolutions)
    assert [(r["s"].value, r["o"].value) for r in result] == [(str(ID.a), str(ID.b))]


def test_missing_data_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="no such file"):
        build(Settings(root=tmp_path, data_file=tmp_path / "absent.trig"))


def test_validation_sees_asserted_and_inferred_triples_as_pyshacl_does(
    settings: Settings,
) -> None:
    loaded = load_sources(settings)
    inference = _reason(settings, loaded)
    assert len(inference.triples) > 0
    fast = validate_triples([*loaded.quads, *inference.triples], loaded.shapes)
    union = graph_from_triples([*loaded.quads, *inference.triples])
    reference = validate_graph(union, loaded.shapes)
    assert fast.validator == "sparql"
    assert (fast.conforms, fast.results) == (reference.conforms, reference.results)


def test_validation_reports_values_as_the_sources_spell_them() -> None:
    # Oxigraph keeps numbers by value ("16.0" comes back "16"); the report must not.
    shipped = Settings(root=REPOSITORY)
    loaded = load_sources(shipped)
    inference = _reason(shipped, loaded)
    thing = ox.NamedNode("https://w3id.org/secgraph/id/probe")
    bad = [
        ox.Quad(thing, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(SG.Program))),
        ox.Quad(
            thing,
            ox.NamedNode(str(RDFS.label)),
            ox.Literal("16.0", datatype=ox.NamedNode(str(XSD.decimal))),
        ),
    ]
    triples = [*loaded.quads, *inference.triples, *bad]
    fast = validate_triples(triples, loaded.shapes)
    reference = validate_graph(graph_from_triples(triples), loaded.shapes)
    assert not reference.conforms
    assert any('"16.0"' in result.value for result in reference.results)
    assert (fast.conforms, fast.results) == (reference.conforms, reference.results)
