"""The /update endpoint: the SPARQL 1.1 Protocol update operation (§2.2), as Oxigraph serves it.

A separate URL from /sparql (queries), like Oxigraph's ``/update`` and Fuseki's
``/<dataset>/update``, so that a proxy or firewall can treat writes apart. POST only: with a
URL-encoded form carrying ``update`` (§2.2.1) or directly as ``application/sparql-update``
(§2.2.2). GET describes the update service (SPARQL 1.1 Service Description §2).
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Request, Response, request
from werkzeug.datastructures import MultiDict

from secgraph.namespaces import RDF, SD
from secgraph.web.protocol.auth import HOW_TO_ENABLE, writes_enabled
from secgraph.web.protocol.editing import run_edit
from secgraph.web.protocol.errors import ProtocolError, error_response
from secgraph.web.protocol.links import public_url
from secgraph.web.protocol.service import SD_PREFIXES
from secgraph.write.journal import Edit

blueprint = Blueprint("update", __name__)

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-update"


def parse_update_request(req: Request) -> str:
    """The update string of a POST (§2.2.1 form, §2.2.2 direct); ProtocolError otherwise."""
    if req.mimetype == FORM:
        updates = req.form.getlist("update")
        if len(updates) != 1:  # §2.2: exactly one update string
            found = "no" if not updates else str(len(updates))
            raise ProtocolError(
                400, "invalid-request", f"expected exactly one 'update' parameter, got {found}"
            )
        params: MultiDict[str, str] = req.form
        text = updates[0]
    elif req.mimetype == DIRECT:
        charset = req.mimetype_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise ProtocolError(415, "unsupported-media-type", f"send UTF-8, not {charset}")
        try:
            text = req.get_data().decode("utf-8")
        except UnicodeDecodeError as error:
            raise ProtocolError(
                400, "invalid-request", f"the update is not UTF-8: {error}"
            ) from None
        params = req.args
    else:
        raise ProtocolError(
            415,
            "unsupported-media-type",
            f"POST an update as {FORM} or {DIRECT}, not {req.mimetype or 'no Content-Type'}",
            extra={"accepted": [FORM, DIRECT]},
        )
    if "using-graph-uri" in params or "using-named-graph-uri" in params:
        # §2.2.3 lets a service refuse the dataset parameters; write USING in the update.
        raise ProtocolError(
            400, "invalid-request", "using-graph-uri is not supported: put USING in the update"
        )
    return text


@blueprint.post("/update")
def update() -> Response:
    """Apply one SPARQL 1.1 Update, checked and atomic; 204 when it was applied."""
    try:
        text = parse_update_request(request)
    except ProtocolError as error:
        return error_response(error)
    return run_edit(Edit(kind="update", body=text, base_iri=public_url(request.path)))


@blueprint.get("/update")
def describe() -> Response:
    """Service Description of the update endpoint (Turtle); 403 while writes are disabled."""
    if not writes_enabled():
        return error_response(ProtocolError(403, "writes-disabled", HOW_TO_ENABLE))
    service = ox.BlankNode()
    triples = [
        ox.Triple(service, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(SD.Service))),
        ox.Triple(service, ox.NamedNode(str(SD.endpoint)), ox.NamedNode(public_url(request.path))),
        ox.Triple(
            service,
            ox.NamedNode(str(SD.supportedLanguage)),
            ox.NamedNode(str(SD.SPARQL11Update)),
        ),
    ]
    body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=SD_PREFIXES) or b""
    return Response(body, content_type="text/turtle")
