"""Reading a query's text without evaluating it: strings, IRIs and comments masked, its form, its
dataset clauses (FROM / FROM NAMED) resolved as the engine resolves them; never rewrites it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

# Strings, IRIs and comments can hide the word FROM; blank them before looking for it.
_HIDING = re.compile(
    r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|<[^<>\"{}|^`\\\s]*>|#[^\n]*",
    re.DOTALL,
)
_FROM = re.compile(r"(?<![\w:?$.-])FROM(?![\w:.-])", re.IGNORECASE)
FORM = re.compile(r"(?<![\w:?$.-])(SELECT|CONSTRUCT|DESCRIBE|ASK)(?![\w:.-])", re.IGNORECASE)
_NAMED = re.compile(r"\s*NAMED(?![\w:.-])", re.IGNORECASE)
_SPACE = re.compile(r"\s*")
# SPARQL 1.1 Query §19.8: an IRIREF, or a prefixed name (which holds no space, brace or '<').
_GRAPH_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>|[^\s{}<>()#]+")


@dataclass(frozen=True)
class DatasetClauses:
    """The IRIs a query's FROM (``default``) and FROM NAMED (``named``) clauses name, in order."""

    default: tuple[str, ...]
    named: tuple[str, ...]


def mask_sparql(sparql: str) -> str:
    """``sparql`` with strings, IRIs and comments blanked, same length: keywords and braces
    found in the result are the query's own, at the same positions."""
    return _HIDING.sub(lambda match: " " * len(match.group()), sparql)


def has_dataset_clause(sparql: str) -> bool:
    """Whether a query names its own dataset with FROM / FROM NAMED (SPARQL 1.1 Query §13.2)."""
    return _FROM.search(_HIDING.sub(" ", sparql)) is not None


def dataset_clauses(sparql: str) -> DatasetClauses | None:
    """The graphs the query's dataset clauses name, prefixed names and relative IRIs resolved
    by pyoxigraph against the query's own prologue; None when the text is not read that way
    (the engine then reports the query's error itself)."""
    masked = mask_sparql(sparql)
    form = FORM.search(masked)
    if form is None:
        return None
    tokens: list[tuple[bool, str]] = []
    # §13.2: dataset clauses follow the query form and precede WHERE; sub-queries have none.
    for found in _FROM.finditer(masked, form.end()):
        position = found.end()
        named = _NAMED.match(masked, position)
        if named is not None:
            position = named.end()
        position = _SPACE.match(sparql, position).end()  # type: ignore[union-attr]
        token = _GRAPH_IRI.match(sparql, position)
        if token is None:
            return None
        tokens.append((named is not None, token.group()))
    if not tokens:
        return DatasetClauses((), ())
    resolved = _resolve(sparql[: form.start()], [token for _, token in tokens])
    if resolved is None:
        return None
    pairs = list(zip((named for named, _ in tokens), resolved, strict=True))
    return DatasetClauses(
        tuple(iri for named, iri in pairs if not named),
        tuple(iri for named, iri in pairs if named),
    )


def _resolve(prologue: str, tokens: list[str]) -> list[str] | None:
    # The engine resolves the IRIs itself: the same BASE and PREFIX rules (§4.1.1), by the same
    # parser, over an empty store; one VALUES row per token keeps their order.
    rows = " ".join(f"({token})" for token in tokens)
    probe = f"{prologue}\nSELECT ?g WHERE {{ VALUES (?g) {{ {rows} }} }}"
    try:
        result = ox.Store().query(probe)
    except (SyntaxError, ValueError):
        return None
    if not isinstance(result, ox.QuerySolutions):
        return None
    iris = [row[0] for row in result]
    if len(iris) != len(tokens) or not all(isinstance(iri, ox.NamedNode) for iri in iris):
        return None
    return [iri.value for iri in iris if isinstance(iri, ox.NamedNode)]


_GROUP_CONCAT = re.compile(r"(?<![\w:?$.-])GROUP_CONCAT\s*\(", re.IGNORECASE)
_GROUP_CONCAT_WORD = re.compile("group_concat", re.IGNORECASE)
_BOOLEAN = re.compile(r"(?<![\w:?$.-])(?:TRUE|FALSE)(?![\w:.-])", re.IGNORECASE)


def simple_group_concat(sparql: str) -> str:
    """``sparql`` with each ``GROUP_CONCAT(...)`` as ``STR(GROUP_CONCAT(...))``: SPARQL 1.1 Query
    §18.5.1.7 makes its result a simple literal, which pyoxigraph gives a language tag its
    values share. Unchanged (the same object) when the query has none; unbalanced: unchanged."""
    if _GROUP_CONCAT_WORD.search(sparql) is None:
        return sparql
    masked = mask_sparql(sparql)
    calls = []
    for found in _GROUP_CONCAT.finditer(masked):
        end = _closing(masked, found.end() - 1)
        if end is None:
            return sparql
        calls.append((found.start(), end))
    for start, end in reversed(calls):  # from the last: earlier positions stay valid
        sparql = f"{sparql[:start]}STR({sparql[start:end]}){sparql[end:]}"
    return sparql


def lowercase_booleans(sparql: str) -> str | None:
    """``sparql`` with the keywords ``true`` / ``false`` in lower case, same length, or None when
    none is written otherwise: keywords are case-insensitive (SPARQL 1.1 Query §19.8), but
    pyoxigraph's parser takes only ``true`` and ``false``."""
    masked = mask_sparql(sparql)
    found = [match for match in _BOOLEAN.finditer(masked) if not match.group().islower()]
    if not found:
        return None
    for match in found:
        sparql = sparql[: match.start()] + match.group().lower() + sparql[match.end() :]
    return sparql


def _closing(masked: str, opening: int) -> int | None:
    """Index just after the ``)`` closing the parenthesis at ``opening``; None if none does."""
    depth = 0
    for index in range(opening, len(masked)):
        depth += {"(": 1, ")": -1}.get(masked[index], 0)
        if depth == 0:
            return index + 1
    return None
