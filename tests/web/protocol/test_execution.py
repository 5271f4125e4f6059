"""web/protocol/execution.py: the format chosen per kind of result, worked out once per Accept
text."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from secgraph.web.protocol.execution import OFFERED, _choices
from secgraph.web.protocol.negotiation import NotAcceptableError, choose_format

ACCEPTS = [
    None,
    "",
    "*/*",
    "application/sparql-results+json",
    "application/json",
    "text/csv",
    "text/csv;q=0.5, application/sparql-results+xml",
    "application/sparql-results+json, application/n-triples;q=0.9",
    "text/turtle, */*;q=0.1",
    "application/ld+json",
    "text/html",
    "image/png",
    "application/xml;q=0.2, text/*;q=0.3",
]


def _fresh(accept: str | None, wanted: str | None) -> dict[str, str | None]:
    parsed = parse_accept_header(accept, MIMEAccept)
    chosen: dict[str, str | None] = {}
    for kind, offered in OFFERED.items():
        try:
            chosen[kind] = choose_format(parsed, offered, wanted).media_type
        except NotAcceptableError:
            chosen[kind] = None
    return chosen


@pytest.mark.parametrize("wanted", [None, "csv", "json", "xml", "ttl", "nope"])
@pytest.mark.parametrize("accept", ACCEPTS)
def test_remembered_choice_is_the_choice_made_afresh(
    accept: str | None, wanted: str | None
) -> None:
    for _ in range(2):  # worked out, then remembered
        remembered = _choices(accept, wanted)
        assert {k: None if f is None else f.media_type for k, f in remembered.items()} == _fresh(
            accept, wanted
        )
