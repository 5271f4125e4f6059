"""The funding chart's queries: funding by program and fiscal period, for all records or for the
records one resource takes part in (as program, funder or recipient); no routes."""

from __future__ import annotations

import pyoxigraph as ox

from secgraph.namespaces import sparql_prologue
from secgraph.store.embedded import Store

_RECORD = """
  ?funding a sg:Funding ; sg:amount ?amount ; sg:fiscalPeriod/rdfs:label ?fiscalYear ;
      sg:fundingKind/rdfs:label ?kindLabel .
  OPTIONAL { ?funding sg:fundedInitiative ?initiative . ?initiative rdfs:label ?name }
  BIND(COALESCE(?initiative, ?funding) AS ?program)
  BIND(CONCAT(COALESCE(?name, "(no program named)"), " — ", ?kindLabel) AS ?programLabel)"""
_ROLE = "VALUES ?role { sg:fundedInitiative sg:funder sg:recipient } ?funding ?role ?focus ."
# The default graph is the set union of the named graphs (store.py), so a record two sources
# state is one set of triples there and SUM counts its amount once.
FUNDING_QUERY = (
    sparql_prologue()
    + "SELECT ?program ?programLabel ?fiscalYear (SUM(?amount) AS ?total) WHERE {"
    + _RECORD
    + "\n} GROUP BY ?program ?programLabel ?fiscalYear ORDER BY ?programLabel ?fiscalYear"
)
# The records ?focus takes part in. ?focus is bound by a pattern and kept in the projection, so
# a remote store's VALUES binding (joined after the pattern, SPARQL 1.1 Query §18.6) selects
# what the embedded store's substitution selects; the subquery keeps a record once even when
# ?focus holds two roles in it.
FUNDING_AROUND = (
    sparql_prologue()
    + "SELECT ?program ?programLabel ?fiscalYear (SUM(?amount) AS ?total) ?focus WHERE {\n"
    + "  { SELECT DISTINCT ?focus ?funding WHERE { "
    + _ROLE
    + " } }"
    + _RECORD
    + "\n} GROUP BY ?focus ?program ?programLabel ?fiscalYear ORDER BY ?programLabel ?fiscalYear"
)
_HAS_FUNDING = sparql_prologue() + "ASK { ?funding a sg:Funding . " + _ROLE + " }"


def has_funding(store: Store, iri: str) -> bool:
    """Whether some funding record names ``iri`` as its program, funder or recipient."""
    answer = store.query(_HAS_FUNDING, bindings={"focus": ox.NamedNode(iri)})
    return bool(answer)
