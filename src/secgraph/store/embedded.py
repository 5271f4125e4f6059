"""The store interface and the embedded pyoxigraph store; no sources, no HTTP.

``secgraph.store.remote.RemoteStore`` implements the same interface over the SPARQL 1.1
Protocol; what both read from or write into query text (dataset clauses, VALUES bindings)
comes from ``secgraph.sparql.text``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from rdflib import Dataset

from secgraph.namespaces import PREFIXES
from secgraph.sparql.gate import refuse_services
from secgraph.store.evaluation import MergedDatasets, evaluate, needs_merge, requested_dataset
from secgraph.terms import quads_to_oxigraph

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
Term = ox.NamedNode | ox.BlankNode | ox.Literal
Bindings = Mapping[str, Term]
"""Values for a query's variables, by name (no leading ?), applied before evaluation."""
DEFAULT_GRAPH = ""
"""Key of the default graph in ``graph_sizes()``."""


class Store(Protocol):
    """What the web layer and the CLI need from a store; every method is read-only."""

    @property
    def version(self) -> str:
        """Identifies the data: changes whenever the sources change."""
        ...

    @property
    def modified(self) -> datetime | None:
        """When the data last changed (the newest source file, the publication); None: unknown."""
        ...

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        bindings: Bindings | None = None,
    ) -> QueryResult:
        """Evaluate a SPARQL 1.1 query; raises SyntaxError (malformed) or ValueError (bad IRI).

        ``bindings`` fix variables to terms: the way to pass user input into a query without
        formatting it into the query text. The embedded store substitutes them (SEP-0007; a
        bound variable must appear in the SELECT projection), the remote one sends a VALUES
        block (``secgraph.sparql.text.with_values``)."""
        ...

    def named_graphs(self) -> list[str]:
        """Names of the named graphs, sorted."""
        ...

    def graph_sizes(self) -> dict[str, int]:
        """Triples per graph; the default graph, when not empty, under DEFAULT_GRAPH."""
        ...

    def dump(self, rdf_format: ox.RdfFormat, *, exclude_graphs: Sequence[str] = ()) -> bytes:
        """Serialize the data; graph-only formats get the merge of the graphs."""
        ...

    def before_fork(self) -> None:
        """Drop handles that must not cross a fork(); forked workers reopen their own."""
        ...

    def after_fork(self) -> None:
        """In a newly forked worker, before it serves: bring the data up to date."""
        ...


def serialize_quads(quads: Iterable[ox.Quad], rdf_format: ox.RdfFormat) -> bytes:
    """Write quads; a graph-only format gets the merge of their graphs (each triple once)."""
    if rdf_format.supports_datasets:
        return ox.serialize(quads, format=rdf_format, prefixes=PREFIXES) or b""
    triples = dict.fromkeys(quad.triple for quad in quads)  # merge graphs, keep order
    return ox.serialize(triples, format=rdf_format, prefixes=PREFIXES) or b""


@dataclass(frozen=True)
class DiskSnapshot:
    """An on-disk store directory that no process writes while it is read, and what it holds:
    query processes started from a fresh interpreter open it read-only (pyoxigraph leaves a
    read-only open beside a writing process undefined)."""

    path: Path
    version: str
    union_default_graph: bool


def marker_path(path: Path) -> Path:
    """The file beside an on-disk store that records which sources it was built from."""
    return path.with_name(path.name + ".fingerprint")


# With the union default graph, the default graph holds each triple of the named graphs once:
# SPARQL 1.1 Query §13.1 makes a default graph a set (an RDF merge), but pyoxigraph's
# use_default_graph_as_union yields a triple once per graph holding it, so a SUM or COUNT over
# the default graph would count facts two sources state twice. The copy is derived data: dumps,
# quads() and graph sizes leave it out.
_MATERIALIZE_UNION = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
# Recorded in the on-disk marker, so a store laid out otherwise is rebuilt, not reused.
_UNION_LAYOUT = "default-graph: union of the named graphs, materialized"


def _marker_text(version: str, union_default_graph: bool) -> str:
    return f"{version}\n{_UNION_LAYOUT}\n" if union_default_graph else version


class OxigraphStore:
    """An embedded pyoxigraph store, in memory or on disk.

    On disk, the build writes a marker file beside the store once loading is complete; a later
    process reuses the store when the marker matches (warm start) and opens it read-only.
    With ``union_default_graph``, the default graph is the set union of the named graphs,
    materialized when the store is loaded and kept so by ``replace_quads``.
    """

    def __init__(
        self,
        handle: ox.Store | None,
        *,
        path: Path | None = None,
        union_default_graph: bool = True,
        version: str = "",
        writable: bool = False,
        modified: datetime | None = None,
        materialized: bool = False,
    ) -> None:
        """``materialized``: ``handle``'s default graph already holds the union (from_quads)."""
        if handle is None and path is None:
            raise ValueError("an in-memory store needs its handle")
        self._handle, self._path = handle, path
        self._union, self._version = union_default_graph, version
        self._writable = writable
        self._read_only = False  # whether _handle was opened read-only by _db()
        self._merges = MergedDatasets()  # datasets of several default graphs (§13.2)
        self._generation = 0  # bumped by each replace_quads: a merge of older data is stale
        if handle is not None and union_default_graph and not materialized:
            # Writes into ``handle``: the caller hands the store over. Idempotent (a set).
            handle.update(_MATERIALIZE_UNION)
        self._modified = modified

    @classmethod
    def from_quads(
        cls,
        quads: Iterable[ox.Quad],
        *,
        path: Path | None = None,
        union_default_graph: bool = True,
        version: str = "",
        modified: datetime | None = None,
    ) -> OxigraphStore:
        """Load ``quads`` into a new store (replacing what an on-disk one held). With
        ``union_default_graph`` the default graph is the union of the named graphs: a triple
        only the default graph holds would be lost from dumps (ValueError)."""
        if path is None:
            handle = ox.Store()
            handle.extend(quads)
            if union_default_graph:
                _check_default_graph_is_union(handle)
            return cls(
                handle,
                union_default_graph=union_default_graph,
                version=version,
                modified=modified,
            )
        marker_path(path).unlink(missing_ok=True)  # no marker until loading is complete
        handle = ox.Store(str(path))
        handle.clear()
        if not union_default_graph:
            handle.bulk_extend(quads)
        else:
            # On disk, the union is loaded with the quads by the bulk loader, each triple also
            # given in the default graph (the store keeps each quad once: a set): an INSERT
            # would write the same quads again through a transaction, several times slower.
            own: list[ox.Quad] = []  # the input's own default-graph triples, checked after
            handle.bulk_extend(_with_union_copies(quads, own))
            _check_in_named_graphs(handle, own)
        store = cls(
            handle,
            path=path,
            union_default_graph=union_default_graph,
            version=version,
            modified=modified,
            materialized=True,
        )
        handle.flush()
        _write_atomically(marker_path(path), _marker_text(version, union_default_graph))
        return store

    @classmethod
    def from_dataset(
        cls,
        dataset: Dataset,
        *,
        path: Path | None = None,
        union_default_graph: bool = True,
        version: str = "",
        modified: datetime | None = None,
    ) -> OxigraphStore:
        """Load an rdflib Dataset, graph names and blank nodes preserved."""
        quads = quads_to_oxigraph(dataset.quads((None, None, None, None)))
        return cls.from_quads(
            quads,
            path=path,
            union_default_graph=union_default_graph,
            version=version,
            modified=modified,
        )

    @classmethod
    def reuse(
        cls,
        path: Path,
        *,
        version: str,
        union_default_graph: bool = True,
        modified: datetime | None = None,
    ) -> OxigraphStore | None:
        """Return the on-disk store at ``path`` if it was built from ``version``, else None."""
        marker = marker_path(path)
        expected = _marker_text(version, union_default_graph)
        if not (path.is_dir() and marker.is_file()) or marker.read_text() != expected:
            return None
        return cls(
            None,
            path=path,
            union_default_graph=union_default_graph,
            version=version,
            modified=modified,
        )

    @property
    def version(self) -> str:
        return self._version

    @property
    def modified(self) -> datetime | None:
        return self._modified

    def _db(self) -> ox.Store:
        if self._handle is None:
            if self._path is None:  # excluded by __init__
                raise RuntimeError("in-memory store lost its handle")
            if self._writable:  # the one writer process (see secgraph.write.writable)
                self._handle = ox.Store(str(self._path))
            else:
                # Read-only: a served store is never written; several workers may open it.
                self._handle = ox.Store.read_only(str(self._path))
                self._read_only = True
        return self._handle

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad of the store."""
        return self._quads(())

    def replace_quads(self, removed: Iterable[ox.Quad], added: Iterable[ox.Quad]) -> None:
        """Remove ``removed``, then add ``added`` in one transaction; needs ``writable``.

        The two steps are not one transaction: a caller that must survive a crash between
        them keeps its own record of what was applied (secgraph.write.writable does)."""
        if self._path is not None and not self._writable:
            raise PermissionError(f"the store at {self._path} was opened read-only")
        database = self._db()
        self._generation += 1
        removed, added = list(removed), list(added)
        for quad in removed:
            database.remove(quad)
        database.extend(added)
        if self._union:  # keep the default graph the union of the named graphs
            database.extend(_in_default_graph(quad) for quad in added)
            for quad in removed:
                held = database.quads_for_pattern(quad.subject, quad.predicate, quad.object)
                if not any(other.graph_name != ox.DefaultGraph() for other in held):
                    database.remove(_in_default_graph(quad))

    def before_fork(self) -> None:
        self.close()  # RocksDB handles and threads do not survive fork()

    def after_fork(self) -> None:
        return None  # read-only here: the data is the build's, already current

    @property
    def on_disk(self) -> bool:
        """Whether the data lives in an on-disk (RocksDB) store rather than in memory."""
        return self._path is not None

    def disk_snapshot(self) -> DiskSnapshot | None:
        """The directory query processes may open read-only: this on-disk store (served
        stores are never written); None in memory. A store open for writing has none."""
        if self._path is None:
            return None
        if self._writable:
            raise ValueError(f"the store at {self._path} is open for writing")
        if self._handle is not None and not self._read_only:
            self.close()  # the handle that loaded the store; reopened read-only when needed
        return DiskSnapshot(self._path, self._version, self._union)

    def close(self) -> None:
        """Release an on-disk store's handle (reopened read-only on next use); in-memory
        stores keep theirs, it is their data."""
        if self._path is not None:
            self._handle, self._read_only = None, False

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        bindings: Bindings | None = None,
    ) -> QueryResult:
        refuse_services(sparql)  # the engine would fetch a SERVICE's URL itself
        substitutions: (
            dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] | None
        )
        substitutions = (
            {ox.Variable(name): term for name, term in bindings.items()} if bindings else None
        )
        dataset = requested_dataset(sparql, default_graph_uris or (), named_graph_uris or ())
        if dataset is not None and needs_merge(dataset[0]):
            # SPARQL 1.1 Query §13.2: several default graphs make one, their RDF merge.
            key = (self._version, self._generation)
            return self._merges.query(self._db(), key, sparql, dataset, substitutions)
        if default_graph_uris or named_graph_uris:
            # SPARQL 1.1 Protocol §2.1.4: protocol graph IRIs override FROM / FROM NAMED.
            return evaluate(
                self._db(),
                sparql,
                default_graph=[ox.NamedNode(iri) for iri in default_graph_uris or ()],
                named_graphs=[ox.NamedNode(iri) for iri in named_graph_uris or ()],
                substitutions=substitutions,
            )
        # With the union default graph, the default graph already holds it (see _MATERIALIZE_UNION).
        return evaluate(self._db(), sparql, substitutions=substitutions)

    def named_graphs(self) -> list[str]:
        return sorted(str(graph.value) for graph in self._db().named_graphs())

    def graph_sizes(self) -> dict[str, int]:
        # Counted by the engine, graph by graph: iterating the quads would make a Python
        # object of each (1M triples: about a second more).
        database = self._db()
        sizes = {
            str(graph.value): _graph_size(database, graph)
            for graph in sorted(database.named_graphs(), key=lambda graph: graph.value)
        }
        if self._union:  # the default graph is derived from the named ones
            return sizes
        default = _count(database, _DEFAULT_GRAPH_SIZE)
        return {DEFAULT_GRAPH: default, **sizes} if default else sizes

    def dump(self, rdf_format: ox.RdfFormat, *, exclude_graphs: Sequence[str] = ()) -> bytes:
        return serialize_quads(self._quads(exclude_graphs), rdf_format)

    def _quads(self, exclude_graphs: Sequence[str]) -> Iterator[ox.Quad]:
        excluded: set[ox.NamedNode | ox.DefaultGraph] = {
            ox.NamedNode(name) for name in exclude_graphs
        }
        if self._union:
            excluded.add(ox.DefaultGraph())  # derived: the union of the named graphs
        for quad in self._db():
            if quad.graph_name not in excluded:
                yield quad


# The graph's IRI in its N-Triples form, which pyoxigraph writes escaped. Faster than binding
# ?g by substitution, which the engine applies after matching.
_GRAPH_SIZE = "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
_DEFAULT_GRAPH_SIZE = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"  # the stored default graph


def _graph_size(database: ox.Store, graph: ox.NamedNode | ox.BlankNode) -> int:
    if isinstance(graph, ox.NamedNode):
        return _count(database, _GRAPH_SIZE.format(graph=graph))
    # A blank node in a query is a variable: a graph named by one is counted quad by quad.
    return sum(1 for _ in database.quads_for_pattern(None, None, None, graph))


def _count(database: ox.Store, sparql: str) -> int:
    solutions = database.query(sparql)
    if not isinstance(solutions, ox.QuerySolutions):
        raise TypeError("a SELECT query must return solutions")
    return sum(int(row["n"].value) for row in solutions)


_ORPHAN = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } } LIMIT 1"


def _check_default_graph_is_union(handle: ox.Store) -> None:
    # Default-graph triples are welcome only as copies of named-graph ones (a store loaded
    # from another materialized store); a triple of its own would vanish from every dump.
    result = handle.query(_ORPHAN)
    for row in result if isinstance(result, ox.QuerySolutions) else ():
        raise ValueError(
            f"a triple only the default graph holds ({row['s']} {row['p']} ...): with the"
            " union default graph every triple must be in a named graph"
        )


def _with_union_copies(quads: Iterable[ox.Quad], own: list[ox.Quad]) -> Iterator[ox.Quad]:
    # Each quad, then its triple in the default graph; default-graph quads are set aside in
    # ``own``, for _check_in_named_graphs, as they are their own copy.
    default = ox.DefaultGraph()
    for quad in quads:
        yield quad
        if quad.graph_name == default:
            own.append(quad)
        else:
            yield ox.Quad(quad.subject, quad.predicate, quad.object, default)


def _check_in_named_graphs(handle: ox.Store, quads: Iterable[ox.Quad]) -> None:
    # _check_default_graph_is_union for a store loaded with its union: each of the input's own
    # default-graph triples must also be in some named graph.
    default = ox.DefaultGraph()
    for quad in quads:
        held = handle.quads_for_pattern(quad.subject, quad.predicate, quad.object)
        if not any(other.graph_name != default for other in held):
            raise ValueError(
                f"a triple only the default graph holds ({quad.subject} {quad.predicate} ...):"
                " with the union default graph every triple must be in a named graph"
            )


def _in_default_graph(quad: ox.Quad) -> ox.Quad:
    return ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph())


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text)
    partial.replace(path)
