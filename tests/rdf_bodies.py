"""Read RDF response bodies in tests: JSON-LD through the project's @context (resolved
locally, never fetched), every other syntax with pyoxigraph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from secgraph.describe.jsonld import JsonLdWriter

FIXTURE_ONTOLOGY = Path(__file__).parent / "fixtures" / "project" / "ontology"


def parse_body(
    body: bytes, rdf_format: ox.RdfFormat, ontology_dir: Path = FIXTURE_ONTOLOGY
) -> list[ox.Quad]:
    """The quads of ``body``; JSON-LD names the context of the project at ``ontology_dir``."""
    if rdf_format == ox.RdfFormat.JSON_LD:
        return JsonLdWriter.for_ontology(ontology_dir).to_quads(body)
    return list(ox.parse(body, rdf_format))
