"""IRIs and prefixes of the graph; the only module that spells an IRI. No logic but prefixing."""

from __future__ import annotations

from rdflib import Namespace, URIRef
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
PUBLICATION_GRAPH = GRAPH["publication"]
"""On a remote SPARQL server: which build was published there (``secgraph publish``)."""
UNION_GRAPH = GRAPH["union"]
"""On a remote server: the set union of the published graphs, queried as the default graph."""
RESERVED_GRAPHS = frozenset({ONTOLOGY_GRAPH, INFERRED_GRAPH, PUBLICATION_GRAPH, UNION_GRAPH})
"""Graphs that data files must not write into."""
GENID = Namespace(BASE + "genid/")
"""Skolem IRIs standing for blank nodes on a remote server (RDF 1.1 Concepts §3.5); not under
``/.well-known/`` because the project controls a path of w3id.org, not its root."""
SHAPES = Namespace(BASE + "shapes#")
"""SHACL shapes ``<base>shapes#<Name>``; the shapes document itself is ``<base>shapes``."""

IANA_MEDIA_TYPES = Namespace("https://www.iana.org/assignments/media-types/")
"""Media types as IRIs, as DCAT recommends for dcat:mediaType."""
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")
"""The SPARQL 1.1 Protocol, which the /sparql endpoint conforms to."""
GRAPH_STORE_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-http-rdf-update/")
"""The SPARQL 1.1 Graph Store HTTP Protocol, whose read side /data implements."""
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
"""SPARQL 1.1 Service Description vocabulary."""
FORMATS = Namespace("http://www.w3.org/ns/formats/")
"""W3C identifiers of RDF and SPARQL results serializations (``FORMATS["Turtle"]``, ...)."""
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")
"""SPARQL 1.1 Entailment Regimes (``ENTAILMENT["OWL-RDF-Based"]``, ``ENTAILMENT.Simple``)."""
OWL_PROFILE = Namespace("http://www.w3.org/ns/owl-profile/")
"""OWL 2 profiles (``OWL_PROFILE.RL``), for sd:supportedEntailmentProfile."""
WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
"""Wikidata's SPARQL query service, on the default federation allowlist."""
DBPEDIA_SPARQL = "https://dbpedia.org/sparql"
"""DBpedia's SPARQL endpoint, on the default federation allowlist."""

BUILTIN_VOCABULARIES = (str(RDF), str(RDFS), str(OWL), str(XSD))
"""Namespaces of the languages themselves; statements about their terms are not data."""

PREFIXES: dict[str, str] = {
    "sg": str(SG),
    "id": str(ID),
    "graph": str(GRAPH),
    "sgsh": str(SHAPES),
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

LINK_TARGETS: dict[str, str] = {
    "Wikidata": "http://www.wikidata.org/entity/",
    "GeoNames": "https://sws.geonames.org/",
    "DBpedia": "http://dbpedia.org/resource/",
}
"""Open-data graphs secgraph links to: name -> the URI space of their resources (VoID §4.5)."""

__all__ = [
    "BASE",
    "BUILTIN_VOCABULARIES",
    "DBPEDIA_SPARQL",
    "DCAT",
    "DCTERMS",
    "ENTAILMENT",
    "FOAF",
    "FORMATS",
    "GENID",
    "GRAPH",
    "GRAPH_STORE_PROTOCOL",
    "IANA_MEDIA_TYPES",
    "ID",
    "INFERRED_GRAPH",
    "LINK_TARGETS",
    "ONTOLOGY_GRAPH",
    "ORG",
    "OWL",
    "OWL_PROFILE",
    "PREFIXES",
    "PROV",
    "PUBLICATION_GRAPH",
    "RDF",
    "RDFS",
    "RESERVED_GRAPHS",
    "SCHEMA",
    "SD",
    "SG",
    "SH",
    "SHAPES",
    "SKOS",
    "SPARQL_PROTOCOL",
    "TIME",
    "UNION_GRAPH",
    "VOID",
    "WIKIDATA_SPARQL",
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
