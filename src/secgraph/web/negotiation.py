"""Content negotiation: pick a serialization from a `format` parameter or Accept; no I/O.

SPARQL 1.1 Protocol §2.1.5 leaves the choice among result formats to HTTP content negotiation
(RFC 9110 §12.5.1); a `format` parameter, when given, overrides the Accept header because it is
the only thing a plain link or a browser address bar can set.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept

from secgraph.namespaces import FORMATS

Serializer = ox.QueryResultsFormat | ox.RdfFormat


@dataclass(frozen=True)
class Format:
    """One serialization the endpoint writes: what to call it, how to label it, who writes it."""

    media_type: str
    """Media type without parameters, as offered to and matched against Accept."""
    names: tuple[str, ...]
    """Short names for the `format` parameter, e.g. ``("ttl", "turtle")``."""
    iri: str
    """W3C format identifier (for sd:resultFormat)."""
    serializer: Serializer
    charset: bool = False
    """Whether the media type takes a charset parameter (text/* and XML types do)."""
    aliases: tuple[str, ...] = ()
    """Other media types clients send for it (e.g. application/json)."""

    @property
    def content_type(self) -> str:
        """The Content-Type header value: always UTF-8, said where the media type allows it."""
        return f"{self.media_type}; charset=utf-8" if self.charset else self.media_type

    def answers(self, wanted: str) -> bool:
        """Whether ``wanted`` (a short name or a media type) designates this format."""
        wanted = wanted.split(";")[0].strip().lower()
        return wanted in self.names or wanted == self.media_type or wanted in self.aliases


Q = ox.QueryResultsFormat
R = ox.RdfFormat
RESULTS_JSON = Format(
    "application/sparql-results+json",
    ("json", "srj"),
    FORMATS.SPARQL_Results_JSON,
    Q.JSON,
    aliases=("application/json",),
)
RESULTS_XML = Format(
    "application/sparql-results+xml",
    ("xml", "srx"),
    FORMATS.SPARQL_Results_XML,
    Q.XML,
    charset=True,
    aliases=("application/xml", "text/xml"),
)
RESULTS_CSV = Format("text/csv", ("csv",), FORMATS.SPARQL_Results_CSV, Q.CSV, charset=True)
RESULTS_TSV = Format(
    "text/tab-separated-values", ("tsv",), FORMATS.SPARQL_Results_TSV, Q.TSV, charset=True
)
# Turtle is a subset of N3, so a client asking for N3 (SPARQLWrapper's N3 sends format=n3) can
# read Turtle.
TURTLE = Format(
    "text/turtle",
    ("ttl", "turtle", "n3"),
    FORMATS.Turtle,
    R.TURTLE,
    True,
    ("application/x-turtle", "text/n3", "text/rdf+n3"),
)
N_TRIPLES = Format(
    "application/n-triples", ("nt", "ntriples", "n-triples"), FORMATS["N-Triples"], R.N_TRIPLES
)
JSON_LD = Format(
    "application/ld+json",
    ("jsonld", "json-ld", "json"),
    FORMATS["JSON-LD"],
    R.JSON_LD,
    aliases=("application/json",),
)
RDF_XML = Format(  # "rdf+xml": what SPARQLWrapper's RDFXML sends as format=
    "application/rdf+xml",
    ("rdfxml", "rdf", "xml", "rdf+xml"),
    FORMATS.RDF_XML,
    R.RDF_XML,
    charset=True,
)
TRIG = Format("application/trig", ("trig",), FORMATS.TriG, R.TRIG)
N_QUADS = Format("application/n-quads", ("nq", "nquads", "n-quads"), FORMATS["N-Quads"], R.N_QUADS)

# The first format of each tuple is the default, for no Accept header or */* (§2.1.5 leaves the
# default to the service).
SOLUTIONS_FORMATS = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV)
"""For SELECT."""
BOOLEAN_FORMATS = (RESULTS_JSON, RESULTS_XML)
"""For ASK: the CSV and TSV results formats are defined for SELECT results only (SPARQL 1.1
Query Results CSV and TSV Formats, abstract), so a boolean has no CSV or TSV form here."""
GRAPH_FORMATS = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML, TRIG, N_QUADS)
"""For CONSTRUCT, DESCRIBE and the service description; dataset formats hold the default graph."""
ALL_FORMATS = (*SOLUTIONS_FORMATS, *GRAPH_FORMATS)
"""Every format the endpoint writes (sd:resultFormat)."""


class NotAcceptableError(Exception):
    """Nothing offered meets the `format` parameter or the Accept header (RFC 9110 §15.5.7)."""

    def __init__(self, asked: str, offered: Sequence[Format]) -> None:
        self.asked, self.offered = asked, tuple(offered)
        listed = ", ".join(f"{item.media_type} ({'/'.join(item.names)})" for item in offered)
        super().__init__(f"cannot answer {asked}; this result is available as {listed}")


def choose_format(
    accept: MIMEAccept, offered: Sequence[Format], wanted: str | None = None
) -> Format:
    """Return the offered format that ``wanted`` (a `format` parameter) names, else the one the
    client ranks highest by Accept (quality values, wildcards); the first offered when there is
    no Accept header. Raises NotAcceptableError when neither can be met."""
    if wanted:
        found = next((item for item in offered if item.answers(wanted)), None)
        if found is None:
            raise NotAcceptableError(f"format={wanted}", offered)
        return found
    if not accept:
        return offered[0]
    # Canonical media types first, so that a tie (e.g. */*) goes to the default format.
    candidates = [item.media_type for item in offered]
    candidates += [alias for item in offered for alias in item.aliases]
    best = accept.best_match(candidates)
    if best is None:
        raise NotAcceptableError(f"Accept: {accept.to_header()}", offered)
    return next(item for item in offered if item.answers(best))
