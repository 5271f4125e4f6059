"""HTTP exchanges with a SPARQL server (requests): timeouts, a connection pool per process and
errors that name the server and quote its answer; knows nothing about RDF.

requests rather than urllib: a page asks the store several queries, and a pooled keep-alive
connection saves a TCP (and TLS) handshake for each of them; its timeouts and exceptions are
explicit, and the project already tests with it.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import requests

from secgraph import __version__

FormData = list[tuple[str, str]]
"""Repeatable form fields, in order (``default-graph-uri`` may come many times)."""
_EXCERPT = 400
"""Characters of an error body quoted in messages."""


class RemoteError(Exception):
    """A SPARQL server was unreachable, too slow, or answered with an unexpected status."""

    def __init__(
        self, method: str, url: str, problem: str, status: int | None = None, body: str = ""
    ) -> None:
        self.method, self.url, self.problem, self.status = method, url, problem, status
        self.body = body
        """The start of the server's error body: its own words (e.g. a parser message)."""
        super().__init__(f"{method} {url}: {problem}")


@dataclass(frozen=True)
class Answer:
    """A successful response: status, media type (no parameters) and body."""

    status: int
    media_type: str
    body: bytes


class Http:
    """Sends requests with a connect and a read timeout; one session per process (fork-safe)."""

    def __init__(self, *, timeout: float = 60.0, connect_timeout: float = 10.0) -> None:
        self.timeout, self.connect_timeout = timeout, connect_timeout
        self._session: requests.Session | None = None
        self._pid = os.getpid()

    def send(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        data: FormData | bytes | None = None,
        headers: Mapping[str, str] | None = None,
        expect: Collection[int] = (200,),
    ) -> Answer:
        """Send one request; raise RemoteError unless the status is one of ``expect``."""
        shown = requests.Request(method, url, params=params).prepare().url or url
        try:
            response = self._pool().request(
                method,
                url,
                params=params,
                data=data,
                headers={"User-Agent": f"secgraph/{__version__}", **(headers or {})},
                timeout=(self.connect_timeout, self.timeout),
                # A redirect would take the request to an address nobody checked (the
                # federation allowlist, the configured store URL): a 3xx is an answer.
                allow_redirects=False,
            )
        except requests.Timeout:
            raise RemoteError(method, shown, f"no answer within {self.timeout:g} s") from None
        except requests.RequestException as error:
            raise RemoteError(method, shown, f"unreachable: {_cause(error)}") from None
        if response.status_code not in expect:
            excerpt = response.text[:_EXCERPT].strip()
            problem = f"answered {response.status_code} {response.reason}: {excerpt}"
            raise RemoteError(method, shown, problem, response.status_code, excerpt)
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        return Answer(response.status_code, media_type, response.content)

    def close(self) -> None:
        """Close pooled connections (before a fork: sockets must not be shared)."""
        if self._session is not None:
            self._session.close()
            self._session = None

    def _pool(self) -> requests.Session:
        if self._session is None or self._pid != os.getpid():
            self._session, self._pid = requests.Session(), os.getpid()
        return self._session


def _cause(error: requests.RequestException) -> str:
    """The innermost reason urllib3 gives (e.g. connection refused), not its retry wrapper."""
    reason: object = error.args[0] if error.args else error
    return str(getattr(reason, "reason", reason))
