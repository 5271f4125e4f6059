"""The home page ``/``: what the graph holds, a search box, the example queries; HTML or JSON."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, url_for

from secgraph.describe.overview import class_counts, source_documents
from secgraph.web.pages.twins import twin_response
from secgraph.web.pages.ui import examples, labels
from secgraph.web.protocol.current import current_store

blueprint = Blueprint("home", __name__)


@blueprint.get("/")
def home() -> Response:
    """Counts by class, the source documents, and the example queries with a link to run each."""
    store, names = current_store(), labels()
    data: dict[str, Any] = {
        "classes": [
            {"iri": item.iri, "label": names.name(item.iri), "instances": item.instances}
            for item in class_counts(store)
        ],
        "sources": [
            {
                "iri": doc.iri,
                "title": doc.title or names.name(doc.iri),
                "issued": doc.issued,
                "publishers": [{"iri": iri, "label": names.name(iri)} for iri in doc.publishers],
            }
            for doc in source_documents(store)
        ],
        "examples": [
            {
                "slug": example.slug,
                "title": example.title,
                "question": example.question,
                "run": url_for("query.query_page", example=example.slug),
            }
            for example in examples()
        ],
    }
    return twin_response("home.html", data)
