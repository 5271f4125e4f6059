"""sparql.text.with_values and store.remote.skolem_aware: how a remote store rewrites query text,
checked by evaluating the rewritten query in an embedded store."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from secgraph.namespaces import GENID
from secgraph.sparql.text import with_values
from secgraph.store.remote import skolem_aware

EX = "http://example.com/"
A, B, P = (ox.NamedNode(EX + name) for name in ("a", "b", "p"))
SKOLEM = ox.NamedNode(str(GENID) + "b1")


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    for subject, obj in ((A, ox.Literal("x")), (B, ox.Literal("y")), (SKOLEM, ox.Literal("z"))):
        store.add(ox.Quad(subject, P, obj, ox.DefaultGraph()))
    return store


def values(store: ox.Store, query: str, **bindings: ox.NamedNode | ox.Literal) -> list[str]:
    result = store.query(with_values(query, bindings))
    if isinstance(result, ox.QueryBoolean):
        return [str(bool(result))]
    if isinstance(result, ox.QuerySolutions):
        return [str(row[0]) for row in result]
    return sorted(str(triple) for triple in result)


def test_values_go_into_the_where_group_so_filters_and_aggregates_see_them(
    store: ox.Store,
) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(?o = ?wanted) }"
    assert values(store, query, wanted=ox.Literal("x")) == [
        '"1"^^<http://www.w3.org/2001/XMLSchema#integer>'
    ]
    assert (
        with_values("ASK { ?s ?p ?o }", {"s": A}) == f"ASK {{ VALUES (?s) {{ ({A}) }}  ?s ?p ?o }}"
    )


def test_construct_template_is_skipped_and_short_form_gets_a_trailing_clause(
    store: ox.Store,
) -> None:
    template = "CONSTRUCT { ?s ?p 'rewritten' } WHERE { ?s ?p ?o }"
    assert values(store, template, s=A) == [f'{A} {P} "rewritten"']
    assert values(store, "CONSTRUCT WHERE { ?s ?p ?o }", s=B) == [f'{B} {P} "y"']
    assert values(store, "DESCRIBE ?s", s=B) == [f'{B} {P} "y"']


def test_braces_in_strings_iris_and_comments_are_not_the_group(store: ox.Store) -> None:
    query = "# { not here\nSELECT ?o WHERE { ?s ?p ?o FILTER(?o != '{') }"
    assert values(store, query, s=A) == ['"x"']


def test_hostile_literals_stay_literals(store: ox.Store) -> None:
    hostile = ox.Literal('x" ) } } ; DROP ALL # \\ \n')
    assert values(store, "SELECT ?s WHERE { ?s ?p ?o }", o=hostile) == []
    assert values(store, "SELECT ?s WHERE { ?s ?p ?o }", o=ox.Literal("x")) == [str(A)]


@pytest.mark.parametrize("name", ["s }", "", "s.o", "?s"])
def test_only_plain_variable_names_can_be_bound(name: str) -> None:
    with pytest.raises(ValueError, match="not a variable name"):
        with_values("SELECT * WHERE { ?s ?p ?o }", {name: A})


def test_blank_nodes_cannot_be_sent_as_values() -> None:
    with pytest.raises(ValueError, match="only IRIs and literals"):
        with_values("SELECT * WHERE { ?s ?p ?o }", {"s": ox.BlankNode()})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    ("test", "expected"),
    [("isBlank", [str(SKOLEM)]), ("isIRI", [str(A), str(B)]), ("ISURI", [str(A), str(B)])],
)
def test_skolem_iris_test_as_blank_nodes(store: ox.Store, test: str, expected: list[str]) -> None:
    query = skolem_aware(f"SELECT ?s WHERE {{ ?s ?p ?o FILTER({test}( ?s )) }} ORDER BY ?s")
    assert values(store, query) == expected


def test_term_tests_inside_strings_are_left_alone() -> None:
    query = "SELECT * WHERE { ?s ?p 'isBlank(?s)' FILTER(!isBlank(?s)) }"
    rewritten = skolem_aware(query)
    assert "'isBlank(?s)'" in rewritten
    assert rewritten.count("isBlank(") == 2  # the string's and the rewritten test's
    assert f'STRSTARTS(STR( ?s ), "{GENID}")' in skolem_aware("ASK { FILTER(isIRI( ?s )) }")
