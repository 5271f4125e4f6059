"""Label search: folding, match kinds, ranking, and the SPARQL recipe agreeing with the index."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from secgraph.build.pipeline import BuiltGraph
from secgraph.describe.search import SPARQL_RECIPE, LabelIndex, Match, fold, match
from secgraph.namespaces import RDFS, SKOS
from secgraph.store.embedded import OxigraphStore

EX = "https://example.org/"


def _index(*labels: tuple[str, object, ox.Literal]) -> LabelIndex:
    handle = ox.Store()
    for name, predicate, label in labels:
        handle.add(ox.Quad(ox.NamedNode(EX + name), ox.NamedNode(str(predicate)), label))
    return LabelIndex.from_store(OxigraphStore(handle, version="test"))


def test_fold_drops_accents_and_case() -> None:
    assert fold("  Panamá  SEGURIDAD Ñandú ") == "panama seguridad nandu"


@pytest.mark.parametrize(
    ("label", "query", "expected"),
    [
        ("panama", "panama", Match.EXACT),
        ("panama city", "pana", Match.PREFIX),
        ("president of panama", "pan", Match.WORD),
        ("guatemala", "mala", Match.SUBSTRING),
        ("guatemala", "honduras", None),
    ],
)
def test_match_kind(label: str, query: str, expected: Match | None) -> None:
    assert match(label, query) is expected


def test_exact_beats_prefix_beats_word_beats_substring() -> None:
    index = _index(
        ("substring", RDFS.label, ox.Literal("Encuentro", language="es")),
        ("word", RDFS.label, ox.Literal("Plan de cuentos", language="es")),
        ("prefix", RDFS.label, ox.Literal("Cuentas claras", language="es")),
        ("exact", RDFS.label, ox.Literal("Cuent", language="es")),
    )
    assert [hit.iri for hit in index.search("CUENT")] == [
        EX + name for name in ("exact", "prefix", "word", "substring")
    ]


def test_label_beats_alternative_label_and_spanish_accents_fold() -> None:
    index = _index(
        ("alt", SKOS.altLabel, ox.Literal("Seguridad Ciudadana", language="es")),
        ("main", RDFS.label, ox.Literal("Seguridad ciudadana", language="es")),
    )
    hits = index.search("seguridad ciudadána")
    assert [(hit.iri, hit.alternative) for hit in hits] == [
        (EX + "main", False),
        (EX + "alt", True),
    ]


def test_other_languages_are_not_searched() -> None:
    index = _index(("fr", RDFS.label, ox.Literal("Sécurité", language="fr")))
    assert index.search("securite") == []


def test_blank_search_finds_nothing() -> None:
    index = _index(("a", RDFS.label, ox.Literal("A")))
    assert index.search("   ") == []


@pytest.mark.parametrize("text", ["Panamá", "seguridad", "SICA", "narcotráfico", "cooperation"])
def test_sparql_recipe_finds_what_the_index_finds(shipped_built: BuiltGraph, text: str) -> None:
    """The documented SPARQL recipe and the search index agree on the shipped graph."""
    store = shipped_built.store
    result = store.query(SPARQL_RECIPE, bindings={"folded": ox.Literal(fold(text))})
    assert isinstance(result, ox.QuerySolutions)
    by_sparql = {row["resource"].value for row in result}
    by_index = {hit.iri for hit in LabelIndex.from_store(store).search(text, limit=10_000)}
    assert by_sparql == by_index
    if text in ("Panamá", "SICA"):
        assert by_index, f"{text} is in the shipped labels"
