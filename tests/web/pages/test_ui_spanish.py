"""English and Spanish labels side by side, in a small test store: search finds and shows the
Spanish ones (accents and case folded); pages name a resource by its English label when it has
one, by its Spanish one otherwise."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from html_tree import parse_html, text_of
from secgraph.config import Settings
from secgraph.namespaces import GRAPH, ID, RDF, RDFS, SG, SKOS
from secgraph.store.embedded import OxigraphStore
from secgraph.web import create_app

US, SICA, GUATEMALA_CITY = ID["united-states"], ID["sica"], ID["guatemala-city"]


def _quad(subject: object, predicate: object, value: ox.Literal | ox.NamedNode) -> ox.Quad:
    return ox.Quad(
        ox.NamedNode(str(subject)), ox.NamedNode(str(predicate)), value, ox.NamedNode(GRAPH.es)
    )


def _es(text: str) -> ox.Literal:
    return ox.Literal(text, language="es")


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


@pytest.fixture
def bilingual(settings: Settings) -> FlaskClient:
    # Spanish labels come first, so an English preference cannot be an accident of order.
    quads = [
        _quad(US, RDFS.label, _es("Estados Unidos de América")),
        _quad(US, RDFS.label, _en("United States")),
        _quad(US, RDF.type, ox.NamedNode(str(SG.Country))),
        _quad(SICA, RDFS.label, _es("Sistema de la Integración Centroamericana")),
        _quad(SICA, SKOS.altLabel, _es("Integración Centroamericana")),
        _quad(SICA, RDFS.label, _en("Central American Integration System")),
        _quad(GUATEMALA_CITY, RDFS.label, _es("Ciudad de Guatemala")),
    ]
    return create_app(settings, OxigraphStore.from_quads(quads)).test_client()


def _search(client: FlaskClient, text: str) -> list[dict[str, object]]:
    response = client.get("/search", query_string={"q": text, "format": "json"})
    assert response.status_code == 200
    results: list[dict[str, object]] = json.loads(response.data)["results"]
    return results


def test_search_finds_spanish_labels_without_accents_and_names_the_english_one(
    bilingual: FlaskClient,
) -> None:
    first = _search(bilingual, "INTEGRACION centroamericana")[0]
    assert first["iri"] == str(SICA)
    assert first["label"] == "Central American Integration System"
    assert first["matched"] == "Integración Centroamericana"
    assert (first["language"], first["language_name"]) == ("es", "Spanish")
    assert first["alternative"] is True
    assert first["match"] == "exact"


def test_spanish_labels_rank_like_english_ones(bilingual: FlaskClient) -> None:
    hits = _search(bilingual, "estados unidos")
    assert [(hit["iri"], hit["match"]) for hit in hits] == [(str(US), "prefix")]
    ranked = _search(bilingual, "sistema")
    assert ranked[0]["iri"] == str(SICA)
    assert ranked[0]["match"] == "prefix"


def test_search_page_shows_the_spanish_match_in_spanish(bilingual: FlaskClient) -> None:
    page = parse_html(bilingual.get("/search?q=estados").get_data(as_text=True))
    hit = page.find(".//ol[@class='hits']/li")
    assert hit is not None
    assert text_of(hit.find("a")) == "United States"  # type: ignore[arg-type]
    matched = hit.find(".//span[@lang='es']")
    assert matched is not None
    assert text_of(matched) == "Estados Unidos de América"
    assert "matched Spanish label" in text_of(hit)


def test_pages_prefer_the_english_label_and_fall_back_to_spanish(bilingual: FlaskClient) -> None:
    page = parse_html(bilingual.get("/id/united-states").get_data(as_text=True))
    assert text_of(page.find(".//h1")) == "United States"  # type: ignore[arg-type]
    spanish_only = parse_html(bilingual.get("/id/guatemala-city").get_data(as_text=True))
    assert text_of(spanish_only.find(".//h1")) == "Ciudad de Guatemala"  # type: ignore[arg-type]
