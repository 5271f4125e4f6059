"""web/protocol/negotiation.py: a `format` parameter, else the Accept header, picks the
serialization; then, over HTTP, every format of every query form, parsed back."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from test_sparql import (
    ASK,
    CONSTRUCT,
    DESCRIBE,
    EXPECTED_MEMBERS,
    JSON,
    MEMBERS,
    TEXT,
    XML,
    error_body,
    expect,
)
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from secgraph.namespaces import FORMATS, ID
from secgraph.web.protocol.negotiation import (
    ALL_FORMATS,
    BOOLEAN_FORMATS,
    GRAPH_FORMATS,
    SOLUTIONS_FORMATS,
    Format,
    NotAcceptableError,
    choose_format,
)


def _accept(header: str) -> MIMEAccept:
    return parse_accept_header(header, MIMEAccept)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", "text/turtle"),
        ("*/*", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("text/turtle;q=0.5, application/n-triples", "application/n-triples"),
        ("application/*", "application/n-triples"),
        ("application/rdf+xml, */*;q=0.1", "application/rdf+xml"),
        ("application/json", "application/ld+json"),
        ("application/x-turtle", "text/turtle"),
        ("text/rdf+n3", "text/turtle"),
        ("application/x-trig", "application/trig"),
        ("text/x-nquads", "application/n-quads"),
    ],
)
def test_graph_format_follows_accept(accept: str, expected: str) -> None:
    assert choose_format(_accept(accept), GRAPH_FORMATS).media_type == expected


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", "application/sparql-results+json"),
        ("text/*", "text/csv"),
        ("application/xml", "application/sparql-results+xml"),
        ("text/xml", "application/sparql-results+xml"),
        ("text/csv;q=0.2, text/tab-separated-values", "text/tab-separated-values"),
        ("application/sparql-results+json;charset=utf-8", "application/sparql-results+json"),
        ("application/sparql-results+xml; charset=UTF-8", "application/sparql-results+xml"),
        ("text/csv; charset=utf-8; header=present", "text/csv"),
        ("text/csv;charset=utf-8;q=0.1, text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_results_format_follows_accept(accept: str, expected: str) -> None:
    assert choose_format(_accept(accept), SOLUTIONS_FORMATS).media_type == expected


@pytest.mark.parametrize(
    ("wanted", "offered", "expected"),
    [
        ("json", SOLUTIONS_FORMATS, "application/sparql-results+json"),
        ("xml", BOOLEAN_FORMATS, "application/sparql-results+xml"),
        ("CSV", SOLUTIONS_FORMATS, "text/csv"),
        ("tsv", SOLUTIONS_FORMATS, "text/tab-separated-values"),
        ("ttl", GRAPH_FORMATS, "text/turtle"),
        ("turtle", GRAPH_FORMATS, "text/turtle"),
        ("nt", GRAPH_FORMATS, "application/n-triples"),
        ("ntriples", GRAPH_FORMATS, "application/n-triples"),
        ("jsonld", GRAPH_FORMATS, "application/ld+json"),
        ("json", GRAPH_FORMATS, "application/ld+json"),
        ("rdfxml", GRAPH_FORMATS, "application/rdf+xml"),
        ("xml", GRAPH_FORMATS, "application/rdf+xml"),
        ("trig", GRAPH_FORMATS, "application/trig"),
        ("nquads", GRAPH_FORMATS, "application/n-quads"),
        ("application/n-quads", GRAPH_FORMATS, "application/n-quads"),
        ("text/turtle; charset=utf-8", GRAPH_FORMATS, "text/turtle"),
    ],
)
def test_format_parameter_names_a_format(
    wanted: str, offered: tuple[Format, ...], expected: str
) -> None:
    # The parameter wins even over an Accept header it contradicts.
    chosen = choose_format(_accept("image/png"), offered, wanted)
    assert chosen.media_type == expected


def test_quality_zero_excludes_a_format() -> None:
    chosen = choose_format(_accept("text/turtle;q=0, */*"), GRAPH_FORMATS)
    assert chosen.media_type == "application/n-triples"


def test_nothing_acceptable_raises_listing_the_offer() -> None:
    with pytest.raises(NotAcceptableError) as caught:
        choose_format(_accept("image/png"), BOOLEAN_FORMATS)
    assert caught.value.offered == BOOLEAN_FORMATS
    assert "application/sparql-results+xml (xml/srx)" in str(caught.value)


def test_a_format_of_another_result_kind_is_not_acceptable() -> None:
    with pytest.raises(NotAcceptableError):
        choose_format(_accept(""), BOOLEAN_FORMATS, "csv")


def test_charset_is_declared_only_where_the_media_type_takes_one() -> None:
    declared = {item.media_type for item in ALL_FORMATS if "charset" in item.content_type}
    assert declared == {
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
        "text/turtle",
        "application/rdf+xml",
    }


def test_every_format_has_a_w3c_format_iri() -> None:
    assert all(str(item.iri).startswith(str(FORMATS)) for item in ALL_FORMATS)
    assert len({item.iri for item in ALL_FORMATS}) == len(ALL_FORMATS)


# HTTP: the negotiated formats on /sparql (SPARQL 1.1 Protocol §2.1.5-2.1.6).


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("json", JSON), ("xml", XML), ("tsv", "text/tab-separated-values; charset=utf-8")],
)
def test_select_in_every_parseable_results_format(
    client: FlaskClient, name: str, content_type: str
) -> None:
    response = client.get("/sparql", query_string={"query": MEMBERS, "format": name})
    expect(response, 200, content_type)
    results_format = ox.QueryResultsFormat.from_extension(name)
    assert results_format is not None
    solutions = ox.parse_query_results(response.get_data(), format=results_format)
    assert isinstance(solutions, ox.QuerySolutions)
    assert [row["member"].value for row in solutions] == EXPECTED_MEMBERS


def test_select_as_csv(client: FlaskClient) -> None:
    # CSV is lossy (no term types), so pyoxigraph will not parse it back: the csv module does.
    response = client.get(
        "/sparql", query_string={"query": MEMBERS}, headers={"Accept": "text/csv"}
    )
    expect(response, 200, "text/csv; charset=utf-8")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows == [["member"], *([iri] for iri in EXPECTED_MEMBERS)]


@pytest.mark.parametrize(("accept", "content_type"), [(JSON, JSON), ("application/xml", XML)])
def test_ask_as_json_or_xml(client: FlaskClient, accept: str, content_type: str) -> None:
    response = client.get("/sparql", query_string={"query": ASK}, headers={"Accept": accept})
    expect(response, 200, content_type)
    extension = "srj" if accept == JSON else "srx"
    results_format = ox.QueryResultsFormat.from_extension(extension)
    assert results_format is not None
    answer = ox.parse_query_results(response.get_data(), format=results_format)
    assert isinstance(answer, ox.QueryBoolean)
    assert bool(answer) is True


@pytest.mark.parametrize("wanted", ["csv", "tsv"])
def test_ask_in_csv_or_tsv_is_not_acceptable(client: FlaskClient, wanted: str) -> None:
    # The CSV/TSV results formats cover SELECT only; a boolean has no such form.
    response = client.get(
        "/sparql",
        query_string={"query": ASK, "format": wanted},
        headers={"Accept": "*/*, application/json"},
    )
    body = error_body(response, 406, "not-acceptable")
    assert body["offered"] == [JSON, "application/sparql-results+xml"]


GRAPH_CASES = [
    ("ttl", "text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
    ("nt", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD),
    ("rdfxml", "application/rdf+xml; charset=utf-8", ox.RdfFormat.RDF_XML),
    ("trig", "application/trig", ox.RdfFormat.TRIG),
    ("nquads", "application/n-quads", ox.RdfFormat.N_QUADS),
]


@pytest.mark.parametrize(("name", "content_type", "rdf_format"), GRAPH_CASES)
def test_construct_in_every_rdf_format(
    client: FlaskClient, name: str, content_type: str, rdf_format: ox.RdfFormat
) -> None:
    response = client.get("/sparql", query_string={"query": CONSTRUCT, "format": name})
    expect(response, 200, content_type)
    quads = list(ox.parse(response.get_data(), rdf_format))
    assert sorted(quad.subject.value for quad in quads) == EXPECTED_MEMBERS
    assert {quad.object.value for quad in quads} == {str(ID.sica)}


@pytest.mark.parametrize(("name", "content_type", "rdf_format"), GRAPH_CASES)
def test_describe_in_every_rdf_format(
    client: FlaskClient, name: str, content_type: str, rdf_format: ox.RdfFormat
) -> None:
    media_type = content_type.split(";")[0]
    response = client.get(
        "/sparql", query_string={"query": DESCRIBE}, headers={"Accept": media_type}
    )
    expect(response, 200, content_type)
    quads = list(ox.parse(response.get_data(), rdf_format))
    assert {quad.subject.value for quad in quads} == {str(ID.belize)}
    assert len(quads) >= 3


def test_construct_is_turtle_by_default(client: FlaskClient) -> None:
    # No Accept header, or */*: the service's default (§2.1.5 leaves it to the service).
    for headers in ({}, {"Accept": "*/*"}):
        response = client.get("/sparql", query_string={"query": CONSTRUCT}, headers=headers)
        expect(response, 200, "text/turtle; charset=utf-8")


def test_format_parameter_beats_accept(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": MEMBERS, "format": "xml"}, headers={"Accept": JSON}
    )
    expect(response, 200, XML)


def test_format_parameter_takes_a_media_type(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": CONSTRUCT, "format": "application/n-triples"}
    )
    expect(response, 200, "application/n-triples")


def test_quality_values_rank_the_formats(client: FlaskClient) -> None:
    accept = "application/sparql-results+json;q=0.5, text/tab-separated-values;q=0.9, */*;q=0.1"
    response = client.get("/sparql", query_string={"query": MEMBERS}, headers={"Accept": accept})
    expect(response, 200, "text/tab-separated-values; charset=utf-8")


def test_unacceptable_accept_returns_406_listing_the_formats(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": "image/png"}
    )
    expect(response, 406, TEXT)
    text = response.get_data(as_text=True)
    assert "image/png" in text
    assert "text/turtle" in text
    assert "application/n-quads" in text


def test_unknown_format_returns_406(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": MEMBERS, "format": "yaml"}, headers={"Accept": JSON}
    )
    body = error_body(response, 406, "not-acceptable")
    assert "format=yaml" in str(body["message"])


ALIASES = [
    ("application/x-trig", "application/trig"),
    ("text/x-nquads", "application/n-quads"),
    ("text/rdf+n3", "text/turtle"),
    ("application/x-turtle", "text/turtle"),
]


@pytest.mark.parametrize(("alias", "media_type"), ALIASES)
def test_every_rdf_route_answers_the_media_types_clients_in_the_wild_send(
    client: FlaskClient, alias: str, media_type: str
) -> None:
    """rapper's -i trig / -i nquads and older clients send these instead of the registered
    types: each route that writes RDF answers them as it answers the registered type."""
    routes = [
        ("/id/sica", {}),
        ("/sparql", {"query": CONSTRUCT}),
        ("/sparql", {"query": DESCRIBE}),
        ("/data", {"default": ""}),
        ("/data", {"graph": "https://w3id.org/secgraph/graph/carsi-fact-sheet-2012"}),
    ]
    answered = 0
    for path, arguments in routes:
        by_alias = client.get(path, query_string=arguments, headers={"Accept": alias})
        registered = client.get(path, query_string=arguments, headers={"Accept": media_type})
        assert by_alias.status_code == registered.status_code, path
        assert by_alias.mimetype == registered.mimetype, path
        if registered.status_code == 200:  # an error body names the Accept header it refuses
            assert by_alias.get_data() == registered.get_data(), path
        answered += by_alias.status_code == 200 and by_alias.mimetype == media_type
    assert answered >= 3  # /id/ and both /sparql forms write every RDF format


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+json;charset=utf-8", "application/sparql-results+json"),
        ("application/sparql-results+xml; charset=UTF-8", "application/sparql-results+xml"),
        ("text/turtle; charset=utf-8", "text/turtle"),
    ],
)
def test_a_charset_parameter_in_accept_is_no_406(
    client: FlaskClient, accept: str, media_type: str
) -> None:
    """Clients that name the charset in Accept get the format (every format is UTF-8)."""
    query = MEMBERS if "results" in media_type else CONSTRUCT
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == media_type
