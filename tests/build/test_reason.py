"""build/reason.py: OWL 2 RL materialization kept apart from the asserted graphs, noise filtered."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal
from rdflib.namespace import OWL, RDF, RDFS, XSD

from secgraph.build.load import load_sources
from secgraph.build.noise import noise_reason, noise_reason_of
from secgraph.build.reason import InconsistencyError, Inference, reason
from secgraph.config import Settings
from secgraph.namespaces import ID, INFERRED_GRAPH, SG


@pytest.fixture(scope="module")
def inference(settings: Settings) -> Inference:
    return reason(load_sources(settings).dataset)


def test_inferred_triples_live_in_their_own_graph(settings: Settings) -> None:
    dataset = load_sources(settings).dataset
    asserted = set(dataset.quads((None, None, None, None)))
    result = reason(dataset)
    assert result.graph.identifier == INFERRED_GRAPH
    assert set(dataset.quads((None, None, None, None))) == asserted  # input untouched
    asserted_triples = {(s, p, o) for s, p, o, _ in asserted}
    assert not asserted_triples & set(result.graph)


def test_inverse_property_is_materialized(inference: Inference) -> None:
    # OWL 2 RL prp-inv1: memberOf owl:inverseOf hasMember.
    members = set(inference.graph.objects(ID.sica, SG.hasMember))
    assert members == {ID.guatemala, ID.belize, ID.honduras}


def test_sub_property_is_materialized(inference: Inference) -> None:
    # OWL 2 RL prp-spo1: signedBy rdfs:subPropertyOf involves.
    involved = set(inference.graph.objects(ID["communique-2008"], SG.involves))
    assert involved == {ID.guatemala, ID.belize, ID["united-states"]}


def test_transitive_property_is_materialized(inference: Inference) -> None:
    # OWL 2 RL prp-trp: carsi-safe-streets partOf carsi partOf citizen-security-partnership.
    assert (ID["carsi-safe-streets"], SG.partOf, ID["citizen-security-partnership"]) in (
        inference.graph
    )


def test_subclass_and_range_types_are_materialized(inference: Inference) -> None:
    # cax-sco (Country subClassOf Actor) and prp-rng (involves rdfs:range Actor).
    actors = set(inference.graph.subjects(RDF.type, SG.Actor))
    named = {node for node in actors if not isinstance(node, BNode)}
    assert named == {ID.guatemala, ID.belize, ID.honduras, ID["united-states"], ID.sica}
    assert len(actors - named) == 1  # the unnamed local partner of carsi-safe-streets


def test_trivial_inferences_are_dropped_and_counted(inference: Inference) -> None:
    graph = inference.graph
    assert not any(s == o for s, p, o in graph.triples((None, OWL.sameAs, None)))
    assert not any(isinstance(s, Literal) for s, _, _ in graph)
    assert (None, RDF.type, OWL.Thing) not in graph
    assert not any(str(s).startswith(str(OWL)) for s in graph.subjects())
    assert inference.dropped == {
        "reflexive schema triple": 114,
        "built-in vocabulary subject": 53,
        "literal subject": 36,
        "owl:Thing or rdfs:Resource": 20,
    }
    assert len(graph) == 15


def test_schema_inferences_that_carry_information_are_kept(inference: Inference) -> None:
    # scm-rng1: memberOf rdfs:range Organization, Organization subClassOf Actor.
    assert (SG.memberOf, RDFS.range, SG.Actor) in inference.graph


def test_inconsistency_names_the_culprit(project: Path, add_file) -> None:
    # cax-dw: Country owl:disjointWith Agreement.
    add_file("data/bad.trig", "graph:bad { id:panama a sg:Country, sg:Agreement . }\n")
    with pytest.raises(InconsistencyError) as caught:
        reason(load_sources(Settings(root=project)).dataset)
    messages = [culprit.message for culprit in caught.value.culprits]
    assert messages == [
        f"Disjoint classes {SG.Country} and {SG.Agreement} have a common individual {ID.panama}"
    ]


def test_instance_of_nothing_is_named_with_its_label(project: Path, add_file) -> None:
    add_file(
        "data/bad.trig",
        'graph:bad { id:atlantis a owl:Nothing ; rdfs:label "Atlantis"@en . }\n',
    )
    with pytest.raises(InconsistencyError) as caught:
        reason(load_sources(Settings(root=project)).dataset)
    nothing = [c for c in caught.value.culprits if c.node is not None]
    assert [(c.node, c.label) for c in nothing] == [(str(ID.atlantis), "Atlantis")]
    assert f'{ID.atlantis} "Atlantis"' in str(caught.value)


def test_reasoning_is_timed(inference: Inference) -> None:
    assert 0 < inference.seconds < 60


@pytest.mark.parametrize(
    "triple",
    [
        (SG.Country, RDFS.subClassOf, SG.Country),
        (OWL.Thing, RDFS.subClassOf, OWL.Thing),
        (ID.panama, RDF.type, OWL.Thing),
        (Literal("1", datatype=XSD.integer), RDF.type, XSD.integer),
        (ID.panama, RDF.type, SG.Country),
        (BNode("b1"), SG.memberOf, ID.sica),
    ],
)
def test_noise_filter_judges_rdflib_and_pyoxigraph_terms_alike(triple: tuple) -> None:
    subject, predicate, obj = triple
    as_oxigraph = (
        ox.Literal(str(subject), datatype=ox.NamedNode(str(subject.datatype)))
        if isinstance(subject, Literal)
        else ox.BlankNode(str(subject))
        if isinstance(subject, BNode)
        else ox.NamedNode(str(subject)),
        ox.NamedNode(str(predicate)),
        ox.NamedNode(str(obj)),
    )
    assert noise_reason(triple) == noise_reason(as_oxigraph)
    assert noise_reason_of(tuple(str(term) for term in as_oxigraph)) == noise_reason(triple)
