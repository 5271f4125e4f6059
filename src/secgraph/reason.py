"""OWL 2 RL materialization of a copy of the asserted graphs, by owlrl (the reference) or by
the fast rules over the cached ontology closure; inferred triples kept apart; never validates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from time import perf_counter
from typing import Literal as Choice

import pyoxigraph as ox
from owlrl import DeductiveClosure, OWLRL_Semantics
from owlrl.DatatypeHandling import AltXSDToPYTHON
from owlrl.Namespaces import ERRNS
from owlrl.XsdDatatypes import OWL_RL_Datatypes
from rdflib import BNode, Dataset, Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from secgraph.namespaces import INFERRED_GRAPH, ONTOLOGY_GRAPH
from secgraph.noise import NOISE, Triple, noise_reason
from secgraph.rules import ContradictionError, UnsupportedSchemaError, materialize
from secgraph.terms import graph_name_to_oxigraph, to_oxigraph, to_rdflib

__all__ = ["NOISE", "Culprit", "InconsistencyError", "Inference", "Reasoner", "reason"]

Reasoner = Choice["owlrl", "fast"]


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
    """Triples OWL 2 RL adds to the asserted ones (noise removed), for INFERRED_GRAPH.

    ``reasoner`` says which engine produced them and, when the fast rules stepped aside for
    owlrl, ``fallback`` says why.
    """

    graph: Graph
    dropped: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    reasoner: str = "owlrl"
    fallback: str | None = None


def reason(
    dataset: Dataset,
    *,
    reasoner: Reasoner = "owlrl",
    ontology_closure: Sequence[ox.Triple] | None = None,
) -> Inference:
    """Materialize the OWL 2 RL closure of the union of ``dataset``'s graphs.

    ``reasoner="fast"`` runs secgraph.rules over ``ontology_closure`` (what owlrl adds to
    ONTOLOGY_GRAPH alone); it steps aside for owlrl when the schema uses a construct the rules do
    not cover and for the report when the graph is inconsistent, so both give the same answer.

    Raises InconsistencyError listing owlrl's error messages and every owl:Nothing instance
    (OWL 2 RL rules cls-nothing2, cax-dw, prp-irp, ... all end there).
    """
    started = perf_counter()
    fallback = None
    if reasoner == "fast":
        if ontology_closure is None:
            raise ValueError("the fast reasoner needs the ontology closure")
        try:
            kept, dropped = _reason_fast(dataset, ontology_closure)
            return Inference(kept, dropped, perf_counter() - started, reasoner="fast")
        except (UnsupportedSchemaError, ContradictionError) as error:
            fallback = f"{type(error).__name__}: {error}"
    kept, dropped = _reason_owlrl(dataset)
    return Inference(kept, dropped, perf_counter() - started, fallback=fallback)


def _reason_owlrl(dataset: Dataset) -> tuple[Graph, dict[str, int]]:
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
    return _keep_informative(triple for triple in closure if triple not in asserted)


def _reason_fast(
    dataset: Dataset, ontology_closure: Sequence[ox.Triple]
) -> tuple[Graph, dict[str, int]]:
    bnodes: dict[Node, ox.BlankNode] = {}
    quads = (
        ox.Quad(*_triple_to_oxigraph((s, p, o), bnodes), graph_name_to_oxigraph(g, bnodes))
        for s, p, o, g in dataset.quads((None, None, None, None))
    )
    inferred = list(materialize(quads, ontology_closure, str(ONTOLOGY_GRAPH)))
    # dt-not-type (OWL 2 Profiles §4.3 Table 8), checked the way owlrl checks it.
    if any(_ill_typed(obj) for _, _, obj, _ in dataset.quads((None, None, None, None))):
        raise ContradictionError("dt-not-type")
    back = {converted.value: node for node, converted in bnodes.items() if isinstance(node, BNode)}
    return _keep_informative(
        (to_rdflib(t.subject, back), to_rdflib(t.predicate, back), to_rdflib(t.object, back))
        for t in inferred
    )


def _triple_to_oxigraph(
    triple: Triple, bnodes: dict[Node, ox.BlankNode]
) -> tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]:
    subject, predicate, obj = (to_oxigraph(term, bnodes) for term in triple)
    if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
        raise ValueError(f"not a valid RDF triple: {triple}")
    return subject, predicate, obj


def _keep_informative(triples: Iterable[Triple]) -> tuple[Graph, dict[str, int]]:
    kept = Graph(identifier=INFERRED_GRAPH)
    dropped: Counter[str] = Counter()
    for triple in triples:
        reason_dropped = noise_reason(triple)
        if reason_dropped is None:
            kept.add(triple)
        else:
            dropped[reason_dropped] += 1
    return kept, dict(dropped)


def _ill_typed(term: Node) -> bool:
    if not isinstance(term, Literal) or term.datatype not in OWL_RL_Datatypes:
        return False
    try:
        AltXSDToPYTHON.get(term.datatype, str)(str(term))
    except ValueError:
        return True
    return False


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
