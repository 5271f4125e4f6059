"""The Flask app factory: wires settings and a store into blueprints; holds no graph itself."""

from __future__ import annotations

from flask import Flask, current_app

from secgraph.config import Settings
from secgraph.store import Store

_STORE = "secgraph.store"


def create_app(settings: Settings, store: Store) -> Flask:
    """Return a Flask app serving ``store`` (read-only) as ``settings`` say."""
    app = Flask(__name__)
    app.extensions[_STORE] = store
    app.extensions["secgraph.settings"] = settings

    from secgraph.web import sparql

    app.register_blueprint(sparql.blueprint)
    return app


def current_store() -> Store:
    """The store of the app handling the current request."""
    store: Store = current_app.extensions[_STORE]
    return store
