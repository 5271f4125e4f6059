"""Error responses: what went wrong and where, as JSON or plain text by Accept; no routes.

SPARQL 1.1 Protocol §2.1.7 requires a 4XX or 5XX status for a failed request and
leaves the body to the implementation; the body here is JSON for clients that prefer JSON and
plain text otherwise, so that both a program and a person reading curl output learn the cause.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import MethodNotAllowed, RequestEntityTooLarge

JSON = "application/json"
TEXT = "text/plain"
_JSON_TYPES = (JSON, "application/sparql-results+json", "application/ld+json")
# pyoxigraph's query parser starts its messages with the position: "error at 1:25: expected ...".
_POSITION = re.compile(r"^error at (\d+):(\d+):\s*")


@dataclass(eq=False)  # eq=False: exceptions stay hashable
class ProtocolError(Exception):
    """A request the endpoint refuses; carries the HTTP status and a short error code."""

    status: int
    error: str
    """Stable machine-readable code, e.g. ``malformed-query``."""
    message: str
    line: int | None = None
    column: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    """More JSON members (e.g. the formats offered with a 406)."""

    def __post_init__(self) -> None:
        super().__init__(self.message)


def malformed_query(error: SyntaxError, first_line_offset: int = 0) -> ProtocolError:
    """400 for a query the parser rejects (§2.1.7), with its line and column when it gives them;
    ``first_line_offset`` characters the server put before the client's first line are taken
    off that line's columns."""
    text = str(error)
    match = _POSITION.match(text)
    if match is None:
        return ProtocolError(400, "malformed-query", f"malformed query: {text}")
    line, column = int(match[1]), int(match[2])
    if line == 1:
        column = max(1, column - first_line_offset)
    return ProtocolError(
        400,
        "malformed-query",
        f"malformed query at line {line}, column {column}: {text[match.end() :]}",
        line=line,
        column=column,
    )


def prefers_json() -> bool:
    """Whether the client ranks a JSON media type above text/plain, by quality and then by
    specificity (``*/*, application/json`` prefers JSON); a plain tie goes to text."""
    return request.accept_mimetypes.best_match([TEXT, *_JSON_TYPES]) in _JSON_TYPES


def error_response(error: ProtocolError) -> Response:
    """Render ``error`` as JSON or text; the choice depends on Accept, hence Vary: Accept."""
    if prefers_json():
        body: dict[str, Any] = {"error": error.error, "message": error.message}
        if error.line is not None:
            body |= {"line": error.line, "column": error.column}
        response = Response(
            json.dumps(body | error.extra, ensure_ascii=False) + "\n", mimetype=JSON
        )
    else:
        response = Response(f"{error.message}\n", content_type=f"{TEXT}; charset=utf-8")
    response.status_code = error.status
    response.headers.update(error.headers)
    response.vary.add("Accept")
    return response


def _method_not_allowed(error: MethodNotAllowed) -> Response:
    # RFC 9110 §15.5.6: a 405 must list the methods the resource supports in Allow.
    allowed = sorted(error.valid_methods or ())
    return error_response(
        ProtocolError(
            405,
            "method-not-allowed",
            f"{request.method} is not allowed on {request.path}; use {', '.join(allowed)}",
            headers={"Allow": ", ".join(allowed)},
            extra={"allowed": allowed},
        )
    )


def query_timeout(limit: float) -> ProtocolError:
    """503 for a query stopped at the time limit. RFC 9110 §15.6.4: the server cannot handle
    the request now because of a limit of its own; 504 (§15.6.5) would blame an upstream server
    that a gateway waited for, and there is none."""
    return ProtocolError(
        503,
        "query-timeout",
        f"the query ran longer than the {limit:g} s time limit and was stopped; make it cheaper "
        "(narrower patterns, LIMIT) or have the operator raise the query_timeout setting "
        "(--query-timeout, SECGRAPH_QUERY_TIMEOUT)",
        extra={"limit_seconds": limit},
    )


def server_busy(limit: float) -> ProtocolError:
    """503 with Retry-After when every query process stayed busy for the whole time limit."""
    return ProtocolError(
        503,
        "server-busy",
        f"every query process was busy for {limit:g} s; try again shortly",
        headers={"Retry-After": "1"},
        extra={"limit_seconds": limit},
    )


def query_memory(message: str) -> ProtocolError:
    """503 for a query whose process died past its memory (or stack) limit: like the time
    limit, a limit of this server's own (RFC 9110 §15.6.4); the process is replaced."""
    return ProtocolError(503, "query-memory", message)


def query_string_too_long(length: int, limit: int) -> ProtocolError:
    """414 (RFC 9110 §15.5.15) for a URL query string over the limit."""
    return ProtocolError(
        414,
        "uri-too-long",
        f"the URL query string is {length} bytes, over the {limit} byte limit; send long "
        "queries by POST (application/sparql-query or a form body) instead",
        extra={"limit_bytes": limit},
    )


def _request_too_large(error: RequestEntityTooLarge) -> Response:
    # RFC 9110 §15.5.14: 413 Content Too Large.
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    return error_response(
        ProtocolError(
            413,
            "request-too-large",
            f"the request body is over the {limit} byte limit; send a smaller body, or have the "
            "operator raise the max_body_bytes setting (--max-body-bytes, "
            "SECGRAPH_MAX_BODY_BYTES)",
            extra={"limit_bytes": limit},
        )
    )


def init_app(app: Flask) -> None:
    """Answer a method no route accepts with a readable 405 (JSON or text), and a body over
    the size limit with a readable 413, for every route."""
    app.register_error_handler(MethodNotAllowed, _method_not_allowed)
    app.register_error_handler(RequestEntityTooLarge, _request_too_large)
