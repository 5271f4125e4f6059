"""SPARQL 1.1 Graph Store HTTP Protocol, read side, at /data; no writes.

GET and HEAD (§5.2, §5.6) of the default graph (``?default``) or a named graph
(``?graph=<IRI>``) by indirect identification (§4.2); without a parameter, the whole dataset.
Writes are not routed: the app answers them 405 with an Allow header (§5.1).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Response, request
from werkzeug.datastructures import MultiDict

from secgraph.describe.jsonld import dump_jsonld
from secgraph.store.embedded import Store
from secgraph.web.protocol.context import current_writer
from secgraph.web.protocol.current import current_store
from secgraph.web.protocol.negotiation import (
    DATASET,
    JSON_LD,
    SINGLE_GRAPH,
    Format,
    NotAcceptableError,
    choose_format,
)
from secgraph.web.protocol.responses import negotiated, plain, refusal, serialize
from secgraph.web.protocol.validators import revalidate

blueprint = Blueprint("graphs", __name__)
_DEFAULT_GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
_NAMED_GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?graph { ?s ?p ?o } }"


class ProtocolError(Exception):
    """A request the Graph Store Protocol does not allow, with the status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass(frozen=True)
class Target:
    """What a request asks for: the default graph, one named graph, or (neither) the dataset."""

    default: bool = False
    graph: str | None = None

    @property
    def dataset(self) -> bool:
        return not self.default and self.graph is None


def parse_target(args: MultiDict[str, str]) -> Target:
    """Read ``?default`` / ``?graph=`` (§4.2); 400 for both, for two graphs, for a relative IRI."""
    graphs = args.getlist("graph")
    if graphs and "default" in args:
        raise ProtocolError(400, "ask for either ?default or ?graph=<IRI>, not both")
    if len(graphs) > 1:
        raise ProtocolError(400, f"expected one 'graph' parameter, got {len(graphs)}")
    if not graphs:
        return Target(default="default" in args)
    try:
        ox.NamedNode(graphs[0])
    except ValueError as error:
        # §4.2: "The query string IRI MUST be an absolute IRI", else 400 Bad Request.
        raise ProtocolError(400, f"the graph parameter is not an absolute IRI: {error}") from None
    return Target(graph=graphs[0])


@blueprint.get("/data")
def read() -> Response:
    """Serialize the graph (or dataset) asked for in the negotiated format; HEAD alike (§5.6)."""
    try:
        target = parse_target(request.args)
        offered = DATASET if target.dataset else SINGLE_GRAPH
        rep = choose_format(request.accept_mimetypes, offered, request.args.get("format"))
    except ProtocolError as error:
        return plain(error.status, error.message)
    except NotAcceptableError as error:
        return refusal(error)  # §5.2: 406 when no offered format is acceptable
    store = current_store()
    if target.graph is not None and target.graph not in store.named_graphs():
        # §5.1: the graph "does not exist in the server" -> 404 Not Found.
        return plain(404, f"no graph named {target.graph} in this store")
    response = negotiated(Response(_body(store, target, rep), content_type=rep.content_type))
    # §5.2: "SHOULD be made cacheable": the data version names the content.
    return revalidate(response, store, rep.extension)


def _body(store: Store, target: Target, rep: Format) -> bytes:
    if target.dataset:
        if rep.rdf_format is None:  # DATASET offers RDF formats only
            raise TypeError(f"{rep.label} cannot hold a dataset")
        if rep is JSON_LD:
            return dump_jsonld(store, current_writer())
        return store.dump(rep.rdf_format)
    if target.graph is not None:
        result = store.query(_NAMED_GRAPH, bindings={"graph": ox.NamedNode(target.graph)})
    else:
        result = store.query(_DEFAULT_GRAPH)
    if not isinstance(result, ox.QueryTriples):
        raise TypeError("a CONSTRUCT query must return triples")
    return serialize((ox.Quad(t.subject, t.predicate, t.object) for t in result), rep)
