"""Helpers for the write tests: a writable app over a copy of the fixture project, and a
listener on 127.0.0.1 that records any request (to prove nothing is fetched)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from flask import Flask

from secgraph.config import Settings
from secgraph.web import create_app
from secgraph.write.writable import open_writable

TOKEN = "test-write-token-0123456789"  # noqa: S105 (a test fixture, not a secret)
AUTH = {"Authorization": f"Bearer {TOKEN}"}
EDITS = "https://w3id.org/secgraph/graph/edits"
PREFIXES = (
    "PREFIX sg: <https://w3id.org/secgraph/ontology#>\n"
    "PREFIX id: <https://w3id.org/secgraph/id/>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)


def writable_settings(root: Path, store: Path) -> Settings:
    return Settings(root=root, store_path=store, writes_enabled=True, write_token=TOKEN, workers=1)


def writable_app(root: Path, store: Path) -> Flask:
    settings = writable_settings(root, store)
    return create_app(settings, open_writable(settings))


def insert(body: str, graph: str = EDITS) -> str:
    """A SPARQL Update inserting ``body`` (Turtle-like triples) into ``graph``."""
    return f"{PREFIXES}INSERT DATA {{ GRAPH <{graph}> {{ {body} }} }}"


@contextmanager
def listener() -> Iterator[tuple[str, list[str]]]:
    """Serve on a free 127.0.0.1 port; yield its base URL and the paths requested so far."""
    requested: list[str] = []

    class Record(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requested.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.end_headers()
            self.wfile.write(b'{"@context": {}}')

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Record)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requested
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
