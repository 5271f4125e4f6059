"""Apply one edit (SPARQL Update or Graph Store write) to a throwaway candidate store; no checks
of the result, no persistence.

The candidate is a copy of the served data, so a refused or failing edit leaves nothing behind.
Graphs the build derives or curates (``RESERVED_GRAPHS``: ontology, inferred, publication) are
never written, and the default graph stays empty: it is served as the union of the named graphs.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from secgraph.namespaces import RESERVED_GRAPHS
from secgraph.refusal import RefusalError
from secgraph.sparql.gate import GateRefusalError, check_nesting, check_update
from secgraph.sparql.reading import may_mention
from secgraph.write.journal import Edit
from secgraph.write.uploads import parse_upload

_PROTECTED = tuple(ox.NamedNode(str(name)) for name in sorted(RESERVED_GRAPHS))
# pyoxigraph's parser starts its messages with the position: "error at 1:25: expected ...".
_POSITION = re.compile(r"^error at (\d+):(\d+):\s*")


class EditError(RefusalError):
    """An edit refused before any check: ``status`` and a stable ``error`` code."""


def writable_graph(graph: str | None) -> ox.NamedNode:
    """The named graph an edit may write; 400 for the default graph, 403 for a reserved one."""
    if graph is None:
        raise EditError(
            400,
            "default-graph-read-only",
            "the default graph is the union of the named graphs and is not written; "
            "name a graph with ?graph=<IRI>",
        )
    try:
        name = ox.NamedNode(graph)
    except ValueError as error:
        raise EditError(400, "invalid-request", f"not an absolute graph IRI: {error}") from None
    if name in _PROTECTED:
        raise EditError(403, "protected-graph", _protected_message(graph))
    return name


def _protected_message(graph: str) -> str:
    return (
        f"graph {graph} is derived or curated by the build (ontology, inferred, publication) "
        "and is not written through the endpoint; edit the sources instead"
    )


def apply_edit(candidate: ox.Store, edit: Edit) -> None:
    """Apply ``edit`` to ``candidate`` in place; raises EditError or UploadError."""
    if edit.kind == "update":
        _apply_update(candidate, edit.body, edit.base_iri)
        return
    graph = writable_graph(edit.graph)
    if edit.kind == "delete":
        if not candidate.contains_named_graph(graph):
            raise EditError(404, "no-such-graph", f"no graph named {graph.value} in this store")
        candidate.remove_graph(graph)
        return
    triples = parse_upload(edit.body.encode(), edit.media_type, base_iri=graph.value)
    if edit.kind == "put" and candidate.contains_named_graph(graph):
        candidate.remove_graph(graph)  # GSP §5.3: PUT replaces the graph's content
    candidate.add_graph(graph)
    candidate.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)


def _apply_update(candidate: ox.Store, text: str, base_iri: str | None) -> None:
    # Read by a parse before the engine sees it: SPARQL 1.1 Update §3.1.4 LOAD and Federated
    # Query SERVICE make pyoxigraph fetch a URL, and the default graph is not written.
    try:
        check_nesting(text)
        check_update(text)
    except GateRefusalError as refused:
        if refused.error == "malformed-update":
            _say_where_malformed(text)
        raise EditError(
            refused.status, refused.error, refused.message, refused.line, refused.column
        ) from None
    before = {name: set(candidate.quads_for_pattern(None, None, None, name)) for name in _PROTECTED}
    try:
        candidate.update(text, base_iri=base_iri)
    except SyntaxError as error:
        raise _malformed(error) from None
    except (OSError, ValueError) as error:
        raise EditError(400, "update-failed", f"the update failed: {error}") from None
    for name, quads in before.items():
        if set(candidate.quads_for_pattern(None, None, None, name)) != quads:
            raise EditError(403, "protected-graph", _protected_message(name.value))
    if next(iter(candidate.quads_for_pattern(None, None, None, ox.DefaultGraph())), None):
        raise EditError(
            400,
            "default-graph-read-only",
            "the update writes into the default graph, which is served as the union of the "
            "named graphs; write inside GRAPH <IRI> { ... }",
        )


def _say_where_malformed(text: str) -> None:
    """Raise the engine's own message for an update the gate could not parse, which places the
    error better; only for text that cannot name LOAD or SERVICE, on an empty scratch store."""
    if may_mention(text, "load") or may_mention(text, "service"):
        return
    try:
        ox.Store().update(text)
    except SyntaxError as error:
        raise _malformed(error) from None
    except (OSError, ValueError, RuntimeError):
        return


def _malformed(error: SyntaxError) -> EditError:
    text = str(error)
    match = _POSITION.match(text)
    if match is None:
        return EditError(400, "malformed-update", f"malformed update: {text}")
    line, column = int(match[1]), int(match[2])
    return EditError(
        400,
        "malformed-update",
        f"malformed update at line {line}, column {column}: {text[match.end() :]}",
        line=line,
        column=column,
    )
