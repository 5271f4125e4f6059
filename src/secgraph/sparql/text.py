"""Reading a query's text without evaluating it, and the few rewrites the engines need.

What a query *is* comes from a parse, once per distinct text (cached): its result kind from the
engine's own parser (pyoxigraph plans the query over an empty store; results are lazy, so
nothing is evaluated), its dataset clauses (FROM / FROM NAMED) from rdflib's SPARQL 1.1 grammar,
since pyoxigraph exposes no syntax tree. A text that cannot spell FROM is not parsed for it.

A rewrite must know where things are, and neither parser gives offsets: for those, one lexer
(``mask_sparql``) blanks strings, IRIs and comments, and a rewrite looks for its calls in what
is left, at the same positions (GROUP_CONCAT, the boolean keywords, a VALUES block, the term
tests the remote store adjusts).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import pyoxigraph as ox
from pyparsing import ParseBaseException
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef

from secgraph.sparql.cache import by_text
from secgraph.sparql.reading import LINE_BREAKS, may_mention

ResultKind = Literal["solutions", "boolean", "graph"]
# Strings, IRIs and comments can hide keywords and brackets; blanked before looking for them.
_HIDING = re.compile(
    r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|<[^<>\"{}|^`\\\s]*>|#[^\n]*",
    re.DOTALL,
)
_FORM = re.compile(r"(?<![\w:?$.-])(SELECT|CONSTRUCT|DESCRIBE|ASK)(?![\w:.-])", re.IGNORECASE)
_BOOLEAN = re.compile(r"(?<![\w:?$.-])(?:TRUE|FALSE)(?![\w:.-])", re.IGNORECASE)
_VARNAME = re.compile(r"\w+")  # SPARQL 1.1 Query §19.8 VARNAME: letters, digits and _ only
_IRI_CHARACTERS = re.compile(r"[^<>\"{}|^`\\\x00-\x20]*")  # §19.8 IRIREF, between < and >
_EMPTY = ox.Store()


@by_text(texts=1024)
def result_kind(sparql: str) -> ResultKind | None:
    """What the query answers, as the engine's parser reads it: solutions (SELECT), a boolean
    (ASK) or a graph (CONSTRUCT, DESCRIBE); None when the engine does not take the text."""
    try:
        result = _EMPTY.query(sparql)
    except (SyntaxError, ValueError, RuntimeError, OSError):
        return None
    if isinstance(result, ox.QueryBoolean):
        return "boolean"
    return "graph" if isinstance(result, ox.QueryTriples) else "solutions"


@dataclass(frozen=True)
class DatasetClauses:
    """The IRIs a query's FROM (``default``) and FROM NAMED (``named``) clauses name, in order."""

    default: tuple[str, ...]
    named: tuple[str, ...]


_NO_CLAUSES = DatasetClauses((), ())


def has_dataset_clause(sparql: str) -> bool:
    """Whether a query names its own dataset with FROM / FROM NAMED (SPARQL 1.1 Query §13.2).
    A text rdflib's grammar does not take counts as naming one when it spells FROM at all, so
    the engine, which reads the clauses itself, is left to apply them."""
    if not may_mention(sparql, "from"):
        return False
    clauses = _read_dataset_clauses(sparql)
    return clauses is None or clauses != _NO_CLAUSES


def dataset_clauses(sparql: str) -> DatasetClauses | None:
    """The graphs the query's dataset clauses name, prefixed names and relative IRIs resolved
    by pyoxigraph against the query's own prologue; None when the text is not read that way
    (the engine then applies the clauses itself, or reports the query's error)."""
    if not may_mention(sparql, "from"):
        return _NO_CLAUSES
    return _read_dataset_clauses(sparql)


@by_text(texts=1024)
def _read_dataset_clauses(sparql: str) -> DatasetClauses | None:
    # The gate has refused any text whose parse holds SERVICE, the one construct for which
    # rdflib misreads a '#' inside an IRI; so here only line breaks are made rdflib's own.
    try:
        prologue, query = parseQuery(sparql.translate(LINE_BREAKS))
    except (ParseBaseException, RecursionError, ValueError):
        return None
    clauses = OrderedDict.get(query, "datasetClause") or []  # CompValue.get answers its key
    if not clauses:
        return _NO_CLAUSES
    tokens = [_clause_token(clause) for clause in clauses]
    if any(token is None for token, _ in tokens):
        return None
    resolved = _resolve(prologue, [token for token, _ in tokens if token is not None])
    if resolved is None:
        return None
    pairs = list(zip((named for _, named in tokens), resolved, strict=True))
    return DatasetClauses(
        tuple(iri for named, iri in pairs if not named),
        tuple(iri for named, iri in pairs if named),
    )


def _clause_token(clause: CompValue) -> tuple[str | None, bool]:
    """The clause's graph written as SPARQL again (an IRIREF or a prefixed name), and whether
    the clause is FROM NAMED; None for the token when it cannot be written back exactly."""
    named = OrderedDict.get(clause, "named")
    term = named if named is not None else OrderedDict.get(clause, "default")
    if isinstance(term, URIRef):
        iri = str(term)
        token = f"<{iri}>" if _IRI_CHARACTERS.fullmatch(iri) else None
    elif isinstance(term, CompValue) and term.name == "pname":
        prefix = OrderedDict.get(term, "prefix") or ""
        local = OrderedDict.get(term, "localname") or ""
        token = f"{prefix}:{local}"  # rdflib keeps the local part as written, escapes and all
    else:
        token = None
    return token, named is not None


def _resolve(prologue: list[CompValue], tokens: list[str]) -> list[str] | None:
    # The engine resolves the IRIs itself: the same BASE and PREFIX rules (§4.1.1), by the same
    # parser, over an empty store; one VALUES row per token keeps their order. The prologue
    # is written back from rdflib's parse of it.
    declarations = []
    for declaration in prologue:
        name, iri = declaration.name, OrderedDict.get(declaration, "iri")
        if not isinstance(iri, URIRef) or not _IRI_CHARACTERS.fullmatch(str(iri)):
            return None
        if name == "Base":
            declarations.append(f"BASE <{iri}>")
        elif name == "PrefixDecl":
            declarations.append(f"PREFIX {OrderedDict.get(declaration, 'prefix') or ''}: <{iri}>")
    rows = " ".join(f"({token})" for token in tokens)
    probe = "\n".join([*declarations, f"SELECT ?g WHERE {{ VALUES (?g) {{ {rows} }} }}"])
    try:
        result = _EMPTY.query(probe)
    except (SyntaxError, ValueError):
        return None
    if not isinstance(result, ox.QuerySolutions):
        return None
    iris = [row[0] for row in result]
    if len(iris) != len(tokens) or not all(isinstance(iri, ox.NamedNode) for iri in iris):
        return None
    return [iri.value for iri in iris if isinstance(iri, ox.NamedNode)]


def mask_sparql(sparql: str) -> str:
    """``sparql`` with strings, IRIs and comments blanked, same length: keywords and brackets
    found in the result are the query's own, at the same positions."""
    return _HIDING.sub(lambda match: " " * len(match.group()), sparql)


@dataclass(frozen=True)
class Call:
    """One call ``name(argument)`` in a query's text: where it starts, the argument's span
    (inside the parentheses) and where it ends (just after ``)``)."""

    name: str
    start: int
    argument: slice
    end: int


def function_calls(sparql: str, *names: str) -> list[Call] | None:
    """The outermost calls of the functions ``names`` (any case) outside strings, IRIs and
    comments, in order; [] when the text cannot spell any of them, None when a call's
    parentheses never close (the engine then reports the error)."""
    if not any(name.casefold() in sparql.casefold() for name in names):
        return []
    words = "|".join(re.escape(name) for name in names)
    pattern = re.compile(rf"(?<![\w:?$.-])({words})\s*\(", re.IGNORECASE)
    masked = mask_sparql(sparql)
    calls: list[Call] = []
    position = 0
    while (found := pattern.search(masked, position)) is not None:
        end = _closing(masked, found.end() - 1)
        if end is None:
            return None
        calls.append(Call(found.group(1), found.start(), slice(found.end(), end - 1), end))
        position = end
    return calls


def simple_group_concat(sparql: str) -> str:
    """``sparql`` with each ``GROUP_CONCAT(...)`` as ``STR(GROUP_CONCAT(...))``: SPARQL 1.1 Query
    §18.5.1.7 makes its result a simple literal, which pyoxigraph gives a language tag its
    values share. Unchanged (the same object) when the query has none; unbalanced: unchanged."""
    calls = function_calls(sparql, "GROUP_CONCAT")
    for call in reversed(calls or ()):  # from the last: earlier positions stay valid
        sparql = f"{sparql[: call.start]}STR({sparql[call.start : call.end]}){sparql[call.end :]}"
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


def with_values(sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """Bind variables by a VALUES block (SPARQL 1.1 Query §10.2) at the start of the query's
    WHERE group, so they are in scope for its filters and aggregates as with substitution.

    Terms are written in their N-Triples form, which pyoxigraph escapes; names must be plain
    variable names. A ``CONSTRUCT WHERE`` short form or a query without a group gets a
    trailing VALUES clause instead (§18.2.4.3)."""
    if not bindings:
        return sparql
    for name, term in bindings.items():
        if not _VARNAME.fullmatch(name):
            raise ValueError(f"not a variable name: {name!r}")
        if not isinstance(term, ox.NamedNode | ox.Literal):
            raise ValueError(f"only IRIs and literals can be bound in VALUES, not {term!r}")
    variables = " ".join("?" + name for name in bindings)
    terms = " ".join(str(term) for term in bindings.values())
    block = f"VALUES ({variables}) {{ ({terms}) }}"
    start = _where_group_start(mask_sparql(sparql))
    if start is None:
        return f"{sparql}\n{block}\n"
    return f"{sparql[:start]} {block} {sparql[start:]}"


def _where_group_start(masked: str) -> int | None:
    """Index just after the ``{`` opening the query's WHERE group, or None."""
    form = _FORM.search(masked)
    if form is None:
        return None
    position = form.end()
    if form.group(1).upper() == "CONSTRUCT":
        if not masked[position:].lstrip().startswith("{"):
            return None  # CONSTRUCT WHERE { ... }: the group is also the template
        end = _closing(masked, masked.index("{", position))
        if end is None:
            raise SyntaxError("unbalanced braces in the query")
        position = end
    brace = masked.find("{", position)
    return None if brace < 0 else brace + 1


_CLOSING = {"(": ")", "{": "}", "[": "]"}


def _closing(masked: str, opening: int) -> int | None:
    """Index just after the bracket closing the one at ``opening``; None if none does."""
    left, right = masked[opening], _CLOSING[masked[opening]]
    depth = 0
    for index in range(opening, len(masked)):
        character = masked[index]
        depth += 1 if character == left else -1 if character == right else 0
        if depth == 0:
            return index + 1
    return None
