"""GET /bench/floor: a constant answer, the cost of the server stack alone (for benchmarks)."""

from __future__ import annotations

from flask import Blueprint, Response

blueprint = Blueprint("floor", __name__)

# The bytes of a small SPARQL JSON result (SPARQL 1.1 Query Results JSON §3), made once.
_BODY = b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"1"}}]}}'


@blueprint.get("/bench/floor")
def constant() -> Response:
    """Answer without touching the store: what no query can beat on this server."""
    return Response(_BODY, content_type="application/sparql-results+json")
