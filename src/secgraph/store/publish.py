"""Push a built dataset to a SPARQL server, one graph at a time, and verify what arrived; the only
module that writes to a server (RemoteStore reads).

Each graph is replaced whole: a Graph Store Protocol PUT (SPARQL 1.1 GSP §5.3), or, for a server
without one, one SPARQL Update request ``DROP SILENT GRAPH ; INSERT DATA``; either is one
transaction on Oxigraph and Fuseki. Blank nodes become skolem IRIs (RDF 1.1 Concepts §3.5)
first: each request has its own blank node scope, and the inferred graph speaks about blank
nodes of the asserted ones. The set union of the graphs goes into UNION_GRAPH, the default
graph the remote store queries: a server merging several default graphs itself counts a triple
once per graph holding it (SPARQL 1.1 Query §13.2 makes the merge a set). The build's version
goes last into PUBLICATION_GRAPH, and is taken out first, so that readers never take half a
publication for a finished one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import urljoin

import pyoxigraph as ox

from secgraph.namespaces import DCTERMS, GENID, GRAPH, OWL, PUBLICATION_GRAPH, UNION_GRAPH, XSD
from secgraph.sparql.client import Http
from secgraph.store.embedded import Store
from secgraph.store.remote import RemoteStore

_NT = "application/n-triples"
_PUBLICATION = str(PUBLICATION_GRAPH)
_UNION = str(UNION_GRAPH)


@dataclass(frozen=True)
class Endpoints:
    """Where a server takes queries, Graph Store Protocol requests and updates."""

    query: str
    graph_store: str
    update: str

    @classmethod
    def beside(
        cls, query: str, *, graph_store: str | None = None, update: str | None = None
    ) -> Endpoints:
        """Oxigraph's layout unless told otherwise: ``store`` and ``update`` beside ``query``
        (Fuseki's is ``/ds/query``, ``/ds/data``, ``/ds/update``: pass ``graph_store``)."""
        return cls(
            query, graph_store or urljoin(query, "store"), update or urljoin(query, "update")
        )


@dataclass(frozen=True)
class PublishReport:
    """What a publication wrote: triples per graph, stale graphs removed, the version, the
    triples of UNION_GRAPH (each triple of the graphs once)."""

    endpoints: Endpoints
    graphs: dict[str, int]
    removed: tuple[str, ...] = ()
    version: str = ""
    via: str = "gsp"
    union: int = 0

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


class PublishError(Exception):
    """The server's counts differ from the build's after publishing: graph -> (built, found)."""

    def __init__(self, differences: Mapping[str, tuple[int, int | None]]) -> None:
        self.differences = dict(differences)
        lines = [
            f"  {graph}: built {built}, server has {'none' if found is None else found}"
            for graph, (built, found) in sorted(self.differences.items())
        ]
        super().__init__("\n".join(["counts differ after publishing:", *lines]))


class GraphWriter(Protocol):
    """Replaces or removes one named graph on the server."""

    def put(self, graph: str, triples: Sequence[ox.Triple]) -> None: ...

    def delete(self, graph: str) -> None: ...


@dataclass(frozen=True)
class GraphStoreWriter:
    """SPARQL 1.1 Graph Store HTTP Protocol, indirect graph identification (``?graph=``)."""

    http: Http
    url: str

    def put(self, graph: str, triples: Sequence[ox.Triple]) -> None:
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        # §5.3: 201 Created for a new graph, 200 or 204 for a replaced one.
        self.http.send(
            "PUT",
            self.url,
            params={"graph": graph},
            data=body,
            headers={"Content-Type": _NT},
            expect=(200, 201, 204),
        )

    def delete(self, graph: str) -> None:
        # §5.4: 404 when there was no such graph, which is what we want.
        self.http.send("DELETE", self.url, params={"graph": graph}, expect=(200, 204, 404))


@dataclass(frozen=True)
class UpdateWriter:
    """SPARQL 1.1 Update via the protocol's direct POST (§2.2.2), one request per graph."""

    http: Http
    url: str

    def put(self, graph: str, triples: Sequence[ox.Triple]) -> None:
        name = str(ox.NamedNode(graph))  # N-Triples form: a validated IRI, never raw text
        body = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode()
        self._send(f"DROP SILENT GRAPH {name} ;\nINSERT DATA {{ GRAPH {name} {{\n{body}}} }}")

    def delete(self, graph: str) -> None:
        self._send(f"DROP SILENT GRAPH {ox.NamedNode(graph)}")

    def _send(self, update: str) -> None:
        headers = {"Content-Type": "application/sparql-update; charset=utf-8"}
        self.http.send("POST", self.url, data=update.encode(), headers=headers, expect=(200, 204))


def publish(
    store: Store, endpoints: Endpoints, *, via: str = "gsp", http: Http | None = None
) -> PublishReport:
    """Replace each named graph of ``store`` on the server, remove stale ``graph:`` graphs,
    verify the counts, then record the version. Raises RemoteError or PublishError."""
    http = http or Http()
    writer: GraphWriter = (
        GraphStoreWriter(http, endpoints.graph_store)
        if via == "gsp"
        else UpdateWriter(http, endpoints.update)
    )
    remote = RemoteStore(endpoints.query, refresh_seconds=0, http=http)
    graphs = skolemized_graphs(store)
    before = remote.named_graphs()
    writer.delete(_PUBLICATION)
    for name, triples in graphs.items():
        writer.put(name, triples)
    union = list(dict.fromkeys(triple for triples in graphs.values() for triple in triples))
    writer.put(_UNION, union)
    stale = tuple(name for name in before if name.startswith(str(GRAPH)) and name not in graphs)
    for name in stale:
        writer.delete(name)
    sizes = {name: len(triples) for name, triples in graphs.items()}
    verify_counts(remote, sizes)
    if (found := remote.graph_size(_UNION)) != len(union):
        raise PublishError({_UNION: (len(union), found)})
    writer.put(_PUBLICATION, publication_marker(store.version, tuple(graphs)))
    return PublishReport(endpoints, sizes, stale, store.version, via, len(union))


def skolemized_graphs(store: Store) -> dict[str, list[ox.Triple]]:
    """The named graphs of ``store``, blank nodes replaced by ``GENID`` IRIs of the same id."""
    dump = store.dump(ox.RdfFormat.N_QUADS)
    graphs: dict[str, list[ox.Triple]] = {}
    for quad in ox.parse(dump, format=ox.RdfFormat.N_QUADS):
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise ValueError(f"only named graphs can be published, not {quad}")
        triple = ox.Triple(_skolem(quad.subject), quad.predicate, _skolem(quad.object))  # type: ignore[arg-type]
        graphs.setdefault(quad.graph_name.value, []).append(triple)
    return graphs


def verify_counts(remote: Store, expected: Mapping[str, int]) -> None:
    """Raise PublishError unless every graph has its count and no other ``graph:`` graph is left."""
    found = remote.graph_sizes()
    differences: dict[str, tuple[int, int | None]] = {
        name: (count, found.get(name))
        for name, count in expected.items()
        if found.get(name) != count
    }
    for name, count in found.items():
        if name.startswith(str(GRAPH)) and name not in expected:
            differences[name] = (0, count)
    if differences:
        raise PublishError(differences)


def publication_marker(version: str, graphs: Sequence[str] = ()) -> list[ox.Triple]:
    """The content of PUBLICATION_GRAPH: the build's version, when it was published, and the
    graphs published (``dcterms:hasPart``): a server may hold graphs of its own besides them,
    e.g. Virtuoso's system graphs."""
    graph = ox.NamedNode(_PUBLICATION)
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    parts = ox.NamedNode(str(DCTERMS.hasPart))
    return [
        *(ox.Triple(graph, parts, ox.NamedNode(name)) for name in graphs),
        ox.Triple(graph, ox.NamedNode(str(OWL.versionInfo)), ox.Literal(version)),
        ox.Triple(
            graph,
            ox.NamedNode(str(DCTERMS.modified)),
            ox.Literal(now, datatype=ox.NamedNode(str(XSD.dateTime))),
        ),
    ]


def _skolem(term: object) -> object:
    return ox.NamedNode(str(GENID) + term.value) if isinstance(term, ox.BlankNode) else term
