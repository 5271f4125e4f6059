"""web/negotiation.py: the client's Accept header picks the serialization."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from secgraph.web.negotiation import GRAPH_FORMATS, RESULTS_FORMATS, choose_format


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", "text/turtle"),
        ("*/*", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("text/turtle;q=0.5, application/n-triples", "application/n-triples"),
        ("application/*", "application/n-triples"),
        ("image/png", "text/turtle"),  # nothing offered matches: the default
    ],
)
def test_graph_format_follows_accept(accept: str, expected: str) -> None:
    chosen = choose_format(parse_accept_header(accept, MIMEAccept), GRAPH_FORMATS)
    assert chosen.media_type == expected


def test_results_default_to_sparql_json() -> None:
    chosen = choose_format(parse_accept_header("", MIMEAccept), RESULTS_FORMATS)
    assert chosen.media_type == "application/sparql-results+json"
