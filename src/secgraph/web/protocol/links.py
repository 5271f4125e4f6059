"""Where things are: secgraph IRIs <-> paths on this server, and absolute deployment URLs.

The canonical IRIs stay under ``namespaces.BASE`` whatever host serves them; a request path
``/<rest>`` stands for the IRI ``BASE + <rest>`` (``/id/carsi`` for ``<base>id/carsi``).
"""

from __future__ import annotations

from functools import lru_cache

from flask import current_app, request
from werkzeug.sansio.utils import get_current_url

from secgraph.config import Settings
from secgraph.namespaces import BASE

_SETTINGS = "secgraph.settings"


def iri_for_path(path: str) -> str:
    """The canonical IRI a server path (without its leading slash) stands for."""
    return BASE + path.lstrip("/")


def path_for_iri(iri: str) -> str | None:
    """The server path (with a leading slash, fragment kept) of a secgraph IRI, else None."""
    if not iri.startswith(BASE):
        return None
    return "/" + iri[len(BASE) :]


def href(iri: str) -> str:
    """A link to an IRI that works on any host: secgraph IRIs become paths on this server
    (below the app's mount point), every other IRI stays as it is."""
    path = path_for_iri(iri)
    return iri if path is None else request.script_root + path


def public_base() -> str:
    """This deployment's absolute base URL, ending in a slash: the ``public_url`` setting,
    else the URL the current request came in through."""
    settings: Settings = current_app.extensions[_SETTINGS]
    return settings.public_url or _root_url(request.scheme, request.host, request.root_path)


@lru_cache(maxsize=64)
def _root_url(scheme: str, host: str, root_path: str) -> str:
    # request.url_root, worked out once per scheme, host and mount point.
    return get_current_url(scheme, host, root_path)


def public_url(path: str) -> str:
    """The absolute URL of a path on this deployment (``path`` without a leading slash)."""
    return public_base() + path.lstrip("/")
