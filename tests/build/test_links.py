"""data/links.trig: well-formed, every target a proper IRI of its authority, ISO codes agreeing,
every statement confirmed by a sg:LinkConfirmation naming the pinned public file it was read in."""

from __future__ import annotations

import gettext
import re

import pycountry
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from paths import REPOSITORY
from secgraph.build.load import read_quads
from secgraph.build.pipeline import BuiltGraph
from secgraph.namespaces import GRAPH, ID, SG

LINKS = REPOSITORY / "data" / "links.trig"
SPANISH_NAME = (RDFS.label,)
"""Where the links graph puts Spanish names."""
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


def test_each_country_has_one_wikidata_and_one_geonames_target(links: Graph) -> None:
    graph = links
    for country in set(graph.subjects(SG.iso3166Alpha2, None)):
        targets = [str(t) for t in graph.objects(country, SKOS.exactMatch)]
        counts = {name: sum(bool(p.match(t)) for t in targets) for name, p in AUTHORITIES.items()}
        # No DBpedia resource could be read in a citable file (README, Linking): none is linked.
        assert counts == {"Wikidata": 1, "DBpedia": 0, "GeoNames": 1}, country


def test_no_entity_has_two_targets_at_one_authority(links: Graph) -> None:
    for entity in set(links.subjects(SKOS.exactMatch, None)):
        targets = [str(t) for t in links.objects(entity, SKOS.exactMatch)]
        for name, pattern in AUTHORITIES.items():
            assert sum(bool(pattern.match(t)) for t in targets) <= 1, (entity, name)


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
    labels = [label for p in SPANISH_NAME for label in links.objects(None, p)]
    assert labels
    assert all(isinstance(label, Literal) and label.language == "es" for label in labels)


# A source is a repository file pinned to the commit it was read at, so the cited text cannot move.
PINNED_FILE = re.compile(r"^https://github\.com/[\w.-]+/[\w.-]+/blob/[0-9a-f]{40}/\S+$")


def test_every_confirmation_cites_a_pinned_file_and_says_what_it_shows(links: Graph) -> None:
    nodes = list(links.subjects(RDF.type, SG.LinkConfirmation))
    assert nodes
    for node in nodes:
        sources = [str(s) for s in links.objects(node, DCTERMS.source)]
        assert sources, node
        assert all(PINNED_FILE.match(s) for s in sources), (node, sources)
        [comment] = links.objects(node, RDFS.comment)
        assert isinstance(comment, Literal)
        assert comment.language == "en"
        value = links.value(node, RDF.object)
        # The comment names the value it confirms (a Q-id, geonameid, code or the name itself).
        shown = str(value).rstrip("/").rsplit("/", 1)[-1]
        assert shown in str(comment), (node, shown)


def test_spanish_country_names_are_the_iso_codes_translation() -> None:
    """The Spanish names agree with the iso-codes Spanish translation that pycountry ships."""
    spanish = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"])
    graph = Graph()
    for subject, predicate, obj, _ in read_quads(LINKS, "data/links.trig"):
        graph.add((subject, predicate, obj))
    countries = set(graph.subjects(SG.iso3166Alpha2, None))
    for country in countries:
        record = pycountry.countries.get(alpha_2=str(graph.value(country, SG.iso3166Alpha2)))
        names = [str(n) for p in SPANISH_NAME for n in graph.objects(country, p)]
        assert names == [spanish.gettext(record.name)], country


def test_every_statement_is_confirmed_with_a_source(links: Graph) -> None:
    graph = links
    statements = {
        (s, p, o)
        for p in (SKOS.exactMatch, SG.iso3166Alpha2, SG.iso3166Alpha3, SG.locatedIn, *SPANISH_NAME)
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


def test_each_wikidata_confirmation_names_the_entity_it_links() -> None:
    """A Q-id is only as good as its match: the row or record cited must carry one of the entity's
    own English names (label or variant), so an office is not linked to its holder's item."""
    data = Graph()
    for path in sorted(LINKS.parent.glob("*.trig")):
        for subject, predicate, obj, _ in read_quads(path, f"data/{path.name}"):
            data.add((subject, predicate, obj))
    nodes = [
        node
        for node in data.subjects(RDF.type, SG.LinkConfirmation)
        if AUTHORITIES["Wikidata"].match(str(data.value(node, RDF.object)))
    ]
    assert len(nodes) >= 20
    for node in nodes:
        entity = data.value(node, RDF.subject)
        names = {
            str(name)
            for p in (RDFS.label, SKOS.altLabel)
            for name in data.objects(entity, p)
            if isinstance(name, Literal) and name.language == "en"
        }
        comment = str(data.value(node, RDFS.comment))
        assert any(name.replace(" ", "_") in comment or name in comment for name in names), (
            entity,
            names,
        )


def test_a_spanish_name_finds_the_entity_and_reads_back_in_spanish(
    shipped_built: BuiltGraph,
) -> None:
    """A Spanish-speaking analyst searches by the Spanish name and reads Spanish labels."""
    query = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT DISTINCT ?entity ?english WHERE { ?entity rdfs:label ?name ; rdfs:label ?english "
        'FILTER(CONTAINS(LCASE(STR(?name)), "integración") && langMatches(lang(?name), "es")) '
        'FILTER(langMatches(lang(?english), "en")) }'
    )
    solutions = shipped_built.store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    rows = {(row["entity"].value, str(row["english"])) for row in solutions}
    assert rows == {(str(ID["sica"]), '"Central American Integration System"@en')}
    spanish = shipped_built.store.query(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT DISTINCT ?name WHERE { "
        '?c rdfs:label "Panama"@en ; rdfs:label ?name FILTER(langMatches(lang(?name), "es")) }'
    )
    assert isinstance(spanish, ox.QuerySolutions)
    assert [str(row["name"]) for row in spanish] == ['"Panamá"@es']
