"""web/protocol/caching.py: answers cached by data version and request, ETag and 304 on GET."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from flask.testing import FlaskClient

from secgraph.build.pipeline import BuiltGraph
from secgraph.config import Settings
from secgraph.web import create_app

QUERY = "SELECT ?m WHERE { <https://w3id.org/secgraph/id/sica> ?p ?m } ORDER BY ?m"
JSON = "application/sparql-results+json"


class CountingStore:
    """The built store, counting queries, with a version the test can change."""

    def __init__(self, store: Any) -> None:
        self.store, self.queries, self.version = store, 0, store.version

    def query(self, *args: Any, **kwargs: Any) -> Any:
        self.queries += 1
        return self.store.query(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


@pytest.fixture
def store(built: BuiltGraph) -> CountingStore:
    return CountingStore(built.store)


def _client(settings: Settings, store: CountingStore, size: int = 8) -> FlaskClient:
    return create_app(replace(settings, result_cache_size=size), store).test_client()  # type: ignore[arg-type]


def test_repeated_query_is_answered_from_the_cache(settings: Settings, store) -> None:
    client = _client(settings, store)
    first = client.get("/sparql", query_string={"query": QUERY}, headers={"Accept": JSON})
    second = client.get("/sparql", query_string={"query": QUERY}, headers={"Accept": JSON})
    assert first.status_code == second.status_code == 200
    assert first.data == second.data
    assert first.json["results"]["bindings"]
    assert first.headers["ETag"] == second.headers["ETag"]
    assert store.queries == 1


def test_matching_if_none_match_gets_304_without_body(settings: Settings, store) -> None:
    client = _client(settings, store)
    first = client.get("/sparql", query_string={"query": QUERY}, headers={"Accept": JSON})
    etag = first.headers["ETag"]
    again = client.get(
        "/sparql", query_string={"query": QUERY}, headers={"Accept": JSON, "If-None-Match": etag}
    )
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert "Accept" in again.headers["Vary"]
    stale = client.get(
        "/sparql", query_string={"query": QUERY}, headers={"Accept": JSON, "If-None-Match": '"x"'}
    )
    assert stale.status_code == 200
    assert stale.data == first.data


def test_accept_is_part_of_the_key(settings: Settings, store) -> None:
    client = _client(settings, store)
    as_json = client.get("/sparql", query_string={"query": QUERY}, headers={"Accept": JSON})
    as_csv = client.get("/sparql", query_string={"query": QUERY}, headers={"Accept": "text/csv"})
    assert as_csv.content_type.startswith("text/csv")
    assert as_json.headers["ETag"] != as_csv.headers["ETag"]
    assert store.queries == 2


def test_new_data_version_misses_the_cache(settings: Settings, store) -> None:
    client = _client(settings, store)
    client.get("/sparql", query_string={"query": QUERY})
    store.version = "another build"
    client.get("/sparql", query_string={"query": QUERY})
    assert store.queries == 2


def test_volatile_query_is_never_cached(settings: Settings, store) -> None:
    client = _client(settings, store)
    for _ in range(2):
        response = client.get("/sparql", query_string={"query": "SELECT (RAND() AS ?r) {}"})
        assert response.status_code == 200
        assert "ETag" not in response.headers
    assert store.queries == 2


def test_errors_are_not_cached(settings: Settings, store) -> None:
    client = _client(settings, store)
    for _ in range(2):
        assert client.get("/sparql", query_string={"query": "SELECT * {"}).status_code == 400
    assert store.queries == 2  # the store's parser rejects it each time: no 400 is replayed


def test_cache_size_zero_turns_caching_off(settings: Settings, store) -> None:
    client = _client(settings, store, size=0)
    for _ in range(2):
        assert "ETag" not in client.get("/sparql", query_string={"query": QUERY}).headers
    assert store.queries == 2


def _sent(client: FlaskClient, raw: str, **headers: str) -> Any:
    """A GET with the query string exactly as given (no re-encoding)."""
    return client.get("/sparql?" + raw, headers=headers)


SPELLED = urlencode({"query": QUERY})  # spaces as "+"
RESPELLED = urlencode({"query": QUERY}, quote_via=quote)  # spaces as "%20": same parameters


def _undecoded(*args: Any) -> None:
    raise AssertionError("a GET sent like an earlier one was decoded again")


@pytest.mark.parametrize("accept", [JSON, "text/csv", "application/sparql-results+xml", "*/*"])
def test_get_sent_like_an_earlier_one_gets_the_same_headers_and_body_undecoded(
    settings: Settings, store, accept: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _client(settings, store)
    produced = _sent(client, SPELLED, Accept=accept)  # evaluated, then cached
    found = _sent(client, RESPELLED, Accept=accept)  # found by its parsed key
    monkeypatch.setattr("secgraph.web.protocol.sparql.parse_query_request", _undecoded)
    replayed = [_sent(client, raw, Accept=accept) for raw in (SPELLED, RESPELLED)]
    assert store.queries == 1
    for response in (found, *replayed):
        assert response.status_code == produced.status_code == 200
        assert response.data == produced.data
        assert response.headers.to_wsgi_list() == produced.headers.to_wsgi_list()


def test_get_sent_like_an_earlier_one_gets_the_same_304(
    settings: Settings, store, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _client(settings, store)
    etag = _sent(client, SPELLED, Accept=JSON).headers["ETag"]
    by_parsed_key = _sent(client, RESPELLED, Accept=JSON, **{"If-None-Match": etag})
    monkeypatch.setattr("secgraph.web.protocol.sparql.parse_query_request", _undecoded)
    by_request = _sent(client, SPELLED, Accept=JSON, **{"If-None-Match": etag})
    assert by_request.status_code == by_parsed_key.status_code == 304
    assert by_request.data == by_parsed_key.data == b""
    assert by_request.headers.to_wsgi_list() == by_parsed_key.headers.to_wsgi_list()


def test_cached_answer_has_the_headers_and_body_of_an_uncached_one(
    settings: Settings, store
) -> None:
    uncached = _sent(_client(settings, store, size=0), SPELLED, Accept=JSON)
    cached = _client(settings, store)
    for response in (_sent(cached, SPELLED, Accept=JSON) for _ in range(2)):
        assert response.data == uncached.data
        assert response.headers.get("ETag")
        without_etag = [item for item in response.headers.to_wsgi_list() if item[0] != "ETag"]
        assert without_etag == uncached.headers.to_wsgi_list()


def test_get_sent_like_an_earlier_one_misses_on_new_data(settings: Settings, store) -> None:
    client = _client(settings, store)
    _sent(client, SPELLED)
    store.version = "another build"
    _sent(client, SPELLED)
    assert store.queries == 2
