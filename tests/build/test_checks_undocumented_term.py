"""ontology/checks/undocumented-term-violation.rq: a term without a label, or without a
definition, is reported for what it lacks, whatever the other terms have."""

from __future__ import annotations

import pyoxigraph as ox

from paths import REPOSITORY
from secgraph.namespaces import PREFIXES, shorten
from secgraph.store.embedded import OxigraphStore

CHECK = REPOSITORY / "ontology" / "checks" / "undocumented-term-violation.rq"
ONTOLOGY = """
graph:ontology {
  sg:Unlabelled a owl:Class ; rdfs:comment "A class without a label." .
  sg:Undefined a owl:Class ; rdfs:label "undefined"@en .
  sg:bare a owl:ObjectProperty, owl:AnnotationProperty .
  sg:Documented a owl:Class ; rdfs:label "documented"@en ; skos:definition "Has both." .
  sg:commented a owl:DatatypeProperty ; rdfs:label "commented"@en ; rdfs:comment "Has both." .
  _:anonymous a owl:Class .
}
graph:data { sg:Elsewhere a owl:Class . }
"""


def test_each_term_is_reported_for_the_documentation_it_lacks() -> None:
    # Regression: the label and definition tests sat in UNION branches without ?term, so they
    # asked whether any term had a label, and never reported a missing one.
    prefixes = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in PREFIXES.items())
    store = OxigraphStore.from_quads(ox.parse(prefixes + ONTOLOGY, format=ox.RdfFormat.TRIG))
    result = store.query(CHECK.read_text(encoding="utf-8"))
    assert isinstance(result, ox.QuerySolutions)
    found = [(shorten(row["term"].value), row["missing"].value) for row in result]
    assert found == [
        ("sg:Undefined", "definition"),
        ("sg:Unlabelled", "label"),
        ("sg:bare", "definition"),
        ("sg:bare", "label"),
    ]
