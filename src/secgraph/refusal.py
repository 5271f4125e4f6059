"""The shape of a request the core refuses before touching data: HTTP status, code, message,
and where in the client's text; the web layer renders it (secgraph.web.protocol.editing)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(eq=False)  # eq=False: exceptions stay hashable
class RefusalError(Exception):
    """A refused request: ``status``, a stable ``error`` code, a message, an optional position."""

    status: int
    error: str
    message: str
    line: int | None = None
    column: int | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message)
