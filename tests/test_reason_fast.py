"""reason.py fast path and rules.py: the fast rules infer what owlrl infers, or step aside."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from secgraph import ontology_closure as closures
from secgraph.config import Settings
from secgraph.load import LoadedSources, load_sources
from secgraph.namespaces import ONTOLOGY_GRAPH
from secgraph.ontology_closure import closure_key, ontology_closure
from secgraph.reason import InconsistencyError, Inference, reason

SHIPPED = Path(__file__).parents[1]


def _ontology(loaded: LoadedSources) -> Graph:
    return loaded.dataset.graph(ONTOLOGY_GRAPH)


def _fast(loaded: LoadedSources, cache_dir: Path | None = None) -> Inference:
    key = closure_key(loaded.files.ontology)
    closure = ontology_closure(_ontology(loaded), cache_dir, key)
    return reason(loaded.dataset, reasoner="fast", ontology_closure=closure)


def assert_same_inferences(loaded: LoadedSources) -> Inference:
    """Assert that the fast path ran (no fallback) and kept exactly owlrl's triples."""
    fast = _fast(loaded)
    reference = reason(loaded.dataset)
    assert (fast.reasoner, fast.fallback) == ("fast", None)
    assert set(fast.graph) == set(reference.graph)
    assert len(fast.graph) > 0
    return fast


def test_fast_path_infers_what_owlrl_infers_on_the_fixture_project(settings: Settings) -> None:
    assert_same_inferences(load_sources(settings))


def test_fast_path_infers_what_owlrl_infers_on_the_shipped_graph() -> None:
    fast = assert_same_inferences(load_sources(Settings(root=SHIPPED)))
    assert len(fast.graph) > 3000  # the shipped graph's inferences, not an empty match


def test_fast_path_keeps_the_lexical_form_of_literals(project: Path, add_file) -> None:
    # Oxigraph stores "16.0"^^xsd:decimal by value and would give back "16"; owlrl keeps "16.0".
    add_file(
        "data/values.trig",
        'graph:values { id:panama sg:memberOf id:sica ; rdfs:label "Panama"@en .\n'
        '  id:sica sg:signedBy id:panama ; rdfs:comment "1.50"^^xsd:decimal . }\n',
    )
    assert_same_inferences(load_sources(Settings(root=project)))


def test_contradiction_is_reported_by_owlrl(project: Path, add_file) -> None:
    # cax-dw: Country owl:disjointWith Agreement; the report is owlrl's, word for word.
    add_file("data/bad.trig", "graph:bad { id:panama a sg:Country, sg:Agreement . }\n")
    loaded = load_sources(Settings(root=project))
    with pytest.raises(InconsistencyError) as fast:
        _fast(loaded)
    with pytest.raises(InconsistencyError) as reference:
        reason(loaded.dataset)
    assert fast.value.culprits == reference.value.culprits
    assert "Disjoint classes" in str(fast.value)


def test_unsupported_construct_falls_back_to_owlrl(project: Path, add_file) -> None:
    # prp-fp infers owl:sameAs, which the fast rules do not cover.
    add_file("ontology/extra.ttl", "sg:memberOf a owl:FunctionalProperty .\n")
    fast = _fast(load_sources(Settings(root=project)))
    assert fast.reasoner == "owlrl"
    assert fast.fallback is not None
    assert "FunctionalProperty" in fast.fallback


def test_schema_stated_in_data_falls_back_to_owlrl(project: Path, add_file) -> None:
    add_file("data/schema.trig", "graph:schema { sg:Country rdfs:subClassOf sg:Program . }\n")
    fast = _fast(load_sources(Settings(root=project)))
    assert fast.reasoner == "owlrl"
    assert fast.fallback is not None
    assert "subClassOf" in fast.fallback


def test_ontology_closure_is_cached_by_content(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(closures, "_SEEN", {})  # this test is about the file, not the memory
    loaded = load_sources(settings)
    key = closure_key(loaded.files.ontology)
    first = ontology_closure(_ontology(loaded), tmp_path, key)
    cached = tmp_path / f"ontology-closure-{key}.nt"
    assert cached.is_file()
    assert set(ox.parse(path=cached, format=ox.RdfFormat.N_TRIPLES)) == {
        ox.Quad(t.subject, t.predicate, t.object) for t in first
    }
    monkeypatch.setattr(closures, "_SEEN", {})
    assert set(ontology_closure(Graph(), tmp_path, key)) == set(first)  # read, not recomputed


def test_ontology_closure_is_computed_once_per_process(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(closures, "_SEEN", {})
    loaded = load_sources(settings)
    key = closure_key(loaded.files.ontology)
    first = ontology_closure(_ontology(loaded), None, key)
    assert first
    # No cache directory and an empty graph: only the remembered closure can answer.
    assert ontology_closure(Graph(), None, key) == first
    # Another key is another ontology: computed from the (empty) graph given, a smaller closure.
    assert len(ontology_closure(Graph(), None, "another ontology")) < len(first)


def test_closure_key_changes_with_the_ontology(project: Path, add_file) -> None:
    files = load_sources(Settings(root=project)).files.ontology
    before = closure_key(files)
    add_file("ontology/extra.ttl", "sg:Extra a owl:Class .\n")
    assert closure_key(load_sources(Settings(root=project)).files.ontology) != before
