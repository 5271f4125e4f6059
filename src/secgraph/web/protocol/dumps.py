"""Downloads of the whole graph at stable URLs, /dumps/secgraph[-asserted].<ext>.

Each is serialized once per data version and kept, and sent with ETag and Last-Modified so that
clients revalidate for free (RFC 9110 §13.1).
"""

from __future__ import annotations

from dataclasses import dataclass
from threading import Lock

from flask import Blueprint, Response, current_app

from secgraph.describe.jsonld import dump_jsonld
from secgraph.namespaces import INFERRED_GRAPH
from secgraph.store.embedded import Store
from secgraph.web.protocol.context import current_writer
from secgraph.web.protocol.current import current_store
from secgraph.web.protocol.negotiation import (
    JSON_LD,
    N_QUADS,
    N_TRIPLES,
    RDF_XML,
    TRIG,
    TURTLE,
    Format,
)
from secgraph.web.protocol.responses import plain
from secgraph.web.protocol.validators import revalidate

blueprint = Blueprint("dumps", __name__)
STEM = "secgraph"
ASSERTED = "-asserted"
FORMATS = (TRIG, N_QUADS, TURTLE, N_TRIPLES, JSON_LD, RDF_XML)
"""TriG, N-Quads and JSON-LD keep each statement's graph; the others merge the graphs."""
_CACHE = "secgraph.dumps"


@dataclass(frozen=True)
class DumpFile:
    """One downloadable file: its name, its format, and whether it leaves out the inferences."""

    filename: str
    rep: Format
    asserted_only: bool

    @property
    def title(self) -> str:
        what = "asserted statements only" if self.asserted_only else "asserted and inferred"
        graphs = "graphs kept" if self.keeps_graphs else "graphs merged"
        return f"secgraph as {self.rep.label} ({what}, {graphs})"

    @property
    def keeps_graphs(self) -> bool:
        return self.rep.rdf_format is not None and self.rep.rdf_format.supports_datasets


DUMPS = tuple(
    DumpFile(f"{STEM}{variant}.{rep.extension}", rep, asserted_only=bool(variant))
    for variant in ("", ASSERTED)
    for rep in FORMATS
)
"""Every dump, in the order VoID and DCAT list them."""
_BY_NAME = {dump.filename: dump for dump in DUMPS}


@dataclass
class _Cache:
    """Serialized dumps of one data version, filled on first request."""

    version: str
    bodies: dict[str, bytes]
    lock: Lock


@blueprint.get("/dumps/<filename>")
def dump(filename: str) -> Response:
    """One dump file; 304 when the client's copy (If-None-Match, If-Modified-Since) is current."""
    found = _BY_NAME.get(filename)
    if found is None:
        names = ", ".join(_BY_NAME)
        return plain(404, f"no dump named {filename!r}; there are {names}")
    store = current_store()
    body = dump_bytes(store, found)
    response = Response(body, content_type=found.rep.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return revalidate(response, store)  # one URL, one format: the version alone tags it


def dump_bytes(store: Store, dump_file: DumpFile) -> bytes:
    """The dump's bytes for the store's current data version, serialized at most once."""
    cache: _Cache | None = current_app.extensions.get(_CACHE)
    if cache is None or cache.version != store.version:
        cache = current_app.extensions[_CACHE] = _Cache(store.version, {}, Lock())
    with cache.lock:
        body = cache.bodies.get(dump_file.filename)
        if body is None:
            if dump_file.rep.rdf_format is None:
                raise TypeError(f"{dump_file.rep.label} is no RDF format")
            excluded = [str(INFERRED_GRAPH)] if dump_file.asserted_only else []
            if dump_file.rep is JSON_LD:
                body = dump_jsonld(store, current_writer(), excluded)
            else:
                body = store.dump(dump_file.rep.rdf_format, exclude_graphs=excluded)
            cache.bodies[dump_file.filename] = body
    return body
