"""sparql.text: what a query is, read from a parse (its result kind, its dataset clauses), and
where the rewrites find their calls; random clause lists are read back exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import secgraph.sparql.text as text
from secgraph.sparql.text import (
    DatasetClauses,
    dataset_clauses,
    function_calls,
    has_dataset_clause,
    result_kind,
    simple_group_concat,
)

EX = "http://example.org/"


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "solutions"),
        ("select ?s { ?s ?p ?o } ORDER BY ?s LIMIT 1", "solutions"),
        ("ASK { ?s ?p 'SELECT' }", "boolean"),
        ("PREFIX ask: <http://e/> CONSTRUCT { ?s ask:p ?o } WHERE { ?s ?p ?o }", "graph"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "graph"),
        ("DESCRIBE <http://e/x>", "graph"),
        ("# SELECT\nASK {}", "boolean"),
        ("SELECT * WHERE { ?s ?p", None),
    ],
)
def test_result_kind_is_the_engines_reading(query: str, kind: str | None) -> None:
    assert result_kind(query) == kind


def test_from_in_names_strings_iris_and_comments_is_no_dataset_clause() -> None:
    query = (
        "PREFIX from: <http://e/from#>\n"
        "SELECT ?from WHERE { ?from from:from 'FROM <x>' . <http://e/FROM> ?p ?o } # FROM <y>"
    )
    assert dataset_clauses(query) == DatasetClauses((), ())
    assert not has_dataset_clause(query)


def test_a_hash_inside_a_from_iri_is_part_of_the_iri() -> None:
    query = f"SELECT * FROM <{EX}g#1> FROM NAMED <{EX}g#2> WHERE {{ ?s ?p ?o }}"
    assert dataset_clauses(query) == DatasetClauses((EX + "g#1",), (EX + "g#2",))


def test_a_comment_ended_by_a_lone_carriage_return_hides_no_from() -> None:
    """SPARQL 1.1 Query §19.6: CR ends a comment, as Oxigraph reads it."""
    query = f"SELECT * # the graph:\rFROM <{EX}g> WHERE {{ ?s ?p ?o }}"
    assert dataset_clauses(query) == DatasetClauses((EX + "g",), ())


def test_escaped_local_names_and_relative_iris_resolve_as_the_engine_resolves_them() -> None:
    query = (
        f"BASE <{EX}dir/>\nPREFIX ex: <{EX}>\n"
        "SELECT * FROM ex:a\\,b FROM <g> FROM NAMED ex:n\\.1 WHERE { ?s ?p ?o }"
    )
    assert dataset_clauses(query) == DatasetClauses((EX + "a,b", EX + "dir/g"), (EX + "n.1",))


def test_a_text_the_grammar_refuses_leaves_a_spelled_from_to_the_engine() -> None:
    query = f"SELECT * FROM <{EX}g> WHERE {{ ?s ?p"
    assert dataset_clauses(query) is None
    assert has_dataset_clause(query)  # the engine reads (or refuses) the clause itself


def test_each_distinct_text_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    real = text.parseQuery

    def counting(query: str) -> object:
        parsed.append(query)
        return real(query)

    monkeypatch.setattr(text, "parseQuery", counting)
    query = f"SELECT * FROM <{EX}once> WHERE {{ ?s ?p ?o }}"
    for _ in range(3):
        assert dataset_clauses(query) == DatasetClauses((EX + "once",), ())
    dataset_clauses("SELECT * WHERE { ?s ?p ?o }")  # cannot spell the keyword: never parsed
    assert parsed == [query]


IRIS = st.sampled_from([f"<{EX}g1>", f"<{EX}g#2>", "ex:g3", "<g4>", "ex:a\\-b"])
RESOLVED = {
    f"<{EX}g1>": EX + "g1",
    f"<{EX}g#2>": EX + "g#2",
    "ex:g3": EX + "g3",
    "<g4>": EX + "base/g4",
    "ex:a\\-b": EX + "a-b",
}
SPACES = st.sampled_from([" ", "\n", "\t", " # FROM <x>\n", "\r\n"])
FROM = st.sampled_from(["FROM", "from", "From"])
NAMED = st.sampled_from(["NAMED", "named"])


@given(
    clauses=st.lists(st.tuples(st.booleans(), IRIS), max_size=5),
    space=SPACES,
    from_=FROM,
    named=NAMED,
)
def test_random_dataset_clauses_are_read_back_in_order(
    clauses: list[tuple[bool, str]], space: str, from_: str, named: str
) -> None:
    written = space.join(
        f"{from_}{space}{named}{space}{iri}" if is_named else f"{from_}{space}{iri}"
        for is_named, iri in clauses
    )
    query = (
        f"BASE <{EX}base/>\nPREFIX ex: <{EX}>\nSELECT ?s{space}{written}{space}"
        "WHERE { ?s ?p 'FROM <nothing>' }"
    )
    expected = DatasetClauses(
        tuple(RESOLVED[iri] for is_named, iri in clauses if not is_named),
        tuple(RESOLVED[iri] for is_named, iri in clauses if is_named),
    )
    assert dataset_clauses(query) == expected
    assert has_dataset_clause(query) == bool(clauses)


def test_function_calls_are_the_outermost_ones_outside_strings_and_comments() -> None:
    query = "SELECT (group_concat(?a) AS ?x) ('GROUP_CONCAT(?b)' AS ?y) # GROUP_CONCAT(?c)\n{}"
    calls = function_calls(query, "GROUP_CONCAT")
    assert calls is not None
    assert [query[call.start : call.end] for call in calls] == ["group_concat(?a)"]
    assert [query[call.argument] for call in calls] == ["?a"]
    assert function_calls("SELECT (GROUP_CONCAT(?a AS ?x {}", "GROUP_CONCAT") is None
    assert function_calls("SELECT * {}", "GROUP_CONCAT") == []


def test_group_concat_rewrite_wraps_each_call_and_leaves_others_alone() -> None:
    query = "SELECT (GROUP_CONCAT(STR(?a); SEPARATOR=')') AS ?x) ?y WHERE { ?s ?p ?y }"
    assert simple_group_concat(query) == (
        "SELECT (STR(GROUP_CONCAT(STR(?a); SEPARATOR=')')) AS ?x) ?y WHERE { ?s ?p ?y }"
    )
    unchanged = "SELECT * WHERE { ?s ?p ?o }"
    assert simple_group_concat(unchanged) is unchanged
