"""CORS headers so that pages on any origin can query and read the graph; no routes.

The graph is public and read-only and no request carries credentials, so the whole policy is a
constant: any origin ("*", Fetch Standard §3.2.3) may use the safe methods and POST. That takes
one after_request hook; a CORS library's origin lists, regexes and credential handling (where its
past vulnerabilities were) would configure nothing here.
"""

from __future__ import annotations

from flask import Flask, Response, request

ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS"
EXPOSED_HEADERS = "Allow, Content-Disposition, Link, Vary"
"""Response headers scripts may read besides the CORS-safelisted ones (Content-Type, ...)."""
MAX_AGE_SECONDS = 86400
"""How long a browser may cache a preflight answer."""


def add_cors_headers(response: Response) -> Response:
    """Allow any origin; answer a preflight (OPTIONS with Access-Control-Request-Method)."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        # A direct POST sends Content-Type: application/sparql-query, which is not
        # CORS-safelisted; granting whatever headers are asked for is safe without credentials.
        requested = request.headers.get("Access-Control-Request-Headers")
        if requested:
            response.headers["Access-Control-Allow-Headers"] = requested
            response.vary.add("Access-Control-Request-Headers")
        response.headers["Access-Control-Max-Age"] = str(MAX_AGE_SECONDS)
    return response


def init_app(app: Flask) -> None:
    """Add the CORS headers to every response of ``app``."""
    app.after_request(add_cors_headers)
