"""Parse an uploaded RDF document into triples, refusing what would reach outside; no storage.

Two refusals come before the parser sees the bytes (issue: no outbound surprises):

- RDF/XML with entity declarations (XML 1.0 §4.2): pyoxigraph expands internal entities, so a
  nested declaration ("billion laughs") would grow without bound, and an external entity names
  a file or URL to read. defusedxml finds both with the standard library's expat parser.
- JSON-LD naming a remote context (JSON-LD 1.1 §3.1 ``@context``, §4.1.10 ``@import``): the
  context would be fetched over the network. Contexts must be inline.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_xml_defused

from secgraph.refusal import RefusalError

# Graph formats a Graph Store Protocol request may carry (SPARQL 1.1 GSP §5.3, §5.5).
UPLOAD_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,  # the N-Triples media type before RDF 1.1
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


class UploadError(RefusalError):
    """An upload refused: ``status`` 400 (bad document) or 415 (unknown media type)."""


def upload_format(media_type: str | None) -> ox.RdfFormat:
    """The format of ``media_type``; 415 naming the accepted types otherwise."""
    found = UPLOAD_FORMATS.get((media_type or "").lower())
    if found is None:
        accepted = ", ".join(UPLOAD_FORMATS)
        shown = media_type or "a body without Content-Type"
        raise UploadError(415, "unsupported-media-type", f"send RDF as {accepted}, not {shown}")
    return found


def parse_upload(body: bytes, media_type: str | None, *, base_iri: str) -> list[ox.Triple]:
    """The triples of ``body``; blank nodes fresh for this document (GSP §5.5: they are
    scoped to the request, so two uploads never share one by label)."""
    rdf_format = upload_format(media_type)
    if rdf_format == ox.RdfFormat.RDF_XML:
        refuse_xml_entities(body)
    elif rdf_format == ox.RdfFormat.JSON_LD:
        refuse_remote_contexts(body)
    try:
        return [
            quad.triple
            for quad in ox.parse(
                body,
                format=rdf_format,
                base_iri=base_iri,
                without_named_graphs=True,
                rename_blank_nodes=True,
            )
        ]
    except SyntaxError as error:
        position = f" at line {error.lineno}, column {error.offset}" if error.lineno else ""
        raise UploadError(
            400,
            "malformed-document",
            f"the {media_type} document is malformed{position}: {error.msg}",
            line=error.lineno,
            column=error.offset,
        ) from None
    except ValueError as error:
        raise UploadError(400, "malformed-document", f"the document is not RDF: {error}") from None


def refuse_xml_entities(body: bytes) -> None:
    """400 for an XML document declaring entities or reading an external DTD."""
    try:
        # forbid_dtd stays off: a DOCTYPE without declarations is harmless and common.
        parse_xml_defused(body, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise UploadError(
            400,
            "xml-entities-refused",
            f"RDF/XML with entity declarations or external references is refused ({error}); "
            "write the IRIs out in full",
        ) from None
    except SyntaxError as error:  # xml.etree.ElementTree.ParseError
        raise UploadError(400, "malformed-document", f"the RDF/XML is malformed: {error}") from None


def refuse_remote_contexts(body: bytes) -> None:
    """400 naming the first remote ``@context`` (or ``@import``) of a JSON-LD document."""
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UploadError(400, "malformed-document", f"the JSON-LD is not JSON: {error}") from None
    for reference in _remote_contexts(document):
        raise UploadError(
            400,
            "remote-context-refused",
            f"the JSON-LD names the remote context {reference!r}; remote contexts are never "
            "fetched: put the context inline",
        )


def _remote_contexts(node: Any) -> Iterator[str]:
    if isinstance(node, list):
        for item in node:
            yield from _remote_contexts(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                yield from _context_references(value)
            yield from _remote_contexts(value)


def _context_references(context: Any) -> Iterator[str]:
    # JSON-LD 1.1 §9.15: a context is an IRI (remote), an object, null, or an array of those.
    if isinstance(context, str):
        yield context
    elif isinstance(context, list):
        for item in context:
            yield from _context_references(item)
    elif isinstance(context, dict) and isinstance(context.get("@import"), str):
        yield context["@import"]
