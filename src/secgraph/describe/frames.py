"""Framed JSON-LD per main class: which statements a frame gathers and how it nests them.

A frame (JSON-LD 1.1 Framing §4) turns the flat graph into one tree per instance of a class:
an event with its participations (and who took part) nested, a program with its funding records
(and their fiscal periods) nested. No I/O: the web layer and the CLI run the query and the frame.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from secgraph.describe.jsonld import JsonLdWriter
from secgraph.namespaces import sparql_prologue
from secgraph.store.embedded import Store

# Citations (prov:qualifiedDerivation) are left out: a frame is a reading view; the resource's
# own JSON-LD and the dumps carry every statement with its citations.
_GATHER = """
CONSTRUCT {{
  ?focus ?p ?o . ?o rdfs:label ?objectLabel .
  ?nested ?np ?no . ?no rdfs:label ?nestedLabel .
}} WHERE {{
  ?focus a {cls} .
  {{ ?focus ?p ?o FILTER(?p != prov:qualifiedDerivation)
     OPTIONAL {{ ?o rdfs:label ?objectLabel }} }}
  UNION
  {{ ?nested {link} ?focus ; ?np ?no FILTER(?np != prov:qualifiedDerivation)
     OPTIONAL {{ ?no rdfs:label ?nestedLabel }} }}
}}
"""


@dataclass(frozen=True)
class Frame:
    """One frame: the class it roots at, the statement that links nested nodes to it, and
    the reverse key (from the context) those nodes appear under."""

    name: str
    cls: str
    """The class, as a CURIE of the context (e.g. ``sg:Event``)."""
    link: str
    """The property from a nested node to the framed one (e.g. ``sg:event``)."""
    nested_key: str
    """The context's reverse key for ``link`` (e.g. ``participations``)."""
    description: str

    @property
    def query(self) -> str:
        return sparql_prologue() + _GATHER.format(cls=self.cls, link=self.link)

    def document(self, focus: str | None = None) -> dict[str, Any]:
        """The frame document (without @context): every instance, or only ``focus``."""
        # @embed @always: each nested node shows what it links to (a participant's label)
        # every time, not only at its first occurrence (Framing §4.2.1).
        frame: dict[str, Any] = {
            "@type": self.cls.removeprefix("sg:"),
            self.nested_key: {"@embed": "@always"},
            "@embed": "@always",
        }
        return frame if focus is None else {"@id": focus, **frame}


FRAMES: Mapping[str, Frame] = {
    frame.name: frame
    for frame in (
        Frame(
            "event",
            "sg:Event",
            "sg:event",
            "participations",
            "an event with its participations (participant, role) nested",
        ),
        Frame(
            "program",
            "sg:Program",
            "sg:fundedInitiative",
            "fundings",
            "a program with its funding records (amount, currency, fiscal period) nested",
        ),
    )
}


def frame_instances(
    store: Store, writer: JsonLdWriter, frame: Frame, focus: str | None = None
) -> dict[str, Any]:
    """Every instance of the frame's class as a tree (or only ``focus``), in JSON-LD."""
    result = store.query(frame.query)
    if not isinstance(result, ox.QueryTriples):
        raise TypeError("a CONSTRUCT query must return triples")
    quads = [ox.Quad(t.subject, t.predicate, t.object) for t in result]
    return writer.frame(quads, frame.document(focus))


def is_instance(store: Store, frame: Frame, focus: str) -> bool:
    """Whether ``focus`` is an instance of the frame's class (asserted or inferred)."""
    query = sparql_prologue() + f"ASK {{ ?focus a {frame.cls} }}"
    return bool(store.query(query, bindings={"focus": ox.NamedNode(focus)}))
