"""The HTML front door over the shipped graph: home, search, query page and views, each with its
JSON twin; and the query page working as a plain form (no scripts)."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from paths import REPOSITORY
from secgraph.build.pipeline import BuiltGraph
from secgraph.config import Settings
from secgraph.web import create_app

ROOT = REPOSITORY
SICA = "https://w3id.org/secgraph/id/sica"


@pytest.fixture
def ui(shipped_built: BuiltGraph) -> FlaskClient:
    return create_app(Settings(root=ROOT), shipped_built.store).test_client()


def _json(client: FlaskClient, url: str) -> dict:  # type: ignore[type-arg]
    response = client.get(url, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    assert "Accept" in response.headers["Vary"]
    data: dict = json.loads(response.data)  # type: ignore[type-arg]
    return data


def test_home_lists_classes_sources_and_examples(ui: FlaskClient) -> None:
    data = _json(ui, "/")
    counts = {item["label"]: item["instances"] for item in data["classes"]}
    assert counts["country"] >= 7
    issued = [doc["issued"] for doc in data["sources"]]
    assert len(data["sources"]) == 5
    assert "2012-02-06" in issued
    assert issued[0] == "2012-02-06", "dated documents come first, oldest first"
    assert any(p["label"] for doc in data["sources"] for p in doc["publishers"])
    examples = {item["slug"]: item for item in data["examples"]}
    assert examples["event-timeline"]["title"] == "What happened when and where?"
    assert examples["event-timeline"]["run"] == "/query?example=event-timeline"


def test_home_html_has_search_box_and_run_links(ui: FlaskClient) -> None:
    page = ui.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert '<label for="home-q">' in page
    assert 'id="home-q"' in page
    assert 'href="/query?example=carsi-funding"' in page


def test_format_json_beats_accept(ui: FlaskClient) -> None:
    response = ui.get("/search?q=sica&format=json", headers={"Accept": "text/html"})
    assert response.mimetype == "application/json"


def test_search_is_accent_and_case_insensitive_and_ranked(ui: FlaskClient) -> None:
    data = _json(ui, "/search?q=PANAMÁ")
    assert data["folded"] == "panama"
    first = data["results"][0]
    assert (first["iri"], first["match"]) == ("https://w3id.org/secgraph/id/panama", "exact")
    kinds = [hit["match"] for hit in data["results"]]
    order = ["exact", "prefix", "word", "substring"]
    assert kinds == sorted(kinds, key=order.index)


def test_search_finds_alternative_labels(ui: FlaskClient) -> None:
    data = _json(ui, "/search?q=state department")
    hit = next(hit for hit in data["results"] if hit["alternative"])
    assert hit["matched"] == "State Department"
    assert hit["label"] != hit["matched"]


def test_search_refuses_overlong_text(ui: FlaskClient) -> None:
    response = ui.get("/search?q=" + "a" * 500, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "at most 200" in json.loads(response.data)["error"]


def test_query_form_post_renders_rows_without_scripts(ui: FlaskClient) -> None:
    query = "PREFIX sg: <https://w3id.org/secgraph/ontology#> SELECT ?c WHERE { ?c a sg:Country }"
    page = ui.post("/query", data={"query": query}).get_data(as_text=True)
    assert '<table class="results">' in page
    assert 'href="/id/guatemala"' in page
    assert "/sparql?query=" in page
    assert "format=csv" in page
    assert "/views/network?query=" in page, "IRIs in the result offer the network view"


def test_query_get_shares_and_reruns(ui: FlaskClient) -> None:
    query = "ASK { ?s ?p ?o }"
    page = ui.get("/query?query=" + quote(query)).get_data(as_text=True)
    assert '<strong class="answer">Yes</strong>' in page
    assert 'href="/query?query=ASK+%7B+%3Fs+%3Fp+%3Fo+%7D"' in page


def test_query_example_runs_and_offers_fitting_views(ui: FlaskClient) -> None:
    data = _json(ui, "/query?example=event-timeline")
    result = data["result"]
    assert result["columns"][:3] == ["event", "eventLabel", "startDate"]
    assert len(result["rows"]) > 3
    assert [view["name"] for view in result["views"]] == ["timeline", "network"]


def test_construct_offers_turtle_download(ui: FlaskClient) -> None:
    data = _json(ui, "/query?query=" + quote("CONSTRUCT WHERE { ?s a ?c } LIMIT 3"))
    assert data["result"]["form"] == "graph"
    assert "format=ttl" in data["result"]["downloads"][0]["href"]


def test_malformed_query_says_where(ui: FlaskClient) -> None:
    response = ui.get("/query?query=SELEC+x", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "could not be run" in json.loads(response.data)["error"]


def test_unknown_example_is_404(ui: FlaskClient) -> None:
    assert ui.get("/query?example=no-such-query").status_code == 404


def test_timeline_orders_dated_items(ui: FlaskClient) -> None:
    items = _json(ui, "/views/timeline")["items"]
    dates = [item["date"] for item in items]
    assert "2007-07-18" in dates
    assert "2008-12-12" in dates
    assert {item["kind"] for item in items} >= {"event", "agreement"}
    page = ui.get("/views/timeline").get_data(as_text=True)
    assert "<svg" in page
    assert ">2008</text>" in page


def test_funding_chart_counts_each_record_once(ui: FlaskClient) -> None:
    measures = _json(ui, "/views/funding")["measures"]
    carsi_2012 = [m for m in measures if m["series"] == "FY 2012" and "Regional" in m["category"]]
    assert [m["value"] for m in carsi_2012] == ["105000000"]
    assert "<rect" in ui.get("/views/funding").get_data(as_text=True)


def test_network_of_a_resource_links_both_ways(ui: FlaskClient) -> None:
    data = _json(ui, "/views/network?iri=" + quote(SICA))
    assert data["nodes"][0]["iri"] == SICA
    neighbours = {node["iri"] for node in data["nodes"][1:]}
    assert "https://w3id.org/secgraph/id/guatemala" in neighbours
    assert all(SICA in (edge["source"], edge["target"]) for edge in data["edges"])


def test_network_of_unknown_resource_is_404(ui: FlaskClient) -> None:
    response = ui.get("/views/network?iri=" + quote("https://example.org/nothing"))
    assert response.status_code == 404


def test_chart_of_a_query_with_numbers(ui: FlaskClient) -> None:
    query = (ROOT / "queries" / "funding-by-program-fiscal-year.rq").read_text(encoding="utf-8")
    measures = _json(ui, "/views/chart?query=" + quote(query))["measures"]
    assert measures
    assert all(float(m["value"]) > 0 for m in measures)


def test_timeline_around_a_resource_includes_itself_and_its_links(ui: FlaskClient) -> None:
    iri = "https://w3id.org/secgraph/id/us-sica-dialogue-2008"
    items = _json(ui, "/views/timeline?iri=" + quote(iri))["items"]
    hrefs = {item["href"] for item in items}
    assert "/id/us-sica-dialogue-2008" in hrefs
    assert len(hrefs) > 1


def test_a_fact_several_sources_state_is_one_row_naming_each(ui: FlaskClient) -> None:
    page = ui.get("/id/sica").get_data(as_text=True)
    asserted = page[page.index('id="asserted"') : page.index('id="inferred"')]
    label_rows = [row for row in asserted.split("<tr")[1:] if ">label</a>" in row]
    # The English name, which three sources state, is one row; the Spanish name is the links
    # graph's own row.
    english = [row for row in label_rows if "graph:links" not in row]
    assert len(english) == 1
    assert english[0].count('<span class="graph">') == 3
    assert len(label_rows) == 2


def test_resource_types_are_listed_once(ui: FlaskClient) -> None:
    page = ui.get("/id/sica").get_data(as_text=True)
    types = page[page.index('<p class="types">') :].split("</p>")[0]
    assert types.count("intergovernmental organization") == 1
