"""Spot SERVICE (federated query) in a query text and check its syntax without evaluating it.

The engine would evaluate SERVICE by fetching any URL a client names, from inside this host
(request forgery); the endpoint refuses such queries instead. Nothing here evaluates a query
against data or opens a connection.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

# Strings, IRIs and comments can hide the word SERVICE; they are blanked (same length, line
# breaks kept) before looking for it, as store.has_dataset_clause does for FROM.
_HIDING = re.compile(
    r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|<[^<>\"{}|^`\\\s]*>|#[^\n]*",
    re.DOTALL,
)
# SPARQL 1.1 Federated Query, ServiceGraphPattern: 'SERVICE' 'SILENT'? VarOrIri GroupGraphPattern.
_SERVICE = re.compile(r"(?<![\w:?$.-])SERVICE(?:\s+SILENT)?(?![\w:.-])", re.IGNORECASE)


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group())


def service_spans(sparql: str) -> list[tuple[int, int]]:
    """Start and end offsets of each ``SERVICE [SILENT]`` keyword outside strings and IRIs."""
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
