"""web/protocol/errors.py: an error says what and where, as JSON or as text by the client's
Accept."""

from __future__ import annotations

import json

import pytest
from flask import Flask

from secgraph.web.protocol.errors import ProtocolError, error_response, malformed_query

MESSAGE = "error at 3:7: expected one of OPTIONAL"


def test_malformed_query_takes_line_and_column_from_the_parser() -> None:
    error = malformed_query(SyntaxError(MESSAGE))
    assert (error.status, error.error, error.line, error.column) == (400, "malformed-query", 3, 7)
    assert error.message == "malformed query at line 3, column 7: expected one of OPTIONAL"


def test_malformed_query_without_position_keeps_the_message() -> None:
    error = malformed_query(SyntaxError("unexpected end"))
    assert (error.line, error.column) == (None, None)
    assert error.message == "malformed query: unexpected end"


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("", "text/plain; charset=utf-8"),
        ("*/*", "text/plain; charset=utf-8"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "text/plain; charset=utf-8"),
        ("application/json", "application/json"),
        ("application/sparql-results+json", "application/json"),
        ("*/*, application/json", "application/json"),
        ("application/json;q=0.5, text/plain", "text/plain; charset=utf-8"),
    ],
)
def test_error_body_follows_accept(app: Flask, accept: str, content_type: str) -> None:
    headers = {"Accept": accept} if accept else {}
    with app.test_request_context("/sparql", headers=headers):
        response = error_response(malformed_query(SyntaxError(MESSAGE)))
    assert (response.status_code, response.headers["Content-Type"]) == (400, content_type)
    assert "Accept" in response.vary
    if content_type == "application/json":
        assert json.loads(response.get_data()) == {
            "error": "malformed-query",
            "message": "malformed query at line 3, column 7: expected one of OPTIONAL",
            "line": 3,
            "column": 7,
        }
    else:
        assert response.get_data(as_text=True).startswith("malformed query at line 3, column 7")


def test_error_headers_and_extra_members_are_sent(app: Flask) -> None:
    error = ProtocolError(405, "method-not-allowed", "no", headers={"Allow": "GET"}, extra={"a": 1})
    with app.test_request_context("/", headers={"Accept": "application/json"}):
        response = error_response(error)
    assert response.headers["Allow"] == "GET"
    body = json.loads(response.get_data())
    assert body == {"error": "method-not-allowed", "message": "no", "a": 1}
