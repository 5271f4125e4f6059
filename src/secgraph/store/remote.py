"""RemoteStore: the Store interface over another server's SPARQL 1.1 Protocol endpoint (Oxigraph,
Fuseki, GraphDB, Virtuoso, QLever); read-only, it never writes to the server.

What the embedded store does in-process, this one asks the server:
- the dataset: with ``union_default_graph``, every query names its dataset with protocol
  parameters (§2.1.4): ``default-graph-uri`` = ``UNION_GRAPH``, the set union ``secgraph
  publish`` writes (a server merging several default graphs counts a triple once per graph),
  ``named-graph-uri`` = each graph, whatever the server's own configuration;
- what a server cannot answer as the embedded store does (a default graph of several graphs,
  §13.2; a function it does not know, §17.6) is answered by an embedded store holding a copy of
  the graphs the request names, kept per version;
- bindings: a VALUES block of N-Triples terms (``sparql.text.with_values``), never raw text;
- blank nodes: ``secgraph publish`` writes them as skolem IRIs (``GENID``); answers turn those
  back into blank nodes, blank-node bindings into those IRIs (so a blank node seen in one
  answer can be asked about in the next) and ``isBlank``/``isIRI`` tests see them as blank;
- version: the build fingerprint ``secgraph publish`` stores in ``PUBLICATION_GRAPH``; without
  it, a hash of the graphs' triple counts. Re-read at most every ``refresh_seconds``.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import pyoxigraph as ox

from secgraph.namespaces import DCTERMS, GENID, OWL, PUBLICATION_GRAPH, UNION_GRAPH
from secgraph.sparql.client import Answer, FormData, Http, RemoteError
from secgraph.sparql.gate import refuse_services
from secgraph.sparql.text import (
    function_calls,
    has_dataset_clause,
    lowercase_booleans,
    result_kind,
    simple_group_concat,
    with_values,
)
from secgraph.store.embedded import (
    DEFAULT_GRAPH,
    Bindings,
    OxigraphStore,
    QueryResult,
    serialize_quads,
)
from secgraph.store.evaluation import needs_merge, requested_dataset

_GENID = str(GENID)
_PUBLICATION = str(PUBLICATION_GRAPH)
_UNION = str(UNION_GRAPH)
_DERIVED = frozenset({_PUBLICATION, _UNION})  # the publication's own graphs, not the data's
# Results formats first; for graphs, N-Triples is the simplest to parse exactly.
_ACCEPT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8"
)
_FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": _ACCEPT}
# By query form: Virtuoso answers a CONSTRUCT in a results format when one is acceptable.
_ACCEPT_RDF = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8"
_ACCEPT_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
# Virtuoso answers an ASK in results JSON as one row binding this variable to 1 or 0.
_VIRTUOSO_ASK = "__ASK_RETVAL"
_GRAPHS = "SELECT ?g WHERE { GRAPH ?g { } }"
# Virtuoso answers the empty pattern above with one row binding nothing: graphs by their triples.
_GRAPHS_BY_TRIPLES = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_PARTS = (
    f"SELECT ?g WHERE {{ GRAPH <{_PUBLICATION}> {{ <{_PUBLICATION}> <{DCTERMS.hasPart}> ?g }} }}"
)
_VERSION = (
    f"SELECT ?v ?m WHERE {{ GRAPH <{_PUBLICATION}> {{ <{_PUBLICATION}> <{OWL.versionInfo}> ?v "
    f"OPTIONAL {{ <{_PUBLICATION}> <{DCTERMS.modified}> ?m }} }} }}"
)
_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_DEFAULT_SIZE = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_GRAPH_QUADS = "SELECT ?s ?p ?o ?g WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} }}"
_GRAPH_SIZE = "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
# Oxigraph's refusal of a function it does not know (as pyoxigraph words it).
_UNSUPPORTED = re.compile(
    r"custom function <[^<>\s]*> is not supported"  # Oxigraph, as pyoxigraph words it
    r"|Error SR185: Undefined procedure"  # Virtuoso
)
_QUADS_AND_DEFAULT = "SELECT ?s ?p ?o ?g WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } }"
_XML_GENID = re.compile(rb"<uri>\s*" + re.escape(_GENID.encode()) + rb"([A-Za-z0-9_-]+)\s*</uri>")


@dataclass(frozen=True)
class _State:
    """What is re-read at most every ``refresh_seconds``: the version and the graph names."""

    read_at: float
    version: str
    graphs: tuple[str, ...]
    modified: datetime | None = None
    union: bool = False  # whether the server holds UNION_GRAPH


class RemoteStore:
    """A SPARQL 1.1 Protocol endpoint as a Store; ``query_url`` is its query endpoint."""

    def __init__(
        self,
        query_url: str,
        *,
        union_default_graph: bool = True,
        refresh_seconds: float = 5.0,
        http: Http | None = None,
    ) -> None:
        self.query_url, self._union = query_url, union_default_graph
        self._refresh, self._http = refresh_seconds, http or Http()
        self._state: _State | None = None
        self._copies: dict[tuple[str, tuple[str, ...]], OxigraphStore] = {}

    @property
    def version(self) -> str:
        return self._current().version

    @property
    def modified(self) -> datetime | None:
        """When ``secgraph publish`` wrote the data (dcterms:modified); None if it did not."""
        return self._current().modified

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        bindings: Bindings | None = None,
    ) -> QueryResult:
        refuse_services(sparql)  # the server behind would fetch a SERVICE's URL from its host
        defaults, named = default_graph_uris or (), named_graph_uris or ()
        for iri in (*defaults, *named):
            ox.NamedNode(iri)  # ValueError for an invalid IRI, as the embedded store raises
        dataset = requested_dataset(sparql, defaults, named)
        if dataset is None and self._union and not self._current().union:
            # Published without UNION_GRAPH: the server would count a triple once per graph.
            return self._copy(self._current().graphs).query(sparql, bindings=bindings)
        if dataset is not None and needs_merge(dataset[0]):  # §13.2: their RDF merge
            copy = self._copy((*dataset[0], *dataset[1]))
            return copy.query(
                sparql, default_graph_uris=defaults, named_graph_uris=named, bindings=bindings
            )
        text = with_values(sparql, _skolemized(bindings)) if bindings else sparql
        # As the embedded store evaluates them (secgraph.store.evaluation): §18.5.1.7, §19.8.
        text = skolem_aware(simple_group_concat(lowercase_booleans(text) or text))
        try:
            return self._ask(text, self._dataset(sparql, defaults, named))
        except (SyntaxError, RemoteError) as error:  # Oxigraph: a 500 naming the function
            if not (_UNSUPPORTED.search(str(error)) and (self._union or dataset is not None)):
                raise
        # §17.6: an unknown function is an expression error, which the embedded store applies.
        graphs = self._current().graphs if dataset is None else (*dataset[0], *dataset[1])
        return self._copy(graphs).query(
            sparql, default_graph_uris=defaults, named_graph_uris=named, bindings=bindings
        )

    def named_graphs(self) -> list[str]:
        return sorted(self._current().graphs)

    def graph_sizes(self) -> dict[str, int]:
        return self._graph_sizes(self._current().graphs)

    def _graph_sizes(self, graphs: Iterable[str]) -> dict[str, int]:
        graphs = set(graphs)
        sizes = {
            row["g"].value: int(row["n"].value)
            for row in self._select(_SIZES)
            if row["g"].value in graphs
        }
        if not self._union:  # otherwise the server's own default graph is not queried
            default = int(next(iter(self._select(_DEFAULT_SIZE)))["n"].value)
            if default:
                sizes[DEFAULT_GRAPH] = default
        return dict(sorted(sizes.items()))

    def dump(self, rdf_format: ox.RdfFormat, *, exclude_graphs: Sequence[str] = ()) -> bytes:
        kept = set(self._current().graphs) - set(exclude_graphs)
        # One query for all graphs: blank nodes keep their identity across graphs.
        rows = self._select(_QUADS if self._union else _QUADS_AND_DEFAULT)
        return serialize_quads(_quads(rows, kept), rdf_format)

    def before_fork(self) -> None:
        self._http.close()

    def after_fork(self) -> None:
        return None  # the server's data is read fresh on each request

    def close(self) -> None:
        """Close pooled connections; the next request opens new ones."""
        self._http.close()

    def _current(self) -> _State:
        state = self._state
        if state is None or time.monotonic() - state.read_at >= self._refresh:
            listed = self._listed_graphs()
            parts = sorted(row["g"].value for row in self._select(_PARTS))
            # The graphs the publication names; else every graph but the derived ones.
            graphs = tuple(parts or (name for name in listed if name not in _DERIVED))
            rows = list(self._select(_VERSION))
            version = (
                rows[0]["v"].value if len(rows) == 1 else _sizes_version(self._graph_sizes(graphs))
            )
            modified = _published_at(rows[0]["m"]) if len(rows) == 1 else None
            union = _UNION in listed
            state = self._state = _State(time.monotonic(), version, graphs, modified, union)
        return state

    def _listed_graphs(self) -> list[str]:
        rows = list(self._select(_GRAPHS))
        if any(row["g"] is None for row in rows):
            rows = list(self._select(_GRAPHS_BY_TRIPLES))
        return [row["g"].value for row in rows if row["g"] is not None]

    def graph_size(self, graph: str) -> int:
        """Triples of one graph on the server, whatever its name (UNION_GRAPH included)."""
        rows = self._select(_GRAPH_SIZE.format(graph=ox.NamedNode(graph)))
        return sum(int(row["n"].value) for row in rows)

    def _copy(self, graphs: Sequence[str]) -> OxigraphStore:
        key = (self.version, tuple(sorted(set(graphs))))
        found = self._copies.get(key)
        if found is None:
            names = " ".join(str(ox.NamedNode(iri)) for iri in key[1])
            rows = self._select(_GRAPH_QUADS.format(graphs=names)) if names else ()
            # One query for all graphs: blank nodes keep their identity across graphs.
            found = OxigraphStore.from_quads(
                _quads(rows, set(key[1])), union_default_graph=True, version=self.version
            )
            self._copies = {key: found}  # the latest copy only: each may be the whole dataset
        return found

    def _dataset(
        self, sparql: str, default_graphs: Sequence[str], named_graphs: Sequence[str]
    ) -> FormData:
        if not (default_graphs or named_graphs):
            if not self._union or has_dataset_clause(sparql):
                return []  # the server's dataset, or the query's own FROM (§2.1.4 otherwise)
            default_graphs, named_graphs = (_UNION,), self._current().graphs
        return [
            *(("default-graph-uri", iri) for iri in default_graphs),
            *(("named-graph-uri", iri) for iri in named_graphs),
        ]

    def _ask(self, sparql: str, dataset: FormData) -> QueryResult:
        kind = result_kind(sparql)
        accept = _ACCEPT_RDF if kind == "graph" else _ACCEPT if kind is None else _ACCEPT_RESULTS
        try:
            answer = self._http.send(
                "POST",
                self.query_url,
                data=[("query", sparql), *dataset],
                headers={**_FORM, "Accept": accept},
            )
        except RemoteError as error:
            if error.status == 400:  # SPARQL 1.1 Protocol §2.1.7: a malformed query
                # The server's own message (Oxigraph's has the position, as pyoxigraph's
                # does), not our request line: the web layer shows it to the client.
                raise SyntaxError(error.body or str(error)) from None
            raise
        result = _parse(answer, self.query_url)
        if kind == "boolean" and isinstance(result, ox.QuerySolutions):
            return _as_boolean(result)
        return result

    def _select(self, sparql: str) -> ox.QuerySolutions:
        result = self._ask(sparql, [])
        if not isinstance(result, ox.QuerySolutions):
            raise RemoteError("POST", self.query_url, "answered a SELECT query without solutions")
        return result


def skolem_aware(sparql: str) -> str:
    """Make ``isBlank(E)`` true and ``isIRI(E)``/``isURI(E)`` false for skolem IRIs, as they
    are for the blank nodes those IRIs stand for (SPARQL 1.1 Query §17.4.2.1-2)."""
    calls = function_calls(sparql, "isBlank", "isIRI", "isURI")
    if calls is None:
        raise SyntaxError("unbalanced parentheses in the query")
    for call in reversed(calls):  # from the last: earlier positions stay valid
        argument = sparql[call.argument]
        skolem = f'(isIRI({argument}) && STRSTARTS(STR({argument}), "{_GENID}"))'
        if call.name.lower() == "isblank":
            replacement = f"(isBlank({argument}) || {skolem})"
        else:
            replacement = f"(isIRI({argument}) && !{skolem})"
        sparql = sparql[: call.start] + replacement + sparql[call.end :]
    return sparql


def _parse(answer: Answer, url: str) -> QueryResult:
    results_format = ox.QueryResultsFormat.from_media_type(answer.media_type)
    if results_format is not None:
        body = _deskolemize_results(answer.body, results_format)
        return ox.parse_query_results(body, results_format)
    rdf_format = ox.RdfFormat.from_media_type(answer.media_type)
    if rdf_format is None:
        problem = f"answered {answer.media_type or 'no media type'}, neither results nor RDF"
        raise RemoteError("POST", url, problem)
    return _as_query_triples(ox.parse(answer.body, rdf_format))


def _as_boolean(solutions: ox.QuerySolutions) -> ox.QueryBoolean:
    """Virtuoso's ASK answer (one row, ``__ASK_RETVAL`` 1 or 0) as the boolean it stands for."""
    names = [variable.value for variable in solutions.variables]
    rows = list(solutions)
    if names != [_VIRTUOSO_ASK] or len(rows) > 1:
        raise TypeError("an ASK query must return a boolean")
    value = bool(rows) and rows[0][0] is not None and rows[0][0].value in ("1", "true")
    document = json.dumps({"head": {}, "boolean": value}).encode()
    result = ox.parse_query_results(document, ox.QueryResultsFormat.JSON)
    if not isinstance(result, ox.QueryBoolean):
        raise TypeError("a boolean results document must parse as one")
    return result


def _as_query_triples(quads: Iterable[ox.Quad]) -> ox.QueryTriples:
    # QueryTriples has no constructor: a scratch store hands the triples back as one.
    scratch = ox.Store()
    default = ox.DefaultGraph()
    scratch.extend(
        ox.Quad(_term(q.subject), q.predicate, _term(q.object), default)  # type: ignore[arg-type]
        for q in quads
    )
    result = scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
    if not isinstance(result, ox.QueryTriples):
        raise TypeError("a CONSTRUCT query must return triples")
    return result


def _quads(rows: Iterable[ox.QuerySolution], kept: set[str]) -> Iterator[ox.Quad]:
    """The rows' quads, of the default graph (unbound ?g) and the graphs in ``kept``."""
    for row in rows:
        graph = row["g"]
        if graph is None:
            yield ox.Quad(_term(row["s"]), row["p"], _term(row["o"]), ox.DefaultGraph())  # type: ignore[arg-type]
        elif graph.value in kept:
            yield ox.Quad(_term(row["s"]), row["p"], _term(row["o"]), graph)  # type: ignore[arg-type]


def _term(term: object) -> object:
    """A skolem IRI written by ``secgraph publish`` back into its blank node."""
    if isinstance(term, ox.NamedNode) and term.value.startswith(_GENID):
        try:
            return ox.BlankNode(term.value[len(_GENID) :])
        except ValueError:
            return term
    return term


def _skolemized(bindings: Bindings) -> dict[str, ox.NamedNode | ox.Literal]:
    bound: dict[str, ox.NamedNode | ox.Literal] = {}
    for name, term in bindings.items():
        bound[name] = ox.NamedNode(_GENID + term.value) if isinstance(term, ox.BlankNode) else term
    return bound


def _deskolemize_results(body: bytes, results_format: ox.QueryResultsFormat) -> bytes:
    if b"genid" not in body:
        return body
    if results_format == ox.QueryResultsFormat.JSON:
        document = json.loads(body)
        for row in document.get("results", {}).get("bindings", []):
            for name, value in row.items():
                row[name] = _json_term(value)
        return json.dumps(document).encode()
    if results_format == ox.QueryResultsFormat.XML:
        return _XML_GENID.sub(rb"<bnode>\1</bnode>", body)
    return body


def _json_term(term: Mapping[str, object]) -> Mapping[str, object]:
    """One term of SPARQL 1.1 Query Results JSON §3.2.2, skolem IRIs as blank nodes."""
    value = term.get("value")
    if term.get("type") == "uri" and isinstance(value, str) and value.startswith(_GENID):
        found = _term(ox.NamedNode(value))
        if isinstance(found, ox.BlankNode):
            return {"type": "bnode", "value": found.value}
    if term.get("type") == "triple" and isinstance(value, dict):
        return {**term, "value": {key: _json_term(part) for key, part in value.items()}}
    return term


def _sizes_version(sizes: Mapping[str, int]) -> str:
    """A version for data not published by secgraph: it changes when any graph's size does."""
    text = json.dumps(sorted(sizes.items()))
    return "sizes-" + hashlib.sha256(text.encode()).hexdigest()


def _published_at(term: object) -> datetime | None:
    """The publication time, as an aware datetime; None when absent or not an xsd:dateTime."""
    if not isinstance(term, ox.Literal):
        return None
    try:
        stamp = datetime.fromisoformat(term.value)
    except ValueError:
        return None
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)
