"""Which OWL 2 RL inferences carry no information (the noise filter); never reasons itself."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pyoxigraph as ox
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from secgraph.namespaces import BUILTIN_VOCABULARIES

Triple = Sequence[Node] | Sequence[ox.NamedNode | ox.BlankNode | ox.Literal] | ox.Triple
"""A triple of rdflib terms or of pyoxigraph terms (ox.Triple indexes as one)."""
NTriple = tuple[str, str, str]
"""A triple's terms in N-Triples form: ``<iri>``, ``_:label``, ``"lexical"^^<datatype>``."""


def _forms(*iris: str) -> frozenset[str]:
    return frozenset(f"<{iri}>" for iri in iris)


_SCHEMA_EQUIVALENCES = _forms(
    OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty, RDFS.subClassOf, RDFS.subPropertyOf
)
_TOP_PREDICATES = _forms(RDF.type, RDFS.subClassOf, RDFS.domain, RDFS.range)
_TOP_CLASSES = _forms(OWL.Thing, RDFS.Resource)
_BUILTIN = tuple(f"<{namespace}" for namespace in BUILTIN_VOCABULARIES)

# What owlrl emits for every node or for the OWL/RDF vocabulary itself. Each rule is true of
# everything, so keeping it would add no information and would bury the inferences users want.
# The first matching rule names the reason a triple was dropped (counts go to Inference.dropped).
NOISE: dict[str, Callable[[NTriple], bool]] = {
    # dt-type2 types every literal ("1"^^xsd:int rdf:type xsd:int); RDF forbids literal subjects.
    "literal subject": lambda t: t[0].startswith('"'),
    # eq-ref, scm-cls, scm-op, scm-dp: x sameAs x, C subClassOf C, P subPropertyOf P, ...
    "reflexive schema triple": lambda t: t[0] == t[2] and t[1] in _SCHEMA_EQUIVALENCES,
    # cls-thing, cls-nothing1, prp-ap, dt-type1, scm-cls on owl:Nothing: about the language itself.
    "built-in vocabulary subject": lambda t: t[0].startswith(_BUILTIN),
    # scm-cls, scm-dom1/scm-rng1 via owl:Thing: x a owl:Thing, C subClassOf owl:Thing, ...
    "owl:Thing or rdfs:Resource": lambda t: t[1] in _TOP_PREDICATES and t[2] in _TOP_CLASSES,
}


def noise_reason_of(triple: NTriple) -> str | None:
    """The name of the first NOISE rule ``triple`` (N-Triples forms) matches, or None when it
    carries information."""
    subject, predicate, obj = triple
    # Most inferences match no rule: one cheap test of every rule's condition first.
    if not (
        subject[0] == '"'
        or subject == obj
        or subject.startswith(_BUILTIN)
        or (predicate in _TOP_PREDICATES and obj in _TOP_CLASSES)
    ):
        return None
    for name, rule in NOISE.items():
        if rule(triple):
            return name
    return None


def noise_reason(triple: Triple) -> str | None:
    """noise_reason_of for a triple of rdflib or pyoxigraph terms."""
    subject, predicate, obj = (_form(term) for term in triple)
    return noise_reason_of((subject, predicate, obj))


def _form(term: object) -> str:
    if isinstance(term, Node):
        return term.n3()
    return str(term)  # pyoxigraph terms print in N-Triples form
