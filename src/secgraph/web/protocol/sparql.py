"""The /sparql endpoint: the SPARQL 1.1 Protocol query operation and the service description.

A view parses the request, calls the store, renders; user input is passed to the store as a
whole query string and graph IRIs, never formatted into SPARQL. The update operation (§2.2) is
not served here: the endpoint is read-only; with writes enabled, /update takes updates.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Request, Response, current_app, request
from werkzeug.datastructures import CombinedMultiDict, MultiDict

from secgraph.config import Settings
from secgraph.web.protocol import execution
from secgraph.web.protocol.auth import HOW_TO_ENABLE, writes_enabled
from secgraph.web.protocol.caching import answer, cache_key, request_key, sent_answer
from secgraph.web.protocol.current import current_store
from secgraph.web.protocol.errors import ProtocolError, error_response
from secgraph.web.protocol.links import public_url
from secgraph.web.protocol.negotiation import (
    GRAPH_FORMATS,
    Format,
)
from secgraph.web.protocol.service import SD_PREFIXES, Deployment, describe_service

blueprint = Blueprint("sparql", __name__)

RESULT_CACHE = "secgraph.result_cache"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
Params = MultiDict[str, str] | CombinedMultiDict[str, str]


@dataclass(frozen=True)
class QueryRequest:
    """The query operation's parameters (SPARQL 1.1 Protocol §2.1), plus the `format` choice."""

    query: str
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()
    format: str | None = None


def parse_query_request(req: Request) -> QueryRequest:
    """Read a query request from GET (§2.1.1), POST form (§2.1.2) or POST direct (§2.1.3)."""
    if req.method in ("GET", "HEAD"):
        return _from_params(req.args, query=None)
    if req.mimetype == FORM:
        # §2.1.2 puts every parameter in the body; graph parameters in the URL are taken too.
        return _from_params(CombinedMultiDict([req.args, req.form]), query=None)
    if req.mimetype == DIRECT:
        if "query" in req.args:
            raise ProtocolError(400, "invalid-request", "the query is in both the URL and the body")
        # §2.1.3: with a direct POST the other parameters travel in the URL.
        return _from_params(req.args, query=_utf8_body(req))
    if req.mimetype == UPDATE:
        raise _update_refused()
    raise ProtocolError(
        415,
        "unsupported-media-type",
        f"POST a query as {FORM} or {DIRECT}, not {req.mimetype or 'a body without Content-Type'}",
        extra={"accepted": [FORM, DIRECT]},
    )


def _utf8_body(req: Request) -> str:
    # §2.1.3: the body is the query string, UTF-8 encoded; another charset is refused (415).
    charset = req.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(
            415, "unsupported-media-type", f"send the query as UTF-8, not {charset}"
        )
    try:
        return req.get_data().decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(400, "invalid-request", f"the query is not UTF-8: {error}") from None


def _update_refused() -> ProtocolError:
    # §2.2 defines updates as an operation of their own; this service offers queries only. POST
    # is allowed here, so 405 (RFC 9110 §15.5.6: method not supported) would mislead; the
    # request is refused as a bad request instead. §2.2 lets a service take updates at an
    # endpoint of its own: with writes enabled, that is /update.
    if writes_enabled():
        return ProtocolError(
            400,
            "update-not-supported",
            "this query endpoint is read-only: send SPARQL Update to "
            f"{public_url('update')} with the write token",
            extra={"update_endpoint": public_url("update")},
        )
    return ProtocolError(
        400,
        "update-not-supported",
        "this endpoint is read-only and SPARQL Update is disabled on this server; send queries "
        f"(the 'query' parameter) only ({HOW_TO_ENABLE})",
    )


def _from_params(params: Params, query: str | None) -> QueryRequest:
    if "update" in params:
        raise _update_refused()
    if query is None:
        queries = params.getlist("query")
        # §2.1: "exactly one" query string per request.
        if len(queries) != 1:
            found = "no" if not queries else str(len(queries))
            raise ProtocolError(
                400, "invalid-request", f"expected exactly one 'query' parameter, got {found}"
            )
        query = queries[0]
    return QueryRequest(
        query=query,
        default_graph_uris=tuple(params.getlist("default-graph-uri")),
        named_graph_uris=tuple(params.getlist("named-graph-uri")),
        format=params.get("format") or None,
    )


@blueprint.after_request
def _vary_on_accept(response: Response) -> Response:
    # The body depends on the Accept header, so caches must key on it (RFC 9110 §12.5.5).
    if "Vary" in response.headers:
        response.vary.add("Accept")
    else:  # the usual case, without parsing and rewriting a header set
        response.headers["Vary"] = "Accept"
    return response


@blueprint.route("/sparql", methods=["GET", "POST"])
def query() -> Response:
    """Evaluate one SPARQL query, or describe the service when GET carries no query."""
    try:
        cache = current_app.extensions.get(RESULT_CACHE)
        if cache is not None:
            version = current_store().version
            # A GET sent exactly like one answered before: its answer, before any decoding.
            sent = request_key(request, version)
            hit = sent_answer(request, cache, sent)
            if hit is not None:
                return hit
        if request.method in ("GET", "HEAD") and set(request.args) <= {"format"}:
            return _service_description()
        parsed = parse_query_request(request)
        if cache is None:  # nothing to look up or keep: no key to compute
            return _evaluate(parsed)
        key = cache_key(request, parsed.query, version)
        return answer(request, cache, key, lambda: _evaluate(parsed), sent)
    except ProtocolError as error:
        return error_response(error)


def _evaluate(parsed: QueryRequest) -> Response:
    # The gate, federation, limits and error answers are those of every query route
    # (secgraph.web.protocol.execution.run_client_query).
    return execution.answer(
        parsed.query,
        default_graph_uris=parsed.default_graph_uris,
        named_graph_uris=parsed.named_graph_uris,
        wanted=parsed.format,
    )


def _negotiate(offered: tuple[Format, ...], wanted: str | None) -> Format:
    return execution.negotiate(offered, wanted)


def _service_description() -> Response:
    # Service Description §2: GET on the endpoint without a query string describes the service.
    settings: Settings = current_app.extensions["secgraph.settings"]
    deployment = Deployment(
        endpoint=public_url(request.path),
        union_default_graph=settings.union_default_graph,
        reasoned=settings.data_file is None,
        federation_allowlist=tuple(settings.federation_allowlist),
    )
    chosen = _negotiate(GRAPH_FORMATS, request.args.get("format"))
    if not isinstance(chosen.serializer, ox.RdfFormat):
        raise TypeError(f"{chosen.media_type} is not an RDF format")  # GRAPH_FORMATS are
    triples = describe_service(current_store(), deployment)
    body = ox.serialize(triples, format=chosen.serializer, prefixes=SD_PREFIXES) or b""
    return Response(body, content_type=chosen.content_type)
