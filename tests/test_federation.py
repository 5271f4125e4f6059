"""web/federation.py: SERVICE is found outside strings and IRIs; syntax checked, nothing fetched."""

from __future__ import annotations

import pytest

from secgraph.web.federation import check_syntax, service_spans


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("SELECT * { SERVICE <http://example.org/s> { ?s ?p ?o } }", 1),
        ("select * { service silent ?endpoint { ?s ?p ?o } }", 1),
        ("SELECT * { ?s ?p 'SERVICE' }", 0),
        ('SELECT * { ?s ?p """a\nSERVICE b""" }', 0),
        ("SELECT * { ?s <http://example.org/SERVICE> ?o }", 0),
        ("PREFIX ex: <http://example.org/> SELECT * { ?s ex:SERVICE ?service }", 0),
        ("SELECT * { ?s ?p ?o } # SERVICE <x>", 0),
    ],
)
def test_service_keyword_is_found_only_where_it_is_a_keyword(query: str, count: int) -> None:
    assert len(service_spans(query)) == count


def test_a_valid_service_query_passes_the_check() -> None:
    query = "SELECT * {\n  SERVICE SILENT\n <http://192.0.2.1/sparql> { ?s ?p ?o } }"
    check_syntax(query, service_spans(query))  # would hang or fail if it fetched anything


def test_a_malformed_service_query_fails_where_the_parser_says() -> None:
    query = "SELECT * {\n  SERVICE <http://example.org/s> { ?s ?p } }"
    with pytest.raises(SyntaxError, match="error at 2:"):
        check_syntax(query, service_spans(query))
