"""Format choice: the formats the server writes, and which one a request gets; no I/O.

SPARQL 1.1 Protocol §2.1.5 and Graph Store Protocol §5.2 leave the choice to HTTP content
negotiation (RFC 9110 §12.5.1). A suffix (``/id/carsi.ttl``) wins over a `format` parameter,
which wins over Accept: a link or an address bar can set the first two, only a client program
the third.
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
    """One format the server writes: its media type, the names that ask for it, who writes it."""

    media_type: str
    """Media type without parameters, as offered to and matched against Accept."""
    names: tuple[str, ...]
    """Short names for the `format` parameter, e.g. ``("ttl", "turtle")``."""
    label: str
    """Human name, e.g. ``Turtle``."""
    extension: str
    """File suffix, for /id/<slug>.<extension> and dump file names."""
    serializer: Serializer | None = None
    """Who writes it: a results or an RDF format of pyoxigraph; None for HTML."""
    iri: str | None = None
    """W3C format identifier (sd:resultFormat, void:feature, dcterms:format)."""
    charset: bool = False
    """Whether the media type takes a charset parameter (text/* and XML types do)."""
    aliases: tuple[str, ...] = ()
    """Other media types clients send for it (e.g. application/json)."""

    @property
    def content_type(self) -> str:
        """The Content-Type header value: always UTF-8, said where the media type allows it."""
        return f"{self.media_type}; charset=utf-8" if self.charset else self.media_type

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)

    @property
    def rdf_format(self) -> ox.RdfFormat | None:
        """The RDF syntax it is, or None (results formats, HTML)."""
        return self.serializer if isinstance(self.serializer, ox.RdfFormat) else None

    @property
    def keeps_graphs(self) -> bool:
        """Whether it keeps each statement's graph by default (TriG, N-Quads)."""
        return self.serializer in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS)

    def answers(self, wanted: str) -> bool:
        """Whether ``wanted`` (a short name, a suffix, a label or a media type) designates it."""
        wanted = wanted.split(";")[0].strip().lower()
        return (
            wanted in self.names
            or wanted in self.media_types
            or wanted in (self.extension, self.label.lower())
        )


Q = ox.QueryResultsFormat
R = ox.RdfFormat
RESULTS_JSON = Format(
    "application/sparql-results+json",
    ("json", "srj"),
    "SPARQL JSON",
    "srj",
    Q.JSON,
    FORMATS.SPARQL_Results_JSON,
    aliases=("application/json",),
)
RESULTS_XML = Format(
    "application/sparql-results+xml",
    ("xml", "srx"),
    "SPARQL XML",
    "srx",
    Q.XML,
    FORMATS.SPARQL_Results_XML,
    charset=True,
    aliases=("application/xml", "text/xml"),
)
RESULTS_CSV = Format(
    "text/csv", ("csv",), "CSV", "csv", Q.CSV, FORMATS.SPARQL_Results_CSV, charset=True
)
RESULTS_TSV = Format(
    "text/tab-separated-values",
    ("tsv",),
    "TSV",
    "tsv",
    Q.TSV,
    FORMATS.SPARQL_Results_TSV,
    charset=True,
)
# Turtle is a subset of N3, so a client asking for N3 (SPARQLWrapper's N3 sends format=n3) can
# read Turtle.
TURTLE = Format(
    "text/turtle",
    ("ttl", "turtle", "n3"),
    "Turtle",
    "ttl",
    R.TURTLE,
    FORMATS.Turtle,
    charset=True,
    aliases=("application/x-turtle", "text/n3", "text/rdf+n3"),
)
N_TRIPLES = Format(
    "application/n-triples",
    ("nt", "ntriples", "n-triples"),
    "N-Triples",
    "nt",
    R.N_TRIPLES,
    FORMATS["N-Triples"],
)
JSON_LD = Format(
    "application/ld+json",
    ("jsonld", "json-ld", "json"),
    "JSON-LD",
    "jsonld",
    R.JSON_LD,
    FORMATS["JSON-LD"],
    aliases=("application/json",),
)
RDF_XML = Format(  # "rdf+xml": what SPARQLWrapper's RDFXML sends as format=
    "application/rdf+xml",
    ("rdfxml", "rdf", "xml", "rdf+xml"),
    "RDF/XML",
    "rdf",
    R.RDF_XML,
    FORMATS.RDF_XML,
    charset=True,
)
# Raptor's rapper (-i trig, -i nquads) still sends the types used before registration.
TRIG = Format(
    "application/trig",
    ("trig",),
    "TriG",
    "trig",
    R.TRIG,
    FORMATS.TriG,
    aliases=("application/x-trig",),
)
N_QUADS = Format(
    "application/n-quads",
    ("nq", "nquads", "n-quads"),
    "N-Quads",
    "nq",
    R.N_QUADS,
    FORMATS["N-Quads"],
    aliases=("text/x-nquads",),
)
HTML = Format(
    "text/html", ("html",), "HTML", "html", charset=True, aliases=("application/xhtml+xml",)
)

# The first format of each tuple is the default, for no Accept header or */* (SPARQL 1.1
# Protocol §2.1.5 leaves the default to the service).
SOLUTIONS_FORMATS = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV)
"""For SELECT."""
BOOLEAN_FORMATS = (RESULTS_JSON, RESULTS_XML)
"""For ASK: the CSV and TSV results formats are defined for SELECT results only (SPARQL 1.1
Query Results CSV and TSV Formats, abstract), so a boolean has no CSV or TSV form here."""
GRAPH_FORMATS = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML, TRIG, N_QUADS)
"""For CONSTRUCT, DESCRIBE and the service description; dataset formats hold the default graph."""
ALL_FORMATS = (*SOLUTIONS_FORMATS, *GRAPH_FORMATS)
"""Every format /sparql writes (sd:resultFormat)."""
PAGE = (HTML, TURTLE, JSON_LD, N_TRIPLES, RDF_XML, TRIG, N_QUADS)
"""A resource's page: HTML first, for browsers and for clients that accept anything."""
SINGLE_GRAPH = (TURTLE, N_TRIPLES, RDF_XML, JSON_LD)
"""One graph; Turtle when there is no Accept header (Graph Store Protocol §5)."""
DATASET = (TRIG, N_QUADS, JSON_LD)
"""Several graphs, each statement kept in its graph."""


class NotAcceptableError(Exception):
    """Nothing offered meets the `format` parameter or the Accept header (RFC 9110 §15.5.7)."""

    def __init__(self, asked: str, offered: Sequence[Format]) -> None:
        self.asked, self.offered = asked, tuple(offered)
        listed = ", ".join(f"{item.media_type} ({'/'.join(item.names)})" for item in offered)
        super().__init__(f"cannot answer {asked}; this is available as {listed}")


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
    accept = _without_parameters(accept)
    # Canonical media types first, so that a tie (e.g. */*) goes to the default format.
    candidates = [item.media_type for item in offered]
    candidates += [alias for item in offered for alias in item.aliases]
    best = accept.best_match(candidates)
    if best is None:
        raise NotAcceptableError(f"Accept: {accept.to_header()}", offered)
    return next(item for item in offered if item.answers(best))


def _without_parameters(accept: MIMEAccept) -> MIMEAccept:
    """``accept`` with each media range's parameters but q dropped: werkzeug matches a range
    with parameters only against a type with the same ones, so ``application/sparql-results+
    json;charset=utf-8`` (which some clients send) would match nothing offered. Every format
    here is written in UTF-8, the only charset a client could mean."""
    return MIMEAccept([(value.split(";")[0].strip(), quality) for value, quality in accept])


def by_suffix(path: str, offered: Sequence[Format]) -> tuple[str, Format] | None:
    """Split ``carsi.ttl`` into ``("carsi", TURTLE)`` when the suffix names an offered format."""
    stem, dot, suffix = path.rpartition(".")
    if not dot or not stem or "/" in suffix:
        return None
    found = next((item for item in offered if item.extension == suffix.lower()), None)
    return None if found is None else (stem, found)
