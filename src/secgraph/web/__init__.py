"""The Flask app factory: wires settings and a store into blueprints; holds no graph itself."""

from __future__ import annotations

from flask import Flask, Response, current_app

from secgraph.config import Settings
from secgraph.sparql.client import RemoteError
from secgraph.store.embedded import Store
from secgraph.web.protocol.current import STORE, current_store

__all__ = ["create_app", "current_store"]


def create_app(settings: Settings, store: Store) -> Flask:
    """Return a Flask app serving ``store`` (read-only) as ``settings`` say."""
    app = Flask(__name__, template_folder="pages/templates", static_folder="pages/static")
    app.extensions[STORE] = store
    app.extensions["secgraph.settings"] = settings
    if settings.result_cache_size > 0:
        from secgraph.web.protocol.caching import ResultCache

        app.extensions["secgraph.result_cache"] = ResultCache(settings.result_cache_size)

    from secgraph.web.pages import resources
    from secgraph.web.protocol import (
        context,
        cors,
        dumps,
        errors,
        frames,
        graph_store,
        graphs,
        health,
        limits,
        metrics,
        sparql,
        update,
        validators,
        void,
    )

    cors.init_app(app)
    validators.init_app(app)
    errors.init_app(app)
    limits.init_app(app, settings, store)
    metrics.init_app(app, store)
    app.register_blueprint(health.blueprint)
    app.register_error_handler(RemoteError, _bad_gateway)
    app.register_blueprint(sparql.blueprint)
    for linked_data in (resources, graphs, dumps, void, context, frames):
        app.register_blueprint(linked_data.blueprint)
    app.register_blueprint(update.blueprint)  # writes: 403/405 unless settings enable them
    app.register_blueprint(graph_store.blueprint)
    from secgraph.web.pages import home, query, search, views

    for page in (home, search, query, views):
        app.register_blueprint(page.blueprint)
    if settings.bench_floor:
        from secgraph.web.pages import floor

        app.register_blueprint(floor.blueprint)
    return app


def _bad_gateway(error: RemoteError) -> Response:
    # RFC 9110 §15.6.3: the server behind this one failed. Its address stays in the log.
    from secgraph.web.protocol.errors import ProtocolError, error_response

    current_app.logger.error("remote store: %s", error)
    message = "the SPARQL server holding the data did not answer as expected; try again later"
    return error_response(ProtocolError(502, "store-unavailable", message))
