"""What the ontology page adds to the ontology document: hierarchy and counts, from the store."""

from __future__ import annotations

from typing import Any

from secgraph.describe.ontology_docs import class_tree, property_docs
from secgraph.web.pages.ui import labels
from secgraph.web.protocol.current import current_store


def ontology_context() -> dict[str, Any]:
    """Template values for document.html on /ontology: ``hierarchy`` and ``properties``."""
    store, names = current_store(), labels()
    return {"hierarchy": class_tree(store, names), "property_docs": property_docs(store, names)}
