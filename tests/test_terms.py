"""terms.py: terms cross between pyoxigraph and rdflib without changing meaning or spelling."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from secgraph.namespaces import GRAPH, ID, SG
from secgraph.terms import (
    dataset_from_quads,
    graph_from_triples,
    quads_to_oxigraph,
    to_oxigraph,
    to_rdflib,
    triple_to_oxigraph,
    triple_to_rdflib,
)


@pytest.mark.parametrize(
    "term",
    [
        ox.NamedNode(str(ID.guatemala)),
        ox.Literal("01", datatype=ox.NamedNode(str(XSD.integer))),
        ox.Literal("1.50", datatype=ox.NamedNode(str(XSD.decimal))),
        ox.Literal("not a date", datatype=ox.NamedNode(str(XSD.date))),
        ox.Literal("Guatemala", language="es"),
        ox.Literal("plain"),
    ],
)
def test_terms_round_trip_exactly(term: ox.NamedNode | ox.Literal) -> None:
    assert to_oxigraph(to_rdflib(term, {}), {}) == term


def test_integer_lexical_form_is_not_normalized() -> None:
    converted = to_rdflib(ox.Literal("01", datatype=ox.NamedNode(str(XSD.integer))), {})
    assert isinstance(converted, Literal)
    assert (str(converted), converted.datatype) == ("01", XSD.integer)


def test_xsd_string_becomes_a_simple_literal() -> None:
    assert to_rdflib(ox.Literal("x"), {}) == Literal("x")


def test_blank_nodes_map_one_to_one_within_a_scope() -> None:
    scope: dict[str, BNode] = {}
    first = to_rdflib(ox.BlankNode("b1"), scope)
    assert to_rdflib(ox.BlankNode("b1"), scope) is first
    assert to_rdflib(ox.BlankNode("b1"), {}) != first


def test_literal_subjects_are_rejected() -> None:
    with pytest.raises(ValueError, match="not a valid RDF triple"):
        list(quads_to_oxigraph([(Literal("x"), SG.p, Literal("y"), GRAPH.g)]))


def test_quads_share_blank_nodes_across_graphs() -> None:
    node = BNode()
    quads = list(
        quads_to_oxigraph([(node, SG.p, Literal("a"), GRAPH.one), (URIRef(ID.x), SG.q, node, None)])
    )
    assert quads[0].subject == quads[1].object
    assert quads[1].graph_name == ox.DefaultGraph()


def test_blank_nodes_keep_their_labels_across_libraries() -> None:
    quad = ox.Quad(
        ox.BlankNode("b1"),
        ox.NamedNode(str(SG.memberOf)),
        ox.Literal("1.50", datatype=ox.NamedNode(str(XSD.decimal))),
        ox.NamedNode(str(GRAPH.members)),
    )
    triple = triple_to_rdflib(quad)
    assert triple[0] == BNode("b1")
    assert triple_to_oxigraph(triple) == quad.triple
    dataset = dataset_from_quads([quad])
    assert list(dataset.quads((None, None, None, None))) == [(*triple, GRAPH.members)]
    assert set(graph_from_triples([quad])) == {triple}
