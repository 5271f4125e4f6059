"""SERVICE (federated query) made safe: find each SERVICE block, refuse targets off the
allowlist before any request leaves, fetch allowed ones (timeout, row cap) and join their results
back in as VALUES, so the engine itself never fetches anything.

Oxigraph evaluates SERVICE by fetching any URL a query names, from inside this host (request
forgery), with no hook to restrict it; so no query that still holds SERVICE reaches the engine.
Nothing here knows about Flask; the endpoint maps the errors below to HTTP answers.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

import pyoxigraph as ox

from secgraph.sparql_http import Http, RemoteError

# Strings, IRIs and comments can hide the word SERVICE; they are blanked (same length, line
# breaks kept) before looking for it, as store.has_dataset_clause does for FROM.
_HIDING = re.compile(
    r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|<[^<>\"{}|^`\\\s]*>|#[^\n]*",
    re.DOTALL,
)
# SPARQL 1.1 Federated Query, ServiceGraphPattern: 'SERVICE' 'SILENT'? VarOrIri GroupGraphPattern.
_SERVICE = re.compile(r"(?<![\w:?$.-])SERVICE(?:\s+(SILENT))?(?![\w:.-])", re.IGNORECASE)
_QUERY_FORM = re.compile(r"(?<![\w:?$.-])(?:SELECT|CONSTRUCT|ASK|DESCRIBE)(?![\w:.-])", re.I)
_TARGET = re.compile(r"\s*(<[^<>\"{}|^`\\\s]*>|[?$]\w+|\S+)")
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
    """One top-level ``SERVICE [SILENT] <endpoint> { ... }``: offsets in the query and parts."""

    start: int
    end: int
    endpoint: str
    pattern: str
    silent: bool


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group())


def service_spans(sparql: str) -> list[tuple[int, int]]:
    """Start and end offsets of each ``SERVICE [SILENT]`` keyword outside strings and IRIs."""
    # Most queries never spell it: no need to blank their strings and IRIs. "serv", not
    # "service": the pattern's case-insensitive I also matches U+0130 and U+0131.
    if "serv" not in sparql.casefold():
        return []
    visible = _HIDING.sub(_blank, sparql)
    return [match.span() for match in _SERVICE.finditer(visible)]


def check_syntax(sparql: str, spans: list[tuple[int, int]]) -> None:
    """Raise the parser's SyntaxError if ``sparql`` is malformed, evaluating nothing remote.

    Each SERVICE keyword becomes GRAPH, padded to the same length so that the parser's line and
    column stay those of the client's text; the two patterns share a grammar shape (VarOrIri
    GroupGraphPattern), and the rewritten query runs on an empty store."""
    text = sparql
    for start, end in reversed(spans):
        keyword = "GRAPH" + re.sub(r"[^\n]", " ", text[start + len("GRAPH") : end])
        text = text[:start] + keyword + text[end:]
    ox.Store().query(text)


def find_service_blocks(sparql: str) -> list[ServiceBlock]:
    """The top-level SERVICE blocks of a syntactically valid query (nested ones travel inside)."""
    visible = _HIDING.sub(_blank, sparql)
    blocks: list[ServiceBlock] = []
    for match in _SERVICE.finditer(visible):
        if blocks and match.start() < blocks[-1].end:
            continue  # inside the previous block: the remote endpoint evaluates it
        target = _TARGET.match(sparql, match.end())
        if target is None:
            raise FederationError(400, "invalid-service", "SERVICE without an endpoint")
        endpoint = target.group(1)
        if not (endpoint.startswith("<") and endpoint.endswith(">")):
            raise FederationError(
                400,
                "invalid-service",
                f"SERVICE {endpoint}: name the endpoint as a full IRI <...>, one on the allowlist",
            )
        open_brace = visible.index("{", target.end())
        close_brace = _matching_brace(visible, open_brace)
        blocks.append(
            ServiceBlock(
                start=match.start(),
                end=close_brace + 1,
                endpoint=endpoint[1:-1],
                pattern=sparql[open_brace : close_brace + 1],
                silent=match.group(1) is not None,
            )
        )
    return blocks


def _matching_brace(visible: str, open_brace: int) -> int:
    depth = 0
    for position in range(open_brace, len(visible)):
        if visible[position] == "{":
            depth += 1
        elif visible[position] == "}":
            depth -= 1
            if depth == 0:
                return position
    raise FederationError(400, "invalid-service", "SERVICE block without its closing brace")


def check_allowed(blocks: list[ServiceBlock], policy: FederationPolicy) -> None:
    """Refuse (403) the first block whose endpoint is not on the allowlist; fetch nothing."""
    for block in blocks:
        if block.endpoint not in policy.allowlist:
            allowed = ", ".join(sorted(policy.allowlist)) or "none"
            raise FederationError(
                403,
                "service-not-allowed",
                f"SERVICE <{block.endpoint}> is not on this endpoint's allowlist ({allowed})",
            )


def resolve_services(sparql: str, policy: FederationPolicy) -> str:
    """Return ``sparql`` with every SERVICE block replaced by the VALUES its endpoint answered.

    Every endpoint is checked against the allowlist before the first request is sent."""
    blocks = find_service_blocks(sparql)
    check_allowed(blocks, policy)
    prologue = _prologue(sparql)
    http = Http(timeout=policy.timeout, connect_timeout=policy.timeout)
    try:
        text = sparql
        for block in reversed(blocks):
            values = _fetch_as_values(block, prologue, policy, http)
            text = text[: block.start] + values + text[block.end :]
    finally:
        http.close()
    if service_spans(text):  # never hand the engine a SERVICE it would fetch by itself
        raise FederationError(400, "invalid-service", "SERVICE left after rewriting the query")
    return text


def _prologue(sparql: str) -> str:
    # BASE and PREFIX declarations precede the query form (SPARQL 1.1 Query §19.8, Prologue); the
    # remote query needs them to read the block's prefixed names.
    form = _QUERY_FORM.search(_HIDING.sub(_blank, sparql))
    return sparql[: form.start()] if form else ""


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
