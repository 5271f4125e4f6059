"""OWL 2 RL materialization of a copy of the asserted graphs, by owlrl (the reference) or by
the fast rules over the cached ontology closure; inferred triples kept apart; never validates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from time import perf_counter
from typing import Literal as Choice
from typing import TypeVar

import pyoxigraph as ox
from owlrl import DeductiveClosure, OWLRL_Semantics
from owlrl.Namespaces import ERRNS
from rdflib import Dataset, Graph
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from secgraph.build.noise import NOISE, noise_reason, noise_reason_of
from secgraph.build.rules import ContradictionError, UnsupportedSchemaError, materialize, to_triples
from secgraph.namespaces import INFERRED_GRAPH, ONTOLOGY_GRAPH
from secgraph.terms import (
    dataset_from_quads,
    graph_from_triples,
    graph_name_to_oxigraph,
    triple_to_oxigraph,
)

__all__ = ["NOISE", "Culprit", "InconsistencyError", "Inference", "Reasoner", "reason"]

Reasoner = Choice["owlrl", "fast"]
_T = TypeVar("_T", tuple[str, str, str], tuple[Node, Node, Node])


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

    ``triples`` are pyoxigraph triples; ``graph`` is the same as an rdflib Graph, built on first
    use. Blank nodes keep their labels in both, as in load.LoadedSources.

    ``reasoner`` says which engine produced them and, when the fast rules stepped aside for
    owlrl, ``fallback`` says why.
    """

    triples: tuple[ox.Triple, ...]
    dropped: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    reasoner: str = "owlrl"
    fallback: str | None = None

    @cached_property
    def graph(self) -> Graph:
        """The inferred triples as an rdflib Graph named INFERRED_GRAPH."""
        return graph_from_triples(self.triples, identifier=INFERRED_GRAPH)


def reason(
    asserted: Sequence[ox.Quad] | Dataset,
    *,
    reasoner: Reasoner = "owlrl",
    ontology_closure: Sequence[ox.Triple] | None = None,
) -> Inference:
    """Materialize the OWL 2 RL closure of the union of the ``asserted`` quads (or Dataset).

    ``reasoner="fast"`` runs secgraph.build.rules over ``ontology_closure`` (what owlrl adds to
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
        quads = _quads(asserted)
        try:
            kept, dropped = _reason_fast(quads, ontology_closure)
            return Inference(kept, dropped, perf_counter() - started, reasoner="fast")
        except (UnsupportedSchemaError, ContradictionError) as error:
            fallback = f"{type(error).__name__}: {error}"
    dataset = asserted if isinstance(asserted, Dataset) else dataset_from_quads(asserted)
    kept, dropped = _reason_owlrl(dataset)
    return Inference(kept, dropped, perf_counter() - started, fallback=fallback)


def _quads(asserted: Sequence[ox.Quad] | Dataset) -> Sequence[ox.Quad]:
    if not isinstance(asserted, Dataset):
        return asserted
    # Blank nodes keep their labels: the inferences name the Dataset's own blank nodes.
    quads = []
    for s, p, o, g in asserted.quads((None, None, None, None)):
        triple = triple_to_oxigraph((s, p, o))
        name = graph_name_to_oxigraph(g, {})
        quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, name))
    return quads


def _reason_owlrl(dataset: Dataset) -> tuple[tuple[ox.Triple, ...], dict[str, int]]:
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
    new = (triple for triple in closure if triple not in asserted)
    kept, dropped = _keep_informative(new, noise_reason)
    return tuple(triple_to_oxigraph(triple) for triple in kept), dropped


def _reason_fast(
    quads: Sequence[ox.Quad], ontology_closure: Sequence[ox.Triple]
) -> tuple[tuple[ox.Triple, ...], dict[str, int]]:
    inferred = materialize(quads, ontology_closure, str(ONTOLOGY_GRAPH))
    kept, dropped = _keep_informative(inferred, noise_reason_of)
    return tuple(to_triples(kept)), dropped


def _keep_informative(
    triples: Iterable[_T], noise: Callable[[_T], str | None]
) -> tuple[list[_T], dict[str, int]]:
    kept: list[_T] = []
    dropped: Counter[str] = Counter()
    for triple in triples:
        reason_dropped = noise(triple)
        if reason_dropped is None:
            kept.append(triple)
        else:
            dropped[reason_dropped] += 1
    return kept, dict(dropped)


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
