"""Label search ``/search?q=``: ranked hits as HTML or JSON; ranking is describe.search's."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from secgraph.describe.search import SPARQL_RECIPE, fold
from secgraph.namespaces import SG
from secgraph.web.pages.twins import twin_response
from secgraph.web.pages.ui import label_index, labels
from secgraph.web.protocol.links import href

blueprint = Blueprint("search", __name__)
MAX_QUERY_LENGTH = 200
LIMIT = 100
LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}
"""Names of the label languages searched (secgraph.describe.search.LANGUAGES), for the page."""


@blueprint.get("/search")
def search() -> Response:
    """Resources whose English, Spanish or untagged labels contain ``q``, best first."""
    text = request.args.get("q", "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        message = f"the search text is {len(text)} characters long; at most {MAX_QUERY_LENGTH}"
        data = _data(text, [], message)
        return twin_response("search.html", data, status=400, recipe=SPARQL_RECIPE)
    hits = label_index().search(text, LIMIT) if text else []
    names = labels()
    rows = [
        {
            "iri": hit.iri,
            "href": href(hit.iri),
            "label": names.name(hit.iri),
            "matched": hit.label,
            "language": hit.language,
            "language_name": LANGUAGE_NAMES.get(hit.language.split("-")[0].lower(), ""),
            "match": hit.match.name.lower(),
            "alternative": hit.alternative,
            "types": sorted(names.name(kind) for kind in names.types(hit.iri) if kind in SG)[:3],
        }
        for hit in hits
    ]
    return twin_response("search.html", _data(text, rows, None), recipe=SPARQL_RECIPE)


def _data(text: str, rows: list[dict[str, Any]], error: str | None) -> dict[str, Any]:
    return {"q": text, "folded": fold(text), "results": rows, "error": error}
