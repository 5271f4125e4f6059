"""OWL 2 RL materialization (owlrl) of a copy of the asserted graphs; never validates or stores."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from time import perf_counter

from owlrl import DeductiveClosure, OWLRL_Semantics
from owlrl.Namespaces import ERRNS
from rdflib import Dataset, Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from secgraph.namespaces import BUILTIN_VOCABULARIES, INFERRED_GRAPH

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


@dataclass(frozen=True)
class Culprit:
    """One reason the graph is inconsistent: owlrl's message, or a node typed owl:Nothing."""

    message: str
    node: str | None = None
    label: str | None = None

    def __str__(self) -> str:
        if self.node is None:
            return self.message
        named = f'{self.node} "{self.label}"' if self.label else self.node
        return f"{named}: {self.message}"


class InconsistencyError(Exception):
    """The asserted graphs have no OWL 2 RL model; ``culprits`` says why."""

    def __init__(self, culprits: tuple[Culprit, ...]) -> None:
        self.culprits = culprits
        super().__init__("inconsistent: " + "; ".join(str(culprit) for culprit in culprits))


@dataclass(frozen=True)
class Inference:
    """Triples OWL 2 RL adds to the asserted ones (noise removed), for INFERRED_GRAPH."""

    graph: Graph
    dropped: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def reason(dataset: Dataset) -> Inference:
    """Materialize the OWL 2 RL closure of the union of ``dataset``'s graphs.

    Raises InconsistencyError listing owlrl's error messages and every owl:Nothing instance
    (OWL 2 RL rules cls-nothing2, cax-dw, prp-irp, ... all end there).
    """
    started = perf_counter()
    asserted, closure = Graph(), Graph()
    for subject, predicate, obj, _ in dataset.quads((None, None, None, None)):
        asserted.add((subject, predicate, obj))
    closure += asserted
    # A plain Graph, not a Dataset: rdflib's union-Dataset path is deprecated and slower.
    # Axiomatic and datatype axioms off: they only restate the OWL and XSD vocabularies.
    DeductiveClosure(OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(
        closure
    )
    culprits = find_culprits(closure)
    if culprits:
        raise InconsistencyError(culprits)
    kept = Graph(identifier=INFERRED_GRAPH)
    dropped: Counter[str] = Counter()
    for triple in closure:
        if triple in asserted:
            continue
        reason_dropped = next((name for name, rule in NOISE.items() if rule(triple)), None)
        if reason_dropped is None:
            kept.add(triple)
        else:
            dropped[reason_dropped] += 1
    return Inference(graph=kept, dropped=dict(dropped), seconds=perf_counter() - started)


def find_culprits(closure: Graph) -> tuple[Culprit, ...]:
    """Collect owlrl's recorded errors and the nodes typed owl:Nothing, sorted."""
    messages = sorted(
        str(message)
        for error in closure.subjects(RDF.type, ERRNS.ErrorMessage)
        for message in closure.objects(error, ERRNS.error)
    )
    culprits = [Culprit(message) for message in messages]
    for node in sorted(set(closure.subjects(RDF.type, OWL.Nothing)), key=str):
        label = closure.value(node, RDFS.label)
        culprits.append(
            Culprit(
                "is an instance of owl:Nothing, the empty class",
                node=str(node),
                label=None if label is None else str(label),
            )
        )
    return tuple(culprits)
