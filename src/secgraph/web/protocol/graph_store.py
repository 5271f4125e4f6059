"""Graph Store HTTP Protocol writes at /data: PUT, POST and DELETE of one named graph.

SPARQL 1.1 Graph Store HTTP Protocol §5.3 (PUT replaces), §5.5 (POST merges), §5.4 (DELETE),
by indirect identification ``?graph=<IRI>`` (§4.2). The read side is
secgraph.web.protocol.graphs. While writes are disabled these methods answer 405 with the read
methods in Allow (§5.1).
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from secgraph.web.protocol.auth import HOW_TO_ENABLE, writes_enabled
from secgraph.web.protocol.current import current_store
from secgraph.web.protocol.editing import run_edit
from secgraph.web.protocol.errors import ProtocolError, error_response
from secgraph.web.protocol.graphs import ProtocolError as TargetError
from secgraph.web.protocol.graphs import parse_target
from secgraph.write.edits import EditError, writable_graph
from secgraph.write.journal import Edit

blueprint = Blueprint("graph_store", __name__)
_READ_METHODS = ["GET", "HEAD", "OPTIONS"]


@blueprint.route("/data", methods=["PUT", "POST", "DELETE"])
def write() -> Response:
    """Replace, merge into or delete the graph named by ``?graph=``."""
    if not writes_enabled():
        return error_response(
            ProtocolError(
                405,
                "method-not-allowed",
                f"{request.method} on /data is a write: {HOW_TO_ENABLE}",
                headers={"Allow": ", ".join(_READ_METHODS)},
                extra={"allowed": _READ_METHODS},
            )
        )
    try:
        target = parse_target(request.args)
        if target.dataset:
            raise EditError(400, "invalid-request", "name the graph with ?graph=<IRI>")
        writable_graph(None if target.default else target.graph)
    except TargetError as error:
        return error_response(ProtocolError(error.status, "invalid-request", error.message))
    except EditError as error:
        return error_response(ProtocolError(error.status, error.error, error.message))
    graph = target.graph
    if request.method == "DELETE":
        return run_edit(Edit(kind="delete", graph=graph))
    existed = graph in current_store().named_graphs()
    try:
        body = request.get_data().decode("utf-8")
    except UnicodeDecodeError as error:
        return error_response(ProtocolError(400, "invalid-request", f"not UTF-8: {error}"))
    media_type = request.mimetype or None
    if request.method == "POST":  # §5.5: merge into the graph
        return run_edit(Edit(kind="post", graph=graph, media_type=media_type, body=body))
    # §5.3: 201 Created when a PUT makes a new graph, else 204 No Content.
    edit = Edit(kind="put", graph=graph, media_type=media_type, body=body)
    return run_edit(edit, success=204 if existed else 201)
