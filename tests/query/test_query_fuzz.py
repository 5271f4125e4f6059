"""Property-based tests of the query path: random and mutated SPARQL texts, parameters, methods,
content types and Accept headers never get a 500 (Internal Server Error)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from flask import Flask
from hypothesis import HealthCheck, event, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from paths import REPOSITORY
from secgraph.build.pipeline import BuiltGraph
from secgraph.config import Settings
from secgraph.web import create_app

QUERIES = REPOSITORY / "queries"
SEEDS = [path.read_text(encoding="utf-8") for path in sorted(QUERIES.glob("*.rq"))] + [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
    "ASK { ?s a ?c }",
    "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2",
    "DESCRIBE <https://w3id.org/secgraph/id/sica>",
    "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 2",
]
TOKENS = [
    *"{}()<>\"'?$#.;,*=!&|^@+-/\\\n\t ",
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "FILTER", "OPTIONAL", "UNION", "GRAPH",
    "FROM", "NAMED", "SERVICE", "VALUES", "BIND", "LIMIT", "OFFSET", "ORDER BY", "GROUP BY",
    "PREFIX", "BASE", "LOAD", "INSERT DATA", "COUNT(*)", "<<", ">>", "a", "_:b", "1e9", '"x"@en',
]  # fmt: skip
ACCEPTS = [
    "*/*", "application/json", "application/sparql-results+json", "application/sparql-results+xml",
    "text/csv", "text/tab-separated-values", "text/turtle", "application/n-triples",
    "application/ld+json", "application/rdf+xml", "application/trig", "application/n-quads",
    "text/html", "image/png", "text/*;q=0.1", "application/*, */*;q=0", "",
]  # fmt: skip
FORMATS = ["json", "xml", "csv", "tsv", "ttl", "nt", "jsonld", "rdfxml", "trig", "nquads", "n3"]
# A refusal the server means: 501 for SERVICE (not offered), 503 for a query stopped at the limit.
MEANT_5XX = {501, 503}

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)
header_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=60)


@st.composite
def mutated_queries(draw: st.DrawFn) -> str:
    """A seed query with a few characters or tokens deleted, inserted or replaced."""
    query = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(query)))
        end = draw(st.integers(start, min(len(query), start + 20)))
        insert = draw(st.sampled_from(TOKENS) | text.map(lambda value: value[:5]) | st.just(""))
        query = query[:start] + insert + query[end:]
    return query


queries = st.one_of(mutated_queries(), text, st.sampled_from(SEEDS))
params = st.fixed_dictionaries(
    {},
    optional={
        "format": st.sampled_from(FORMATS) | header_text,
        "default-graph-uri": st.sampled_from(["https://w3id.org/secgraph/graph/members"]) | text,
        "named-graph-uri": text,
    },
)


@pytest.fixture(scope="module")
def fuzz_app(settings: Settings, built: BuiltGraph) -> Flask:
    return create_app(replace(settings, query_timeout=5.0), built.store)


def _check(status: int, body: bytes) -> None:
    event(f"status {status}")  # the spread of answers, shown by --hypothesis-show-statistics
    assert status < 500 or status in MEANT_5XX, f"{status}: {body[:500]!r}"


@examples(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    query=queries,
    extra=params,
    accept=st.sampled_from(ACCEPTS) | header_text,
    method=st.sampled_from(["GET", "POST form", "POST direct"]),
)
def test_query_path_never_answers_500(
    fuzz_app: Flask, query: str, extra: dict[str, str], accept: str, method: str
) -> None:
    client = fuzz_app.test_client()
    headers = {"Accept": accept} if accept else {}
    if method == "GET":
        response = client.get("/sparql", query_string={"query": query, **extra}, headers=headers)
    elif method == "POST form":
        response = client.post("/sparql", data={"query": query, **extra}, headers=headers)
    else:
        response = client.post(
            "/sparql",
            data=query.encode(),
            content_type="application/sparql-query",
            query_string=extra,
            headers=headers,
        )
    _check(response.status_code, response.get_data())


@examples(max_examples=60, deadline=None)
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]),
    content_type=st.sampled_from(
        ["application/sparql-query", "application/x-www-form-urlencoded", "text/plain", ""]
    )
    | header_text,
    body=st.binary(max_size=200),
    query_string=st.dictionaries(st.sampled_from(["query", "update", "format", "x"]), text),
)
def test_any_method_and_body_never_answers_500(
    fuzz_app: Flask, method: str, content_type: str, body: bytes, query_string: dict[str, str]
) -> None:
    response = fuzz_app.test_client().open(
        "/sparql",
        method=method,
        data=body,
        content_type=content_type or None,
        query_string=query_string,
    )
    _check(response.status_code, response.get_data())
