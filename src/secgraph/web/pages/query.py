"""The query page ``/query``: an editor, the named examples, results as a linked table.

Works without scripts: the form posts (or GETs ``?query=``) and the server renders the rows.
``static/query.js`` adds highlighting and prefix completion on top. Downloads go to /sparql.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, request, url_for

from secgraph.describe.examples import find_example
from secgraph.namespaces import PREFIXES, sparql_prologue
from secgraph.query.results import Cell, Table
from secgraph.web.pages.twins import twin_response
from secgraph.web.pages.ui import examples, labels, queries_dir
from secgraph.web.protocol.errors import ProtocolError
from secgraph.web.protocol.execution import run_table
from secgraph.web.protocol.links import href

blueprint = Blueprint("query", __name__)
MAX_QUERY_LENGTH = 20_000
_STARTER = sparql_prologue() + (
    "\nSELECT ?class (COUNT(?resource) AS ?instances) WHERE {\n"
    "  ?resource a ?class FILTER(STRSTARTS(STR(?class), STR(sg:)))\n"
    "} GROUP BY ?class ORDER BY DESC(?instances)\n"
)
_DOWNLOADS = {
    "select": (("CSV", "csv"), ("JSON", "json"), ("TSV", "tsv"), ("XML", "xml")),
    "ask": (("JSON", "json"), ("XML", "xml")),
    "graph": (("Turtle", "ttl"), ("N-Triples", "nt"), ("JSON-LD", "jsonld")),
}


@blueprint.route("/query", methods=["GET", "POST"])
def query_page() -> Response:
    """GET with no query: the editor (with ``?example=`` filled in); with ``query``, or by a
    form POST: run it and show the results under the editor."""
    source = request.form if request.method == "POST" else request.args
    text, example_slug = source.get("query", ""), source.get("example", "")
    example = find_example(queries_dir(), example_slug) if example_slug else None
    if example_slug and example is None:
        error = f"there is no example query called {example_slug!r}"
        return _page(_STARTER, None, error, status=404)
    if example is not None and not text:
        text = example.text
    if not text:
        return _page(_STARTER, None, None)
    if len(text) > MAX_QUERY_LENGTH:
        error = f"the query is {len(text)} characters long; at most {MAX_QUERY_LENGTH}"
        return _page(text, None, error, status=400)
    try:
        # The limits, gate and errors of /sparql (secgraph.web.protocol.execution).
        table = run_table(text)
    except ProtocolError as failure:
        return _page(text, None, f"the query could not be run: {failure.message}", failure.status)
    return _page(text, table, None)


def _page(text: str, table: Table | None, error: str | None, status: int = 200) -> Response:
    data: dict[str, Any] = {"query": text, "error": error, "result": _result(table, text)}
    return twin_response(
        "query.html",
        data,
        status=status,
        examples=examples(),
        prefixes=PREFIXES,
        share=url_for("query.query_page") + "?" + urlencode({"query": text}),
    )


def _result(table: Table | None, text: str) -> dict[str, Any] | None:
    if table is None:
        return None
    encoded = urlencode({"query": text})
    return {
        "form": table.form,
        "boolean": table.boolean,
        "columns": list(table.columns),
        "rows": [[_shown(cell) for cell in row] for row in table.rows],
        "truncated": table.truncated,
        "downloads": [
            {"label": label, "href": f"{url_for('sparql.query')}?{encoded}&format={name}"}
            for label, name in _DOWNLOADS[table.form]
        ],
        "views": [
            {"name": view, "href": f"{url_for('views.' + view)}?{encoded}"} for view in table.views
        ],
    }


def _shown(cell: Cell | None) -> dict[str, Any] | None:
    if cell is None:
        return None
    if cell.iri is not None:
        return {"iri": cell.iri, "href": href(cell.iri), "label": labels().label(cell.iri)}
    return {"value": cell.text, "datatype": cell.datatype, "language": cell.language}
