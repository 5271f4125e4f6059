"""ontology/checks/duplicate-label-violation.rq: the join on class and label finds what the
pairwise comparison it replaced found."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from paths import REPOSITORY
from secgraph.namespaces import PREFIXES

CHECK = REPOSITORY / "ontology" / "checks" / "duplicate-label-violation.rq"
# The pairwise form the check had before: every same-class pair, then the label comparison.
PAIRWISE = """
SELECT DISTINCT ?label ?first ?second ?class WHERE {
  GRAPH ?g1 { ?first rdf:type ?class ; rdfs:label ?l1 . }
  GRAPH ?g2 { ?second rdf:type ?class ; rdfs:label ?l2 . }
  FILTER(?g1 != graph:inferred && ?g2 != graph:inferred)
  FILTER(STR(?first) < STR(?second))
  FILTER(LANG(?l1) = "en" && LCASE(STR(?l1)) = LCASE(STR(?l2)) && LANG(?l2) = "en")
  BIND(STR(?l1) AS ?label)
}
ORDER BY ?label
"""
DATA = """
graph:a { id:sica a sg:Organization ; rdfs:label "SICA"@en, "Sistema"@es .
          id:carsi a sg:Program ; rdfs:label "CARSI"@en .
          id:dea a sg:Organization ; rdfs:label "DEA"@en . }
graph:b { id:sica-2 a sg:Organization ; rdfs:label "sica"@en .
          id:carsi-2 a sg:Organization ; rdfs:label "CARSI"@en .
          id:sistema a sg:Organization ; rdfs:label "Sistema"@es .
          id:dea-2 rdfs:label "DEA"@en . }
graph:inferred { id:dea-2 a sg:Organization . id:x a sg:Program ; rdfs:label "CARSI"@en . }
graph:c { id:sica-3 a sg:Organization . }
graph:d { id:sica-3 rdfs:label "SICA"@en . }
"""


def _rows(query: str) -> list[tuple[str, ...]]:
    store = ox.Store()
    prefixes = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in PREFIXES.items())
    store.load(prefixes + DATA, format=ox.RdfFormat.TRIG)
    sparql_prefixes = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
    result = store.query(sparql_prefixes + query)
    assert isinstance(result, ox.QuerySolutions)
    return [tuple(str(term.value) for term in row) for row in result]


@pytest.mark.skipif(not CHECK.is_file(), reason="no duplicate-label check in this project")
def test_duplicate_label_check_finds_what_the_pairwise_form_found() -> None:
    found = _rows(CHECK.read_text(encoding="utf-8"))
    # Only the two SICA organizations, each typed and labelled in one graph, labels differing in
    # case: not CARSI (another class), not DEA (typed only in graph:inferred), not Sistema
    # (Spanish), not sica-3 (typed and labelled in different graphs).
    sica, sica_2 = PREFIXES["id"] + "sica", PREFIXES["id"] + "sica-2"
    assert found == [("SICA", sica, sica_2, PREFIXES["sg"] + "Organization")]
    assert found == _rows(PAIRWISE)
