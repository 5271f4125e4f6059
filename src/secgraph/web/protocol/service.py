"""The SPARQL 1.1 Service Description of /sparql, generated from the live store; no HTTP.

SPARQL 1.1 Service Description §2: a GET on the endpoint without a query string answers this
RDF graph, in the vocabulary of §3. Counts come from the store on each call, so the description
never drifts from the data.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from secgraph.namespaces import ENTAILMENT, OWL_PROFILE, PREFIXES, RDF, RDFS, SD, SH, VOID, XSD
from secgraph.store.embedded import DEFAULT_GRAPH, Store
from secgraph.web.protocol.negotiation import ALL_FORMATS

_DISTINCT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
SD_PREFIXES = {"sd": str(SD), "ent": str(ENTAILMENT), "void": str(VOID), "sh": str(SH)}
"""Prefixes for serializing a description."""

Subject = ox.NamedNode | ox.BlankNode


@dataclass(frozen=True)
class Deployment:
    """What the description states that the store cannot tell."""

    endpoint: str
    """Absolute URL of the endpoint (sd:endpoint)."""
    union_default_graph: bool
    """The default graph is the union of all graphs (sd:UnionDefaultGraph)."""
    reasoned: bool
    """The graphs hold the OWL 2 RL closure (the project build), not a file served as-is."""
    federation_allowlist: tuple[str, ...] = ()
    """Endpoints SERVICE may reach (the federation_allowlist setting); none: SERVICE is refused."""


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(str(value))


def describe_service(store: Store, deployment: Deployment) -> list[ox.Triple]:
    """The sd:Service description of ``store`` served as ``deployment`` says."""
    service = ox.BlankNode()
    triples = [
        ox.Triple(service, _iri(RDF.type), _iri(SD.Service)),
        ox.Triple(service, _iri(SD.endpoint), ox.NamedNode(deployment.endpoint)),
        ox.Triple(service, _iri(SD.supportedLanguage), _iri(SD.SPARQL11Query)),
    ]
    triples += [
        ox.Triple(service, _iri(SD.resultFormat), _iri(f.iri)) for f in ALL_FORMATS if f.iri
    ]
    # §3 (sd:UnionDefaultGraph): only when the default graph really is the union of the graphs.
    if deployment.union_default_graph:
        triples.append(ox.Triple(service, _iri(SD.feature), _iri(SD.UnionDefaultGraph)))
    triples += _federation(service, deployment.federation_allowlist)
    triples += _entailment(service, deployment)
    triples += _predeclared_prefixes(service)
    dataset = ox.BlankNode()
    triples.append(ox.Triple(service, _iri(SD.defaultDataset), dataset))
    triples += _dataset(store, dataset, deployment)
    return triples


def _predeclared_prefixes(service: ox.BlankNode) -> list[ox.Triple]:
    # Every query may use these prefixes undeclared (a PREFIX of its own wins), stated in the
    # prefix declaration terms of SHACL §5.2.1 (sh:declare, sh:prefix, sh:namespace), the
    # vocabulary RDF tools already read prefixes from.
    triples = []
    for name, iri in PREFIXES.items():
        declaration = ox.BlankNode()
        triples += [
            ox.Triple(service, _iri(SH.declare), declaration),
            ox.Triple(declaration, _iri(SH.prefix), ox.Literal(name)),
            ox.Triple(declaration, _iri(SH.namespace), ox.Literal(iri, datatype=_iri(XSD.anyURI))),
        ]
    return triples


def _federation(service: ox.BlankNode, allowlist: tuple[str, ...]) -> list[ox.Triple]:
    # §3 (sd:BasicFederatedQuery, SPARQL 1.1 Federated Query): claimed only when SERVICE can reach
    # something; the vocabulary has no term for an allowlist, so a note names the endpoints.
    if not allowlist:
        return []
    note = "SERVICE reaches only these endpoints; any other is refused (403): " + ", ".join(
        sorted(allowlist)
    )
    return [
        ox.Triple(service, _iri(SD.feature), _iri(SD.BasicFederatedQuery)),
        ox.Triple(service, _iri(RDFS.comment), ox.Literal(note, language="en")),
    ]


def _entailed(deployment: Deployment) -> bool:
    # The OWL 2 RL closure lives in its own graph, so only the union default graph is closed.
    return deployment.reasoned and deployment.union_default_graph


def _entailment(service: ox.BlankNode, deployment: Deployment) -> list[ox.Triple]:
    # §3 (sd:defaultEntailmentRegime, sd:defaultSupportedEntailmentProfile) and SPARQL 1.1
    # Entailment Regimes (OWL 2 RDF-Based Semantics regime): the default graph holds the OWL 2 RL
    # closure, so basic graph patterns match what that profile entails (less the triples
    # reason.NOISE drops, which hold for every node).
    if not _entailed(deployment):
        return [ox.Triple(service, _iri(SD.defaultEntailmentRegime), _iri(ENTAILMENT.Simple))]
    return [
        ox.Triple(service, _iri(SD.defaultEntailmentRegime), _iri(ENTAILMENT["OWL-RDF-Based"])),
        ox.Triple(service, _iri(SD.defaultSupportedEntailmentProfile), _iri(OWL_PROFILE.RL)),
    ]


def _dataset(store: Store, dataset: ox.BlankNode, deployment: Deployment) -> Iterator[ox.Triple]:
    yield ox.Triple(dataset, _iri(RDF.type), _iri(SD.Dataset))
    default = ox.BlankNode()
    yield ox.Triple(dataset, _iri(SD.defaultGraph), default)
    yield from _graph(default, _count_default_graph(store))
    for name, size in store.graph_sizes().items():
        if name == DEFAULT_GRAPH:
            continue
        try:
            iri = ox.NamedNode(name)
        except ValueError:  # a blank-node graph name: sd:name takes an IRI
            continue
        named, graph = ox.BlankNode(), ox.BlankNode()
        yield ox.Triple(dataset, _iri(SD.namedGraph), named)
        yield ox.Triple(named, _iri(RDF.type), _iri(SD.NamedGraph))
        yield ox.Triple(named, _iri(SD.name), iri)
        if _entailed(deployment):
            # §3 (sd:entailmentRegime): a graph whose regime differs from the service default
            # says so; each named graph holds its asserted (or inferred) triples only.
            yield ox.Triple(named, _iri(SD.entailmentRegime), _iri(ENTAILMENT.Simple))
        yield ox.Triple(named, _iri(SD.graph), graph)
        yield from _graph(graph, size)


def _graph(node: Subject, triples: int) -> list[ox.Triple]:
    return [
        ox.Triple(node, _iri(RDF.type), _iri(SD.Graph)),
        ox.Triple(node, _iri(VOID.triples), ox.Literal(triples)),
    ]


def _count_default_graph(store: Store) -> int:
    # DISTINCT: a triple stated in two graphs is one triple of their union (RDF 1.1 Semantics
    # §5.2 merge), but the engine's union default graph yields it once per graph.
    result = store.query(_DISTINCT_TRIPLES)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("a SELECT query must return solutions")
    count = next(iter(result))["n"]
    return int(count.value) if count is not None else 0
