"""Convert RDF terms between pyoxigraph and rdflib exactly; no parsing, no storage."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD
from rdflib.term import Node

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
OxGraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
RdflibQuad = tuple[Node, Node, Node, Node | None]
RdflibTriple = tuple[Node, Node, Node]

_XSD_STRING = str(XSD.string)


def to_rdflib(term: OxTerm | ox.Triple, bnodes: dict[str, BNode] | None = None) -> Node:
    """Convert one pyoxigraph term. ``bnodes`` scopes blank nodes: pass one dict per document;
    without it a blank node keeps its label (``_:b1`` becomes ``BNode("b1")`` and back, see
    triple_to_oxigraph), so terms converted apart still meet.

    Literals keep their lexical form (``normalize=False``); ``xsd:string`` becomes a simple
    literal, its RDF 1.1 equivalent (RDF 1.1 Concepts §3.3).

    The form kept is the one the term arrives with. A term read back from an Oxigraph store is
    already canonical: Oxigraph stores numeric literals by value, so the data's ``7.0`` or
    ``1300000000.0`` (xsd:decimal amounts and counts) come back as ``7`` and ``1300000000``
    (XSD 1.1 Part 2 §3.3.3.2, canonical mapping). Both forms denote the same value; compare
    amounts as numbers (``decimal.Decimal``), never by their lexical form.
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value) if bnodes is None else bnodes.setdefault(term.value, BNode())
    if isinstance(term, ox.Literal):
        if getattr(term, "direction", None) is not None:
            raise ValueError(f"literals with a base direction are not supported: {term}")
        if term.language is not None:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)
    raise ValueError(f"RDF-star triple terms are not supported: {term}")


def quad_to_rdflib(quad: ox.Quad, bnodes: dict[str, BNode] | None = None) -> RdflibQuad:
    """Convert one quad; the graph is None for the default graph."""
    graph = quad.graph_name
    name = None if isinstance(graph, ox.DefaultGraph) else to_rdflib(graph, bnodes)
    return (
        to_rdflib(quad.subject, bnodes),
        to_rdflib(quad.predicate, bnodes),
        to_rdflib(quad.object, bnodes),
        name,
    )


def to_oxigraph(term: Node, bnodes: dict[Node, ox.BlankNode]) -> OxTerm:
    """Convert one rdflib term. ``bnodes`` keeps one rdflib blank node one oxigraph blank node."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        found = bnodes.get(term)
        if found is None:
            found = bnodes[term] = ox.BlankNode()
        return found
    if isinstance(term, Literal):
        if term.language is not None:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is None:
            return ox.Literal(str(term))
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    raise ValueError(f"not an RDF term: {term!r}")


def graph_name_to_oxigraph(name: Node | None, bnodes: dict[Node, ox.BlankNode]) -> OxGraphName:
    """Convert a graph name; None and rdflib's default-graph identifier map to the default graph."""
    if name is None or name == DATASET_DEFAULT_GRAPH_ID:
        return ox.DefaultGraph()
    converted = to_oxigraph(name, bnodes)
    if isinstance(converted, ox.Literal):
        raise ValueError(f"a literal cannot name a graph: {name!r}")
    return converted


def quads_to_oxigraph(quads: Iterable[RdflibQuad]) -> Iterator[ox.Quad]:
    """Convert rdflib quads to pyoxigraph quads, blank nodes shared across the whole input."""
    bnodes: dict[Node, ox.BlankNode] = {}
    for subject, predicate, obj, graph in quads:
        converted_subject = to_oxigraph(subject, bnodes)
        converted_predicate = to_oxigraph(predicate, bnodes)
        if isinstance(converted_subject, ox.Literal) or not isinstance(
            converted_predicate, ox.NamedNode
        ):
            raise ValueError(f"not a valid RDF triple: {subject!r} {predicate!r} {obj!r}")
        yield ox.Quad(
            converted_subject,
            converted_predicate,
            to_oxigraph(obj, bnodes),
            graph_name_to_oxigraph(graph, bnodes),
        )


def triple_to_rdflib(triple: ox.Triple | ox.Quad) -> RdflibTriple:
    """Convert the subject, predicate and object; blank nodes keep their labels."""
    return to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)


def triple_to_oxigraph(triple: RdflibTriple) -> ox.Triple:
    """Convert one rdflib triple; blank nodes keep their labels (the inverse of
    triple_to_rdflib), so a triple about a node of a converted dataset names the same node."""
    subject, predicate, obj = (_labelled(term) for term in triple)
    if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
        raise ValueError(f"not a valid RDF triple: {triple!r}")
    return ox.Triple(subject, predicate, obj)


def dataset_from_quads(quads: Iterable[ox.Quad]) -> Dataset:
    """An rdflib Dataset holding ``quads``; blank nodes keep their labels."""
    dataset = Dataset()
    graphs: dict[OxGraphName, Graph] = {}
    for quad in quads:
        name = quad.graph_name
        graph = graphs.get(name)
        if graph is None:
            graph = graphs[name] = (
                dataset.default_graph
                if isinstance(name, ox.DefaultGraph)
                else dataset.graph(to_rdflib(name))  # type: ignore[arg-type]
            )
        graph.add(triple_to_rdflib(quad))
    return dataset


def graph_from_triples(
    triples: Iterable[ox.Triple | ox.Quad], identifier: URIRef | None = None
) -> Graph:
    """An rdflib Graph holding ``triples`` (graph names ignored); blank nodes keep their labels."""
    graph = Graph(identifier=identifier)
    for triple in triples:
        graph.add(triple_to_rdflib(triple))
    return graph


def _labelled(term: Node) -> OxTerm:
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    return to_oxigraph(term, {})
