"""Views ``/views/timeline``, ``/views/chart``, ``/views/funding``, ``/views/network``: SVG drawn on
the server (readable without scripts), of a built-in query or of the user's ``?query=``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, request

from secgraph.namespaces import sparql_prologue
from secgraph.query.results import Table, to_table
from secgraph.web.pages.charts import (
    LABEL_WIDTH,
    NETWORK_SIZE,
    Node,
    place_bars,
    place_network,
    place_timeline,
)
from secgraph.web.pages.funding import FUNDING_AROUND, FUNDING_QUERY
from secgraph.web.pages.twins import twin_response
from secgraph.web.pages.ui import labels
from secgraph.web.pages.view_data import (
    KIND_TITLES,
    kind_of,
    measures,
    network_parts,
    timeline_items,
)
from secgraph.web.protocol.current import current_store
from secgraph.web.protocol.errors import ProtocolError
from secgraph.web.protocol.execution import run_table
from secgraph.web.protocol.links import href

blueprint = Blueprint("views", __name__, url_prefix="/views")
NEIGHBOUR_LIMIT = 60
_DATED = """
  { ?item sg:startDate ?date BIND("event" AS ?kind) }
  UNION { ?item sg:date ?date
          BIND(IF(EXISTS { ?item a sg:PolicyInstrument }, "agreement", "document") AS ?kind) }
  UNION { ?item sg:launchDate ?date BIND("launch" AS ?kind) }
  ?item rdfs:label ?itemLabel"""
TIMELINE_QUERY = (
    sparql_prologue()
    + "SELECT DISTINCT ?item ?itemLabel ?date ?kind WHERE {"
    + _DATED
    + "\n} ORDER BY ?date"
)
# The resource itself and what links to it or from it, both ways, that has a date. Each branch
# binds ?centre by a pattern, so a remote store's VALUES binding (joined after the branches,
# SPARQL 1.1 Query §18.6) gives what the embedded store's substitution gives.
TIMELINE_AROUND = (
    sparql_prologue()
    + "SELECT DISTINCT ?item ?itemLabel ?date ?kind ?centre WHERE {\n"
    + "  { ?centre a ?type BIND(?centre AS ?item) }\n"
    + "  UNION { ?centre ?p ?item } UNION { ?item ?q ?centre }"
    + _DATED
    + "\n} ORDER BY ?date"
)
# Links between instances only: classes, the ontology and the source documents' graphs would
# pull every resource into every neighbourhood.
_NEIGHBOURS = (
    sparql_prologue()
    + """SELECT DISTINCT ?centre ?other ?p ?outgoing WHERE {
  { ?centre ?p ?other BIND(true AS ?outgoing) } UNION { ?other ?p ?centre BIND(false AS ?outgoing) }
  FILTER(isIRI(?other) && STRSTARTS(STR(?other), STR(id:)) && ?other != ?centre)
} ORDER BY ?other ?p"""
)


@blueprint.get("/timeline")
def timeline() -> Response:
    """Events, agreements and launches by date (around ``?iri=`` when given); or the rows of
    ``?query=`` with a date column."""
    iri = request.args.get("iri")
    if iri and "query" not in request.args:
        table, query, error = _around(iri)
    else:
        table, query, error = _table(TIMELINE_QUERY)
    items = timeline_items(table) if table else []
    placed, height = place_timeline(items)
    data = {"query": query, "error": error, "items": [asdict(item) for item in items]}
    return twin_response("timeline.html", data, _status(error), placed=placed, height=height)


@blueprint.get("/chart")
def chart() -> Response:
    """A bar chart of the rows of ``?query=``: a number by label, split by a date or text."""
    return _chart("Chart", FUNDING_QUERY)


@blueprint.get("/funding")
def funding() -> Response:
    """U.S. funding by program (and kind of money) and fiscal period, in U.S. dollars; with
    ``?iri=``, only the records that resource takes part in (program, funder or recipient)."""
    iri = request.args.get("iri")
    if not iri or "query" in request.args:
        return _chart("Funding by program and fiscal year", FUNDING_QUERY)
    try:
        focus = ox.NamedNode(iri)
    except ValueError:
        return _chart_of("Funding", None, None, f"not an IRI: {iri!r}")
    table = to_table(current_store().query(FUNDING_AROUND, bindings={"focus": focus}))
    title = f"Funding: {labels().name(iri)}"
    return _chart_of(title, table, None, None, iri=iri)


@blueprint.get("/network")
def network() -> Response:
    """The neighbourhood of ``?iri=`` (its links to other resources, both ways), or the
    resources of ``?query=``'s rows linked along each row."""
    iri = request.args.get("iri", "")
    if iri and "query" not in request.args:
        return _neighbourhood(iri)
    table, query, error = _table(None)
    nodes, links = network_parts(table) if table else ([], [])
    placed, edges = place_network(nodes, links, None)
    data = _network_data(query, None, error, placed, edges)
    return twin_response("network.html", data, _status(error), **_drawing(placed, edges))


def _neighbourhood(iri: str) -> Response:
    try:
        centre = ox.NamedNode(iri)
    except ValueError:
        return _network_error(f"not an IRI: {iri!r}")
    result = current_store().query(_NEIGHBOURS, bindings={"centre": centre})
    rows = list(result) if isinstance(result, ox.QuerySolutions) else []
    if not rows and not labels().types(iri):
        return _network_error(f"nothing is known about {iri} here", status=404)
    names = labels()
    others = list(dict.fromkeys(row["other"].value for row in rows))[:NEIGHBOUR_LIMIT]
    nodes = [_node(key, names.name(key)) for key in [iri, *others]]
    links: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        other, outgoing = row["other"].value, row["outgoing"].value == "true"
        pair = (iri, other) if outgoing else (other, iri)
        links.setdefault(pair, []).append(names.name(row["p"].value))
    named = [(a, b, ", ".join(dict.fromkeys(props))) for (a, b), props in links.items()]
    placed, edges = place_network(nodes, named, iri)
    data = _network_data(None, iri, None, placed, edges)
    data["truncated"] = len({row["other"].value for row in rows}) > NEIGHBOUR_LIMIT
    return twin_response("network.html", data, **_drawing(placed, edges))


def _chart(title: str, default: str) -> Response:
    table, query, error = _table(default)
    return _chart_of(title, table, query, error)


def _chart_of(
    title: str, table: Table | None, query: str | None, error: str | None, iri: str | None = None
) -> Response:
    found = measures(table) if table else []
    bars, height = place_bars(found)
    data = {
        "title": title,
        "query": query,
        "iri": iri,
        "error": error,
        "measures": [{**asdict(item), "value": str(item.value)} for item in found],
    }
    return twin_response(
        "chart.html", data, _status(error), bars=bars, height=height, label_width=LABEL_WIDTH
    )


def _table(default: str | None) -> tuple[Table | None, str | None, str | None]:
    """Run ``?query=`` (or ``default``): the table, the user's query, an error message."""
    asked = request.args.get("query")
    text = asked or default
    if text is None:
        return None, asked, "give a SPARQL query (?query=) or a resource (?iri=)"
    try:
        # The limits, gate and errors of /sparql (secgraph.web.protocol.execution).
        return run_table(text), asked, None
    except ProtocolError as failure:
        return None, asked, PageError(f"the query could not be run: {failure.message}", failure)


class PageError(str):
    """A message a view shows instead of its drawing, with the status of the refusal behind it
    (a query past the time limit is 503, as on /sparql; other errors 400)."""

    status: int

    def __new__(cls, message: str, failure: ProtocolError | None = None) -> PageError:
        made = super().__new__(cls, message)
        made.status = 400 if failure is None else failure.status
        return made


def _status(error: str | None) -> int:
    if not error:
        return 200
    return error.status if isinstance(error, PageError) else 400


def _around(iri: str) -> tuple[Table | None, None, str | None]:
    try:
        centre = ox.NamedNode(iri)
    except ValueError:
        return None, None, f"not an IRI: {iri!r}"
    return to_table(current_store().query(TIMELINE_AROUND, bindings={"centre": centre})), None, None


def _node(key: str, label: str) -> Node:
    return Node(key, label, href(key), kind_of(labels().types(key)))


def _network_data(
    query: str | None, iri: str | None, error: str | None, nodes: list[Node], edges: list[Any]
) -> dict[str, Any]:
    return {
        "query": query,
        "iri": iri,
        "error": error,
        "nodes": [{"iri": node.key, "label": node.label, "kind": node.kind} for node in nodes],
        "edges": [
            {"source": e.source.key, "target": e.target.key, "label": e.label} for e in edges
        ],
    }


def _drawing(nodes: list[Node], edges: list[Any]) -> dict[str, Any]:
    return {"placed": nodes, "lines": edges, "size": NETWORK_SIZE, "kinds": KIND_TITLES}


def _network_error(message: str, status: int = 400) -> Response:
    data = _network_data(None, request.args.get("iri"), message, [], [])
    return twin_response("network.html", data, status, **_drawing([], []))
