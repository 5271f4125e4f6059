"""Resolve secgraph IRIs: /id/<slug>, /graph/<name>, /ontology, /shapes, as HTML or RDF.

A path ``/<rest>`` stands for the IRI ``<base><rest>``; ontology terms ``sg:Term`` are anchors
``#Term`` on /ontology. A view finds the resource (or answers 404 in the negotiated format), then
renders it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, redirect, render_template, request
from flask.blueprints import BlueprintSetupState
from werkzeug.wrappers import Response as BaseResponse

from secgraph.build.shapes import SHAPES_DOCUMENT, load_shapes_store
from secgraph.describe.describe import describe, graph_sources, graph_statements
from secgraph.describe.explain import explain_inferred
from secgraph.describe.labels import Labels
from secgraph.namespaces import INFERRED_GRAPH, ONTOLOGY_GRAPH, SG, SHAPES, sparql_prologue
from secgraph.store.embedded import Store
from secgraph.web.pages.documents import ONTOLOGY_SECTIONS, SHAPES_SECTIONS, Layout, document_page
from secgraph.web.pages.funding import has_funding
from secgraph.web.pages.ontology_page import ontology_context
from secgraph.web.pages.pages import resource_page
from secgraph.web.protocol.current import current_store
from secgraph.web.protocol.frames import framed
from secgraph.web.protocol.links import href, iri_for_path
from secgraph.web.protocol.negotiation import (
    HTML,
    PAGE,
    Format,
    NotAcceptableError,
    by_suffix,
    choose_format,
)
from secgraph.web.protocol.responses import empty_rdf, negotiated, rdf_response, refusal
from secgraph.web.protocol.validators import revalidate

blueprint = Blueprint("resources", __name__)
INCOMING_LIMIT = 500
_LABELS, _SHAPES = "secgraph.labels", "secgraph.shapes"
_ONTOLOGY = ox.NamedNode(str(ONTOLOGY_GRAPH))
_VERSION_IRI = sparql_prologue() + "ASK { ?ontology owl:versionIRI ?version }"
_TERM = "ASK { GRAPH ?graph { ?term ?p ?o } }"


@dataclass(frozen=True)
class Found:
    """A resource this server knows: its RDF description and how to render its page."""

    quads: Callable[[], Iterable[ox.Quad]]
    page: Callable[[list[Alternate]], str]


@dataclass(frozen=True)
class Alternate:
    """A link to the same resource in another representation."""

    label: str
    media_type: str
    href: str


@blueprint.record_once
def _setup(state: BlueprintSetupState) -> None:
    state.app.add_template_filter(href, "href")


@blueprint.get("/id/<path:slug>")
def resource(slug: str) -> Response:
    """A described resource: its facts, citations, inferred facts and incoming links; with
    ``?frame=<name>``, its tree in that JSON-LD frame (web.frames)."""
    name = request.args.get("frame")
    if name is not None:
        return framed(name, focus=iri_for_path("id/" + slug))
    return _answer("id/" + slug, _find_resource)


@blueprint.get("/graph/<path:name>")
def graph(name: str) -> Response:
    """A named graph: its statements and the source document it holds."""
    return _answer("graph/" + name, _find_graph)


@blueprint.get("/ontology", defaults={"suffix": ""})
@blueprint.get("/ontology.<suffix>")
def ontology(suffix: str) -> Response:
    """The ontology document; each term ``sg:Term`` is the anchor ``#Term`` on it."""
    return _answer("ontology" + ("." + suffix if suffix else ""), _find_ontology)


@blueprint.get("/ontology/<name>")
def ontology_term(name: str) -> BaseResponse:
    """``/ontology/Term`` is no IRI of ours: redirect to the term's anchor ``/ontology#Term``,
    and the ontology's version IRI to the ontology; 404 for anything else."""
    store, term, version = current_store(), str(SG[name]), iri_for_path("ontology/" + name)
    if _is_iri(term) and store.query(
        _TERM, bindings={"graph": _ONTOLOGY, "term": ox.NamedNode(term)}
    ):
        return redirect(request.script_root + "/ontology#" + name, code=301)
    if _is_iri(version) and store.query(_VERSION_IRI, bindings={"version": ox.NamedNode(version)}):
        return redirect(request.script_root + "/ontology", code=302)
    return _answer("ontology/" + name, lambda _: None)


@blueprint.get("/shapes", defaults={"suffix": ""})
@blueprint.get("/shapes.<suffix>")
def shapes(suffix: str) -> Response:
    """The SHACL shapes the data is validated against; each shape is an anchor on the page."""
    return _answer("shapes" + ("." + suffix if suffix else ""), _find_shapes)


def _answer(path: str, find: Callable[[str], Found | None]) -> Response:
    """Find ``path`` (or, failing that, its stem when it ends in a format's suffix), choose the
    representation, and render it; 404 in that representation when nothing is there."""

    def lookup(candidate: str) -> Found | None:
        return find(candidate) if _is_iri(iri_for_path(candidate)) else None

    found, fixed = lookup(path), None
    if found is None and (split := by_suffix(path, PAGE)) is not None:
        path, fixed = split
        found = lookup(path)
    try:
        rep = fixed or choose_format(request.accept_mimetypes, PAGE, request.args.get("format"))
    except NotAcceptableError as error:
        return refusal(error)
    iri = iri_for_path(path)
    if found is None:
        return _not_found(rep, iri)
    alternates = _alternates(path)
    if rep is HTML:
        response = negotiated(Response(found.page(alternates), content_type=HTML.content_type))
    else:
        response = rdf_response(found.quads(), rep)
    response.headers["Link"] = ", ".join(
        f'<{twin.href}>; rel="alternate"; type="{twin.media_type}"' for twin in alternates
    )
    # The data's version covers every resource (the shapes are among its sources).
    return revalidate(response, current_store(), rep.extension)


def _find_resource(path: str) -> Found | None:
    store = current_store()
    description = describe(store, iri_for_path(path), incoming_limit=INCOMING_LIMIT)
    if description is None:
        return None

    def page(alternates: list[Alternate]) -> str:
        reasons = explain_inferred(store, description.statements)
        shown = resource_page(description, _labels_of(store), graph_sources(store), reasons)
        return render_template(
            "resource.html",
            page=shown,
            alternates=alternates,
            inferred_graph=str(INFERRED_GRAPH),
            incoming_limit=INCOMING_LIMIT,
            funded=has_funding(store, description.iri.value),
        )

    return Found(quads=description.quads, page=page)


def _find_graph(path: str) -> Found | None:
    return _document(current_store(), iri_for_path(path), Layout(), kind="Named graph")


def _find_ontology(path: str) -> Found | None:
    if path != "ontology":
        return None
    layout = Layout(sections=ONTOLOGY_SECTIONS, namespace=str(SG), limit=10_000)
    # The page is about the ontology's own IRI, ``<base>ontology``, not about its graph.
    return _document(
        current_store(),
        str(ONTOLOGY_GRAPH),
        layout,
        "Ontology",
        iri_for_path(path),
        extra=ontology_context,
    )


def _find_shapes(path: str) -> Found | None:
    store = _shapes_store() if path == "shapes" else None
    if store is None:
        return None
    layout = Layout(SHAPES_SECTIONS, namespace=str(SHAPES), title="SHACL shapes", limit=10_000)
    return _document(store, SHAPES_DOCUMENT, layout, "SHACL shapes graph")


def _document(
    store: Store,
    graph: str,
    layout: Layout,
    kind: str,
    iri: str | None = None,
    extra: Callable[[], dict[str, Any]] | None = None,
) -> Found | None:
    """One graph of ``store`` as a document page about ``iri`` (default: the graph itself);
    labels and sources come from the data store."""
    if graph not in store.named_graphs():
        return None
    statements = graph_statements(store, graph)

    def page(alternates: list[Alternate]) -> str:
        data = current_store()
        labels, sources = _labels_of(data), graph_sources(data)
        document = document_page(iri or graph, statements, labels, sources, layout)
        more = extra() if extra is not None else {}
        return render_template(
            "document.html", page=document, alternates=alternates, kind=kind, **more
        )

    return Found(quads=lambda: [item.quad() for item in statements], page=page)


def _not_found(rep: Format, iri: str) -> Response:
    message = f"Nothing is known about {iri} here."
    if rep is HTML:
        body = render_template(
            "error.html", title="Not found", message=message, iri=iri, alternates=[]
        )
        return negotiated(Response(body, status=404, content_type=HTML.content_type))
    return negotiated(Response(empty_rdf(rep, message), status=404, content_type=rep.content_type))


def _alternates(path: str) -> list[Alternate]:
    base = request.script_root + "/" + path
    return [Alternate(rep.label, rep.media_type, f"{base}.{rep.extension}") for rep in PAGE[1:]]


def _is_iri(text: str) -> bool:
    """Whether a path makes a valid IRI (``/id/a b`` does not: it names nothing here)."""
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def _labels_of(store: Store) -> Labels:
    labels: Labels | None = current_app.extensions.get(_LABELS)
    if labels is None:
        labels = current_app.extensions[_LABELS] = Labels(store)
    return labels


def _shapes_store() -> Store | None:
    if _SHAPES not in current_app.extensions:
        current_app.extensions[_SHAPES] = load_shapes_store(
            current_app.extensions["secgraph.settings"]
        )
    store: Store | None = current_app.extensions[_SHAPES]
    return store
