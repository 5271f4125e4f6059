"""HTTP caching of /sparql answers: a bounded result cache in front of the store, and ETag /
If-None-Match (RFC 9110 §8.8.3, §13.1.2) so a client's repeated query costs no body at all.

A GET's answer is also found by the request as sent (data version, raw query string, Accept):
the same bytes parse to the same query, graphs and format, so a repeated GET is answered
before its parameters are decoded; any other spelling of the query finds the answer by its
parsed key.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock

from flask import Request, Response

# Functions whose value changes from one evaluation to the next (SPARQL 1.1 Query §17.4.5,
# §17.4.2.9 BNODE, §17.4.3.16 STRUUID/UUID): their answers are never cached.
_VOLATILE = re.compile(r"\b(?:NOW|RAND|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)
CacheKey = tuple[str, ...]
RequestKey = tuple[str, bytes, str]
# Headers _respond sets itself; any other header of the answer is replayed on each hit.
_REBUILT_HEADERS = frozenset({"Content-Type", "Content-Length", "ETag"})


@dataclass(frozen=True)
class CachedAnswer:
    """One 200 answer: body, media type and its entity tag."""

    body: bytes
    content_type: str
    etag: str
    headers: tuple[tuple[str, str], ...] = ()  # e.g. the row-cap signal, kept on every hit


class ResultCache:
    """Least-recently-used answers, at most ``size`` of them; thread-safe."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._answers: OrderedDict[CacheKey, CachedAnswer] = OrderedDict()
        self._requests: OrderedDict[RequestKey, CacheKey] = OrderedDict()
        self._lock = Lock()

    def get(self, key: CacheKey) -> CachedAnswer | None:
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def get_sent(self, sent: RequestKey) -> CachedAnswer | None:
        """The answer cached for a GET sent exactly as ``sent`` (see ``request_key``)."""
        with self._lock:
            key = self._requests.get(sent)
            answer = None if key is None else self._answers.get(key)
            if answer is not None and key is not None:
                self._answers.move_to_end(key)
            return answer

    def put(self, key: CacheKey, answer: CachedAnswer, sent: RequestKey | None = None) -> None:
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)
            if sent is not None:
                self._link(sent, key)

    def add_sent(self, sent: RequestKey, key: CacheKey) -> None:
        """Let a GET sent as ``sent`` find the answer cached under ``key``."""
        with self._lock:
            if key in self._answers:
                self._link(sent, key)

    def _link(self, sent: RequestKey, key: CacheKey) -> None:
        # Called with the lock held; as bounded as the answers themselves.
        self._requests[sent] = key
        self._requests.move_to_end(sent)
        while len(self._requests) > self.size:
            self._requests.popitem(last=False)


def cache_key(req: Request, query: str, data_version: str) -> CacheKey | None:
    """What an answer depends on: data version, query, graph and format parameters, Accept.
    None when the answer must not be cached (unknown data version, a volatile function)."""
    if not data_version or _VOLATILE.search(query):
        return None
    params = req.args if req.method in ("GET", "HEAD") else req.values
    return (
        data_version,
        query,
        "\0".join(params.getlist("default-graph-uri")),
        "\0".join(params.getlist("named-graph-uri")),
        params.get("format", ""),
        req.headers.get("Accept", ""),
    )


def request_key(req: Request, data_version: str) -> RequestKey | None:
    """A GET or HEAD as sent: data version, raw query string, Accept; None for other methods
    and data of unknown version. Another spelling of the same query is another key."""
    if not data_version or req.method not in ("GET", "HEAD"):
        return None
    return (data_version, req.query_string, req.headers.get("Accept", ""))


def sent_answer(
    req: Request, cache: ResultCache | None, sent: RequestKey | None
) -> Response | None:
    """The cached answer to a GET sent exactly like an earlier one, else None."""
    if cache is None or sent is None:
        return None
    hit = cache.get_sent(sent)
    return None if hit is None else respond(req, hit)


def answer(
    req: Request,
    cache: ResultCache | None,
    key: CacheKey | None,
    produce: Callable[[], Response],
    sent: RequestKey | None = None,
) -> Response:
    """The cached answer for ``key`` (304 when the client holds it), else ``produce()``'s,
    cached when it is a 200; ``sent`` (``request_key``) then finds it too."""
    if cache is not None and key is not None:
        hit = cache.get(key)
        if hit is not None:
            if sent is not None:
                cache.add_sent(sent, key)
            return respond(req, hit)
    response = produce()
    if cache is None or key is None or response.status_code != 200:
        return response
    body = response.get_data()
    etag = hashlib.sha256(body).hexdigest()[:32]
    kept = tuple(
        (name, value) for name, value in response.headers.items() if name not in _REBUILT_HEADERS
    )
    stored = CachedAnswer(body, response.content_type or "", etag, kept)
    cache.put(key, stored, sent)
    return respond(req, stored)


def respond(req: Request, stored: CachedAnswer) -> Response:
    """The response to ``req`` from a cached answer: its body, or 304 (If-None-Match)."""
    # §13.1.2: If-None-Match matching the current entity tag answers 304 with no body (GET/HEAD).
    if req.method in ("GET", "HEAD") and stored.etag in req.if_none_match:
        response = Response(status=304)
    else:
        response = Response(stored.body, content_type=stored.content_type)
        response.headers.extend(stored.headers)
    response.set_etag(stored.etag)
    return response
