"""Arrange one graph as a document page (ontology, named graph, shapes); no Flask, no HTML.

Every subject of the graph becomes an entry with an anchor, in sections by class.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from secgraph.describe.describe import Source, Statement, Subject
from secgraph.describe.labels import Labels
from secgraph.namespaces import OWL, RDF, RDFS, SH, SKOS, shorten
from secgraph.web.pages.terms import Row, Shown, TermShower

SectionSpec = tuple[str, str, frozenset[str]]
"""(anchor, heading, classes whose instances the section lists)."""
ANY_CLASS = "*"
"""In a SectionSpec: an instance of any class (sections are tried in order)."""


def _spec(slug: str, title: str, *classes: object) -> SectionSpec:
    return slug, title, frozenset(str(item) for item in classes)


ONTOLOGY_SECTIONS = (
    _spec("classes", "Classes", OWL.Class, RDFS.Class),
    _spec(
        "properties",
        "Properties",
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        RDF.Property,
    ),
    _spec("individuals", "Concepts and individuals", ANY_CLASS),
)
SHAPES_SECTIONS = (
    _spec("node-shapes", "Node shapes", SH.NodeShape),
    _spec("property-shapes", "Property shapes", SH.PropertyShape),
)
OTHER = ("other", "Other statements")
# Within an entry: what it is and what it is called first, then the rest by property.
_FIRST = [
    str(item) for item in (RDF.type, RDFS.label, SKOS.prefLabel, RDFS.comment, SKOS.definition)
]


@dataclass(frozen=True)
class Entry:
    """One subject of the graph and what the graph says about it."""

    subject: Shown
    anchor: str | None
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class DocumentPage:
    """A graph as a document: what it says about itself, then its subjects by section."""

    iri: str
    title: str
    about: tuple[Row, ...]
    source: Shown | None
    sections: tuple[Section, ...]
    statements: int
    entries: int
    truncated: bool


@dataclass(frozen=True)
class Layout:
    """How to lay a graph out: its sections, and the namespace whose terms get short anchors."""

    sections: Sequence[SectionSpec] = ()
    namespace: str | None = None
    title: str | None = None
    """The heading when the document has no label of its own."""
    limit: int = 2000
    """Show entries until this many statements are shown; the RDF formats have them all."""


def document_page(
    iri: str,
    statements: Sequence[Statement],
    labels: Labels,
    sources: Mapping[str, Source],
    layout: Layout,
) -> DocumentPage:
    """Lay out ``statements`` (one graph's) as the document ``iri``; blank nodes that another
    statement points at are shown inside it, the rest stand as entries of their own."""
    by_subject: dict[Subject, list[Statement]] = {}
    for item in statements:
        by_subject.setdefault(item.subject, []).append(item)
    nested = {node: items for node, items in by_subject.items() if isinstance(node, ox.BlankNode)}
    shower = TermShower(labels, sources, nested)
    pointed_at = {item.object for item in statements if isinstance(item.object, ox.BlankNode)}
    tops = [node for node in by_subject if node not in pointed_at and node.value != iri]
    tops.sort(key=lambda node: _sort_key(node, labels))
    grouped: dict[tuple[str, str], list[Entry]] = {}
    shown = 0
    for node in tops:
        if shown >= layout.limit:
            break
        own = sorted(by_subject[node], key=_row_order)
        rows = tuple(shower.row(item) for item in own)
        shown += len(rows)
        section = _section(own, layout.sections)
        grouped.setdefault(section, []).append(_entry(node, rows, shower, layout.namespace))
    about = sorted(by_subject.get(ox.NamedNode(iri), []), key=_row_order)
    source = sources.get(iri)
    return DocumentPage(
        iri=iri,
        title=labels.label(iri) or layout.title or shorten(iri),
        about=tuple(shower.row(item) for item in about),
        source=None if source is None else shower.source(source.document),
        sections=_ordered(grouped, layout.sections),
        statements=len(statements),
        entries=len(tops),
        truncated=shown >= layout.limit and sum(map(len, grouped.values())) < len(tops),
    )


def anchor_for(iri: str, namespace: str | None) -> str:
    """The fragment an entry gets: the local name in ``namespace`` (``Country`` for sg:Country,
    so ``/ontology#Country`` is the term's own IRI), else the short name."""
    if namespace is not None and iri.startswith(namespace):
        return iri[len(namespace) :]
    return shorten(iri).strip("<>")


def _entry(
    node: Subject, rows: tuple[Row, ...], shower: TermShower, namespace: str | None
) -> Entry:
    if isinstance(node, ox.BlankNode):
        return Entry(subject=Shown("(an unnamed node)"), anchor=None, rows=rows)
    return Entry(
        subject=shower.iri(node.value), anchor=anchor_for(node.value, namespace), rows=rows
    )


def _section(statements: Sequence[Statement], specs: Sequence[SectionSpec]) -> tuple[str, str]:
    classes = {item.object.value for item in statements if item.predicate.value == str(RDF.type)}
    if classes:
        classes.add(ANY_CLASS)
    return next(((slug, title) for slug, title, kinds in specs if kinds & classes), OTHER)


def _ordered(
    grouped: Mapping[tuple[str, str], list[Entry]], specs: Sequence[SectionSpec]
) -> tuple[Section, ...]:
    order = [(slug, title) for slug, title, _ in specs] + [OTHER]
    return tuple(Section(*key, entries=tuple(grouped[key])) for key in order if key in grouped)


def _row_order(statement: Statement) -> tuple[int, str]:
    predicate = statement.predicate.value
    return (_FIRST.index(predicate) if predicate in _FIRST else len(_FIRST)), predicate


def _sort_key(node: Subject, labels: Labels) -> tuple[int, str]:
    if isinstance(node, ox.BlankNode):
        return 1, ""
    return 0, labels.name(node.value).casefold()
