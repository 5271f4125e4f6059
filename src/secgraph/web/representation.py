"""Choose a representation (suffix, ``?format=``, Accept) and write RDF; no queries, no HTML.

A suffix wins over ``?format=``, which wins over Accept (RFC 9110 §12.5.1); a link or an address
bar can set the first two, only a client program the third.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Request, Response

from secgraph.namespaces import FORMATS, PREFIXES


@dataclass(frozen=True)
class Representation:
    """One way of writing a resource: HTML (``rdf_format`` None) or an RDF syntax."""

    name: str
    label: str
    media_type: str
    extension: str
    rdf_format: ox.RdfFormat | None = None
    aliases: tuple[str, ...] = ()
    quads: bool = False
    """Whether it keeps the graph of each statement by default (TriG, N-Quads)."""
    format_iri: str | None = None
    """Its W3C format identifier (for void:feature, dcterms:format)."""

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)

    @property
    def names(self) -> frozenset[str]:
        """What ``?format=`` or a suffix may say to ask for it."""
        return frozenset({self.name, self.label.lower(), self.extension, *self.media_types})


def _rdf(rdf_format: ox.RdfFormat, name: str, w3c: str, *aliases: str) -> Representation:
    return Representation(
        name=name,
        label=rdf_format.name,
        media_type=rdf_format.media_type,
        extension=rdf_format.file_extension,
        rdf_format=rdf_format,
        aliases=aliases,
        quads=rdf_format in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS),
        format_iri=str(FORMATS[w3c]),
    )


HTML = Representation("html", "HTML", "text/html", "html", aliases=("application/xhtml+xml",))
TURTLE = _rdf(ox.RdfFormat.TURTLE, "turtle", "Turtle")
JSON_LD = _rdf(ox.RdfFormat.JSON_LD, "jsonld", "JSON-LD", "application/json")
N_TRIPLES = _rdf(ox.RdfFormat.N_TRIPLES, "ntriples", "N-Triples")
RDF_XML = _rdf(ox.RdfFormat.RDF_XML, "rdfxml", "RDF_XML")
TRIG = _rdf(ox.RdfFormat.TRIG, "trig", "TriG")
N_QUADS = _rdf(ox.RdfFormat.N_QUADS, "nquads", "N-Quads")

PAGE = (HTML, TURTLE, JSON_LD, N_TRIPLES, RDF_XML, TRIG, N_QUADS)
"""A resource's page: HTML first, for browsers and for clients that accept anything."""
SINGLE_GRAPH = (TURTLE, N_TRIPLES, RDF_XML, JSON_LD)
"""One graph; Turtle when there is no Accept header (Graph Store Protocol §5)."""
DATASET = (TRIG, N_QUADS, JSON_LD)
"""Several graphs, each statement kept in its graph."""
_COMMENTS = frozenset({TURTLE, N_TRIPLES, TRIG, N_QUADS})


class NotAcceptableError(Exception):
    """Nothing offered matches the Accept header (RFC 9110 §15.5.7: 406)."""

    def __init__(self, offered: Sequence[Representation]) -> None:
        self.offered = tuple(offered)
        super().__init__("acceptable: " + ", ".join(rep.media_type for rep in offered))


class UnknownFormatError(ValueError):
    """``?format=`` names no representation offered here (answered 400)."""

    def __init__(self, asked: str, offered: Sequence[Representation]) -> None:
        names = ", ".join(rep.extension for rep in offered)
        super().__init__(f"unknown format {asked!r}; this resource offers {names}")


def by_suffix(path: str, offered: Sequence[Representation]) -> tuple[str, Representation] | None:
    """Split ``carsi.ttl`` into ``("carsi", Turtle)`` when the suffix names an offered format."""
    stem, dot, suffix = path.rpartition(".")
    if not dot or not stem or "/" in suffix:
        return None
    found = next((rep for rep in offered if rep.extension == suffix.lower()), None)
    return None if found is None else (stem, found)


def choose(
    req: Request, offered: Sequence[Representation], fixed: Representation | None = None
) -> Representation:
    """The representation to answer with: ``fixed`` (from a suffix), else ``?format=``, else the
    best match for Accept (RFC 9110 §12.5.1), else the first offered when there is no Accept.

    Raises UnknownFormatError for a ``?format=`` not offered, NotAcceptableError when Accept
    rules out everything.
    """
    if fixed is not None:
        return fixed
    asked = req.args.get("format")
    if asked is not None:
        found = next((rep for rep in offered if asked.strip().lower() in rep.names), None)
        if found is None:
            raise UnknownFormatError(asked, offered)
        return found
    if not req.accept_mimetypes:
        return offered[0]
    # Canonical types before aliases: on a tie (*/*, application/*) the canonical one wins.
    candidates = [rep.media_type for rep in offered]
    candidates += [alias for rep in offered for alias in rep.aliases]
    best = req.accept_mimetypes.best_match(candidates)
    if best is None:
        raise NotAcceptableError(offered)
    return next(rep for rep in offered if best in rep.media_types)


def serialize(
    quads: Iterable[ox.Quad], rep: Representation, *, keep_graphs: bool | None = None
) -> bytes:
    """Write ``quads`` in an RDF representation. With ``keep_graphs`` (default: ``rep.quads``)
    a dataset format keeps each statement's graph; otherwise the graphs are merged."""
    if rep.rdf_format is None:
        raise ValueError(f"{rep.label} is not an RDF syntax")
    keep = rep.quads if keep_graphs is None else keep_graphs
    if keep and rep.rdf_format.supports_datasets:
        return ox.serialize(list(quads), format=rep.rdf_format, prefixes=PREFIXES) or b""
    triples = list(dict.fromkeys(quad.triple for quad in quads))  # merge graphs, keep order
    return ox.serialize(triples, format=rep.rdf_format, prefixes=PREFIXES) or b""


def rdf_response(
    quads: Iterable[ox.Quad],
    rep: Representation,
    *,
    status: int = 200,
    keep_graphs: bool | None = None,
) -> Response:
    """An RDF response in ``rep``, varying on Accept."""
    body = serialize(quads, rep, keep_graphs=keep_graphs)
    return negotiated(Response(body, status=status, mimetype=rep.media_type))


def empty_rdf(rep: Representation, comment: str) -> bytes:
    """A valid, empty document in ``rep``, starting with ``# comment`` where the syntax has
    comments (a 404 that RDF clients can still parse)."""
    head = f"# {comment}\n".encode() if rep in _COMMENTS else b""
    return head + serialize((), rep)


def negotiated(response: Response) -> Response:
    """Mark a response as chosen by Accept, so caches key on it (RFC 9110 §12.5.5)."""
    response.vary.add("Accept")
    return response


def plain(status: int, message: str) -> Response:
    """A short text/plain answer (errors), varying on Accept."""
    return negotiated(Response(message + "\n", status=status, mimetype="text/plain"))


def refusal(error: NotAcceptableError | UnknownFormatError) -> Response:
    """406 for NotAcceptableError, 400 for UnknownFormatError, each saying what is offered."""
    return plain(406 if isinstance(error, NotAcceptableError) else 400, str(error))
