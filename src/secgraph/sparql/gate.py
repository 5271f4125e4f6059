"""What a client's SPARQL text would make the engine do beyond reading this store, decided by a
parse (rdflib's SPARQL 1.1 grammar): SERVICE and LOAD (fetches), writes to the default graph,
and nesting too deep for a parser's stack. No HTTP, no store, no evaluation.

Oxigraph fetches any URL a SERVICE or LOAD names, from inside this host, with no hook to
restrict it; so every query and update is read here first, and only text whose parse holds no
SERVICE (or LOAD) reaches the engine. rdflib parses the gate's copy of the text
(``secgraph.sparql.reading``), in which the places where rdflib and Oxigraph would read the
text differently are made to agree.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.parser import ServiceGraphPattern, parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef, Variable

from secgraph.refusal import RefusalError
from secgraph.sparql.cache import by_text
from secgraph.sparql.reading import IRI_WITH_HASH, may_mention, readable

MAX_NESTING = 256
"""Default for the deepest bracket nesting or run of prefix operators a request may hold."""
_BRACKETS = re.compile(r"[^(){}\[\]]+")
_DEPTH = {"(": 1, "{": 1, "[": 1, ")": -1, "}": -1, "]": -1}
# Prefix operators (SPARQL 1.1 Query §19.8 UnaryExpression, PathElt's inverse '^'), which
# nest like brackets: '!!!!…true' is one expression per '!'.
_PREFIX_RUN = "(?:[!^+-]\\s*){%d}"


class GateRefusalError(RefusalError, ValueError):
    """A query or update refused before the engine sees it (a ValueError, so that callers of
    ``Store.query`` that answer bad input with 400 keep doing so)."""


@dataclass(frozen=True)
class Service:
    """One ``SERVICE [SILENT] target { … }`` of a parse: its endpoint IRI (None when the target
    is a variable or an unknown prefix) and how the client wrote the target."""

    endpoint: str | None
    written: str
    silent: bool


def check_nesting(text: str, limit: int = MAX_NESTING) -> None:
    """Refuse (400 ``query-too-deep``) text nesting brackets, or prefix operators, deeper than
    ``limit``: parsers recurse once per level, and a deep enough text overflows their stack.
    Brackets inside strings count too; a real query never comes near the limit."""
    brackets = _BRACKETS.sub("", text)
    deepest = max(accumulate(map(_DEPTH.__getitem__, brackets)), default=0)
    if deepest > limit or re.search(_PREFIX_RUN % (limit + 1), text):
        raise GateRefusalError(
            400,
            "query-too-deep",
            f"the request nests brackets or operators more than {limit} deep "
            "(the query_max_nesting setting); flatten it",
        )


@by_text(texts=64)  # a tree is some hundred times its text: few are kept
def parse_query(text: str) -> ParseResults:
    """The parse of a query; 400 ``malformed-query`` when rdflib's grammar does not take it.
    Remembered by text (the federation and the engine's gate read the same text): read only."""
    parsed: ParseResults = _parse(parseQuery, text, "query")
    return parsed


def parse_update(text: str) -> CompValue:
    """The parse of an update request; 400 ``malformed-update`` likewise."""
    parsed: CompValue = _parse(parseUpdate, text, "update")
    return parsed


def _parse(parser: Any, text: str, kind: str) -> Any:
    try:
        tree = parser(readable(text))
        if "#" in text:
            _restore_iris(tree, text, kind)
        return tree
    except ParseBaseException as error:
        raise GateRefusalError(
            400,
            f"malformed-{kind}",
            f"malformed {kind} at line {error.lineno}, column {error.col}: {error.msg}",
            line=error.lineno,
            column=error.col,
        ) from None
    except RecursionError:
        # rdflib's SERVICE handling recurses without end on a SERVICE inside a SERVICE.
        raise GateRefusalError(
            400,
            f"unsupported-{kind}",
            f"the {kind} nests too deeply to be checked (a SERVICE inside a SERVICE is one case)",
        ) from None
    except ValueError as error:  # an escape naming no code point
        raise GateRefusalError(400, f"malformed-{kind}", f"malformed {kind}: {error}") from None


# The IRIs the gate's callers read from a parse: what a prefix, a BASE and a SERVICE name.
_READ_IRIS = (("PrefixDecl", "iri"), ("Base", "iri"), ("ServiceGraphPattern", "term"))


def _restore_iris(tree: object, text: str, kind: str) -> None:
    """Put back the ``#`` the gate's copy turned into ``~`` in the IRIs its callers read, so
    that a prologue written from the parse (federation) names the query's own namespaces;
    400 when two IRIs of the text read the same in the copy and cannot be told apart."""
    originals: dict[str, str | None] = {}
    for match in IRI_WITH_HASH.finditer(text):
        inner = match.group()[1:-1]
        copy = inner.replace("#", "~")
        seen = originals.setdefault(copy, inner)
        if seen != inner or f"<{copy}>" in text:
            originals[copy] = None
    for name, key in _READ_IRIS:
        for node in _nodes(tree, name):
            value = _param(node, key)
            if not isinstance(value, URIRef) or str(value) not in originals:
                continue
            original = originals[str(value)]
            if original is None:
                raise GateRefusalError(
                    400,
                    f"unsupported-{kind}",
                    f"the IRIs <{value}> and one with '#' for '~' cannot be told apart here",
                )
            node[key] = URIRef(original)


def services(tree: object, prefixes: Mapping[str, str] | None = None) -> list[Service]:
    """Every SERVICE of a parse, outermost first, nested ones included; prefixed endpoint names
    resolved with the parse's own PREFIX declarations, then ``prefixes``."""
    declared = {**(prefixes or {}), **declared_prefixes(tree)}
    return [_service(node, declared) for node in _nodes(tree, "ServiceGraphPattern")]


def _service(node: CompValue, prefixes: Mapping[str, str]) -> Service:
    term = _param(node, "term")
    silent = _param(node, "silent") is not None
    if isinstance(term, Variable):
        return Service(None, "?" + str(term), silent)
    if isinstance(term, URIRef):
        return Service(str(term), f"<{term}>", silent)
    if isinstance(term, CompValue) and term.name == "pname":
        prefix, local = _param(term, "prefix") or "", _param(term, "localname") or ""
        base = prefixes.get(prefix)
        return Service(None if base is None else base + local, f"{prefix}:{local}", silent)
    return Service(None, str(term), silent)


def declared_prefixes(tree: object) -> dict[str, str]:
    """The PREFIX declarations of a parse, by prefix (the empty string for ``:``)."""
    return {
        str(_param(node, "prefix") or ""): str(_param(node, "iri"))
        for node in _nodes(tree, "PrefixDecl")
        if isinstance(_param(node, "iri"), URIRef)
    }


def declared_base(tree: object) -> str | None:
    """The BASE IRI a parse declares last, if any."""
    bases = [
        str(_param(node, "iri"))
        for node in _nodes(tree, "Base")
        if isinstance(_param(node, "iri"), URIRef)
    ]
    return bases[-1] if bases else None


def _param(node: object, name: str) -> Any:
    """A parameter of a parse node, None when absent (CompValue.get answers a missing key with
    the key's own name)."""
    return OrderedDict.get(node, name) if isinstance(node, CompValue) else None


def _nodes(tree: object, name: str) -> Iterator[CompValue]:
    """The parse's nodes called ``name``, depth first, a node before what it holds."""
    stack: list[object] = [tree]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        children: list[object]
        if isinstance(item, CompValue):
            if item.name == name:
                yield item
            children = list(item.values())
        elif isinstance(item, ParseResults):
            children = [*item, *item.as_dict().values()]
        elif isinstance(item, list | tuple):
            children = list(item)
        else:
            continue
        stack.extend(reversed(children))


def refuse_services(text: str) -> None:
    """The engine's gate: refuse (403 ``service-not-allowed``) a query holding any SERVICE.
    The endpoint's federation replaces allowed SERVICE blocks by their answers first; what
    still holds one reaches no engine."""
    if not may_mention(text, "service"):
        return
    found = services(parse_query(text))
    if found:
        raise GateRefusalError(
            403,
            "service-not-allowed",
            f"SERVICE {found[0].written} is not evaluated here: only the /sparql endpoint "
            "federates, and only with the endpoints on its allowlist",
        )


def locate_services(text: str, found: list[Service]) -> list[tuple[int, int]]:
    """Start and end offsets of each of ``found``, the outermost SERVICE blocks of ``text``
    in order. A candidate from pyparsing's scan is kept only when cutting it out of the text
    leaves one SERVICE fewer in the parse (so none inside a string or comment is taken); 400
    when the blocks cannot all be placed."""
    copy = readable(text)
    spans: list[tuple[int, int]] = []
    try:
        candidates = [(start, end) for _, start, end in ServiceGraphPattern.scan_string(copy)]
    except RecursionError:
        candidates = []
    for start, end in candidates:
        cut = copy[:start] + "{}" + copy[end:]
        if len(services(parse_query(cut))) == len(found) - 1:
            spans.append((start, end))
    if len(spans) != len(found):
        raise GateRefusalError(
            400, "invalid-service", "the SERVICE blocks of the query could not be told apart"
        )
    return spans


def check_update(text: str) -> None:
    """Refuse an update that would fetch (LOAD, SERVICE: 400 ``outbound-refused``) or write the
    default graph, which is served as the union of the named graphs (400
    ``default-graph-read-only``)."""
    tree = parse_update(text)
    if next(_nodes(tree, "Load"), None) is not None or services(tree):
        keyword = "LOAD" if next(_nodes(tree, "Load"), None) is not None else "SERVICE"
        raise GateRefusalError(
            400,
            "outbound-refused",
            f"{keyword} is refused: this endpoint never fetches other documents or endpoints",
        )
    for operation in _nodes(tree, "Update"):
        for request in _param(operation, "request") or ():
            problem = _default_graph_write(request)
            if problem:
                raise GateRefusalError(
                    400,
                    "default-graph-read-only",
                    f"{problem}: the default graph is the union of the named graphs and is "
                    "not written; name a graph (GRAPH <IRI> { … }, CLEAR GRAPH <IRI>)",
                )


def _default_graph_write(request: CompValue) -> str | None:
    """What in one update operation writes the default graph (SPARQL 1.1 Update §3), if any."""
    name = request.name
    if name in ("Clear", "Drop") and _param(request, "graphiri") in ("DEFAULT", "ALL"):
        return f"{name.upper()} {request['graphiri']}"
    if name in ("Add", "Copy", "Move"):
        source, target = (_param(request, "graph") or [None, None])[:2]
        if target == "DEFAULT" or (name == "Move" and source == "DEFAULT"):
            return f"{name.upper()} … DEFAULT"
    if name in ("InsertData", "DeleteData", "DeleteWhere") and _has_plain_triples(request):
        return f"{_KEYWORDS[name]} with triples outside GRAPH"
    if name == "Modify" and _param(request, "withClause") is None:
        for clause in ("delete", "insert"):
            if _param(request, clause) is not None and _has_plain_triples(_param(request, clause)):
                return f"{clause.upper()} with triples outside GRAPH (and no WITH)"
    return None


_KEYWORDS = {
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
}


def _has_plain_triples(node: CompValue) -> bool:
    quads = _param(node, "quads")
    return isinstance(quads, CompValue) and bool(_param(quads, "triples"))
