"""Request limits of the app: body size (413), query-string length (414), and its query runner.

Flask refuses bodies over MAX_CONTENT_LENGTH (and form fields over MAX_FORM_MEMORY_SIZE) with
RequestEntityTooLarge, which ``secgraph.web.protocol.errors`` renders; the query string is
checked here, before any route runs.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

from secgraph.config import Settings
from secgraph.query.runner import QueryLimits, QueryRunner, runner_for
from secgraph.store.embedded import Store
from secgraph.web.protocol.errors import error_response, query_string_too_long

_RUNNER = "secgraph.query_runner"
_MAX_QUERY_STRING = "secgraph.max_query_string_bytes"


def query_limits(settings: Settings) -> QueryLimits:
    """The query runner's limits from ``settings``."""
    return QueryLimits(
        timeout=settings.query_timeout,
        processes=settings.query_processes,
        max_rows=settings.max_result_rows,
        memory_mb=settings.query_memory_mb,
    )


def init_app(app: Flask, settings: Settings, store: Store) -> None:
    """Apply the request limits of ``settings`` to ``app`` and give it a query runner."""
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    # Flask 3.1 caps each form field at 500 kB by default; a form-encoded query is one field.
    app.config["MAX_FORM_MEMORY_SIZE"] = settings.max_body_bytes
    app.extensions[_MAX_QUERY_STRING] = settings.max_query_string_bytes
    app.extensions[_RUNNER] = runner_for(store, query_limits(settings))
    app.before_request(_check_query_string)


def current_runner() -> QueryRunner:
    """The query runner of the app handling the current request."""
    runner: QueryRunner = current_app.extensions[_RUNNER]
    return runner


def _check_query_string() -> Response | None:
    limit: int = current_app.extensions[_MAX_QUERY_STRING]
    length = len(request.query_string)
    if length > limit:
        return error_response(query_string_too_long(length, limit))
    return None
