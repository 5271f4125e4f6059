"""The dataset described in VoID and DCAT, from counts taken with SPARQL over the store; no HTTP.

Counts are over the union of every graph (asserted, inferred, ontology), each distinct triple
once; ``void:subset`` gives each named graph with its own count and source document, and a
``void:Linkset`` per other graph secgraph links to (VoID §4.4) counts its links.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import pyoxigraph as ox

from secgraph.describe.describe import graph_sources
from secgraph.describe.links import LINK_PREDICATES, LinkCount, count_links
from secgraph.namespaces import (
    DCAT,
    DCTERMS,
    GRAPH_STORE_PROTOCOL,
    IANA_MEDIA_TYPES,
    ID,
    RDF,
    SPARQL_PROTOCOL,
    VOID,
    XSD,
    sparql_prologue,
)
from secgraph.store.embedded import DEFAULT_GRAPH, Store

TITLE = "secgraph"
DESCRIPTION = (
    "An open knowledge graph of United States - Central America security cooperation: dialogues,"
    " agreements, programs and the states and organizations behind them, each fact traceable to"
    " the public document that states it."
)
_ALL = "{ GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o }"
_DISTINCT = "{ SELECT DISTINCT ?s ?p ?o WHERE { " + _ALL + " } }"
_TOTALS = f"""SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects)
  (COUNT(DISTINCT ?o) AS ?objects) WHERE {_DISTINCT}"""
_ENTITIES = f"""SELECT ?space (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  {_ALL} FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?space)) }} GROUP BY ?space"""
_CLASSES = """SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  { GRAPH ?g { ?s a ?class } } UNION { ?s a ?class } } GROUP BY ?class ORDER BY ?class"""
_PROPERTIES = f"SELECT ?p (COUNT(*) AS ?n) WHERE {_DISTINCT} GROUP BY ?p ORDER BY ?p"
_LICENSE = "SELECT ?license WHERE { ?ontology a owl:Ontology ; dcterms:license ?license }"


@dataclass(frozen=True)
class GraphCount:
    """One named graph: its triples and the source document it holds, if any."""

    graph: str
    triples: int
    source: str | None = None


@dataclass(frozen=True)
class Statistics:
    """What VoID counts, taken from the store once per data version."""

    triples: int
    entities: int
    distinct_subjects: int
    distinct_objects: int
    classes: dict[str, int] = field(default_factory=dict)
    """Class -> number of distinct instances."""
    properties: dict[str, int] = field(default_factory=dict)
    """Property -> number of distinct triples using it."""
    graphs: tuple[GraphCount, ...] = ()
    license: str | None = None
    links: tuple[LinkCount, ...] = ()
    """Links to other open-data graphs, per target and link predicate."""


@dataclass(frozen=True)
class Distribution:
    """A download: where, in which media type and format (``http://www.w3.org/ns/formats/``)."""

    url: str
    media_type: str
    format_iri: str
    title: str


@dataclass(frozen=True)
class Access:
    """Absolute URLs of this deployment: the VoID document, the endpoints and the downloads."""

    void: str
    sparql: str
    graph_store: str
    dumps: Sequence[Distribution] = ()


def count_dataset(store: Store) -> Statistics:
    """Count triples, entities (IRIs under ``id:``), subjects, objects, classes, properties."""
    [totals] = _select(store, _TOTALS)
    entities = _select(store, _ENTITIES, {"space": ox.Literal(str(ID))})
    sources = graph_sources(store)
    sizes = store.graph_sizes()
    license_rows = _select(store, _LICENSE)
    return Statistics(
        triples=_int(totals["triples"]),
        entities=_int(entities[0]["n"]) if entities else 0,
        distinct_subjects=_int(totals["subjects"]),
        distinct_objects=_int(totals["objects"]),
        classes={row["class"].value: _int(row["n"]) for row in _select(store, _CLASSES)},
        properties={row["p"].value: _int(row["n"]) for row in _select(store, _PROPERTIES)},
        graphs=tuple(
            GraphCount(name, size, sources[name].document if name in sources else None)
            for name, size in sorted(sizes.items())
            if name != DEFAULT_GRAPH
        ),
        license=license_rows[0]["license"].value if license_rows else None,
        links=tuple(count_links(store)),
    )


def vocabularies(stats: Statistics) -> list[str]:
    """Namespaces of the classes and properties in use: each term up to its last ``#`` or ``/``."""
    terms = [*stats.classes, *stats.properties]
    return sorted({term[: max(term.rfind("#"), term.rfind("/")) + 1] for term in terms})


def describe_dataset(stats: Statistics, access: Access, modified: datetime) -> list[ox.Triple]:
    """The dataset as void:Dataset and dcat:Dataset, with partitions, subsets, distributions."""
    dataset = ox.NamedNode(access.void + "#dataset")
    triples = _overview(dataset, stats, access, modified)
    triples += _partitions(dataset, stats)
    triples += _distributions(dataset, access)
    triples += _linksets(dataset, stats.links, access)
    # The dataset's own statements first, so that serializations state them in one block.
    return sorted(triples, key=lambda triple: triple.subject != dataset)


def _overview(
    dataset: ox.NamedNode, stats: Statistics, access: Access, modified: datetime
) -> list[ox.Triple]:
    about: list[tuple[object, ox.NamedNode | ox.Literal]] = [
        (RDF.type, _iri(VOID.Dataset)),
        (RDF.type, _iri(DCAT.Dataset)),
        (DCTERMS.title, ox.Literal(TITLE, language="en")),
        (DCTERMS.description, ox.Literal(DESCRIPTION, language="en")),
        (DCTERMS.modified, ox.Literal(modified.isoformat(), datatype=_iri(XSD.dateTime))),
        (VOID.uriSpace, ox.Literal(str(ID))),
        (VOID.sparqlEndpoint, ox.NamedNode(access.sparql)),
        (VOID.triples, _count(stats.triples)),
        (VOID.entities, _count(stats.entities)),
        (VOID.distinctSubjects, _count(stats.distinct_subjects)),
        (VOID.distinctObjects, _count(stats.distinct_objects)),
        (VOID.classes, _count(len(stats.classes))),
        (VOID.properties, _count(len(stats.properties))),
    ]
    if stats.license is not None:
        about.append((DCTERMS.license, ox.NamedNode(stats.license)))
    about += [(VOID.vocabulary, ox.NamedNode(namespace)) for namespace in vocabularies(stats)]
    about += [(VOID.dataDump, ox.NamedNode(dump.url)) for dump in access.dumps]
    features = dict.fromkeys(dump.format_iri for dump in access.dumps)
    about += [(VOID.feature, ox.NamedNode(feature)) for feature in features]
    return [ox.Triple(dataset, _iri(predicate), value) for predicate, value in about]


def _partitions(dataset: ox.NamedNode, stats: Statistics) -> list[ox.Triple]:
    triples: list[ox.Triple] = []
    for name, entities in stats.classes.items():
        part = ox.BlankNode()
        triples += [
            ox.Triple(dataset, _iri(VOID.classPartition), part),
            ox.Triple(part, _iri(VOID["class"]), ox.NamedNode(name)),
            ox.Triple(part, _iri(VOID.entities), _count(entities)),
        ]
    for name, count in stats.properties.items():
        part = ox.BlankNode()
        triples += [
            ox.Triple(dataset, _iri(VOID.propertyPartition), part),
            ox.Triple(part, _iri(VOID.property), ox.NamedNode(name)),
            ox.Triple(part, _iri(VOID.triples), _count(count)),
        ]
    for graph in stats.graphs:
        subset = ox.NamedNode(graph.graph)
        triples += [
            ox.Triple(dataset, _iri(VOID.subset), subset),
            ox.Triple(subset, _iri(RDF.type), _iri(VOID.Dataset)),
            ox.Triple(subset, _iri(VOID.triples), _count(graph.triples)),
        ]
        if graph.source is not None:
            triples.append(ox.Triple(subset, _iri(DCTERMS.source), ox.NamedNode(graph.source)))
    return triples


def _distributions(dataset: ox.NamedNode, access: Access) -> list[ox.Triple]:
    triples: list[ox.Triple] = []
    for dump in access.dumps:
        node = ox.NamedNode(f"{access.void}#dump-{dump.url.rsplit('/', 1)[-1]}")
        triples += [
            ox.Triple(dataset, _iri(DCAT.distribution), node),
            ox.Triple(node, _iri(RDF.type), _iri(DCAT.Distribution)),
            ox.Triple(node, _iri(DCTERMS.title), ox.Literal(dump.title, language="en")),
            ox.Triple(node, _iri(DCAT.downloadURL), ox.NamedNode(dump.url)),
            ox.Triple(node, _iri(DCAT.mediaType), _media_type(dump.media_type)),
            ox.Triple(node, _iri(DCTERMS["format"]), ox.NamedNode(dump.format_iri)),
        ]
    services = (
        ("sparql", "SPARQL endpoint", access.sparql, SPARQL_PROTOCOL),
        ("graph-store", "Graph Store Protocol (read)", access.graph_store, GRAPH_STORE_PROTOCOL),
    )
    for slug, title, url, standard in services:
        # DCAT 3 §6.7.5: dcat:accessService belongs to a distribution, which names the service.
        node, service = (ox.NamedNode(f"{access.void}#{slug}{tail}") for tail in ("", "-service"))
        label = ox.Literal(title, language="en")
        triples += [
            ox.Triple(dataset, _iri(DCAT.distribution), node),
            ox.Triple(node, _iri(RDF.type), _iri(DCAT.Distribution)),
            ox.Triple(node, _iri(DCTERMS.title), label),
            ox.Triple(node, _iri(DCAT.accessURL), ox.NamedNode(url)),
            ox.Triple(node, _iri(DCAT.accessService), service),
            ox.Triple(service, _iri(RDF.type), _iri(DCAT.DataService)),
            ox.Triple(service, _iri(DCTERMS.title), label),
            ox.Triple(service, _iri(DCAT.endpointURL), ox.NamedNode(url)),
            ox.Triple(service, _iri(DCAT.servesDataset), dataset),
            ox.Triple(service, _iri(DCTERMS.conformsTo), _iri(standard)),
        ]
    return triples


def _linksets(dataset: ox.NamedNode, links: Sequence[LinkCount], access: Access) -> list[ox.Triple]:
    """VoID §4.4: a linkset per target graph and link predicate, a subset of this dataset whose
    subjects are in it and objects in the target, described by the target's URI space."""
    triples: list[ox.Triple] = []
    for link in links:
        slug = link.target.lower()
        target = ox.NamedNode(f"{access.void}#{slug}")
        suffix = "" if link.predicate == LINK_PREDICATES[0] else "-" + _local(link.predicate)
        linkset = ox.NamedNode(f"{access.void}#linkset-{slug}{suffix}")
        triples += [
            ox.Triple(dataset, _iri(VOID.subset), linkset),
            ox.Triple(linkset, _iri(RDF.type), _iri(VOID.Linkset)),
            ox.Triple(linkset, _iri(VOID.subjectsTarget), dataset),
            ox.Triple(linkset, _iri(VOID.objectsTarget), target),
            ox.Triple(linkset, _iri(VOID.linkPredicate), ox.NamedNode(link.predicate)),
            ox.Triple(linkset, _iri(VOID.triples), _count(link.triples)),
            ox.Triple(target, _iri(RDF.type), _iri(VOID.Dataset)),
            ox.Triple(target, _iri(DCTERMS.title), ox.Literal(link.target, language="en")),
            ox.Triple(target, _iri(VOID.uriSpace), ox.Literal(link.uri_space)),
        ]
    return sorted(set(triples), key=str)


def _local(iri: str) -> str:
    return iri[max(iri.rfind("#"), iri.rfind("/")) + 1 :]


def _media_type(media_type: str) -> ox.NamedNode:
    return ox.NamedNode(str(IANA_MEDIA_TYPES) + media_type)


def _iri(term: object) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def _count(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_iri(XSD.integer))


def _int(term: object) -> int:
    if not isinstance(term, ox.Literal):
        raise TypeError(f"not a count: {term!r}")
    return int(term.value)


def _select(
    store: Store, query: str, bindings: dict[str, ox.Literal] | None = None
) -> list[ox.QuerySolution]:
    result = store.query(sparql_prologue() + query, bindings=bindings)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("a SELECT query must return solutions")
    return list(result)
