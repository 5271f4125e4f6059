"""Run a client's query, from any route, through the one gate and the query runner: nesting
limit, federation, time and memory limits, formats per result kind, the truncation signal, and
every failure as a documented HTTP error; no request parsing.

Every route that evaluates a query a client wrote (/sparql, the /query editor, the views'
``?query=``) comes through ``run_client_query``, so none reaches the store without the limits.

A result cut at the row cap is still a 200 with a valid document (as Virtuoso does with its
ResultSetMaxRows), and says so in the ``X-SPARQL-MaxRows`` header, Virtuoso's name for it, so
clients written for that server notice too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

import pyoxigraph as ox
from flask import Response, current_app, request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from secgraph.config import Settings
from secgraph.namespaces import PREFIXES
from secgraph.query.answer import (
    RESULTS_JSON,
    QueryAnswer,
    QueryEvaluationError,
    QueryJob,
    QueryResourceError,
    ResultKind,
)
from secgraph.query.federation import FederationError, FederationPolicy, resolve_services
from secgraph.query.results import ROW_LIMIT, Table, to_table
from secgraph.query.runner import QueryTimeoutError, RunnerBusyError
from secgraph.sparql.gate import GateRefusalError, check_nesting
from secgraph.web.protocol import metrics
from secgraph.web.protocol.errors import (
    ProtocolError,
    malformed_query,
    query_memory,
    query_timeout,
    server_busy,
)
from secgraph.web.protocol.limits import current_runner
from secgraph.web.protocol.links import public_url
from secgraph.web.protocol.negotiation import (
    BOOLEAN_FORMATS,
    GRAPH_FORMATS,
    SOLUTIONS_FORMATS,
    Format,
    NotAcceptableError,
    choose_format,
)

TRUNCATED_HEADER = "X-SPARQL-MaxRows"
OFFERED: dict[ResultKind, tuple[Format, ...]] = {
    "solutions": SOLUTIONS_FORMATS,
    "boolean": BOOLEAN_FORMATS,
    "graph": GRAPH_FORMATS,
}


def negotiate(offered: Sequence[Format], wanted: str | None) -> Format:
    """The format to answer in, or 406 listing what the result is available as (RFC 9110
    §15.5.7)."""
    try:
        return choose_format(request.accept_mimetypes, offered, wanted)
    except NotAcceptableError as error:
        raise ProtocolError(
            406,
            "not-acceptable",
            str(error),
            extra={"offered": [item.media_type for item in error.offered]},
        ) from None


def _acceptable(accept: MIMEAccept, offered: Sequence[Format], wanted: str | None) -> Format | None:
    try:
        return choose_format(accept, offered, wanted)
    except NotAcceptableError:
        return None  # decided once the kind of result is known


@lru_cache(maxsize=256)
def _choices(accept: str | None, wanted: str | None) -> dict[ResultKind, Format | None]:
    """The format for each kind of result, by the Accept header's text and `format`: a pure
    function of the two, worked out once per distinct pair (clients send few)."""
    parsed = parse_accept_header(accept, MIMEAccept)
    return {kind: _acceptable(parsed, offered, wanted) for kind, offered in OFFERED.items()}


def endpoint_prologue() -> str:
    """What the endpoint puts before a client's query, on its first line: SPARQL 1.1 Query
    §4.1.1.1 lets the service set the base IRI (the protocol tests expect it "MAY be the
    service endpoint"), and the prefixes of ``secgraph.namespaces.PREFIXES`` are predeclared,
    as the Wikidata Query Service does. A BASE or PREFIX of the query's own comes later and
    wins."""
    declared = "".join(f"PREFIX {name}: <{iri}> " for name, iri in PREFIXES.items())
    return f"BASE <{public_url(request.path)}> {declared}"


def run_client_query(
    query: str,
    *,
    default_graph_uris: Sequence[str] = (),
    named_graph_uris: Sequence[str] = (),
    formats: dict[ResultKind, str | None] | None = None,
    max_rows: int | None = None,
) -> QueryAnswer:
    """Answer a query a client wrote, as the /sparql endpoint does: every refusal and limit is
    raised as the ProtocolError the endpoint answers with."""
    runner = current_runner()
    settings: Settings = current_app.extensions["secgraph.settings"]
    prologue = endpoint_prologue()
    try:
        # Counted before any parser reads the text: a parser recurses once per level.
        check_nesting(query, settings.query_max_nesting)
        text = resolve_services(prologue + query, _federation_policy(settings), PREFIXES)
        chosen = formats or {}
        job = QueryJob(
            text,
            tuple(default_graph_uris),
            tuple(named_graph_uris),
            solutions_format=chosen.get("solutions", RESULTS_JSON),
            boolean_format=chosen.get("boolean", RESULTS_JSON),
            graph_format=chosen.get("graph", "application/n-triples"),
            max_rows=runner.limits.max_rows if max_rows is None else max_rows,
        )
        return runner.run(job)
    except GateRefusalError as error:
        column = error.column
        if error.line == 1 and column is not None:
            column = max(1, column - len(prologue))
        message = error.message
        if error.column is not None and column != error.column:
            message = message.replace(f"column {error.column}", f"column {column}", 1)
        raise ProtocolError(error.status, error.error, message, error.line, column) from None
    except FederationError as error:
        # 403 for an endpoint off the allowlist, 400 for a block it cannot take, 502 when the
        # remote endpoint fails or is too slow (RFC 9110 §15.6.3).
        raise ProtocolError(error.status, error.code, error.message) from None
    except SyntaxError as error:
        # §2.1.7: a malformed query is answered 400, with the parser's message and position.
        raise malformed_query(error, first_line_offset=len(prologue)) from None
    except QueryTimeoutError as error:
        metrics.count_query_timeout()
        raise query_timeout(error.limit) from None
    except RunnerBusyError as error:
        raise server_busy(error.limit) from None
    except QueryResourceError as error:
        raise query_memory(str(error)) from None
    except QueryEvaluationError as error:
        raise ProtocolError(500, "evaluation-failed", f"query evaluation failed: {error}") from None
    except ValueError as error:  # e.g. an invalid IRI in default-graph-uri
        raise ProtocolError(400, "invalid-request", str(error)) from None


def _federation_policy(settings: Settings) -> FederationPolicy:
    return FederationPolicy(
        allowlist=frozenset(settings.federation_allowlist),
        timeout=settings.federation_timeout,
        row_cap=settings.federation_row_cap,
    )


def run_table(query: str, limit: int = ROW_LIMIT) -> Table:
    """A client's query answered as a page shows it: at most ``limit`` rows, read back from
    the runner's answer (SPARQL JSON results, N-Triples)."""
    answer = run_client_query(query, max_rows=limit)
    if answer.kind == "graph":
        triples = [quad.triple for quad in ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES)]
        table = to_table(triples, limit)
    else:
        table = to_table(
            ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON), limit
        )
    return replace(table, truncated=table.truncated or answer.truncated)


def answer(
    sparql: str,
    *,
    default_graph_uris: Sequence[str],
    named_graph_uris: Sequence[str],
    wanted: str | None,
) -> Response:
    """Run a client's ``sparql`` (``run_client_query``) and answer it in the negotiated
    format."""
    runner = current_runner()
    chosen = _choices(request.headers.get("Accept"), wanted)
    media_types = {kind: None if item is None else item.media_type for kind, item in chosen.items()}
    result = run_client_query(
        sparql,
        default_graph_uris=default_graph_uris,
        named_graph_uris=named_graph_uris,
        formats=media_types,
    )
    picked = chosen[result.kind]
    if picked is None:
        negotiate(OFFERED[result.kind], wanted)  # raises the 406
        raise AssertionError("negotiation failed once and succeeded once")
    response = Response(result.body, content_type=picked.content_type)
    if result.truncated:
        response.headers[TRUNCATED_HEADER] = str(runner.limits.max_rows)
    return response
