"""The SHACL shapes as a small store of their own, so they can be served like a graph.

Parsing stays in load.py; the shapes never enter the data store (they are not data).
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import URIRef

from secgraph.build.load import SourceError, SourceFiles, find_sources, read_quads
from secgraph.config import Settings
from secgraph.namespaces import SHAPES
from secgraph.store.embedded import OxigraphStore
from secgraph.terms import RdflibQuad, quads_to_oxigraph

SHAPES_DOCUMENT = str(SHAPES).rstrip("#")
"""The shapes document's IRI; its shapes are ``<document>#<Name>``."""


def load_shapes_store(settings: Settings) -> OxigraphStore | None:
    """The project's shapes in one graph named SHAPES_DOCUMENT; None when a served data file
    replaces the project, when there are no shapes, or when they no longer parse."""
    if settings.data_file is not None:
        return None
    try:
        files = find_sources(settings)
        quads = list(_shape_quads(files))
    except SourceError:
        return None
    if not quads:
        return None
    return OxigraphStore.from_quads(quads_to_oxigraph(quads))


def _shape_quads(files: SourceFiles) -> Iterator[RdflibQuad]:
    graph = URIRef(SHAPES_DOCUMENT)
    for path in files.shapes:
        for subject, predicate, obj, _ in read_quads(path, files.relative(path)):
            yield subject, predicate, obj, graph
