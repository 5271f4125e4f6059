"""The ontology page documents the hierarchy and counts instances and uses live."""

from __future__ import annotations

from flask.testing import FlaskClient

from secgraph.build.pipeline import BuiltGraph
from secgraph.config import Settings
from secgraph.describe.labels import Labels
from secgraph.describe.ontology_docs import class_tree, property_docs
from secgraph.web import create_app

SG = "https://w3id.org/secgraph/ontology#"


def _find(nodes, iri):  # type: ignore[no-untyped-def]
    for node in nodes:
        if node.iri == iri:
            return node
        found = _find(node.children, iri)
        if found is not None:
            return found
    return None


def test_country_sits_under_actor_with_its_instances(shipped_built: BuiltGraph) -> None:
    store = shipped_built.store
    tree = class_tree(store, Labels(store))
    actor = _find(tree, SG + "Actor")
    assert actor is not None
    country = _find(actor.children, SG + "Country")
    assert country is not None
    assert country.instances >= 7
    assert country.definition


def test_property_table_counts_statements(shipped_built: BuiltGraph) -> None:
    store = shipped_built.store
    docs = {item.iri: item for item in property_docs(store, Labels(store))}
    signatory = docs[SG + "signatory"]
    assert signatory.kind == "object"
    assert signatory.uses > 5


def test_ontology_page_shows_hierarchy_and_keeps_term_anchors(shipped_built: BuiltGraph) -> None:
    client: FlaskClient = create_app(Settings(), shipped_built.store).test_client()
    page = client.get("/ontology", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'id="hierarchy"' in page
    assert 'id="property-table"' in page
    assert 'id="Country"' in page
