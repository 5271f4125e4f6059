"""The JSON-LD @context at its stable URL (/context/<version>.jsonld, /context redirecting to the
current one), and the app's JSON-LD writer that refers to it."""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, current_app, redirect, request
from werkzeug.wrappers import Response as BaseResponse

from secgraph.config import Settings
from secgraph.describe.jsonld import JsonLdWriter
from secgraph.describe.jsonld_context import VERSION, context_file, render_context
from secgraph.web.protocol.negotiation import JSON_LD

blueprint = Blueprint("context", __name__)
_WRITER = "secgraph.jsonld"


def current_writer() -> JsonLdWriter:
    """The JSON-LD writer of the current app (its context read once)."""
    writer: JsonLdWriter | None = current_app.extensions.get(_WRITER)
    if writer is None:
        settings: Settings = current_app.extensions["secgraph.settings"]
        writer = current_app.extensions[_WRITER] = JsonLdWriter.for_ontology(settings.ontology_dir)
    return writer


@blueprint.get("/context")
@blueprint.get("/context.jsonld")
def current_context() -> BaseResponse:
    """The unversioned name: 302 to the current version, so that it can move on."""
    return redirect(f"{request.script_root}/context/{VERSION}.jsonld", code=302)


@blueprint.get("/context/<version>.jsonld")
def versioned_context(version: str) -> Response:
    """One version of the context, as kept in the repository; it never changes."""
    settings: Settings = current_app.extensions["secgraph.settings"]
    path = context_file(settings.ontology_dir, version)
    if path.is_file():
        body = path.read_bytes()
    elif version == VERSION:  # a project without the file: the context its ontology gives
        body = render_context(current_writer().context).encode()
    else:
        message = f"no JSON-LD context version {version!r}; the current one is {VERSION}\n"
        return Response(message, status=404, mimetype="text/plain")
    # The JSON-LD media type (JSON-LD 1.1 §C); CORS comes from the app (web.cors), so that
    # processors in browsers on other origins can load it.
    response = Response(body, content_type=JSON_LD.content_type)
    response.set_etag(hashlib.sha256(body).hexdigest())
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    response.make_conditional(request)
    return response
