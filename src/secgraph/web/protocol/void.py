"""/.well-known/void: the dataset's VoID and DCAT description, counted from the live data.

The well-known location is VoID §6.2's (RFC 8615); counts are taken once per data version;
Turtle unless Accept asks otherwise.
"""

from __future__ import annotations

from threading import Lock

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from secgraph.describe import catalog
from secgraph.describe.catalog import Access, Distribution, Statistics
from secgraph.store.embedded import Store
from secgraph.web.protocol.current import current_store
from secgraph.web.protocol.dumps import DUMPS
from secgraph.web.protocol.links import public_url
from secgraph.web.protocol.negotiation import SINGLE_GRAPH, NotAcceptableError, choose_format
from secgraph.web.protocol.responses import rdf_response, refusal
from secgraph.web.protocol.validators import data_modified, revalidate

blueprint = Blueprint("void", __name__)
PATH = ".well-known/void"
_CACHE = "secgraph.void"
_LOCK = Lock()


@blueprint.get("/" + PATH)
def describe_dataset() -> Response:
    """VoID + DCAT in the negotiated RDF format; absolute links point at this deployment."""
    try:
        rep = choose_format(request.accept_mimetypes, SINGLE_GRAPH, request.args.get("format"))
    except NotAcceptableError as error:
        return refusal(error)
    store = current_store()
    triples = catalog.describe_dataset(statistics(store), access(), data_modified(store))
    response = rdf_response((ox.Quad(t.subject, t.predicate, t.object) for t in triples), rep)
    return revalidate(response, store, rep.extension)


def statistics(store: Store) -> Statistics:
    """The store's counts, taken once per data version."""
    with _LOCK:
        cached: tuple[str, Statistics] | None = current_app.extensions.get(_CACHE)
        if cached is None or cached[0] != store.version:
            cached = (store.version, catalog.count_dataset(store))
            current_app.extensions[_CACHE] = cached
    return cached[1]


def access() -> Access:
    """Where this deployment serves the dataset, as absolute URLs."""
    dumps = [
        Distribution(
            url=public_url("dumps/" + dump.filename),
            media_type=dump.rep.media_type,
            format_iri=dump.rep.iri or "",
            title=dump.title,
        )
        for dump in DUMPS
    ]
    return Access(
        void=public_url(PATH),
        sparql=public_url("sparql"),
        graph_store=public_url("data"),
        dumps=dumps,
    )
