"""Resource pages over the shipped graph: each fact with its source and quotes beside it, links to
the views that fit; and the placing of citations beside rows (secgraph.web.pages.citing)."""

from __future__ import annotations

from xml.etree.ElementTree import Element

import pytest
from flask.testing import FlaskClient

from html_tree import parse_html, text_of
from paths import REPOSITORY
from secgraph.build.pipeline import BuiltGraph
from secgraph.config import Settings
from secgraph.web import create_app
from secgraph.web.pages.citing import Cited, citations_for
from secgraph.web.pages.terms import Provenance, Row, Shown

ROOT = REPOSITORY
FACT_SHEET = "https://w3id.org/secgraph/id/source-carsi-fact-sheet-2012"


@pytest.fixture
def ui(shipped_built: BuiltGraph) -> FlaskClient:
    return create_app(Settings(root=ROOT), shipped_built.store).test_client()


def _page(client: FlaskClient, url: str) -> Element:
    response = client.get(url, headers={"Accept": "text/html"})
    assert response.status_code == 200
    return parse_html(response.get_data(as_text=True))


def _fact_rows(page: Element) -> dict[tuple[str, str], Element]:
    """The asserted fact rows by (property, value) as the page reads them."""
    section = page.find(".//section[@id='asserted']")
    assert section is not None
    rows = {}
    for row in section.iter("tr"):
        cells = row.findall("td")
        if row.find("th") is not None and cells:
            rows[(text_of(row.find("th")), text_of(cells[0]))] = row  # type: ignore[arg-type]
    return rows


def test_each_fact_shows_the_quote_naming_it_and_its_source(ui: FlaskClient) -> None:
    page = _page(ui, "/id/carsi")
    rows = _fact_rows(page)
    label = rows[("label", "Central America Regional Security Initiative en")]
    quotes = [text_of(quote) for quote in label.iter("blockquote")]
    assert any("Central America Regional Security Initiative" in quote for quote in quotes)
    sources = {a.get("href") for cite in label.iter("cite") for a in cite.iter("a")}
    assert "/id/source-carsi-fact-sheet-2012" in sources
    civil = rows[("coordinated with", "civil society")]
    first = civil.find(".//td/figure/blockquote")
    assert first is not None, "the quote naming the value is open beside the fact"
    assert "civil society" in text_of(first)


def test_citations_are_no_longer_a_column_apart(ui: FlaskClient) -> None:
    page = _page(ui, "/id/carsi")
    assert page.find(".//aside[@id='citations']") is None
    asserted = page.find(".//section[@id='asserted']")
    assert asserted is not None
    figures = list(asserted.iter("figure"))
    placed = [figure for table in asserted.iter("table") for figure in table.iter("figure")]
    assert figures, "the page shows citations"
    assert len(placed) == len(figures), "every citation sits in a fact row"


def test_quotes_beside_a_fact_come_from_its_own_sources() -> None:
    source = Shown("Fact sheet", iri=FACT_SHEET)
    other = Shown("Another document", iri="https://w3id.org/secgraph/id/other-source")
    naming = Cited(Shown("CARSI"), source, "CARSI is coordinated with civil society.")
    unrelated = Cited(Shown("CARSI"), source, "It responds to these threats.")
    elsewhere = Cited(Shown("CARSI"), other, "Civil society was consulted.")
    row = Row(
        Shown("coordinated with"),
        Shown("Civil Society", iri="https://w3id.org/secgraph/id/civil-society"),
        Provenance(graph=Shown("graph:carsi"), source=source),
    )
    placed = citations_for(row, (), [naming, unrelated, elsewhere])
    assert placed.naming == (naming,)
    assert placed.others == (unrelated,)
    number = Row(Shown("goal number"), Shown("1"), Provenance(Shown("graph:carsi"), source))
    assert citations_for(number, (), [naming]).naming == ()
