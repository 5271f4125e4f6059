"""The funding chart: totals over the set-union default graph, filtered to one resource, and
reachable from resource pages and from query results whose shape fits."""

from __future__ import annotations

import json
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from paths import REPOSITORY
from secgraph.build.pipeline import BuiltGraph
from secgraph.config import Settings
from secgraph.namespaces import GRAPH, ID, RDF, RDFS, SG
from secgraph.store.embedded import OxigraphStore
from secgraph.web import create_app
from secgraph.web.pages.funding import FUNDING_AROUND, FUNDING_QUERY, has_funding

ROOT = REPOSITORY
CARSI = "https://w3id.org/secgraph/id/carsi"


@pytest.fixture
def ui(shipped_built: BuiltGraph) -> FlaskClient:
    return create_app(Settings(root=ROOT), shipped_built.store).test_client()


def _json(client: FlaskClient, url: str, status: int = 200) -> dict:  # type: ignore[type-arg]
    response = client.get(url, headers={"Accept": "application/json"})
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    data: dict = json.loads(response.data)  # type: ignore[type-arg]
    return data


def _nn(term: object) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def _record_stated_twice() -> OxigraphStore:
    """One funding record (100 USD, FY 2012) that two source graphs both state, word for word."""
    record, period, kind = _nn(ID["f-2012"]), _nn(ID["fy-2012"]), _nn(SG.CommittedFunds)
    amount = ox.Literal("100.0", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))
    triples = [
        (record, _nn(RDF.type), _nn(SG.Funding)),
        (record, _nn(SG.amount), amount),
        (record, _nn(SG.fiscalPeriod), period),
        (record, _nn(SG.fundingKind), kind),
        (record, _nn(SG.funder), _nn(ID["united-states"])),
        (period, _nn(RDFS.label), ox.Literal("FY 2012")),
        (kind, _nn(RDFS.label), ox.Literal("committed")),
    ]
    quads = [ox.Quad(*t, _nn(GRAPH[name])) for name in ("a", "b") for t in triples]
    return OxigraphStore.from_quads(quads)


def test_a_record_two_sources_state_is_summed_once() -> None:
    store = _record_stated_twice()
    rows = list(store.query(FUNDING_QUERY))  # type: ignore[arg-type]
    assert [(row["fiscalYear"].value, float(row["total"].value)) for row in rows] == [
        ("FY 2012", 100.0)
    ]
    around = store.query(FUNDING_AROUND, bindings={"focus": _nn(ID["united-states"])})
    assert [float(row["total"].value) for row in around] == [100.0]  # type: ignore[union-attr]
    assert has_funding(store, str(ID["united-states"]))
    assert not has_funding(store, str(ID["f-2012"]))


def test_funding_of_one_program_keeps_only_its_records(ui: FlaskClient) -> None:
    data = _json(ui, "/views/funding?iri=" + quote(CARSI))
    assert data["iri"] == CARSI
    by_year = {m["series"]: m["value"] for m in data["measures"]}
    assert by_year["FY 2012"] == "105000000", "the CARSI fact sheet: $105 million in FY 2012"
    assert {m["href"] for m in data["measures"]} == {"/id/carsi"}
    everything = _json(ui, "/views/funding")["measures"]
    assert len(everything) > len(data["measures"])


def test_funding_filter_refuses_a_non_iri(ui: FlaskClient) -> None:
    data = _json(ui, "/views/funding?iri=" + quote("not an iri"), status=400)
    assert "not an IRI" in data["error"]


def test_resource_pages_link_to_their_funding_where_it_fits(ui: FlaskClient) -> None:
    link = 'href="/views/funding?iri=' + quote(CARSI, safe=":/") + '"'
    assert link in ui.get("/id/carsi").get_data(as_text=True)
    funder = ui.get("/id/united-states").get_data(as_text=True)
    assert 'href="/views/funding?iri=' in funder
    assert "/views/funding?" not in ui.get("/id/sica").get_data(as_text=True)


def test_query_results_with_a_number_and_a_label_offer_the_chart(ui: FlaskClient) -> None:
    result = _json(ui, "/query?example=funding-by-program-fiscal-year")["result"]
    views = {view["name"]: view["href"] for view in result["views"]}
    assert views["chart"].startswith("/views/chart?query=")
    chart = _json(ui, views["chart"])
    assert chart["measures"]
