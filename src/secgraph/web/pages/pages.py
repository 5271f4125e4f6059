"""Arrange a Description for its resource page: facts by kind, citations, links; no Flask.

Stated facts carry the source document of their graph; inferred ones are kept apart and marked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from secgraph.describe.describe import Citation, Description, Link, Source, Statement
from secgraph.describe.explain import Reason
from secgraph.describe.labels import Labels, local_name
from secgraph.namespaces import (
    DCTERMS,
    FOAF,
    OWL,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SG,
    SKOS,
    TIME,
    XSD,
)
from secgraph.web.pages.citing import Cited, Group, cite_rows, unplaced
from secgraph.web.pages.terms import Provenance, Row, Shown, TermShower


def _iris(*terms: object) -> frozenset[str]:
    return frozenset(str(term) for term in terms)


_NAMES = _iris(
    RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, DCTERMS.title, FOAF.name
) | _iris(DCTERMS.alternative, SCHEMA.name)
_IDENTITY = _iris(
    RDF.type, OWL.sameAs, SKOS.inScheme, SKOS.exactMatch, SKOS.closeMatch, DCTERMS.identifier
) | _iris(SG.sha256, SG.describedIn)
_CITATION = str(PROV.qualifiedDerivation)
"""Shown as citations beside the facts rather than as a fact of their own."""
_DATES = _iris(XSD.date, XSD.dateTime, XSD.dateTimeStamp, XSD.gYear, XSD.gYearMonth)
# A linked resource's kind follows its classes (asserted or inferred); the first match wins,
# so an sg:Country (an actor and a place) is listed with the actors.
_KINDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("actors", _iris(SG.Actor)),
    ("events", _iris(SG.Event, SG.Forum)),
    ("instruments", _iris(SG.PolicyInstrument, SG.Agreement)),
    ("initiatives", _iris(SG.Initiative, SG.Program)),
    ("funding", _iris(SG.Funding)),
    ("places", _iris(SG.Place)),
    ("sources", _iris(SG.SourceDocument, SG.Document)),
    ("dates", _iris(TIME.ProperInterval, SG.FiscalPeriod)),
    ("topics", _iris(SKOS.Concept, SG.Goal)),
    ("facts", _iris(SG.Fact)),
)
GROUP_TITLES = {
    "names": "Names",
    "identity": "Identity and types",
    "actors": "Actors",
    "events": "Events and forums",
    "instruments": "Agreements and other instruments",
    "initiatives": "Initiatives and programs",
    "funding": "Funding",
    "places": "Places",
    "topics": "Threats, goals and topics",
    "facts": "Related facts",
    "sources": "Sources and documents",
    "dates": "Dates and periods",
    "values": "Descriptions and values",
    "other": "Other relations",
}
"""Groups in the order a page shows them."""


@dataclass(frozen=True)
class Incoming:
    """A resource linking here, through ``via`` when the link starts at one of its blank nodes."""

    subject: Shown
    row: Row
    via: Shown | None
    citations: tuple[Cited, ...]


@dataclass(frozen=True)
class Explained:
    """Why an inferred fact holds, as shown: the rule's name and words, and the term it uses."""

    rule: str
    words: str
    via: Shown


# Hosts of the linked-data hubs a resource may be matched to (owl:sameAs, skos:*Match).
EXTERNAL_SITES = {
    "www.wikidata.org": "Wikidata",
    "wikidata.org": "Wikidata",
    "sws.geonames.org": "GeoNames",
    "www.geonames.org": "GeoNames",
    "dbpedia.org": "DBpedia",
}
_MATCHES = _iris(OWL.sameAs, SKOS.exactMatch, SKOS.closeMatch)


def external_links(iris: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """``(site, IRI)`` for each IRI on Wikidata, GeoNames or DBpedia, in site order, once each."""
    found = []
    for iri in dict.fromkeys(iris):
        host = iri.split("/")[2] if iri.count("/") >= 2 else ""
        if host in EXTERNAL_SITES:
            found.append((EXTERNAL_SITES[host], iri))
    return tuple(sorted(found))


@dataclass(frozen=True)
class ResourcePage:
    """Everything a resource page shows, in page order."""

    iri: str
    title: str
    types: tuple[Shown, ...]
    asserted: tuple[Group, ...]
    inferred: tuple[Group, ...]
    citations: tuple[Cited, ...]
    """Citations no fact row shows: their source states none of the facts on the page."""
    incoming: tuple[Incoming, ...]
    reasons: Mapping[tuple[str, str], Explained] = field(default_factory=dict)
    """Inferred facts' reasons, by (property IRI, value) as the rows show them."""
    links_out: tuple[tuple[str, str], ...] = ()
    """The same thing on Wikidata, GeoNames or DBpedia: (site, IRI)."""


def resource_page(
    description: Description,
    labels: Labels,
    sources: Mapping[str, Source],
    reasons: Mapping[tuple[str, str], Reason] | None = None,
) -> ResourcePage:
    """Arrange ``description`` for its page; ``sources`` maps graphs to source documents,
    ``reasons`` say why inferred statements hold (secgraph.describe.explain)."""
    shower = TermShower(labels, sources, description.nested)
    iri = description.iri.value
    facts = [item for item in description.statements if item.predicate.value != _CITATION]
    types = [item for item in facts if item.predicate.value == str(RDF.type)]
    shown_types = [item for item in types if not item.inferred] or types
    shown_types = list({item.object: item for item in shown_types}.values())  # once per class
    citations = [_cited(citation, shower) for citation in description.citations]
    asserted = cite_rows(_groups((item for item in facts if not item.inferred), shower), citations)
    return ResourcePage(
        iri=iri,
        title=labels.label(iri) or local_name(iri),
        types=tuple(shower.term(item.object) for item in shown_types),
        asserted=asserted,
        inferred=_groups((item for item in facts if item.inferred), shower),
        citations=unplaced(asserted, citations),
        # Stated links first: what the sources say before what reasoning adds.
        incoming=tuple(
            _incoming(link, description, shower)
            for link in sorted(description.incoming, key=lambda link: link.statement.inferred)
        ),
        reasons={
            key: Explained(reason.rule, reason.words, shower.iri(reason.via))
            for key, reason in (reasons or {}).items()
        },
        links_out=external_links(
            item.object.value
            for item in facts
            if item.predicate.value in _MATCHES and isinstance(item.object, ox.NamedNode)
        ),
    )


def kind(statement: Statement, labels: Labels) -> str:
    """The group a statement belongs to, by its property, its value's datatype or classes."""
    predicate, value = statement.predicate.value, statement.object
    if predicate in _NAMES:
        return "names"
    if predicate in _IDENTITY:
        return "identity"
    if isinstance(value, ox.Literal):
        return "dates" if value.datatype.value in _DATES else "values"
    if isinstance(value, ox.NamedNode):
        classes = labels.types(value.value)
        return next((slug for slug, kinds in _KINDS if kinds & classes), "other")
    return "other"


def _groups(statements: Iterable[Statement], shower: TermShower) -> tuple[Group, ...]:
    """Rows by kind; a fact several sources state is one row listing each of them."""
    grouped: dict[str, dict[object, tuple[Row, list[Provenance]]]] = {
        slug: {} for slug in GROUP_TITLES
    }
    for statement in statements:
        row = shower.row(statement)
        rows = grouped[kind(statement, shower.labels)]
        # A blank node value is its own fact, even when it reads the same as another.
        same = isinstance(statement.object, ox.BlankNode) or row.provenance is None
        key = id(row) if same else (statement.predicate, statement.object)
        if key in rows and row.provenance is not None:
            rows[key][1].append(row.provenance)
        else:
            rows[key] = (row, [])
    return tuple(
        Group(
            slug,
            GROUP_TITLES[slug],
            tuple(row for row, _ in rows.values()),
            tuple(tuple(more) for _, more in rows.values()),
        )
        for slug, rows in grouped.items()
        if rows
    )


def _cited(citation: Citation, shower: TermShower) -> Cited:
    return Cited(
        fact=shower.iri(citation.fact.value),
        source=shower.source(citation.source.value),
        quote=citation.quote,
    )


def _incoming(link: Link, description: Description, shower: TermShower) -> Incoming:
    # A link from a blank node (a citation, say) is shown as a link from the node holding it.
    subject = link.owner if link.owner is not None else link.statement.subject
    if isinstance(subject, ox.NamedNode):
        shown, cited = shower.iri(subject.value), description.linked_citations.get(subject.value)
    else:
        shown, cited = Shown("(an unnamed node)"), None
    return Incoming(
        subject=shown,
        row=shower.row(link.statement),
        via=None if link.via is None else shower.iri(link.via.value),
        citations=tuple(_cited(citation, shower) for citation in cited or ()),
    )
