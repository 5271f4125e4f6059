"""IRIs and prefixes of the graph; the only module that spells an IRI. No logic but prefixing."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SH,
    SKOS,
    TIME,
    VOID,
    XSD,
)
from rdflib.namespace import SDO as SCHEMA

BASE = "https://w3id.org/secgraph/"

SG = Namespace(BASE + "ontology#")
"""The secgraph vocabulary: classes (UpperCamel) and properties (lowerCamel)."""
ID = Namespace(BASE + "id/")
"""Instances: ``<base>id/<slug>`` or ``<base>id/<class>/<slug>``."""
GRAPH = Namespace(BASE + "graph/")
"""Named graphs: one per source document, plus the two below."""

ONTOLOGY_GRAPH = GRAPH["ontology"]
"""Holds the ontology file(s) as written."""
INFERRED_GRAPH = GRAPH["inferred"]
"""Holds what OWL 2 RL reasoning adds; never hand-edited, never asserted."""
RESERVED_GRAPHS = frozenset({ONTOLOGY_GRAPH, INFERRED_GRAPH})
"""Graphs that data files must not write into."""

BUILTIN_VOCABULARIES = (str(RDF), str(RDFS), str(OWL), str(XSD))
"""Namespaces of the languages themselves; statements about their terms are not data."""

PREFIXES: dict[str, str] = {
    "sg": str(SG),
    "id": str(ID),
    "graph": str(GRAPH),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "foaf": str(FOAF),
    "prov": str(PROV),
    "time": str(TIME),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "dcat": str(DCAT),
    "void": str(VOID),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "sh": str(SH),
}
"""Prefix -> namespace, for SPARQL prologues and serializations."""

__all__ = [
    "BASE",
    "BUILTIN_VOCABULARIES",
    "DCAT",
    "DCTERMS",
    "FOAF",
    "GRAPH",
    "ID",
    "INFERRED_GRAPH",
    "ONTOLOGY_GRAPH",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "RESERVED_GRAPHS",
    "SCHEMA",
    "SG",
    "SH",
    "SKOS",
    "TIME",
    "VOID",
    "XSD",
    "shorten",
    "sparql_prologue",
]


def sparql_prologue() -> str:
    """Return ``PREFIX`` declarations for every entry of PREFIXES (SPARQL 1.1 Query §4.1.1)."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


def shorten(iri: str) -> str:
    """Return ``prefix:local`` for an IRI in a PREFIXES namespace (longest wins), else ``<iri>``."""
    matches = [(name, ns) for name, ns in PREFIXES.items() if iri.startswith(ns)]
    if not matches:
        return f"<{iri}>"
    name, namespace = max(matches, key=lambda match: len(match[1]))
    return f"{name}:{iri[len(namespace) :]}"
