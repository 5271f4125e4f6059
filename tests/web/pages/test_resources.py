"""web/pages/resources.py: every secgraph IRI resolves to a page or RDF; one test per rule."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from html_tree import parse_html, text_of
from paths import REPOSITORY
from rdf_bodies import parse_body
from secgraph.build.pipeline import BuiltGraph
from secgraph.build.shapes import load_shapes_store
from secgraph.config import Settings
from secgraph.namespaces import BASE, GRAPH, ID, INFERRED_GRAPH, ONTOLOGY_GRAPH, RDFS, SG
from secgraph.store.embedded import Store
from secgraph.web import create_app
from secgraph.web.protocol.links import path_for_iri

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SOURCE_TITLE = "United States-Central American Dialogue on Security"
QUOTE = "SICA member states include Belize, Costa Rica, El Salvador, Guatemala, Honduras"
RDF_FORMATS = [
    ("ttl", "turtle", "text/turtle", ox.RdfFormat.TURTLE),
    ("jsonld", "jsonld", "application/ld+json", ox.RdfFormat.JSON_LD),
    ("nt", "ntriples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("rdf", "rdfxml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("trig", "trig", "application/trig", ox.RdfFormat.TRIG),
    ("nq", "nquads", "application/n-quads", ox.RdfFormat.N_QUADS),
]


def _assert_headers(response: TestResponse, status: int, media_type: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == media_type
    assert "Accept" in response.vary


def _page(client: FlaskClient, path: str) -> object:
    response = client.get(path, headers={"Accept": BROWSER})
    _assert_headers(response, 200, "text/html")
    return parse_html(response.get_data(as_text=True))


def _quads(response: TestResponse, rdf_format: ox.RdfFormat) -> list[ox.Quad]:
    return parse_body(response.get_data(), rdf_format)


def _nn(term: object) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def test_browser_gets_the_html_page(cited_client: FlaskClient) -> None:
    page = _page(cited_client, "/id/sica")
    assert text_of(page.find(".//h1")) == "Central American Integration System"
    assert text_of(page.find(".//p[@class='iri']/code")) == str(ID.sica)
    assert page.find(".//html").get("lang") == "en"
    types = page.find(".//p[@class='types']/a")
    assert (types.get("href"), text_of(types)) == ("/ontology#Organization", "Organization")


def test_page_names_a_machine_readable_twin_for_each_format(cited_client: FlaskClient) -> None:
    page = _page(cited_client, "/id/sica")
    twins = {link.get("type"): link.get("href") for link in page.iter("link")}
    for extension, _, media_type, _ in RDF_FORMATS:
        assert twins[media_type] == f"/id/sica.{extension}"
    response = cited_client.get("/id/sica", headers={"Accept": BROWSER})
    assert '</id/sica.ttl>; rel="alternate"; type="text/turtle"' in response.headers["Link"]


def test_page_shows_the_members_as_inferred_facts(cited_client: FlaskClient) -> None:
    inferred = _page(cited_client, "/id/sica").find(".//section[@id='inferred']")
    rows = inferred.findall(".//tr[@class='inferred']")
    members = {
        text_of(row.find("td/a")): text_of(row.find(".//span[@class='badge inferred']"))
        for row in rows
        if text_of(row.find("th")) == "has member"
    }
    assert members == {"Belize": "inferred", "Guatemala": "inferred", "Honduras": "inferred"}


def test_asserted_facts_name_the_source_document_of_their_graph(cited_client: FlaskClient) -> None:
    asserted = _page(cited_client, "/id/sica").find(".//section[@id='asserted']")
    label_row = next(
        row for row in asserted.iter("tr") if "Sistema de la Integración" in text_of(row)
    )
    source = label_row.find(".//span[@class='source']/a")
    assert (text_of(source), source.get("href")) == (SOURCE_TITLE, "/id/source-dialogue-2008")
    graph = label_row.find(".//span[@class='graph']/a")
    assert graph.get("href") == "/graph/dialogue-2008"
    assert label_row.find(".//span[@lang='es']") is not None
    assert asserted.find(".//span[@class='badge inferred']") is None


def test_incoming_links_carry_labels_graphs_and_citations(cited_client: FlaskClient) -> None:
    incoming = _page(cited_client, "/id/sica").find(".//section[@id='incoming']")
    rows = {
        text_of(row.find("th/a")): row
        for row in incoming.iter("tr")
        if row.find("th/a") is not None
    }
    assert {"Belize", "Guatemala", "Honduras", "Guatemala: member state of SICA"} <= set(rows)
    assert "graph:members" in text_of(rows["Honduras"])  # no source document recorded there
    membership = rows["Guatemala: member state of SICA"]
    assert QUOTE in text_of(membership.find(".//blockquote"))
    assert text_of(membership.find(".//cite")) == SOURCE_TITLE


def test_fact_node_page_shows_its_citations_beside_its_facts(cited_client: FlaskClient) -> None:
    page = _page(cited_client, "/id/membership-guatemala-sica")
    rows = page.find(".//section[@id='asserted']").iter("tr")
    member = next(
        row for row in rows if row.find("td/a") is not None and row.find("td/a").text == "Guatemala"
    )
    assert QUOTE in text_of(member.find(".//blockquote"))
    assert member.find(".//cite/a").get("href") == "/id/source-dialogue-2008"
    asserted = text_of(page.find(".//section[@id='asserted']"))
    assert "qualified derivation" not in asserted  # the citation is shown as such, not as a fact


def test_blank_node_values_are_shown_inside_the_page(cited_client: FlaskClient) -> None:
    page = _page(cited_client, "/id/carsi-safe-streets")
    nested = page.find(".//dl[@class='nested']")
    assert "an unnamed local partner" in text_of(nested)


def test_turtle_holds_the_outgoing_description_asserted_and_inferred(
    cited_client: FlaskClient,
) -> None:
    response = cited_client.get("/id/sica", headers={"Accept": "text/turtle"})
    _assert_headers(response, 200, "text/turtle")
    triples = {quad.triple for quad in _quads(response, ox.RdfFormat.TURTLE)}
    sica, label = _nn(ID.sica), _nn(RDFS.label)
    assert ox.Triple(sica, label, ox.Literal("Central American Integration System", language="en"))
    assert ox.Triple(sica, _nn(SG.hasMember), _nn(ID.belize)) in triples
    assert {triple.subject for triple in triples} == {sica}  # outgoing only, no incoming links


def test_trig_keeps_the_graph_of_each_statement(cited_client: FlaskClient) -> None:
    response = cited_client.get("/id/sica.trig")
    _assert_headers(response, 200, "application/trig")
    graphs = {
        (quad.predicate.value, quad.object.value): quad.graph_name.value
        for quad in _quads(response, ox.RdfFormat.TRIG)
    }
    assert graphs[(str(SG.hasMember), str(ID.belize))] == str(INFERRED_GRAPH)
    assert graphs[(str(RDFS.label), "Central American Integration System")] == str(
        GRAPH["dialogue-2008"]
    )


def test_rdf_of_a_fact_node_includes_its_citation_nodes(cited_client: FlaskClient) -> None:
    response = cited_client.get("/id/membership-guatemala-sica.nq")
    _assert_headers(response, 200, "application/n-quads")
    quotes = [q for q in _quads(response, ox.RdfFormat.N_QUADS) if q.predicate == _nn(SG.quote)]
    assert [quote.object.value[: len(QUOTE)] for quote in quotes] == [QUOTE]
    assert isinstance(quotes[0].subject, ox.BlankNode)
    assert quotes[0].graph_name == _nn(GRAPH["dialogue-2008"])


@pytest.mark.parametrize(("extension", "name", "media_type", "rdf_format"), RDF_FORMATS)
def test_suffix_and_format_parameter_pick_the_format(
    cited_client: FlaskClient,
    extension: str,
    name: str,
    media_type: str,
    rdf_format: ox.RdfFormat,
) -> None:
    for path in (
        f"/id/sica.{extension}",
        f"/id/sica?format={name}",
        f"/id/sica?format={extension}",
    ):
        response = cited_client.get(path, headers={"Accept": BROWSER})
        _assert_headers(response, 200, media_type)
        subjects = {quad.subject for quad in _quads(response, rdf_format)}
        assert subjects == {_nn(ID.sica)}, path


def test_no_accept_header_gets_html(cited_client: FlaskClient) -> None:
    _assert_headers(cited_client.get("/id/sica"), 200, "text/html")


def test_unknown_iri_is_404_in_html(cited_client: FlaskClient) -> None:
    response = cited_client.get("/id/unknown", headers={"Accept": BROWSER})
    _assert_headers(response, 404, "text/html")
    page = parse_html(response.get_data(as_text=True))
    assert text_of(page.find(".//h1")) == "Not found"
    assert text_of(page.find(".//p[@class='iri']/code")) == str(ID.unknown)


@pytest.mark.parametrize("path", ["/id/unknown", "/id/unknown.ttl"])
def test_unknown_iri_is_404_in_turtle(cited_client: FlaskClient, path: str) -> None:
    response = cited_client.get(path, headers={"Accept": "text/turtle"})
    _assert_headers(response, 404, "text/turtle")
    assert _quads(response, ox.RdfFormat.TURTLE) == []
    assert str(ID.unknown) in response.get_data(as_text=True)  # named in a comment


@pytest.mark.parametrize("path", ["/id/not an iri", "/ontology/not an iri", "/id/a%3Eb.ttl"])
def test_paths_that_make_no_iri_are_404(cited_client: FlaskClient, path: str) -> None:
    response = cited_client.get(path, headers={"Accept": "text/turtle"})
    _assert_headers(response, 404, "text/turtle")


def test_unacceptable_accept_returns_406(cited_client: FlaskClient) -> None:
    response = cited_client.get("/id/sica", headers={"Accept": "image/png"})
    _assert_headers(response, 406, "text/plain")
    assert "text/turtle" in response.get_data(as_text=True)


def test_unknown_format_parameter_returns_406(cited_client: FlaskClient) -> None:
    # One rule for every route, as on /sparql: a `format` nothing here can meet is 406.
    response = cited_client.get("/id/sica?format=png")
    _assert_headers(response, 406, "text/plain")
    assert "format=png" in response.get_data(as_text=True)


def test_head_answers_headers_without_a_body(cited_client: FlaskClient) -> None:
    response = cited_client.head("/id/sica", headers={"Accept": "text/turtle"})
    _assert_headers(response, 200, "text/turtle")
    assert response.get_data() == b""


def test_links_follow_the_mount_point(cited_client: FlaskClient) -> None:
    # Behind a proxy mounting the app at /kg, links inside pages must stay on this deployment.
    response = cited_client.get("/id/sica", base_url="http://localhost/kg/")
    page = parse_html(response.get_data(as_text=True))
    hrefs = {a.get("href") for a in page.iter("a")}
    assert {"/kg/id/belize", "/kg/graph/dialogue-2008", "/kg/id/sica.ttl"} <= hrefs
    assert not any(href.startswith("/id/") for href in hrefs)


def test_page_has_landmarks_and_one_heading_one(cited_client: FlaskClient) -> None:
    page = _page(cited_client, "/id/sica")
    assert page.find(".//main[@id='page-content']") is not None
    assert page.find(".//a[@class='skip']").get("href") == "#page-content"
    assert page.find(".//nav[@aria-label='Site']") is not None
    assert len(list(page.iter("h1"))) == 1
    for table in page.iter("table"):
        heading = page.find(f".//*[@id='{table.get('aria-labelledby')}']")
        assert heading is not None
        assert text_of(heading)
        assert all(th.get("scope") in ("row", "col") for th in table.iter("th"))


def test_ontology_page_anchors_each_term(cited_client: FlaskClient) -> None:
    page = _page(cited_client, "/ontology")
    country = page.find(".//section[@id='Country']")
    assert text_of(country.find("h3/a")) == "Country"
    assert "A sovereign state." in text_of(country)
    assert "Actor" in text_of(country.find("dl"))  # rdfs:subClassOf, linked by label
    assert text_of(page.find(".//h1")) == "secgraph test ontology"


def test_ontology_rdf_is_the_ontology_graph(
    cited_client: FlaskClient, cited_built: BuiltGraph
) -> None:
    response = cited_client.get("/ontology.nq")
    _assert_headers(response, 200, "application/n-quads")
    served = set(_quads(response, ox.RdfFormat.N_QUADS))
    stored = {q for q in _all_quads(cited_built) if q.graph_name == _nn(ONTOLOGY_GRAPH)}
    assert served == stored


@pytest.mark.parametrize(
    ("path", "status", "location"),
    [
        ("/ontology/Country", 301, "/ontology#Country"),
        ("/ontology/0.0.1", 302, "/ontology"),  # the owl:versionIRI
    ],
)
def test_ontology_subpaths_redirect(
    cited_client: FlaskClient, path: str, status: int, location: str
) -> None:
    response = cited_client.get(path)
    assert response.status_code == status
    assert response.headers["Location"] == location


def test_unknown_ontology_subpath_is_404(cited_client: FlaskClient) -> None:
    _assert_headers(
        cited_client.get("/ontology/Nothing", headers={"Accept": BROWSER}), 404, "text/html"
    )


def test_graph_page_says_which_source_it_holds(cited_client: FlaskClient) -> None:
    page = _page(cited_client, "/graph/dialogue-2008")
    holds = page.find(".//p[@class='holds']/a")
    assert (text_of(holds), holds.get("href")) == (SOURCE_TITLE, "/id/source-dialogue-2008")
    subjects = {text_of(h3) for h3 in page.iter("h3")}
    assert {"Belize", "Central American Integration System"} <= {
        s.split(" id:")[0] for s in subjects
    }


def test_graph_rdf_is_the_graph(cited_client: FlaskClient, cited_built: BuiltGraph) -> None:
    response = cited_client.get("/graph/members.nq")
    _assert_headers(response, 200, "application/n-quads")
    stored = {q for q in _all_quads(cited_built) if q.graph_name == _nn(GRAPH.members)}
    assert set(_quads(response, ox.RdfFormat.N_QUADS)) == stored


def test_unknown_graph_is_404(cited_client: FlaskClient) -> None:
    _assert_headers(cited_client.get("/graph/nothing.ttl"), 404, "text/turtle")


def test_shapes_page_lists_each_shape_with_its_messages(cited_client: FlaskClient) -> None:
    page = _page(cited_client, "/shapes")
    shape = page.find(".//section[@id='sg:AgreementShape']")
    assert "An agreement is signed by at least one actor." in text_of(shape)
    response = cited_client.get("/shapes", headers={"Accept": "text/turtle"})
    _assert_headers(response, 200, "text/turtle")
    node_shapes = {
        quad.subject.value
        for quad in _quads(response, ox.RdfFormat.TURTLE)
        if quad.object.value.endswith("#NodeShape")
    }
    assert node_shapes == {str(SG.ActorShape), str(SG.AgreementShape), str(SG.ProgramShape)}


def _all_quads(built: BuiltGraph) -> list[ox.Quad]:
    return list(ox.parse(built.store.dump(ox.RdfFormat.N_QUADS), ox.RdfFormat.N_QUADS))


def test_every_secgraph_iri_of_the_shipped_data_resolves(shipped_built: BuiltGraph) -> None:
    """Every IRI under the base that the shipped graph or shapes mention answers on its path:
    a page (or a redirect to one), and ``#Term`` fragments are anchors on that page."""
    settings = Settings(root=REPOSITORY)
    client = create_app(settings, shipped_built.store).test_client()
    shapes = load_shapes_store(settings)
    assert shapes is not None
    iris = _iris_under_base(shipped_built.store) | _iris_under_base(shapes)
    fragments: defaultdict[str, set[str]] = defaultdict(set)
    for iri in iris:
        path, _, fragment = (path_for_iri(iri) or "").partition("#")
        fragments[path].add(fragment)
    assert {"/ontology", "/shapes", "/id/sica", "/graph/us-sica-dialogue"} <= set(fragments)
    for path, anchors in sorted(fragments.items()):
        response = client.get(path, headers={"Accept": BROWSER}, follow_redirects=True)
        assert response.status_code == 200, path
        anchors.discard("")
        if anchors:
            ids = {
                element.get("id") for element in parse_html(response.get_data(as_text=True)).iter()
            }
            assert anchors <= ids, (path, sorted(anchors - ids)[:5])


def _iris_under_base(store: Store) -> set[str]:
    query = """SELECT DISTINCT ?x ?base WHERE {
      GRAPH ?g {
        { ?x ?p ?o } UNION { ?s ?x ?o } UNION { ?s ?p ?x } UNION { ?s ?p ?o BIND(?g AS ?x) }
      }
      FILTER(isIRI(?x) && STRSTARTS(STR(?x), ?base))
    }"""
    result = store.query(query, bindings={"base": ox.Literal(BASE)})
    assert isinstance(result, ox.QuerySolutions)
    return {row["x"].value for row in result}
