"""describe/links.py and the VoID linksets: link counts per target and coverage by class, checked
against counts taken independently from the dump."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from rdflib import BNode, Graph, Literal, URIRef

from paths import REPOSITORY
from secgraph.build.pipeline import BuiltGraph
from secgraph.config import Settings
from secgraph.describe import links
from secgraph.namespaces import BASE, DCTERMS, ID, INFERRED_GRAPH, LINK_TARGETS, RDF, SG, SKOS, VOID
from secgraph.terms import quad_to_rdflib
from secgraph.web import create_app

DATASET = URIRef("http://localhost/.well-known/void#dataset")
ROOT = REPOSITORY


def _quads(built: BuiltGraph) -> list[ox.Quad]:
    return list(ox.parse(built.store.dump(ox.RdfFormat.N_QUADS), ox.RdfFormat.N_QUADS))


def _links_by_target(built: BuiltGraph) -> dict[str, int]:
    """Distinct (entity, link predicate, external IRI) triples per target, from the dump."""
    triples = {
        quad.triple
        for quad in _quads(built)
        if quad.predicate.value in links.LINK_PREDICATES
        and quad.subject.value.startswith(str(ID))
        and isinstance(quad.object, ox.NamedNode)
    }
    return {
        name: sum(t.object.value.startswith(space) for t in triples)
        for name, space in LINK_TARGETS.items()
    }


@pytest.fixture(scope="module")
def shipped_void(shipped_built: BuiltGraph) -> Graph:
    client: FlaskClient = create_app(Settings(root=ROOT), shipped_built.store).test_client()
    response = client.get("/.well-known/void", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    graph, bnodes = Graph(), dict[str, BNode]()
    for quad in ox.parse(response.get_data(), ox.RdfFormat.N_TRIPLES):
        subject, predicate, obj, _ = quad_to_rdflib(quad, bnodes)
        graph.add((subject, predicate, obj))
    return graph


def test_link_counts_equal_counts_taken_from_the_dump(shipped_built: BuiltGraph) -> None:
    counted = {
        name: sum(c.triples for c in links.count_links(shipped_built.store) if c.target == name)
        for name in LINK_TARGETS
    }
    expected = _links_by_target(shipped_built)
    assert counted == expected
    assert expected["Wikidata"] >= 24
    assert expected["GeoNames"] == 14


def test_every_target_has_a_linkset_with_its_count(
    shipped_void: Graph, shipped_built: BuiltGraph
) -> None:
    expected = _links_by_target(shipped_built)
    linksets = set(shipped_void.subjects(RDF.type, VOID.Linkset))
    assert len(linksets) == len(LINK_TARGETS)
    seen = {}
    for linkset in linksets:
        assert (DATASET, VOID.subset, linkset) in shipped_void
        assert shipped_void.value(linkset, VOID.subjectsTarget) == DATASET
        assert shipped_void.value(linkset, VOID.linkPredicate) == SKOS.exactMatch
        target = shipped_void.value(linkset, VOID.objectsTarget)
        assert (target, RDF.type, VOID.Dataset) in shipped_void
        name = str(shipped_void.value(target, DCTERMS.title))
        assert str(shipped_void.value(target, VOID.uriSpace)) == LINK_TARGETS[name]
        triples = shipped_void.value(linkset, VOID.triples)
        assert isinstance(triples, Literal)
        seen[name] = int(triples)
    assert seen == expected


def test_coverage_counts_entities_with_and_without_a_link(shipped_built: BuiltGraph) -> None:
    coverage = {c.class_iri: c for c in links.count_coverage(shipped_built.store)}
    countries = coverage[str(SG.Country)]
    assert (countries.entities, countries.linked, countries.unlinked) == (14, 14, 0)
    # Independently: asserted instances per class, and those with an external link.
    typed: dict[str, set[str]] = {}
    linked: set[str] = set()
    for quad in _quads(shipped_built):
        subject = quad.subject.value
        if not (isinstance(quad.subject, ox.NamedNode) and subject.startswith(str(ID))):
            continue
        if quad.predicate.value == str(RDF.type) and quad.graph_name.value != str(INFERRED_GRAPH):
            if quad.object.value.startswith(str(SG)):
                typed.setdefault(quad.object.value, set()).add(subject)
        elif quad.predicate.value in links.LINK_PREDICATES and not quad.object.value.startswith(
            BASE
        ):
            linked.add(subject)
    assert {iri: (c.entities, c.linked) for iri, c in coverage.items()} == {
        iri: (len(members), len(members & linked)) for iri, members in typed.items()
    }


def test_coverage_renders_as_a_table_and_as_json(shipped_built: BuiltGraph) -> None:
    coverage = links.count_coverage(shipped_built.store)
    counts = links.count_links(shipped_built.store)
    table = links.render_coverage(coverage, counts)
    assert table.splitlines()[0].split() == ["class", "entities", "linked", "unlinked"]
    assert any(line.split() == ["sg:Country", "14", "14", "0"] for line in table.splitlines())
    parsed = json.loads(links.coverage_json(coverage, counts))
    [country] = [c for c in parsed["classes"] if c["class_iri"] == str(SG.Country)]
    assert country == {"class_iri": str(SG.Country), "entities": 14, "linked": 14, "unlinked": 0}
    assert {t["target"] for t in parsed["targets"]} == set(LINK_TARGETS)
