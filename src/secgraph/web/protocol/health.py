"""GET /health (liveness) and /health/ready (readiness: the store answers a query); JSON only.

Liveness says the process serves HTTP; readiness also runs a trivial ASK through the query
runner, so it fails when the store or the query processes cannot answer.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, jsonify

from secgraph.query.answer import QueryEvaluationError, QueryJob
from secgraph.query.runner import QueryTimeoutError, RunnerBusyError
from secgraph.sparql.client import RemoteError
from secgraph.web.protocol.limits import current_runner

blueprint = Blueprint("health", __name__)

# True when any graph, the default one included, holds a triple: the data is loaded.
READY_QUERY = "ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


@blueprint.route("/health")
def live() -> Response:
    """200 while the process answers HTTP."""
    return jsonify(status="ok")


@blueprint.route("/health/ready")
def ready() -> Response:
    """200 when the store answers and holds data, else 503 saying why."""
    try:
        result = current_runner().run(QueryJob(READY_QUERY))
    except (QueryTimeoutError, RunnerBusyError, QueryEvaluationError, RemoteError) as error:
        return _not_ready(f"the store did not answer: {error}")
    if json.loads(result.body).get("boolean") is not True:
        return _not_ready("the store holds no triples")
    return jsonify(status="ready")


def _not_ready(reason: str) -> Response:
    response = jsonify(status="unavailable", reason=reason)
    response.status_code = 503  # RFC 9110 §15.6.4: not able to handle requests for now
    return response
