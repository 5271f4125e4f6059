"""Human-readable names and types of IRIs, looked up in a store and remembered per data version.

Read-only and query-only: every IRI reaches SPARQL as a binding, never as query text.
"""

from __future__ import annotations

from collections.abc import Iterable
from threading import Lock
from typing import TypeVar

import pyoxigraph as ox

from secgraph.namespaces import DCTERMS, FOAF, RDFS, SCHEMA, SKOS, shorten, sparql_prologue
from secgraph.store.embedded import Store

_V = TypeVar("_V")
# Label properties, best first; skos:prefLabel also yields rdfs:label by reasoning, but a
# served data file is not reasoned over, so both are asked for.
_LABEL_RANK = {
    str(iri): rank
    for rank, iri in enumerate((RDFS.label, SKOS.prefLabel, DCTERMS.title, FOAF.name, SCHEMA.name))
}
_LABELS = (
    sparql_prologue()
    + "SELECT ?x ?p ?label WHERE { VALUES ?p { "
    + " ".join(shorten(iri) for iri in _LABEL_RANK)
    + " } ?x ?p ?label FILTER(isLiteral(?label)) }"
)
_TYPES = sparql_prologue() + "SELECT DISTINCT ?x ?type WHERE { ?x a ?type FILTER(isIRI(?type)) }"
_MAX_ENTRIES = 100_000
"""Forget everything past this many IRIs: a bound on memory, not a tuning knob."""


def pick_label(candidates: Iterable[tuple[int, str, str]]) -> str | None:
    """The best of ``(property rank, language, text)`` candidates: English first, then no
    language, then any other; a better-ranked property breaks ties; then the text itself."""

    def language_rank(language: str) -> int:
        if language == "en":
            return 0
        if language.startswith("en-"):
            return 1
        return 2 if not language else 3

    ranked = sorted((language_rank(lang), rank, text) for rank, lang, text in candidates)
    return ranked[0][2] if ranked else None


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``, for IRIs that have no label."""
    for separator in ("#", "/"):
        _, found, tail = iri.rpartition(separator)
        if found and tail:
            return tail
    return iri


class Labels:
    """English labels and ``rdf:type`` sets of IRIs in ``store``; cached until its version moves."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._version = store.version
        self._labels: dict[str, str | None] = {}
        self._types: dict[str, frozenset[str]] = {}
        self._lock = Lock()

    def label(self, iri: str) -> str | None:
        """The IRI's best label, or None when it has none."""
        self._refresh()
        if iri not in self._labels:
            candidates = (
                (_LABEL_RANK[row["p"].value], row["label"].language or "", text)
                for row in self._select(_LABELS, iri)
                if (text := row["label"].value.strip())
            )
            self._remember(self._labels, iri, pick_label(candidates))
        return self._labels[iri]

    def name(self, iri: str) -> str:
        """The label, else the local name: always something to show."""
        return self.label(iri) or local_name(iri)

    def types(self, iri: str) -> frozenset[str]:
        """The classes the IRI is an instance of, asserted and inferred."""
        self._refresh()
        if iri not in self._types:
            rows = self._select(_TYPES, iri)
            self._remember(self._types, iri, frozenset(row["type"].value for row in rows))
        return self._types[iri]

    def _select(self, query: str, iri: str) -> list[ox.QuerySolution]:
        result = self._store.query(query, bindings={"x": ox.NamedNode(iri)})
        if not isinstance(result, ox.QuerySolutions):
            raise TypeError("a SELECT query must return solutions")
        return list(result)

    def _remember(self, cache: dict[str, _V], key: str, value: _V) -> None:
        with self._lock:
            if len(cache) >= _MAX_ENTRIES:
                cache.clear()
            cache[key] = value

    def _refresh(self) -> None:
        if self._store.version != self._version:
            with self._lock:
                self._labels.clear()
                self._types.clear()
                self._version = self._store.version
