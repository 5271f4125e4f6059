"""Readings of a query text remembered by text: the same text, sent again (a page's canned
query, a client polling), is not parsed again."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

CACHED_CHARS = 64 * 1024
"""A longer text is read again each time rather than kept (a request body may be megabytes)."""

Read = TypeVar("Read")


def by_text(texts: int) -> Callable[[Callable[[str], Read]], Callable[[str], Read]]:
    """Remember a reading for the last ``texts`` distinct texts of up to CACHED_CHARS each
    (least recently used forgotten first); an exception is never remembered."""

    def remembering(reading: Callable[[str], Read]) -> Callable[[str], Read]:
        remembered = lru_cache(maxsize=texts)(reading)

        @wraps(reading)
        def read(text: str) -> Read:
            return remembered(text) if len(text) <= CACHED_CHARS else reading(text)

        return read

    return remembering
