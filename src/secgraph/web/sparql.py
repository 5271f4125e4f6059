"""The /sparql endpoint: SPARQL 1.1 Protocol query operation over the store; no updates.

A view parses the request, calls the store, renders; user input is passed to the store as a
whole query string and graph IRIs, never formatted into SPARQL.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Request, Response, request
from werkzeug.datastructures import MultiDict

from secgraph.namespaces import PREFIXES
from secgraph.store import QueryResult
from secgraph.web import current_store
from secgraph.web.negotiation import GRAPH_FORMATS, RESULTS_FORMATS, choose_format

blueprint = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"


class ProtocolError(Exception):
    """A request the SPARQL 1.1 Protocol does not allow; carries the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass(frozen=True)
class QueryRequest:
    """The query operation's parameters (SPARQL 1.1 Protocol §2.1)."""

    query: str
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()


def parse_query_request(req: Request) -> QueryRequest:
    """Read a query request from GET (§2.1.1), POST form (§2.1.2) or POST direct (§2.1.3)."""
    if req.method in ("GET", "HEAD"):
        return _from_params(req.args, query=None)
    media_type = req.mimetype
    if media_type == FORM:
        return _from_params(req.form, query=None)
    if media_type == DIRECT:
        try:
            body = req.get_data().decode(req.mimetype_params.get("charset", "utf-8"))
        except (UnicodeDecodeError, LookupError) as error:
            raise ProtocolError(400, f"cannot decode the query: {error}") from None
        # §2.1.3: with a direct POST the graph parameters travel in the URL.
        return _from_params(req.args, query=body)
    raise ProtocolError(415, f"POST a query as {FORM} or {DIRECT}, not {media_type or 'nothing'}")


def _from_params(params: MultiDict[str, str], query: str | None) -> QueryRequest:
    if query is None:
        queries = params.getlist("query")
        # §2.1: "exactly one" query string per request.
        if len(queries) != 1:
            found = "no" if not queries else str(len(queries))
            raise ProtocolError(400, f"expected exactly one 'query' parameter, got {found}")
        query = queries[0]
    return QueryRequest(
        query=query,
        default_graph_uris=tuple(params.getlist("default-graph-uri")),
        named_graph_uris=tuple(params.getlist("named-graph-uri")),
    )


@blueprint.after_request
def _vary_on_accept(response: Response) -> Response:
    # The body depends on the Accept header, so caches must key on it (RFC 9110 §12.5.5).
    response.vary.add("Accept")
    return response


@blueprint.route("/sparql", methods=["GET", "POST"])
def query() -> Response:
    """Evaluate one SPARQL query and serialize its result in the negotiated format."""
    try:
        parsed = parse_query_request(request)
        result = current_store().query(
            parsed.query,
            default_graph_uris=parsed.default_graph_uris,
            named_graph_uris=parsed.named_graph_uris,
        )
    except ProtocolError as error:
        return _plain(error.status, error.message)
    except SyntaxError as error:
        # §2.1.7: a malformed query is answered 400, with the parser's message and position.
        return _plain(400, str(error))
    except ValueError as error:  # e.g. an invalid IRI in default-graph-uri
        return _plain(400, str(error))
    return _render(result)


def _render(result: QueryResult) -> Response:
    if isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
        results_format = choose_format(request.accept_mimetypes, RESULTS_FORMATS)
        body = result.serialize(format=results_format) or b""
        return Response(body, mimetype=results_format.media_type)
    graph_format = choose_format(request.accept_mimetypes, GRAPH_FORMATS)
    body = ox.serialize(result, format=graph_format, prefixes=PREFIXES) or b""
    return Response(body, mimetype=graph_format.media_type)


def _plain(status: int, message: str) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")
