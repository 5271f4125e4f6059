"""Say what an inferred statement follows from, cheaply: the OWL 2 RL rule kind and the term it
goes through (inverse, sub-property, chain, symmetry, transitivity, subclass, domain, range).

One SPARQL query per statement, every term passed as a binding; no proof search: the first
premise found that fits the rule is named, which is enough to read the page by. The query
matches the statement itself in each branch that tests its predicate, so that a remote store's
VALUES bindings (joined after the branches are evaluated, SPARQL 1.1 Query §18.6) and the
embedded store's substitution give the same answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from secgraph.describe.describe import Statement
from secgraph.namespaces import sparql_prologue
from secgraph.store.embedded import Store

# Rule names from OWL 2 Profiles §4.3, tables 5-9 (prp-inv, prp-spo1, prp-spo2, prp-symp,
# prp-trp, prp-eqp, cax-sco, prp-dom, prp-rng), in the order a reader finds most telling.
_RULES = {
    "prp-inv": "inverse of",
    "prp-spo1": "sub-property",
    "prp-eqp": "equivalent property",
    "prp-spo2": "property chain",
    "prp-symp": "symmetric property",
    "prp-trp": "transitive property",
    "cax-sco": "subclass of",
    "prp-dom": "domain of",
    "prp-rng": "range of",
}
_WHY = (
    sparql_prologue()
    + """SELECT DISTINCT ?s ?p ?o ?rule ?via WHERE {
  { { ?p owl:inverseOf ?via } UNION { ?via owl:inverseOf ?p } ?o ?via ?s BIND("prp-inv" AS ?rule) }
  UNION { ?via rdfs:subPropertyOf ?p . ?s ?via ?o FILTER(?via != ?p) BIND("prp-spo1" AS ?rule) }
  UNION { { ?p owl:equivalentProperty ?via } UNION { ?via owl:equivalentProperty ?p }
          ?s ?via ?o FILTER(?via != ?p) BIND("prp-eqp" AS ?rule) }
  UNION { ?p owl:propertyChainAxiom ?chain BIND(?p AS ?via) BIND("prp-spo2" AS ?rule) }
  UNION { ?p a owl:SymmetricProperty . ?o ?p ?s BIND(?p AS ?via) BIND("prp-symp" AS ?rule) }
  UNION { ?p a owl:TransitiveProperty BIND(?p AS ?via) BIND("prp-trp" AS ?rule) }
  UNION { ?s ?p ?o FILTER(?p = rdf:type) ?s a ?via . ?via rdfs:subClassOf ?o
          FILTER(?via != ?o && isIRI(?via)) BIND("cax-sco" AS ?rule) }
  UNION { ?s ?p ?o FILTER(?p = rdf:type) ?via rdfs:domain ?o . ?s ?via ?any
          BIND("prp-dom" AS ?rule) }
  UNION { ?s ?p ?o FILTER(?p = rdf:type) ?via rdfs:range ?o . ?any ?via ?s
          BIND("prp-rng" AS ?rule) }
}"""
)


@dataclass(frozen=True)
class Reason:
    """Why an inferred statement holds: the rule (OWL 2 RL name), in words, and the term used."""

    rule: str
    words: str
    via: str


def explain(store: Store, statement: Statement) -> Reason | None:
    """The most telling reason ``statement`` follows, or None when no cheap one is found
    (owl:sameAs, property restrictions and the like are left unexplained)."""
    bindings = {"s": statement.subject, "p": statement.predicate, "o": statement.object}
    result = store.query(_WHY, bindings=bindings)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("a SELECT query must return solutions")
    found = [(row["rule"].value, row["via"].value) for row in result if row["via"] is not None]
    order = list(_RULES)
    found.sort(key=lambda pair: (order.index(pair[0]), pair[1]))
    return Reason(found[0][0], _RULES[found[0][0]], found[0][1]) if found else None


def explain_inferred(
    store: Store, statements: Iterable[Statement]
) -> dict[tuple[str, str], Reason]:
    """Reasons for the inferred statements among ``statements``, keyed by (predicate IRI,
    object value)."""
    reasons = {}
    for statement in statements:
        if not statement.inferred or isinstance(statement.subject, ox.BlankNode):
            continue
        reason = explain(store, statement)
        if reason is not None:
            reasons[(statement.predicate.value, statement.object.value)] = reason
    return reasons
