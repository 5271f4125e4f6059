"""Shared helpers of the UI blueprints: the store's labels, examples and search index, cached
per data version in the app; no routes."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from secgraph.config import Settings
from secgraph.describe.examples import ExampleQuery, load_examples
from secgraph.describe.labels import Labels
from secgraph.describe.search import LabelIndex
from secgraph.store.embedded import Store
from secgraph.web.protocol.current import current_store

_LABELS, _INDEX = "secgraph.labels", "secgraph.label_index"


def labels() -> Labels:
    """The app's label cache (shared with the resource pages; it follows the store version)."""
    cached: Labels | None = current_app.extensions.get(_LABELS)
    if cached is None:
        cached = current_app.extensions[_LABELS] = Labels(current_store())
    return cached


def label_index() -> LabelIndex:
    """The folded labels of the store, rebuilt when the store's version moves."""
    store: Store = current_store()
    index: LabelIndex | None = current_app.extensions.get(_INDEX)
    if index is None or index.version != store.version:
        index = current_app.extensions[_INDEX] = LabelIndex.from_store(store)
    return index


def queries_dir() -> Path:
    settings: Settings = current_app.extensions["secgraph.settings"]
    return settings.queries_dir


def examples() -> list[ExampleQuery]:
    """The named example queries, read from the queries directory."""
    return load_examples(queries_dir())
