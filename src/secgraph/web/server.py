"""Run the WSGI app under gunicorn: a master preloads the graph, then forks workers; no routes."""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from secgraph.config import Settings
from secgraph.store.embedded import Store
from secgraph.web.protocol import metrics


class GunicornServer(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
    """Serve an already-built app; gunicorn's own command line and config files are not read."""

    def __init__(self, app: Flask, options: dict[str, Any]) -> None:
        self._app, self._options = app, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self._app


def gunicorn_options(settings: Settings, store: Store | None = None) -> dict[str, Any]:
    """Gunicorn settings for ``settings``: bind address, workers, preloading."""
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    return {
        "bind": f"{host}:{settings.port}",
        "workers": settings.workers,
        # Threads, so that a request waiting on a slow query process does not hold up others.
        "worker_class": "secgraph.web.gunicorn_worker.PollingThreadWorker",
        "threads": settings.threads,
        # The longest request line gunicorn reads (its maximum); the app answers 414 itself for
        # query strings over max_query_string_bytes, with a readable body.
        "limit_request_line": 8190,
        # The app (and its graph) is built once in the master; workers share it copy-on-write.
        "preload_app": True,
        "proc_name": "secgraph",
        "accesslog": "-",
        # gunicorn's control socket is one path per user ($XDG_RUNTIME_DIR or ~/.gunicorn): a
        # second server would take it over and delete it on exit. secgraph offers no gunicornc
        # commands, so none is opened (gunicorn still takes its signals: TERM, HUP, TTIN, TTOU).
        "control_socket_disable": True,
        # A worker forked after another died catches up (the writable store replays the journal
        # the dead one appended to) before it accepts a connection.
        "post_fork": lambda _arbiter, _worker: store.after_fork() if store else None,
    }


def run(settings: Settings, app: Flask, store: Store) -> None:
    """Serve ``app`` until gunicorn is stopped (SIGINT / SIGTERM)."""
    store.before_fork()
    if settings.workers > 1 and settings.cache_dir is not None:
        metrics.share_across_workers(app, settings.cache_dir / "metrics")
    GunicornServer(app, gunicorn_options(settings, store)).run()
