"""data/links.trig: well-formed, every target a proper IRI of its authority, ISO codes agreeing,
every statement confirmed by a sg:LinkConfirmation naming its source."""

from __future__ import annotations

import re
from pathlib import Path

import pycountry
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from secgraph.load import read_quads
from secgraph.namespaces import GRAPH, SG

LINKS = Path(__file__).parents[1] / "data" / "links.trig"
AUTHORITIES = {
    "Wikidata": re.compile(r"^http://www\.wikidata\.org/entity/Q[1-9]\d*$"),
    "DBpedia": re.compile(r"^http://dbpedia\.org/resource/[^\s/<>\"{}|^`\\]+$"),
    "GeoNames": re.compile(r"^https://sws\.geonames\.org/[1-9]\d*/$"),
}


@pytest.fixture(scope="module")
def links() -> Graph:
    """The links graph, parsed by the project's loader (a syntax error names file:line:col)."""
    graph = Graph()
    for subject, predicate, obj, name in read_quads(LINKS, "data/links.trig"):
        assert name == GRAPH["links"], f"a statement outside graph:links: {subject} {predicate}"
        graph.add((subject, predicate, obj))
    return graph


def test_every_link_target_is_an_iri_of_a_known_authority(links: Graph) -> None:
    targets = list(links.objects(None, SKOS.exactMatch))
    assert targets
    for target in targets:
        assert isinstance(target, URIRef)
        assert any(pattern.match(str(target)) for pattern in AUTHORITIES.values()), target


def test_each_country_has_one_target_per_authority(links: Graph) -> None:
    graph = links
    for country in set(graph.subjects(SG.iso3166Alpha2, None)):
        targets = [str(t) for t in graph.objects(country, SKOS.exactMatch)]
        counts = {name: sum(bool(p.match(t)) for t in targets) for name, p in AUTHORITIES.items()}
        assert counts == {"Wikidata": 1, "DBpedia": 1, "GeoNames": 1}, country


def test_iso_codes_are_well_formed_and_agree(links: Graph) -> None:
    graph = links
    countries = set(graph.subjects(SG.iso3166Alpha2, None))
    assert len(countries) == 14
    for country in countries:
        [alpha2] = graph.objects(country, SG.iso3166Alpha2)
        [alpha3] = graph.objects(country, SG.iso3166Alpha3)
        assert re.fullmatch(r"[A-Z]{2}", str(alpha2))
        assert re.fullmatch(r"[A-Z]{3}", str(alpha3))
        # ISO 3166-1 as the pycountry package carries it: both codes name the same country.
        record = pycountry.countries.get(alpha_2=str(alpha2))
        assert record is not None, alpha2
        assert record.alpha_3 == str(alpha3), country


def test_names_in_the_links_graph_are_spanish(links: Graph) -> None:
    labels = list(links.objects(None, SKOS.altLabel))
    assert labels
    assert all(isinstance(label, Literal) and label.language == "es" for label in labels)


def test_every_statement_is_confirmed_with_a_source(links: Graph) -> None:
    graph = links
    statements = {
        (s, p, o)
        for p in (SKOS.exactMatch, SG.iso3166Alpha2, SG.iso3166Alpha3, SKOS.altLabel)
        for s, o in graph.subject_objects(p)
    }
    confirmed = set()
    for node in graph.subjects(RDF.type, SG.LinkConfirmation):
        assert isinstance(graph.value(node, DCTERMS.source), URIRef), node
        statement = (
            graph.value(node, RDF.subject),
            graph.value(node, RDF.predicate),
            graph.value(node, RDF.object),
        )
        confirmed.add(statement)
    assert statements == confirmed
