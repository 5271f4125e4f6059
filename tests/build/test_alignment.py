"""Alignment: the same question asked in schema.org, W3C ORG, FOAF or DCTERMS terms and in
secgraph's own terms gets the same, non-empty answer (ontology axioms + OWL 2 RL reasoning)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from secgraph.build.pipeline import BuiltGraph
from secgraph.namespaces import sparql_prologue

PAIRS = {
    "countries": ("?x a schema:Country", "?x a sg:Country"),
    "people (FOAF)": ("?x a foaf:Person", "?x a sg:Person"),
    "people (schema.org)": ("?x a schema:Person", "?x a sg:Person"),
    "organizations (ORG)": ("?x a org:Organization", "?x a sg:Organization"),
    "organizations (FOAF)": ("?x a foaf:Organization", "?x a sg:Organization"),
    "events": ("?x a schema:Event", "?x a sg:Event"),
    "grants": ("?x a schema:MonetaryGrant", "?x a sg:Funding"),
    "funders": ("?x schema:funder ?y", "?x sg:funder ?y"),
    "funded items": ("?x schema:fundedItem ?y", "?x sg:fundedInitiative ?y"),
    "places within places": ("?x schema:containedInPlace ?y", "?x sg:locatedIn ?y"),
    "event start dates": ("?x schema:startDate ?y", "?x sg:startDate ?y"),
    "sub-organizations": ("?x org:subOrganizationOf ?y", "?x sg:partOf ?y"),
    "homepages": ("?x foaf:homepage ?y", "?x sg:website ?y"),
    "identifiers": ("?x dcterms:identifier ?y", "?x sg:iso3166Alpha2|sg:iso3166Alpha3 ?y"),
}


def _answers(store_of: BuiltGraph, pattern: str) -> set[tuple[str, ...]]:
    query = f"{sparql_prologue()}SELECT DISTINCT ?x ?y WHERE {{ {pattern} }}"
    solutions = store_of.store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    return {tuple(str(row[name]) for name in ("x", "y")) for row in solutions}


@pytest.mark.parametrize(("theirs", "ours"), PAIRS.values(), ids=list(PAIRS))
def test_reused_vocabulary_query_answers_as_secgraph_terms(
    shipped_built: BuiltGraph, theirs: str, ours: str
) -> None:
    expected = _answers(shipped_built, ours)
    assert expected, f"no answer to {ours}"
    assert _answers(shipped_built, theirs) == expected
