"""Handing one query to pyoxigraph the way SPARQL 1.1 defines it, where the engine differs: a
dataset of several default graphs is their RDF merge, an unsupported function an expression error.

No store lifecycle and no HTTP: ``secgraph.store.embedded.OxigraphStore`` decides what to
evaluate on.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence

import pyoxigraph as ox

from secgraph.sparql.text import (
    dataset_clauses,
    has_dataset_clause,
    lowercase_booleans,
    simple_group_concat,
)

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
Substitutions = Mapping[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]
GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph

MAX_UNSUPPORTED_FUNCTIONS = 64
"""How many distinct unknown function IRIs one query may call; past it, the engine's error."""
_UNSUPPORTED = re.compile(r"The custom function <([^<>\s]*)> is not supported")


def _unsupported(*_arguments: object) -> None:
    return None  # pyoxigraph: a custom function returning None raises an expression error


def evaluate(
    database: ox.Store,
    sparql: str,
    *,
    default_graph: Sequence[GraphName] | None = None,
    named_graphs: Sequence[ox.NamedNode | ox.BlankNode] | None = None,
    substitutions: Substitutions | None = None,
) -> QueryResult:
    """``database.query`` as SPARQL 1.1 defines it where pyoxigraph differs: an unknown
    function is an expression error (``_planned``), GROUP_CONCAT a simple literal (§18.5.1.7),
    ``TRUE`` a keyword (§19.8, tried only once the parser refused the query)."""

    def run(text: str) -> QueryResult:
        return _planned(
            database,
            text,
            default_graph=default_graph,
            named_graphs=named_graphs,
            substitutions=substitutions,
        )

    rewritten = simple_group_concat(sparql)
    try:
        return run(rewritten)
    except SyntaxError as error:
        refused = error
    lowered = lowercase_booleans(sparql)
    if lowered is not None:
        try:
            return run(simple_group_concat(lowered))
        except SyntaxError:
            pass
    if rewritten is not sparql:  # the parser's error at the positions of the query as written
        return run(sparql)
    raise refused


def _planned(
    database: ox.Store,
    sparql: str,
    *,
    default_graph: Sequence[GraphName] | None = None,
    named_graphs: Sequence[ox.NamedNode | ox.BlankNode] | None = None,
    substitutions: Substitutions | None = None,
) -> QueryResult:
    """``database.query``, with every function the engine does not know evaluating to an error.

    SPARQL 1.1 Query §17.6 (extensible value testing): a function the service does not support
    is an error where it is evaluated (§17.3: a FILTER drops the row, BIND and a projected
    expression leave the variable unbound), not a malformed query. pyoxigraph refuses such a
    query while planning it, naming one IRI at a time: each IRI named is registered as a
    function returning None, and the query planned again, at most MAX_UNSUPPORTED_FUNCTIONS
    times. Only IRIs the engine refused are registered: a registered function would replace a
    built-in one of the same IRI (an xsd: cast)."""
    functions: dict[ox.NamedNode, Callable[..., None]] = {}
    while True:
        try:
            return database.query(
                sparql,
                default_graph=None if default_graph is None else list(default_graph),
                named_graphs=None if named_graphs is None else list(named_graphs),
                substitutions=dict(substitutions) if substitutions else None,
                custom_functions=dict(functions) if functions else None,
            )
        except RuntimeError as error:
            found = _UNSUPPORTED.fullmatch(str(error))
            if found is None or len(functions) >= MAX_UNSUPPORTED_FUNCTIONS:
                raise
            iri = ox.NamedNode(found.group(1))
            if iri in functions:  # registered, still refused: not ours to mend
                raise
            functions[iri] = _unsupported


def requested_dataset(
    sparql: str, default_graph_uris: Sequence[str], named_graph_uris: Sequence[str]
) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The dataset a request names, protocol graphs first (SPARQL 1.1 Protocol §2.1.4: they
    override FROM / FROM NAMED), as (default graphs, named graphs); None: the store's own."""
    if default_graph_uris or named_graph_uris:
        return tuple(default_graph_uris), tuple(named_graph_uris)
    if not has_dataset_clause(sparql):
        return None
    clauses = dataset_clauses(sparql)
    return None if clauses is None else (clauses.default, clauses.named)


def needs_merge(default_graphs: Sequence[str]) -> bool:
    """Whether a default graph named by these IRIs is more than one stored graph (§13.2)."""
    return len(set(default_graphs)) > 1


class MergedDatasets:
    """Scratch in-memory stores, each holding one requested dataset: the RDF merge of its
    default graphs as its default graph (each triple once: a set, SPARQL 1.1 Query §13.2,
    where pyoxigraph's own dataset yields a triple once per graph naming it), its named graphs
    as they are. Kept for the few most recent datasets: building one copies its graphs."""

    def __init__(self, capacity: int = 4) -> None:
        self._capacity = capacity
        self._stores: OrderedDict[Hashable, ox.Store] = OrderedDict()
        self._lock = threading.Lock()

    def query(
        self,
        source: ox.Store,
        key: Hashable,
        sparql: str,
        dataset: tuple[Sequence[str], Sequence[str]],
        substitutions: Substitutions | None = None,
    ) -> QueryResult:
        """Evaluate ``sparql`` over ``dataset`` (default graphs, named graphs) of ``source``;
        ``key`` names the data ``source`` holds now (its version): a change is a new merge."""
        default_graphs, named = tuple(dict.fromkeys(dataset[0])), tuple(dict.fromkeys(dataset[1]))
        scratch = self._merged(source, (key, default_graphs, named), default_graphs, named)
        return evaluate(
            scratch,
            sparql,
            default_graph=[ox.DefaultGraph()],  # overrides the query's own FROM, now merged
            named_graphs=[ox.NamedNode(iri) for iri in named],
            substitutions=substitutions,
        )

    def _merged(
        self,
        source: ox.Store,
        key: Hashable,
        default_graphs: Sequence[str],
        named: Sequence[str],
    ) -> ox.Store:
        with self._lock:
            found = self._stores.get(key)
            if found is not None:
                self._stores.move_to_end(key)
                return found
        scratch = ox.Store()
        default = ox.DefaultGraph()
        for iri in default_graphs:
            quads = source.quads_for_pattern(None, None, None, ox.NamedNode(iri))
            scratch.extend(ox.Quad(q.subject, q.predicate, q.object, default) for q in quads)
        for iri in named:
            scratch.extend(source.quads_for_pattern(None, None, None, ox.NamedNode(iri)))
        with self._lock:
            self._stores[key] = scratch
            while len(self._stores) > self._capacity:
                self._stores.popitem(last=False)
        return scratch
