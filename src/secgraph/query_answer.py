"""Evaluate one query and serialize its result, capped at a row limit; no processes, no HTTP.

This is the work a query process does (``secgraph.query_runner``): what crosses the pipe is a
``QueryJob`` in and a ``QueryAnswer`` or ``QueryFailure`` out, plain picklable values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Literal, NoReturn

import pyoxigraph as ox

from secgraph.namespaces import PREFIXES
from secgraph.store import Store

ResultKind = Literal["solutions", "boolean", "graph"]


class QueryEvaluationError(Exception):
    """The query was accepted but failed while it was evaluated (e.g. a store I/O error)."""


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

    def format_for(self, kind: ResultKind) -> str | None:
        return {
            "solutions": self.solutions_format,
            "boolean": self.boolean_format,
            "graph": self.graph_format,
        }[kind]


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

    error: Literal["syntax", "value", "evaluation"]
    message: str

    def raise_error(self) -> NoReturn:
        """Raise the exception the store itself would have raised."""
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
    except ValueError as error:
        return QueryFailure("value", str(error))
    try:
        return _serialize(result, job)
    except (OSError, ValueError, SyntaxError) as error:  # evaluation is lazy: errors surface here
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
