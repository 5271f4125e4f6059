"""HTTP validators of the served data: ETag from its content hash, Last-Modified from its time.

Both name the data, not the process serving it (RFC 9110 §8.8): two servers of the same
sources, or one restarted, answer with the same validators, so a client's copy stays valid.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from flask import Flask, Response, current_app, request

from secgraph.store.embedded import Store

_STARTED = "secgraph.started"


def init_app(app: Flask) -> None:
    """Remember when the app was made, before workers fork: the fallback data time."""
    app.extensions[_STARTED] = datetime.now(UTC).replace(microsecond=0)


def data_modified(store: Store) -> datetime:
    """When the data last changed: the store's time (newest source file, or the publication),
    else, for data of unknown age (a store built in code), when this app started serving it."""
    if store.modified is not None:
        return store.modified
    started: datetime = current_app.extensions[_STARTED]
    return started


def revalidate(response: Response, store: Store, variant: str = "") -> Response:
    """Set ETag (the data's version, plus ``variant`` when one URL has several
    representations) and Last-Modified; answer 304 in place when the client's copy is current
    (If-None-Match, If-Modified-Since: RFC 9110 §13.1)."""
    # A store built in code has no version; then the content names itself.
    version = store.version or hashlib.sha256(response.get_data()).hexdigest()
    response.set_etag(f"{version}-{variant}" if variant else version)
    response.last_modified = data_modified(store)
    response.make_conditional(request)  # turns the response into a 304 in place
    return response
