"""build/reason.py fast path and build/rules.py: the fast rules infer what owlrl infers, or step
aside."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from paths import REPOSITORY
from secgraph.build import ontology_closure as closures
from secgraph.build.load import LoadedSources, load_sources
from secgraph.build.ontology_closure import closure_key, ontology_closure
from secgraph.build.reason import InconsistencyError, Inference, reason
from secgraph.config import Settings
from secgraph.namespaces import ID, SG

SHIPPED = REPOSITORY


def _ontology(loaded: LoadedSources) -> Graph:
    return loaded.ontology()


def _fast(loaded: LoadedSources, cache_dir: Path | None = None) -> Inference:
    key = closure_key(loaded.files.ontology)
    closure = ontology_closure(_ontology(loaded), cache_dir, key)
    return reason(loaded.quads, reasoner="fast", ontology_closure=closure)


def assert_same_inferences(loaded: LoadedSources) -> Inference:
    """Assert that the fast path ran (no fallback) and kept exactly owlrl's triples."""
    fast = _fast(loaded)
    reference = reason(loaded.dataset)
    assert (fast.reasoner, fast.fallback) == ("fast", None)
    assert set(fast.triples) == set(reference.triples)
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


# Test vocabulary beside the fixture ontology: each construct the fast rules implement by a
# join (prp-trp, prp-spo2) or by a precomputed table (prp-symp, prp-inv1/2, prp-dom/rng, cax-sco).
_TEST_ONTOLOGY = """
sg:near a owl:ObjectProperty, owl:TransitiveProperty .
sg:nextTo a owl:ObjectProperty ; rdfs:subPropertyOf sg:near .
sg:parentOf a owl:ObjectProperty ; owl:inverseOf sg:childOf ; rdfs:range sg:Child .
sg:childOf a owl:ObjectProperty ; rdfs:domain sg:Child .
sg:grandparentOf a owl:ObjectProperty ; owl:propertyChainAxiom ( sg:parentOf sg:parentOf ) .
sg:ancestorOf a owl:ObjectProperty, owl:TransitiveProperty .
sg:grandparentOf rdfs:subPropertyOf sg:ancestorOf .
sg:parentOf rdfs:subPropertyOf sg:ancestorOf .
sg:greatGrandparentOf a owl:ObjectProperty ;
    owl:propertyChainAxiom ( sg:parentOf sg:grandparentOf ) .
sg:Child a owl:Class ; rdfs:subClassOf sg:Person .
sg:twinOf a owl:ObjectProperty, owl:SymmetricProperty ; rdfs:domain sg:Twin .
sg:Twin a owl:Class ; owl:equivalentClass sg:Sibling .
sg:code a owl:DatatypeProperty ; owl:inverseOf sg:codeOf .
sg:codeOf rdfs:range sg:Coded .
sg:Coded a owl:Class .
"""


def test_transitive_properties_and_chains_match_owlrl(project: Path, add_file) -> None:
    add_file("ontology/extra.ttl", _TEST_ONTOLOGY)
    add_file(
        "data/family.trig",
        "graph:family {\n"
        # A line of five places linked by a sub-property of a transitive one, and a cycle.
        "  id:p1 sg:nextTo id:p2 . id:p2 sg:nextTo id:p3 . id:p3 sg:nextTo id:p4 .\n"
        "  id:p4 sg:nextTo id:p5 . id:q1 sg:near id:q2 . id:q2 sg:near id:q1 .\n"
        # Four generations, one of them a blank node: chains of two and of three links.
        "  id:g1 sg:parentOf id:g2 . id:g2 sg:parentOf _:g3 . _:g3 sg:parentOf id:g4 .\n"
        "  id:g5 sg:childOf id:g4 . }\n",
    )
    fast = assert_same_inferences(load_sources(Settings(root=project)))
    triples = set(fast.graph)
    assert (ID.p1, SG.near, ID.p5) in triples
    assert (ID.q1, SG.near, ID.q1) in triples
    assert (ID.g1, SG.greatGrandparentOf, ID.g4) in triples
    assert (ID.g1, SG.ancestorOf, ID.g5) in triples
    assert (ID.g5, RDF.type, SG.Person) in triples


def test_symmetric_inverse_and_literal_valued_properties_match_owlrl(
    project: Path, add_file
) -> None:
    add_file("ontology/extra.ttl", _TEST_ONTOLOGY)
    add_file(
        "data/twins.trig",
        "graph:twins { id:t1 sg:twinOf id:t2 . id:t3 sg:twinOf _:t4 .\n"
        # A literal object turned subject by owl:inverseOf (owlrl reasons on generalized
        # triples): its range still types the other node, the literal-subject triple is noise.
        '  id:x sg:code "A1" . id:y sg:code "007"^^xsd:integer . }\n',
    )
    fast = assert_same_inferences(load_sources(Settings(root=project)))
    triples = set(fast.graph)
    assert (ID.t2, SG.twinOf, ID.t1) in triples
    assert (ID.t2, RDF.type, SG.Sibling) in triples
    assert (ID.x, RDF.type, SG.Coded) in triples
    assert fast.dropped.get("literal subject", 0) >= 2


def test_inferred_schema_steps_aside_for_owlrl(project: Path, add_file) -> None:
    # A data property declared a sub-property of rdfs:subClassOf makes the data entail schema
    # the cached closure never saw; only owlrl can follow it.
    add_file(
        "ontology/extra.ttl",
        "sg:kindOf a owl:ObjectProperty ; rdfs:subPropertyOf rdfs:subClassOf .\n",
    )
    add_file("data/kinds.trig", "graph:kinds { sg:Country sg:kindOf sg:Program . }\n")
    loaded = load_sources(Settings(root=project))
    fast = _fast(loaded)
    assert fast.reasoner == "owlrl"
    assert fast.fallback is not None
    assert "entails new schema" in fast.fallback
    assert set(fast.graph) == set(reason(loaded.quads).graph)


def test_fast_path_accepts_a_dataset_and_names_its_blank_nodes(project: Path, add_file) -> None:
    add_file("data/blank.trig", "graph:blank { _:someone sg:memberOf id:sica . }\n")
    loaded = load_sources(Settings(root=project))
    dataset = loaded.dataset
    closure = ontology_closure(_ontology(loaded), None, closure_key(loaded.files.ontology))
    fast = reason(dataset, reasoner="fast", ontology_closure=closure)
    assert (fast.reasoner, fast.fallback) == ("fast", None)
    assert set(fast.graph) == set(reason(dataset).graph)
    blank = next(s for s, _, _, _ in dataset.quads((None, SG.memberOf, ID.sica, None)))
    assert any(subject == blank for subject, _, _ in fast.graph)


@pytest.mark.parametrize(("scale", "seed"), [(1, 1), (1, 5), (2, 11)])
def test_generated_data_at_several_scales_and_seeds_reasons_the_same(
    scale: int, seed: int, tmp_path: Path
) -> None:
    generate = [sys.executable, str(SHIPPED / "bench" / "generate.py"), "--scale", str(scale)]
    generate += ["--seed", str(seed), "--out", str(tmp_path)]
    subprocess.run(generate, check=True, capture_output=True)
    assert_same_inferences(load_sources(Settings(root=SHIPPED, data_dir=tmp_path)))


def test_ontology_graph_is_made_only_when_the_closure_must_be_computed(tmp_path: Path) -> None:
    loaded = load_sources(Settings(root=SHIPPED))
    key = closure_key(loaded.files.ontology)
    calls: list[int] = []

    def make_ontology() -> Graph:
        calls.append(1)
        return _ontology(loaded)

    first = ontology_closure(make_ontology, tmp_path, key + "-lazy")
    assert calls == [1]
    assert ontology_closure(make_ontology, tmp_path, key + "-lazy") == first  # remembered
    assert calls == [1]
