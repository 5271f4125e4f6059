"""Full-text search over labels: fold, match, rank; reads labels with one SPARQL query, no Flask.

Folding is Unicode NFKD with combining marks dropped, then case folding, so "Panamá", "PANAMA"
and "panama" meet. Ranking: exact > prefix > word > substring; a preferred label
(rdfs:label, skos:prefLabel) beats an alternative one (skos:altLabel); then shorter labels.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum

import pyoxigraph as ox

from secgraph.namespaces import RDFS, SKOS, shorten, sparql_prologue
from secgraph.store.embedded import Store

LANGUAGES = ("en", "es")
"""Label languages searched, besides labels without a language tag."""
_PROPERTY_RANK = {str(RDFS.label): 0, str(SKOS.prefLabel): 0, str(SKOS.altLabel): 1}
_LABELS_QUERY = (
    sparql_prologue()
    + "SELECT ?x ?p ?label WHERE { VALUES ?p { "
    + " ".join(shorten(iri) for iri in _PROPERTY_RANK)
    + ' } ?x ?p ?label FILTER(isIRI(?x) && isLiteral(?label) && (LANG(?label) = ""'
    + "".join(f' || LANGMATCHES(LANG(?label), "{lang}")' for lang in LANGUAGES)
    + ")) }"
)
_WORD_START = re.compile(r"\w+")
# The SPARQL recipe for users without this module: REPLACE folds the accented Latin letters of
# English and Spanish (SPARQL 1.1 Query §17.4.3.15, REPLACE with XPath regular expressions).
_SPARQL_FOLDS = (
    ("[àáâãäå]", "a"),
    ("[èéêë]", "e"),
    ("[ìíîï]", "i"),
    ("[òóôõö]", "o"),
    ("[ùúûü]", "u"),
    ("ñ", "n"),
    ("ç", "c"),
    ("[ýÿ]", "y"),
)


def sparql_fold(expression: str) -> str:
    """A SPARQL expression folding ``expression`` (a variable such as ``?label``) like fold()
    does for English and Spanish text: lower case, accents dropped."""
    folded = f"LCASE(STR({expression}))"
    for pattern, letter in _SPARQL_FOLDS:
        folded = f'REPLACE({folded}, "{pattern}", "{letter}")'
    return folded


SPARQL_RECIPE = (
    sparql_prologue()
    + "SELECT DISTINCT ?resource ?label ?folded WHERE {\n"
    + "  VALUES ?property { rdfs:label skos:prefLabel skos:altLabel }\n"
    + "  ?resource ?property ?label .\n"
    + '  FILTER(LANG(?label) = "" || LANGMATCHES(LANG(?label), "en")'
    + ' || LANGMATCHES(LANG(?label), "es"))\n'
    + f"  FILTER(CONTAINS({sparql_fold('?label')}, ?folded))\n"
    + "}"
)
"""The documented way to search labels in SPARQL: bind ?folded to the folded search text."""


def fold(text: str) -> str:
    """``text`` without accents and case: NFKD, drop combining marks, case-fold, trim spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(kept.casefold().split())


class Match(IntEnum):
    """How a label matches the search text; lower is better."""

    EXACT = 0
    PREFIX = 1
    WORD = 2
    SUBSTRING = 3


def match(folded_label: str, folded_query: str) -> Match | None:
    """How ``folded_label`` contains ``folded_query`` (both folded), or None."""
    if folded_label == folded_query:
        return Match.EXACT
    if folded_label.startswith(folded_query):
        return Match.PREFIX
    position = folded_label.find(folded_query)
    if position < 0:
        return None
    starts = {word.start() for word in _WORD_START.finditer(folded_label)}
    while position >= 0:
        if position in starts:
            return Match.WORD
        position = folded_label.find(folded_query, position + 1)
    return Match.SUBSTRING


@dataclass(frozen=True)
class Hit:
    """A resource found: the label that matched, how, and through which property."""

    iri: str
    label: str
    language: str
    label_property: str
    match: Match

    @property
    def alternative(self) -> bool:
        """Whether the match is on an alternative label (skos:altLabel)."""
        return _PROPERTY_RANK[self.label_property] > 0


@dataclass(frozen=True)
class _Entry:
    iri: str
    label: str
    language: str
    property: str
    folded: str


class LabelIndex:
    """The labels of a store at one version, folded once, searched in memory."""

    def __init__(self, entries: list[_Entry], version: str) -> None:
        self._entries, self.version = entries, version

    @classmethod
    def from_store(cls, store: Store) -> LabelIndex:
        result = store.query(_LABELS_QUERY)
        if not isinstance(result, ox.QuerySolutions):
            raise TypeError("the label query must return solutions")
        entries = {  # one entry per label and language: no store order decides which is kept
            (row["x"].value, row["p"].value, row["label"].value, row["label"].language): _Entry(
                iri=row["x"].value,
                label=row["label"].value,
                language=row["label"].language or "",
                property=row["p"].value,
                folded=fold(row["label"].value),
            )
            for row in result
        }
        return cls(list(entries.values()), store.version)

    def search(self, text: str, limit: int = 50) -> list[Hit]:
        """Resources whose labels contain ``text``, best first, each once (its best label)."""
        query = fold(text)
        if not query:
            return []
        best: dict[str, tuple[tuple[int, int, int, str, str, str], Hit]] = {}
        for entry in self._entries:
            how = match(entry.folded, query)
            if how is None:
                continue
            rank = _PROPERTY_RANK[entry.property]
            # Ties broken by the label and its language, not by the store's order of labels:
            # every store (embedded, remote) picks the same one.
            key = (int(how), rank, len(entry.label), entry.folded, entry.label, entry.language)
            if entry.iri not in best or key < best[entry.iri][0]:
                hit = Hit(entry.iri, entry.label, entry.language, entry.property, how)
                best[entry.iri] = (key, hit)
        ranked = sorted(best.values(), key=lambda pair: (pair[0], pair[1].iri))
        return [hit for _, hit in ranked[:limit]]
