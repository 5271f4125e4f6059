"""Framed JSON-LD per main class at /frames/<name>: every event with its participations
nested, every program with its funding; one instance through /id/<slug>?frame=<name>."""

from __future__ import annotations

from flask import Blueprint, Response, request

from secgraph.describe.frames import FRAMES, frame_instances, is_instance
from secgraph.describe.jsonld import to_bytes
from secgraph.web.protocol.context import current_writer
from secgraph.web.protocol.current import current_store
from secgraph.web.protocol.negotiation import JSON_LD, NotAcceptableError, choose_format
from secgraph.web.protocol.responses import negotiated, plain, refusal
from secgraph.web.protocol.validators import revalidate

blueprint = Blueprint("frames", __name__)


@blueprint.get("/frames/<name>")
def framed_class(name: str) -> Response:
    """Every instance of the frame's class, one tree each."""
    return framed(name, focus=None)


def framed(name: str, focus: str | None) -> Response:
    """The frame ``name`` as JSON-LD (the only format a frame has), of every instance or of
    ``focus``; 404 for an unknown frame, or when ``focus`` is not of the frame's class."""
    frame = FRAMES.get(name)
    if frame is None:
        known = ", ".join(f"{key} ({item.description})" for key, item in FRAMES.items())
        return plain(404, f"no frame named {name!r}; there are: {known}")
    try:
        choose_format(request.accept_mimetypes, (JSON_LD,), request.args.get("format"))
    except NotAcceptableError as error:
        return refusal(error)
    store = current_store()
    # Asked first, not read off the framed tree: JSON-LD framing matches a node by @id alone
    # (@requireAll false, Framing §4.3), so a resource of another class that an instance links to
    # (SICA, a participant of a Dialogue session) would come back framed as that class.
    if focus is not None and not is_instance(store, frame, focus):
        return plain(404, f"{focus} is no {frame.cls} here: nothing to frame as {name!r}")
    document = frame_instances(store, current_writer(), frame, focus)
    if focus is not None and not document.get("@graph"):
        return plain(404, f"{focus} is no {frame.cls} here: nothing to frame as {name!r}")
    response = negotiated(Response(to_bytes(document), content_type=JSON_LD.content_type))
    return revalidate(response, store, f"frame-{name}")
