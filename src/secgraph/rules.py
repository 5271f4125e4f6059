"""The OWL 2 RL rules the ontology exercises, as SPARQL updates run to a fixpoint inside
pyoxigraph over a fixed, already closed schema (the fast reasoner); never filters or reports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import namespace

from secgraph.namespaces import LITERAL_PROXY

OWL, RDF, RDFS = str(namespace.OWL), str(namespace.RDF), str(namespace.RDFS)
_PROLOGUE = f"PREFIX owl: <{OWL}>\nPREFIX rdf: <{RDF}>\nPREFIX rdfs: <{RDFS}>\n"
# Literals enter the working store as IRIs under this prefix: Oxigraph stores a typed literal by
# value ("16.0"^^xsd:decimal comes back as "16"), while owlrl keeps the lexical form it was given.
_NOT_LITERAL = f'FILTER(isBlank(?y) || !STRSTARTS(STR(?y), "{LITERAL_PROXY}"))'


# OWL terms the rules below cover, or that license no inference about instances (declarations,
# annotations). Any other OWL term in the schema, e.g. owl:FunctionalProperty (prp-fp infers
# owl:sameAs) or owl:someValuesFrom (cls-svf1), makes the fast path step aside for owlrl.
SUPPORTED_OWL_TERMS = frozenset(
    OWL + name
    for name in [
        "Class",
        "AnnotationProperty",
        "DatatypeProperty",
        "ObjectProperty",
        "Ontology",
        "NamedIndividual",
        "Thing",
        "Nothing",
        "versionIRI",
        "versionInfo",
        "imports",
        "priorVersion",
        "deprecated",
        "equivalentClass",
        "equivalentProperty",
        "inverseOf",
        "TransitiveProperty",
        "SymmetricProperty",
        "propertyChainAxiom",
        "AllDisjointClasses",
        "members",
        "disjointWith",
        "sameAs",
    ]
)
# RDFS predicates instance data may use; a data triple with any other RDFS or OWL predicate, or
# typed with an RDFS or OWL class, is schema in disguise: the cached schema closure would miss it.
DATA_ANNOTATIONS = frozenset(RDFS + name for name in ("label", "comment", "seeAlso", "isDefinedBy"))

# OWL 2 RL rules (OWL 2 Profiles §4.3, Tables 5, 7 and 9) over the default graph, which holds
# the asserted triples, the schema closure and everything inferred so far.
_RULES = {
    "prp-spo1": "?p rdfs:subPropertyOf ?q . ?x ?p ?y . FILTER(?p != ?q)} INSERT {?x ?q ?y",
    "prp-eqp": "?p owl:equivalentProperty|^owl:equivalentProperty ?q . ?x ?p ?y} INSERT {?x ?q ?y",
    "prp-inv1": "?p owl:inverseOf ?q . ?x ?p ?y . _NOT_LITERAL} INSERT {?y ?q ?x",
    "prp-inv2": "?p owl:inverseOf ?q . ?x ?q ?y . _NOT_LITERAL} INSERT {?y ?p ?x",
    "prp-symp": "?p a owl:SymmetricProperty . ?x ?p ?y . _NOT_LITERAL} INSERT {?y ?p ?x",
    "prp-trp": "?p a owl:TransitiveProperty . ?x ?p ?y . ?y ?p ?z} INSERT {?x ?p ?z",
    "prp-dom": "?p rdfs:domain ?c . ?x ?p ?y} INSERT {?x a ?c",
    "prp-rng": "?p rdfs:range ?c . ?x ?p ?y . _NOT_LITERAL} INSERT {?y a ?c",
    "cax-sco": "?c rdfs:subClassOf ?d . ?x a ?c . FILTER(?c != ?d)} INSERT {?x a ?d",
    "cax-eqc": "?c owl:equivalentClass|^owl:equivalentClass ?d . ?x a ?c} INSERT {?x a ?d",
}
# Each ASK finds an OWL 2 RL contradiction (Table 4 eq-diff aside): cls-nothing2, cax-dw, cax-adc.
_CONTRADICTIONS = {
    "cls-nothing2": "?x a owl:Nothing",
    "cax-dw": "?c owl:disjointWith ?d . ?x a ?c, ?d",
    "cax-adc": "?a a owl:AllDisjointClasses ; owl:members ?l . ?l rdf:rest*/rdf:first ?c . "
    "?l rdf:rest*/rdf:first ?d . FILTER(?c != ?d) ?x a ?c, ?d",
}


class UnsupportedSchemaError(Exception):
    """The schema or the data uses a construct the fast rules do not cover."""


class ContradictionError(Exception):
    """An OWL 2 RL contradiction rule fired; the caller asks owlrl for the full report."""


def materialize(
    asserted: Iterable[ox.Quad], schema_closure: Iterable[ox.Triple], ontology_graph: str
) -> Iterator[ox.Triple]:
    """Yield the triples OWL 2 RL adds to ``asserted`` (quads in named graphs, the ontology in
    ``ontology_graph``), given ``schema_closure``: what owlrl adds to the ontology alone.

    Raises UnsupportedSchemaError or ContradictionError; both leave the answer to owlrl.
    """
    store = ox.Store()
    # Named graphs keep the asserted triples apart (to tell inferred ones later); the default
    # graph is the working set the rules read and extend.
    literals = _LiteralProxies()
    store.extend(_twice(literals.hide(quad) for quad in asserted))
    store.extend(literals.hide(ox.Quad(t.subject, t.predicate, t.object)) for t in schema_closure)
    _check_supported(store, ontology_graph)
    rules = [_PROLOGUE + f"INSERT {{{body}}} WHERE {{{where}}}" for where, body in _split()]
    rules += _chain_rules(store)
    size = -1
    while size != len(store):
        size = len(store)
        for rule in rules:
            store.update(rule)
    for name, pattern in _CONTRADICTIONS.items():
        if store.query(f"{_PROLOGUE}ASK {{ {pattern} }}"):
            raise ContradictionError(name)
    new = "SELECT ?s ?p ?o { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"
    for row in store.query(new):  # type: ignore[union-attr]
        yield ox.Triple(row[0], row[1], literals.show(row[2]))


class _LiteralProxies:
    """Swaps literal objects for proxy IRIs on the way in and back on the way out."""

    def __init__(self) -> None:
        self.proxies: dict[ox.Literal, ox.NamedNode] = {}
        self.literals: dict[str, ox.Literal] = {}

    def hide(self, quad: ox.Quad) -> ox.Quad:
        if not isinstance(quad.object, ox.Literal):
            return quad
        proxy = self.proxies.get(quad.object)
        if proxy is None:
            proxy = self.proxies[quad.object] = ox.NamedNode(f"{LITERAL_PROXY}{len(self.proxies)}")
            self.literals[proxy.value] = quad.object
        return ox.Quad(quad.subject, quad.predicate, proxy, quad.graph_name)

    def show(self, term: ox.NamedNode | ox.BlankNode) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(term, ox.NamedNode):
            return self.literals.get(term.value, term)
        return term


def _twice(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    for quad in quads:
        yield quad
        yield ox.Quad(quad.subject, quad.predicate, quad.object)


def _split() -> Iterator[tuple[str, str]]:
    for text in _RULES.values():
        where, body = text.replace("_NOT_LITERAL", _NOT_LITERAL).split("} INSERT {")
        yield where, body


def _check_supported(store: ox.Store, ontology_graph: str) -> None:
    schema_terms = """SELECT DISTINCT ?t {
        { ?s ?t ?o } UNION { ?s a ?t } FILTER(STRSTARTS(STR(?t), STR(owl:))) }"""
    used = {row[0].value for row in store.query(_PROLOGUE + schema_terms)}  # type: ignore[union-attr]
    unsupported = sorted(used - SUPPORTED_OWL_TERMS)
    if unsupported:
        raise UnsupportedSchemaError("the schema uses " + ", ".join(unsupported))
    if store.query(_PROLOGUE + "ASK { ?s owl:sameAs ?o FILTER(?s != ?o) }"):
        raise UnsupportedSchemaError("owl:sameAs between distinct nodes (eq-rep-*)")
    annotations = ", ".join(f"<{iri}>" for iri in sorted(DATA_ANNOTATIONS))
    in_data = f"""SELECT ?g ?s ?p ?o {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{ontology_graph}>)
        FILTER((STRSTARTS(STR(?p), STR(rdfs:)) && ?p NOT IN ({annotations}))
            || STRSTARTS(STR(?p), STR(owl:))
            || (?p = rdf:type && (STRSTARTS(STR(?o), STR(owl:)) || STRSTARTS(STR(?o), STR(rdfs:)))))
    }} LIMIT 1"""
    for row in store.query(_PROLOGUE + in_data):  # type: ignore[union-attr]
        raise UnsupportedSchemaError(f"graph {row[0]} states schema: {row[1]} {row[2]} {row[3]}")


def _chain_rules(store: ox.Store) -> list[str]:
    """prp-spo2, one update per owl:propertyChainAxiom (chains of named properties only)."""
    rules = []
    chains = _PROLOGUE + "SELECT ?p ?l { ?p owl:propertyChainAxiom ?l }"
    for row in store.query(chains):  # type: ignore[union-attr]
        links = _rdf_list(store, row[1])
        if not links or not all(isinstance(link, ox.NamedNode) for link in links):
            raise UnsupportedSchemaError(
                f"property chain of {row[0]} is not a list of named properties"
            )
        path = " . ".join(f"?x{i} {link} ?x{i + 1}" for i, link in enumerate(links))
        rules.append(f"INSERT {{ ?x0 {row[0]} ?x{len(links)} }} WHERE {{ {path} }}")
    return rules


def _rdf_list(store: ox.Store, head: ox.NamedNode | ox.BlankNode) -> list[object]:
    items: list[object] = []
    node: object = head
    nil = ox.NamedNode(RDF + "nil")
    while node != nil and len(items) < 1000:
        firsts = list(store.quads_for_pattern(node, ox.NamedNode(RDF + "first"), None, None))  # type: ignore[arg-type]
        rests = list(store.quads_for_pattern(node, ox.NamedNode(RDF + "rest"), None, None))  # type: ignore[arg-type]
        if not firsts or not rests:
            return []
        items.append(firsts[0].object)
        node = rests[0].object
    return items
