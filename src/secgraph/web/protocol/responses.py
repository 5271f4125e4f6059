"""Write negotiated responses: RDF bodies, parseable empty 404s, plain-text refusals.

The format is chosen by secgraph.web.protocol.negotiation; this module only writes it.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from flask import Response

from secgraph.describe.jsonld import to_bytes
from secgraph.namespaces import PREFIXES
from secgraph.web.protocol.context import current_writer
from secgraph.web.protocol.negotiation import (
    JSON_LD,
    N_QUADS,
    N_TRIPLES,
    TRIG,
    TURTLE,
    Format,
    NotAcceptableError,
)

_COMMENTS = frozenset({TURTLE, N_TRIPLES, TRIG, N_QUADS})


def serialize(quads: Iterable[ox.Quad], fmt: Format, *, keep_graphs: bool | None = None) -> bytes:
    """Write ``quads`` in an RDF format. With ``keep_graphs`` (default: ``fmt.keeps_graphs``)
    a dataset format keeps each statement's graph; otherwise the graphs are merged."""
    rdf_format = fmt.rdf_format
    if rdf_format is None:
        raise ValueError(f"{fmt.label} is not an RDF syntax")
    keep = fmt.keeps_graphs if keep_graphs is None else keep_graphs
    if fmt is JSON_LD:  # compacted with the secgraph context, not pyoxigraph's expanded form
        return to_bytes(current_writer().compact(quads, keep_graphs=keep))
    if keep and rdf_format.supports_datasets:
        return ox.serialize(list(quads), format=rdf_format, prefixes=PREFIXES) or b""
    triples = list(dict.fromkeys(quad.triple for quad in quads))  # merge graphs, keep order
    return ox.serialize(triples, format=rdf_format, prefixes=PREFIXES) or b""


def rdf_response(
    quads: Iterable[ox.Quad],
    fmt: Format,
    *,
    status: int = 200,
    keep_graphs: bool | None = None,
) -> Response:
    """An RDF response in ``fmt``, varying on Accept."""
    body = serialize(quads, fmt, keep_graphs=keep_graphs)
    return negotiated(Response(body, status=status, content_type=fmt.content_type))


def empty_rdf(fmt: Format, comment: str) -> bytes:
    """A valid, empty document in ``fmt``, starting with ``# comment`` where the syntax has
    comments (a 404 that RDF clients can still parse)."""
    head = f"# {comment}\n".encode() if fmt in _COMMENTS else b""
    return head + serialize((), fmt)


def negotiated(response: Response) -> Response:
    """Mark a response as chosen by Accept, so caches key on it (RFC 9110 §12.5.5)."""
    response.vary.add("Accept")
    return response


def plain(status: int, message: str) -> Response:
    """A short text/plain answer (errors), varying on Accept."""
    return negotiated(Response(message + "\n", status=status, mimetype="text/plain"))


def refusal(error: NotAcceptableError) -> Response:
    """406 saying what is offered (RFC 9110 §15.5.7)."""
    return plain(406, str(error))
