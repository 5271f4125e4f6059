"""The gate's copy of a query's text, which rdflib parses: same length, same offsets, with the
places where rdflib's and Oxigraph's readings of the text differ made to agree; and the cheap
check that a text could spell a keyword at all. No parsing here.

The gate lets a text reach the engine only when rdflib's parse of it holds no SERVICE or LOAD,
so rdflib must read what Oxigraph reads:

* SPARQL 1.1 Query §19.6 ends a comment at a line break, CR or LF; rdflib's grammar ends it at
  LF only, so a comment ended by a lone CR would hide what follows from rdflib but not from
  Oxigraph. The gate parses the text with every CR made an LF (same length, same offsets):
  outside comments both are white space, and in a long string the gate only reads the shape.
* rdflib finds a SERVICE block's text by scanning the whole query again, and that scan takes a
  ``#`` inside an IRI or a string for a comment, losing the rest of the line. In the gate's copy
  a ``#`` inside anything shaped like an IRI or a string is a ``~``: in a real IRI or string,
  still a character of it; where it really opened a comment, a character no SPARQL token
  takes, so the parse fails (refused). The change can only show rdflib more of the text, never
  hide any; the IRIs callers read from the parse get their ``#`` back (``secgraph.sparql.gate``).
* §19.2 codepoint escapes are expanded before parsing, by both parsers; the cheap pre-check
  below looks at the text with and without them.
"""

from __future__ import annotations

import re

LINE_BREAKS = str.maketrans("\r", "\n")
"""CR to LF: rdflib ends a comment at LF only, SPARQL 1.1 Query §19.6 at CR too."""
IRI_WITH_HASH = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*#[^<>\"{}|^`\\\x00-\x20]*>")
"""An IRIREF-shaped span holding a '#': the spans whose '#' the copy changes (and a parse of
the copy gives back, ``secgraph.sparql.gate``)."""
# Leftmost first, so that a quote inside a comment or an IRI opens no string, and a '#' inside a
# string opens no comment; comments are matched only to be left alone.
_HASH_HOLDERS = re.compile(
    r"(?P<text>'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\""
    r"|<[^<>\"{}|^`\\\x00-\x20]*>)|#[^\n]*",
    re.DOTALL,
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def readable(text: str) -> str:
    """The gate's copy of ``text`` (see the module's notes): same length, same offsets."""
    text = text.translate(LINE_BREAKS)
    if "#" not in text:
        return text
    return _HASH_HOLDERS.sub(
        lambda match: match.group().replace("#", "~") if match.group("text") else match.group(),
        text,
    )


def may_mention(text: str, keyword: str) -> bool:
    """Whether ``keyword`` could be a keyword of ``text``: False only when no spelling of it
    (any case, codepoint escapes expanded) occurs anywhere. Most queries never spell SERVICE,
    and skip the parse."""
    keyword = keyword.casefold()
    if keyword in text.casefold():
        return True
    return "\\" in text and keyword in _expand_codepoints(text).casefold()


def _expand_codepoints(text: str) -> str:
    def expand(match: re.Match[str]) -> str:
        value = int(match.group(1) or match.group(2), 16)
        return chr(value) if value <= 0x10FFFF else match.group()

    return _CODEPOINT.sub(expand, text)
