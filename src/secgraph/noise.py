"""Which OWL 2 RL inferences carry no information (the noise filter); never reasons itself."""

from __future__ import annotations

from collections.abc import Callable

from rdflib import Literal
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from secgraph.namespaces import BUILTIN_VOCABULARIES

Triple = tuple[Node, Node, Node]

_SCHEMA_EQUIVALENCES = frozenset(
    {OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty, RDFS.subClassOf, RDFS.subPropertyOf}
)
_TOP_PREDICATES = frozenset({RDF.type, RDFS.subClassOf, RDFS.domain, RDFS.range})
_TOP_CLASSES = frozenset({OWL.Thing, RDFS.Resource})

# What owlrl emits for every node or for the OWL/RDF vocabulary itself. Each rule is true of
# everything, so keeping it would add no information and would bury the inferences users want.
# The first matching rule names the reason a triple was dropped (counts go to Inference.dropped).
NOISE: dict[str, Callable[[Triple], bool]] = {
    # dt-type2 types every literal ("1"^^xsd:int rdf:type xsd:int); RDF forbids literal subjects.
    "literal subject": lambda t: isinstance(t[0], Literal),
    # eq-ref, scm-cls, scm-op, scm-dp: x sameAs x, C subClassOf C, P subPropertyOf P, ...
    "reflexive schema triple": lambda t: t[0] == t[2] and t[1] in _SCHEMA_EQUIVALENCES,
    # cls-thing, cls-nothing1, prp-ap, dt-type1, scm-cls on owl:Nothing: about the language itself.
    "built-in vocabulary subject": lambda t: str(t[0]).startswith(BUILTIN_VOCABULARIES),
    # scm-cls, scm-dom1/scm-rng1 via owl:Thing: x a owl:Thing, C subClassOf owl:Thing, ...
    "owl:Thing or rdfs:Resource": lambda t: t[1] in _TOP_PREDICATES and t[2] in _TOP_CLASSES,
}


def noise_reason(triple: Triple) -> str | None:
    """The name of the first NOISE rule ``triple`` matches, or None when it carries information."""
    return next((name for name, rule in NOISE.items() if rule(triple)), None)
