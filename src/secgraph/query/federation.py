"""SERVICE (federated query) made safe: read every SERVICE from a parse of the query, refuse
targets off the allowlist before any request leaves, fetch allowed ones (timeout, row cap, no
redirects) and join their results back in as VALUES, so the engine itself never fetches anything.

Oxigraph evaluates SERVICE by fetching any URL a query names, from inside this host (request
forgery), with no hook to restrict it; so no query that still holds SERVICE reaches the engine
(``secgraph.sparql.gate.refuse_services`` stands in front of every store as well).
Nothing here knows about Flask; the endpoint maps the errors below to HTTP answers.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from secgraph.sparql.client import Http, RemoteError
from secgraph.sparql.gate import (
    Service,
    declared_base,
    declared_prefixes,
    locate_services,
    parse_query,
    refuse_services,
    services,
)
from secgraph.sparql.reading import may_mention

_RESULTS_JSON = "application/sparql-results+json"


class FederationError(Exception):
    """A SERVICE block cannot be evaluated; ``status`` is the HTTP answer it calls for."""

    def __init__(self, status: int, code: str, message: str) -> None:
        self.status, self.code, self.message = status, code, message
        super().__init__(message)


@dataclass(frozen=True)
class FederationPolicy:
    """Which endpoints SERVICE may reach, how long to wait and how many rows to take."""

    allowlist: Collection[str]
    timeout: float
    row_cap: int


@dataclass(frozen=True)
class ServiceBlock:
    """One outermost ``SERVICE [SILENT] <endpoint> { ... }``: offsets in the query and parts."""

    start: int
    end: int
    endpoint: str
    pattern: str
    silent: bool


def find_service_blocks(
    sparql: str, policy: FederationPolicy, prefixes: Mapping[str, str] | None = None
) -> tuple[list[ServiceBlock], str]:
    """The SERVICE blocks of ``sparql`` and the prologue their remote queries need, every
    endpoint checked against the allowlist (403) before anything is fetched."""
    if not may_mention(sparql, "service"):
        return [], ""
    tree = parse_query(sparql)
    found = services(tree, prefixes)
    if not found:
        return [], ""
    check_allowed(found, policy)
    blocks = []
    for service, (start, end) in zip(found, locate_services(sparql, found), strict=True):
        text = sparql[start:end]
        if service.endpoint is None:  # excluded by check_allowed
            raise FederationError(400, "invalid-service", "SERVICE without an endpoint")
        blocks.append(
            ServiceBlock(start, end, service.endpoint, text[text.index("{") :], service.silent)
        )
    return blocks, _prologue(tree, prefixes or {})


def check_allowed(found: list[Service], policy: FederationPolicy) -> None:
    """Refuse the first SERVICE whose endpoint is not an IRI on the allowlist; fetch nothing."""
    for service in found:
        if service.endpoint is None:
            raise FederationError(
                400,
                "invalid-service",
                f"SERVICE {service.written}: name the endpoint as a full IRI <...>, "
                "one on the allowlist",
            )
        if service.endpoint not in policy.allowlist:
            allowed = ", ".join(sorted(policy.allowlist)) or "none"
            raise FederationError(
                403,
                "service-not-allowed",
                f"SERVICE <{service.endpoint}> is not on this endpoint's allowlist ({allowed})",
            )


def resolve_services(
    sparql: str, policy: FederationPolicy, prefixes: Mapping[str, str] | None = None
) -> str:
    """Return ``sparql`` with every SERVICE block replaced by the VALUES its endpoint answered.

    Every endpoint is checked against the allowlist before the first request is sent, and the
    rewritten query is parsed again: it reaches the engine only when no SERVICE is left."""
    blocks, prologue = find_service_blocks(sparql, policy, prefixes)
    if not blocks:
        return sparql
    http = Http(timeout=policy.timeout, connect_timeout=policy.timeout)
    try:
        text = sparql
        for block in reversed(blocks):
            values = _fetch_as_values(block, prologue, policy, http)
            text = text[: block.start] + values + text[block.end :]
    finally:
        http.close()
    refuse_services(text)  # never hand the engine a SERVICE it would fetch by itself
    return text


def _prologue(tree: object, prefixes: Mapping[str, str]) -> str:
    # The remote query reads the block's prefixed names with the query's own BASE and PREFIX
    # declarations (SPARQL 1.1 Query §19.8, Prologue), written from the parse, and the
    # endpoint's predeclared ones.
    base = declared_base(tree)
    lines = [f"BASE <{base}>"] if base else []
    merged = {**prefixes, **declared_prefixes(tree)}
    lines += [f"PREFIX {name}: <{iri}>" for name, iri in merged.items()]
    return "\n".join(lines)


def _fetch_as_values(
    block: ServiceBlock, prologue: str, policy: FederationPolicy, http: Http
) -> str:
    # LIMIT cap + 1: enough to tell that the endpoint has more than the cap, never much more.
    remote_query = f"{prologue}\nSELECT * WHERE {block.pattern}\nLIMIT {policy.row_cap + 1}"
    try:
        answer = http.send(
            "POST",
            block.endpoint,
            data=remote_query.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query", "Accept": _RESULTS_JSON},
        )
    except RemoteError as error:
        if block.silent:  # Federated Query §4: a failing SILENT service is the empty solution
            return "VALUES () { () }"
        message = f"SERVICE <{block.endpoint}>: {error.problem}"
        raise FederationError(502, "service-failed", message) from None
    return _values_clause(block, answer.body, policy.row_cap)


def _values_clause(block: ServiceBlock, body: bytes, row_cap: int) -> str:
    try:
        solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as error:
        raise FederationError(
            502, "service-failed", f"SERVICE <{block.endpoint}> answered no SPARQL JSON: {error}"
        ) from None
    if not isinstance(solutions, ox.QuerySolutions):
        raise FederationError(502, "service-failed", f"SERVICE <{block.endpoint}> answered ASK")
    variables = list(solutions.variables)
    rows = [[_value(row[variable], block) for variable in variables] for row in solutions]
    if len(rows) > row_cap:
        raise FederationError(
            400,
            "service-row-cap",
            f"SERVICE <{block.endpoint}> matched more than {row_cap} rows (the row cap); "
            "narrow the pattern inside SERVICE",
        )
    # Terms are written by pyoxigraph (N-Triples syntax, escaped), never built from raw text.
    head = " ".join(str(variable) for variable in variables)
    data = " ".join("(" + " ".join(row) + ")" for row in rows)
    return f"VALUES ({head}) {{ {data} }}"


Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def _value(term: Term | None, block: ServiceBlock) -> str:
    if term is None:
        return "UNDEF"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return str(term)
    # A blank node of another endpoint names nothing here, and VALUES cannot hold one (§10.2.1).
    raise FederationError(
        502, "service-failed", f"SERVICE <{block.endpoint}> answered a blank node or triple term"
    )
