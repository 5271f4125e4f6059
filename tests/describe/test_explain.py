"""Inferred facts on resource pages say what they follow from; matches elsewhere are linked out."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from conftest import AddFile
from secgraph.build.pipeline import BuiltGraph, build
from secgraph.config import Settings
from secgraph.describe.describe import INFERRED, Statement
from secgraph.describe.explain import explain
from secgraph.web import create_app
from secgraph.web.pages.pages import external_links

SG = "https://w3id.org/secgraph/ontology#"
ID = "https://w3id.org/secgraph/id/"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _inferred(subject: str, predicate: str, obj: str) -> Statement:
    return Statement(ox.NamedNode(subject), ox.NamedNode(predicate), ox.NamedNode(obj), INFERRED)


def test_inverse_property_is_named(shipped_built: BuiltGraph) -> None:
    signed = _inferred(ID + "guatemala", SG + "signed", ID + "mou-atf-2008")
    reason = explain(shipped_built.store, signed)
    assert reason is not None
    assert (reason.rule, reason.via) == ("prp-inv", SG + "signatory")


def test_type_through_subclass_is_named(shipped_built: BuiltGraph) -> None:
    reason = explain(shipped_built.store, _inferred(ID + "guatemala", TYPE, SG + "Actor"))
    assert reason is not None
    assert (reason.rule, reason.words) == ("cax-sco", "subclass of")


def test_statement_without_cheap_reason_is_left_unexplained(shipped_built: BuiltGraph) -> None:
    made_up = _inferred(ID + "guatemala", SG + "signed", ID + "honduras")
    assert explain(shipped_built.store, made_up) is None


def test_resource_page_marks_inferred_facts_with_their_rule(shipped_built: BuiltGraph) -> None:
    client = create_app(Settings(), shipped_built.store).test_client()
    page = client.get("/id/guatemala").get_data(as_text=True)
    assert '<abbr title="OWL 2 RL rule prp-inv">(prp-inv)</abbr>' in page
    assert 'href="/views/network?iri=https://w3id.org/secgraph/id/guatemala"' in page


@pytest.mark.parametrize(
    ("iri", "site"),
    [
        ("http://www.wikidata.org/entity/Q774", "Wikidata"),
        ("https://sws.geonames.org/3595528/", "GeoNames"),
        ("http://dbpedia.org/resource/Guatemala", "DBpedia"),
    ],
)
def test_external_links_name_their_site(iri: str, site: str) -> None:
    assert external_links([iri, "https://example.org/x"]) == ((site, iri),)


def test_same_as_link_appears_on_the_page(add_file: AddFile, project: Path) -> None:
    add_file(
        "data/links.ttl",
        "id:honduras owl:sameAs <http://www.wikidata.org/entity/Q783> .\n",
    )
    settings = Settings(root=project)
    client: FlaskClient = create_app(settings, build(settings).store).test_client()
    page = client.get("/id/honduras").get_data(as_text=True)
    assert '<a href="http://www.wikidata.org/entity/Q783" rel="external">Wikidata</a>' in page
