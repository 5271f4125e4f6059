"""Evaluate one query and serialize its result, capped at a row limit; no processes, no HTTP.

This is the work a query process does (``secgraph.query.runner``): what crosses the pipe is a
``QueryJob`` in and a ``QueryAnswer`` or ``QueryFailure`` out, plain picklable values.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Literal, NoReturn

import pyoxigraph as ox

from secgraph.namespaces import PREFIXES, XSD
from secgraph.sparql.gate import GateRefusalError
from secgraph.store.embedded import Store

ResultKind = Literal["solutions", "boolean", "graph"]
RESULTS_JSON = "application/sparql-results+json"
_XSD_STRING = str(XSD.string)
# Strings as pyoxigraph's JSON writer escapes them: quote, backslash and control characters only.
_json_string = json.JSONEncoder(ensure_ascii=False).encode


class QueryEvaluationError(Exception):
    """The query was accepted but failed while it was evaluated (e.g. a store I/O error)."""


class QueryResourceError(QueryEvaluationError):
    """The query process died before it answered: past its memory limit, or out of stack."""


@dataclass(frozen=True)
class QueryJob:
    """One query to answer, with the media type to write each kind of result in (None: the
    client accepts no format for that kind; the answer then carries the kind only)."""

    sparql: str
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()
    solutions_format: str | None = "application/sparql-results+json"
    boolean_format: str | None = "application/sparql-results+json"
    graph_format: str | None = "text/turtle"
    max_rows: int = 10_000


@dataclass(frozen=True)
class QueryAnswer:
    """A serialized result; ``truncated`` when rows (or triples) past ``max_rows`` were cut."""

    kind: ResultKind
    media_type: str | None
    body: bytes
    truncated: bool = False


@dataclass(frozen=True)
class QueryFailure:
    """Why a query was not answered: ``syntax`` (malformed), ``value`` (e.g. a bad graph IRI)
    or ``evaluation`` (failed while running)."""

    error: Literal["syntax", "value", "evaluation", "refused"]
    message: str
    status: int = 400
    code: str = ""
    """With ``refused``: the gate's HTTP status and error code (secgraph.sparql.gate)."""

    def raise_error(self) -> NoReturn:
        """Raise the exception the store itself would have raised."""
        if self.error == "refused":
            raise GateRefusalError(self.status, self.code, self.message)
        if self.error == "syntax":
            raise SyntaxError(self.message)
        if self.error == "value":
            raise ValueError(self.message)
        raise QueryEvaluationError(self.message)


def answer_query(store: Store, job: QueryJob) -> QueryAnswer | QueryFailure:
    """Evaluate ``job`` on ``store`` and serialize at most ``job.max_rows`` rows or triples."""
    try:
        result = store.query(
            job.sparql,
            default_graph_uris=job.default_graph_uris,
            named_graph_uris=job.named_graph_uris,
        )
    except SyntaxError as error:
        return QueryFailure("syntax", str(error))
    except GateRefusalError as error:
        return QueryFailure("refused", error.message, error.status, error.error)
    except ValueError as error:
        return QueryFailure("value", str(error))
    except RuntimeError as error:
        # What pyoxigraph refuses and secgraph.store.evaluation does not mend (more unknown
        # functions than it registers): the request's fault (400), not a crash of the query process.
        return QueryFailure("value", str(error))
    try:
        return _serialize(result, job)
    except (OSError, ValueError, SyntaxError, RuntimeError) as error:  # evaluation is lazy
        return QueryFailure("evaluation", str(error))


def _serialize(
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, job: QueryJob
) -> QueryAnswer:
    if isinstance(result, ox.QueryBoolean):
        media_type = job.boolean_format
        if media_type is None:
            return QueryAnswer("boolean", None, b"")
        fmt = ox.QueryResultsFormat.from_media_type(media_type)
        return QueryAnswer("boolean", media_type, result.serialize(format=fmt) or b"")
    if isinstance(result, ox.QuerySolutions):
        return _solutions(result, job)
    return _triples(result, job)


def _solutions(result: ox.QuerySolutions, job: QueryJob) -> QueryAnswer:
    media_type = job.solutions_format
    if media_type is None:
        return QueryAnswer("solutions", None, b"")
    variables = [variable.value for variable in result.variables]
    rows = list(islice(result, job.max_rows + 1))
    truncated = len(rows) > job.max_rows
    if media_type == RESULTS_JSON:  # the default format: written here, twice as fast
        body = results_json(variables, rows[: job.max_rows])
        if body is not None:
            return QueryAnswer("solutions", media_type, body, truncated)
    # pyoxigraph serializes only whole result iterators; the kept rows are handed to its
    # serializers as a TSV results document, its fastest to write from Python and to re-read.
    document = _results_tsv(variables, rows[: job.max_rows])
    kept = ox.parse_query_results(document, format=ox.QueryResultsFormat.TSV)
    body = kept.serialize(format=ox.QueryResultsFormat.from_media_type(media_type)) or b""
    return QueryAnswer("solutions", media_type, body, truncated)


def _triples(result: ox.QueryTriples, job: QueryJob) -> QueryAnswer:
    media_type = job.graph_format
    if media_type is None:
        return QueryAnswer("graph", None, b"")
    triples = list(islice(result, job.max_rows + 1))
    truncated = len(triples) > job.max_rows
    fmt = ox.RdfFormat.from_media_type(media_type)
    body = ox.serialize(triples[: job.max_rows], format=fmt, prefixes=PREFIXES) or b""
    return QueryAnswer("graph", media_type, body, truncated)


def _results_tsv(variables: Sequence[str], rows: Iterable[ox.QuerySolution]) -> str:
    """SPARQL 1.1 Query Results TSV (§3) of ``rows``: each term in its N-Triples form, which
    pyoxigraph writes with tabs and line breaks escaped, as TSV requires; unbound is empty."""
    count = len(variables)
    lines = ["\t".join("?" + name for name in variables)]
    lines += [
        "\t".join("" if (term := row[index]) is None else str(term) for index in range(count))
        for row in rows
    ]
    return "\n".join(lines) + "\n"


def results_json(variables: Sequence[str], rows: Iterable[ox.QuerySolution]) -> bytes | None:
    """SPARQL 1.1 Query Results JSON (§3) of ``rows``, byte for byte as pyoxigraph writes it
    (bindings in variable order, unbound variables left out, xsd:string unsaid, §3.2.2); None
    when a value is a triple term or has a base direction, which its serializer writes
    instead. Each distinct term is written once: result rows repeat terms."""
    names = [_json_string(name) + ":" for name in variables]
    written: dict[object, str] = {}
    bindings = []
    for row in rows:
        parts = []
        for index, name in enumerate(names):
            term = row[index]
            if term is None:
                continue
            text = written.get(term)
            if text is None:
                text = _json_term(term)
                if text is None:
                    return None
                written[term] = text
            parts.append(name + text)
        bindings.append("{" + ",".join(parts) + "}")
    head = ",".join(_json_string(name) for name in variables)
    document = '{"head":{"vars":[' + head + ']},"results":{"bindings":['
    return (document + ",".join(bindings) + "]}}").encode()


def _json_term(term: object) -> str | None:
    if isinstance(term, ox.NamedNode):
        return '{"type":"uri","value":' + _json_string(term.value) + "}"
    if isinstance(term, ox.Literal):
        if term.direction is not None:  # RDF 1.2 base direction: left to pyoxigraph
            return None
        literal = '{"type":"literal","value":' + _json_string(term.value)
        if term.language is not None:
            return literal + ',"xml:lang":' + _json_string(term.language) + "}"
        if term.datatype.value == _XSD_STRING:
            return literal + "}"
        return literal + ',"datatype":' + _json_string(term.datatype.value) + "}"
    if isinstance(term, ox.BlankNode):
        return '{"type":"bnode","value":' + _json_string(term.value) + "}"
    return None  # a triple term
