"""Answer a /sparql query through the query runner: formats per result kind, the truncation
signal, and runner errors as HTTP errors; no request parsing.

A result cut at the row cap is still a 200 with a valid document (as Virtuoso does with its
ResultSetMaxRows), and says so in the ``X-SPARQL-MaxRows`` header, Virtuoso's name for it, so
clients written for that server notice too.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from flask import Response, request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from secgraph.query_answer import QueryEvaluationError, QueryJob, ResultKind
from secgraph.query_runner import QueryTimeoutError, RunnerBusyError
from secgraph.web import metrics
from secgraph.web.errors import ProtocolError, query_timeout, server_busy
from secgraph.web.limits import current_runner
from secgraph.web.negotiation import (
    BOOLEAN_FORMATS,
    GRAPH_FORMATS,
    SOLUTIONS_FORMATS,
    Format,
    NotAcceptableError,
    choose_format,
)

TRUNCATED_HEADER = "X-SPARQL-MaxRows"
OFFERED: dict[ResultKind, tuple[Format, ...]] = {
    "solutions": SOLUTIONS_FORMATS,
    "boolean": BOOLEAN_FORMATS,
    "graph": GRAPH_FORMATS,
}


def negotiate(offered: Sequence[Format], wanted: str | None) -> Format:
    """The format to answer in, or 406 listing what the result is available as (RFC 9110
    §15.5.7)."""
    try:
        return choose_format(request.accept_mimetypes, offered, wanted)
    except NotAcceptableError as error:
        raise ProtocolError(
            406,
            "not-acceptable",
            str(error),
            extra={"offered": [item.media_type for item in error.offered]},
        ) from None


def _acceptable(accept: MIMEAccept, offered: Sequence[Format], wanted: str | None) -> Format | None:
    try:
        return choose_format(accept, offered, wanted)
    except NotAcceptableError:
        return None  # decided once the kind of result is known


@lru_cache(maxsize=256)
def _choices(accept: str | None, wanted: str | None) -> dict[ResultKind, Format | None]:
    """The format for each kind of result, by the Accept header's text and `format`: a pure
    function of the two, worked out once per distinct pair (clients send few)."""
    parsed = parse_accept_header(accept, MIMEAccept)
    return {kind: _acceptable(parsed, offered, wanted) for kind, offered in OFFERED.items()}


def answer(
    sparql: str,
    *,
    default_graph_uris: Sequence[str],
    named_graph_uris: Sequence[str],
    wanted: str | None,
) -> Response:
    """Run ``sparql`` in the app's query runner and answer it; SyntaxError and ValueError from
    the store propagate, the runner's own failures become ProtocolErrors."""
    runner = current_runner()
    chosen = _choices(request.headers.get("Accept"), wanted)
    media_types = {kind: None if item is None else item.media_type for kind, item in chosen.items()}
    job = QueryJob(
        sparql,
        tuple(default_graph_uris),
        tuple(named_graph_uris),
        solutions_format=media_types["solutions"],
        boolean_format=media_types["boolean"],
        graph_format=media_types["graph"],
        max_rows=runner.limits.max_rows,
    )
    try:
        result = runner.run(job)
    except QueryTimeoutError as error:
        metrics.count_query_timeout()
        raise query_timeout(error.limit) from None
    except RunnerBusyError as error:
        raise server_busy(error.limit) from None
    except QueryEvaluationError as error:
        raise ProtocolError(500, "evaluation-failed", f"query evaluation failed: {error}") from None
    picked = chosen[result.kind]
    if picked is None:
        negotiate(OFFERED[result.kind], wanted)  # raises the 406
        raise AssertionError("negotiation failed once and succeeded once")
    response = Response(result.body, content_type=picked.content_type)
    if result.truncated:
        response.headers[TRUNCATED_HEADER] = str(runner.limits.max_rows)
    return response
