"""Content negotiation: pick a result serialization from an Accept header; no I/O, no queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept


class _Format(Protocol):
    @property
    def media_type(self) -> str: ...


F = TypeVar("F", bound=_Format)

# The first format of each tuple is the default (SPARQL 1.1 Protocol §2.1.5 leaves it to us).
RESULTS_FORMATS: tuple[ox.QueryResultsFormat, ...] = (ox.QueryResultsFormat.JSON,)
"""For SELECT and ASK (SPARQL 1.1 Query Results JSON Format)."""
GRAPH_FORMATS: tuple[ox.RdfFormat, ...] = (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES)
"""For CONSTRUCT and DESCRIBE."""


def choose_format(accept: MIMEAccept, offered: Sequence[F]) -> F:
    """Return the offered format the client ranks highest (RFC 9110 §12.5.1: quality values,
    wildcards); the first offered when nothing matches or no Accept header was sent."""
    best = accept.best_match([item.media_type for item in offered])
    return next((item for item in offered if item.media_type == best), offered[0])
