"""What the app handling the current request serves: its store; no routes.

The app factory (secgraph.web.create_app) puts the store here; every view reads it back from here,
so no route imports the factory.
"""

from __future__ import annotations

from flask import current_app

from secgraph.store.embedded import Store

STORE = "secgraph.store"


def current_store() -> Store:
    """The store of the app handling the current request."""
    store: Store = current_app.extensions[STORE]
    return store
