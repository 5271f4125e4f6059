"""Who may write: writes enabled by settings, and a bearer token compared in constant time.

RFC 6750 (OAuth 2.0 Bearer Token Usage) §2.1 carries the token in ``Authorization: Bearer``;
§3 answers a request without one 401 with a ``WWW-Authenticate: Bearer`` challenge. A wrong
token is 403: the server understood who asks and refuses them (RFC 9110 §15.5.4).
"""

from __future__ import annotations

import hmac

from flask import current_app, request

from secgraph.config import Settings, env_name
from secgraph.web.protocol.current import current_store
from secgraph.web.protocol.errors import ProtocolError
from secgraph.write.writable import WritableStore

_REALM = 'Bearer realm="secgraph"'
HOW_TO_ENABLE = (
    "writes are disabled on this server; enable them with --writes-enabled (or "
    f"{env_name('writes_enabled')}=1), --workers 1, --store-path DIR and a token in "
    f"{env_name('write_token')}"
)


def writes_enabled() -> bool:
    """Whether this app accepts writes: enabled by settings, over a writable store."""
    settings: Settings = current_app.extensions["secgraph.settings"]
    return settings.writes_enabled and isinstance(current_store(), WritableStore)


def writable_store() -> WritableStore:
    """The store to write, once the request has shown the write token; else ProtocolError."""
    settings: Settings = current_app.extensions["secgraph.settings"]
    store = current_store()
    if not writes_enabled() or not isinstance(store, WritableStore):
        raise ProtocolError(403, "writes-disabled", HOW_TO_ENABLE)
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise ProtocolError(
            401,
            "unauthorized",
            "writes need the header 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": _REALM},
        )
    expected = (settings.write_token or "").encode()
    # hmac.compare_digest: the time taken does not tell how much of the token was right.
    if not expected or not hmac.compare_digest(given.strip().encode(), expected):
        raise ProtocolError(
            403,
            "forbidden",
            "the bearer token is not the write token of this server",
            headers={"WWW-Authenticate": f'{_REALM}, error="invalid_token"'},
        )
    return store
