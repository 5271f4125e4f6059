"""The versioned JSON-LD @context: derived from the ontology's terms, kept as a file; no I/O
beyond reading the ontology and that file.

Keys are the ontology's local names (``participant``, ``amount``), plus short names for the
few external terms the data uses (``label``, ``altLabel``, ``memberOf``, ``source``, ``quote``).
A published context never changes: a change of keys is a new version and a new file, so the
test that compares the file with ``build_context`` fails until the version is raised.

    python -m secgraph.describe.jsonld_context > ontology/context/secgraph-1.1.0.jsonld
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from secgraph.namespaces import (
    BASE,
    DCTERMS,
    ORG,
    OWL,
    PREFIXES,
    PROV,
    RDFS,
    SG,
    SKOS,
    XSD,
)

VERSION = "1.2.0"
CONTEXT_DIR = Path("context")
"""Where context files live, relative to the ontology directory."""
CONTEXT_URL = f"{BASE}context/{VERSION}.jsonld"
"""The current context's stable URL (served at /context/<version>.jsonld)."""
_PREFIXES = (
    "sg",
    "id",
    "graph",
    "rdf",
    "rdfs",
    "owl",
    "xsd",
    "skos",
    "dcterms",
    "org",
    "prov",
    "schema",
    "foaf",
    "time",
)
_ID = {"@type": "@id"}
_LANGUAGES = {"@container": "@language"}
# External terms the data uses, by the short key they get (chosen by hand: their local names
# clash with the ontology's, e.g. org:role and sg:role, or say too little, e.g. prov:entity).
EXTERNAL: dict[str, tuple[str, dict[str, str]]] = {
    "label": (str(RDFS.label), _LANGUAGES),
    "comment": (str(RDFS.comment), _LANGUAGES),
    "prefLabel": (str(SKOS.prefLabel), _LANGUAGES),
    "altLabel": (str(SKOS.altLabel), _LANGUAGES),
    "broader": (str(SKOS.broader), _ID),
    "related": (str(SKOS.related), _ID),
    "inScheme": (str(SKOS.inScheme), _ID),
    "title": (str(DCTERMS.title), _LANGUAGES),
    "alternativeTitle": (str(DCTERMS.alternative), _LANGUAGES),
    "issued": (str(DCTERMS.issued), {}),
    "publisher": (str(DCTERMS.publisher), _ID),
    "member": (str(ORG.member), _ID),
    "memberOf": (str(ORG.memberOf), _ID),
    "organization": (str(ORG.organization), _ID),
    "membershipRole": (str(ORG.role), _ID),
    "derivedFrom": (str(PROV.qualifiedDerivation), {}),
    "source": (str(PROV.entity), _ID),
    "sameAs": (str(OWL.sameAs), _ID),
    "subClassOf": (str(RDFS.subClassOf), _ID),
}
# Reverse keys, so that a framed event nests its participations and a program its funding
# (JSON-LD 1.1 §4.8 reverse properties): these statements point at the thing, not from it.
REVERSE = {"participations": str(SG.event), "fundings": str(SG.fundedInitiative)}
_TERMS = f"""
SELECT ?term ?kind ?range WHERE {{
  ?term a ?kind .
  FILTER(?kind IN (<{OWL.Class}>, <{OWL.ObjectProperty}>, <{OWL.DatatypeProperty}>))
  FILTER(STRSTARTS(STR(?term), "{SG}"))
  OPTIONAL {{ ?term <{RDFS.range}> ?range FILTER(STRSTARTS(STR(?range), "{XSD}")) }}
}} ORDER BY ?term
"""


def build_context(ontology_files: list[Path]) -> dict[str, Any]:
    """The @context for the ontology in ``ontology_files``: prefixes, external keys, then one
    key per sg: class and property (object properties take IRIs, typed datatype properties
    their datatype). The ontology's own terms win: an external key its local name takes is
    left out (its CURIE, e.g. ``org:memberOf``, still works)."""
    store = ox.Store()
    for path in ontology_files:
        store.load(path=path, format=ox.RdfFormat.TURTLE)
    solutions = store.query(_TERMS)
    if not isinstance(solutions, ox.QuerySolutions):
        raise TypeError("a SELECT query must return solutions")
    own = {row["term"].value.removeprefix(str(SG)): _definition(row) for row in solutions}
    # No "@version": 1.1: nothing here needs JSON-LD 1.1 (language maps and @reverse are 1.0),
    # and a 1.0 processor (Jena's reader) refuses a context that declares it.
    context: dict[str, Any] = {}
    context.update({name: PREFIXES[name] for name in _PREFIXES})
    external = {key: {"@id": _curie(iri), **extra} for key, (iri, extra) in EXTERNAL.items()}
    external.update({key: {"@reverse": _curie(iri)} for key, iri in REVERSE.items()})
    context.update({key: value for key, value in external.items() if key not in own})
    context.update(own)
    return {"@context": context}


def _curie(iri: str) -> str:
    """``sg:participant`` for the IRI of sg:participant: the context's own prefixes."""
    for name in _PREFIXES:
        if iri.startswith(PREFIXES[name]):
            return f"{name}:{iri.removeprefix(PREFIXES[name])}"
    return iri


def _definition(row: ox.QuerySolution) -> str | dict[str, str]:
    iri, kind, datatype = _curie(row["term"].value), row["kind"].value, row["range"]
    if kind == str(OWL.ObjectProperty):
        return {"@id": iri, **_ID}
    if kind == str(OWL.DatatypeProperty) and datatype is not None:
        if datatype.value == str(XSD.string):  # plain JSON strings are xsd:string already
            return iri
        return {"@id": iri, "@type": _curie(datatype.value)}
    return iri


def context_file(ontology_dir: Path, version: str = VERSION) -> Path:
    """The file of a context version: ``<ontology_dir>/context/secgraph-<version>.jsonld``."""
    return ontology_dir / CONTEXT_DIR / f"secgraph-{version}.jsonld"


@lru_cache(maxsize=4)
def read_context(path: Path) -> dict[str, Any]:
    """The context document kept at ``path`` (read once per process)."""
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def render_context(document: dict[str, Any]) -> str:
    """The file text: stable key order as built, two-space indent, final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    """Print the context built from the project's ontology (see the module docstring)."""
    from secgraph.config import settings_from_env

    settings = settings_from_env()
    files = sorted(settings.ontology_dir.glob("*.ttl"))
    sys.stdout.write(render_context(build_context(files)))


if __name__ == "__main__":
    main()
