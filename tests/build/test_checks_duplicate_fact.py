"""ontology/checks/duplicate-fact-violation.rq: a real thing or fact recorded twice (an office
taking part beside its holder, the same money in two funding records) is reported; the one-node
forms the data uses are not."""

from __future__ import annotations

import pyoxigraph as ox

from paths import REPOSITORY
from secgraph.namespaces import PREFIXES, shorten

CHECK = REPOSITORY / "ontology" / "checks" / "duplicate-fact-violation.rq"
TRIG_PREFIXES = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in PREFIXES.items())

# One graph per source, as the data is laid out; the check reads their union.
DUPLICATES = """
graph:fact-sheet {
  id:office a sg:Office . id:person a sg:Person .
  id:p-person sg:participant id:person ; sg:inOffice id:office ; sg:event id:conference .
  id:h sg:heldOffice id:office ; sg:officeHolder id:person ; sg:attestedAt id:conference .
  id:f1 a sg:Funding ; sg:amount 361000000.0 ; sg:funder id:us ; sg:fundedInitiative id:carsi ;
      sg:fiscalPeriod id:fy-2008-2011 .
}
graph:news {
  id:p-office sg:participant id:office ; sg:event id:conference .
  id:f2 a sg:Funding ; sg:amount 361.0e6 ; sg:funder id:us ; sg:fundedInitiative id:carsi ;
      sg:timeDescription "to date" .
}
"""
# The forms the shipped data uses: the office's co-hosting is the person's node (cited by both
# sources); equal amounts in two different fiscal periods, or from two funders, are two facts.
ONE_NODE_EACH = """
graph:fact-sheet {
  id:office a sg:Office . id:person a sg:Person .
  id:p-person sg:participant id:person ; sg:inOffice id:office ; sg:event id:conference .
  id:h sg:heldOffice id:office ; sg:officeHolder id:person ; sg:attestedAt id:conference .
  id:other-office a sg:Office .
  id:p-other sg:participant id:other-office ; sg:event id:meeting .
  id:f1 a sg:Funding ; sg:amount 10000000000.0 ; sg:funder id:us ; sg:fundedInitiative id:drugs ;
      sg:fiscalPeriod id:fy-2009-2011 .
  id:f2 a sg:Funding ; sg:amount 10000000000.0 ; sg:funder id:us ; sg:fundedInitiative id:drugs ;
      sg:fiscalPeriod id:fy-2012 .
  id:f3 a sg:Funding ; sg:amount 10000000000.0 ; sg:funder id:administration ;
      sg:fundedInitiative id:drugs .
}
graph:news {
  id:p-person sg:inOffice id:office ; sg:event id:conference .
}
"""


def _rows(data: str) -> list[tuple[str, str, str]]:
    store = ox.Store()
    store.load(TRIG_PREFIXES + data, format=ox.RdfFormat.TRIG)
    result = store.query(CHECK.read_text(encoding="utf-8"), use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    return [
        (str(row["kind"].value), shorten(row["first"].value), shorten(row["second"].value))
        for row in result
    ]


def test_an_office_beside_its_holder_and_the_same_money_twice_are_reported() -> None:
    # The office's participation is reported once per way the holder is known (in the office at
    # the event; attested in it at the event) with the person's node as the second.
    assert _rows(DUPLICATES) == [
        ("office-beside-holder", "id:p-office", "id:p-person"),
        ("same-funding", "id:f1", "id:f2"),
    ]


def test_one_node_per_fact_is_not_reported() -> None:
    assert _rows(ONE_NODE_EACH) == []
