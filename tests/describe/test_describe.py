"""describe/describe.py, describe/labels.py, web/protocol/negotiation.py: the core that pages and
their twins use."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from werkzeug.datastructures import MIMEAccept
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from secgraph.build.pipeline import BuiltGraph
from secgraph.describe.describe import describe, graph_sources
from secgraph.describe.labels import Labels, pick_label
from secgraph.namespaces import GRAPH, ID, INFERRED_GRAPH, SG
from secgraph.web.protocol.negotiation import (
    PAGE,
    SINGLE_GRAPH,
    NotAcceptableError,
    by_suffix,
    choose_format,
)


def test_unmentioned_iri_has_no_description(cited_built: BuiltGraph) -> None:
    assert describe(cited_built.store, str(ID.nothing)) is None


def test_description_separates_inferred_statements(cited_built: BuiltGraph) -> None:
    description = describe(cited_built.store, str(ID.sica))
    assert description is not None
    inferred = {(s.predicate.value, s.object.value) for s in description.statements if s.inferred}
    assert (str(SG.hasMember), str(ID.belize)) in inferred
    assert all(
        s.graph == ox.NamedNode(str(INFERRED_GRAPH)) for s in description.statements if s.inferred
    )
    linked = {link.statement.subject.value for link in description.incoming}
    assert {str(ID.belize), str(ID["membership-guatemala-sica"])} <= linked


def test_citations_and_their_blank_nodes_belong_to_the_fact(cited_built: BuiltGraph) -> None:
    description = describe(cited_built.store, str(ID["membership-guatemala-sica"]))
    assert description is not None
    [citation] = description.citations
    assert citation.source == ox.NamedNode(str(ID["source-dialogue-2008"]))
    assert citation.quote is not None
    assert citation.quote.startswith("SICA member states")
    [node] = description.nested
    assert any(quad.subject == node for quad in description.quads())


def test_a_graph_names_its_source_document(cited_built: BuiltGraph) -> None:
    sources = graph_sources(cited_built.store)
    source = sources[str(GRAPH["dialogue-2008"])]
    assert source.document == str(ID["source-dialogue-2008"])
    assert source.title == "United States-Central American Dialogue on Security"
    assert str(GRAPH.members) not in sources


def test_labels_prefer_english_and_fall_back_to_the_local_name(cited_built: BuiltGraph) -> None:
    labels = Labels(cited_built.store)
    assert labels.label(str(ID.sica)) == "Central American Integration System"
    assert labels.name(str(ID["no-such-thing"])) == "no-such-thing"
    assert str(SG.Actor) in labels.types(str(ID.sica))  # inferred types count
    assert pick_label([(0, "es", "Sistema"), (1, "en", "System"), (0, "", "plain")]) == "System"


def _accept(accept: str | None = None) -> MIMEAccept:
    headers = {"Accept": accept} if accept is not None else {}
    return Request(EnvironBuilder(path="/", headers=headers).get_environ()).accept_mimetypes


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/html"),
        ("*/*", "text/html"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("text/turtle;q=0.5, application/n-triples", "application/n-triples"),
        ("application/json", "application/ld+json"),
        ("application/*", "application/ld+json"),
    ],
)
def test_accept_picks_the_page_representation(accept: str | None, expected: str) -> None:
    assert choose_format(_accept(accept), PAGE).media_type == expected


def test_format_parameter_wins_over_accept() -> None:
    chosen = choose_format(_accept("text/html"), PAGE, "nt")
    assert chosen.media_type == "application/n-triples"
    with pytest.raises(NotAcceptableError, match="cannot answer format=png"):
        choose_format(_accept(None), PAGE, "png")


def test_nothing_acceptable_raises() -> None:
    with pytest.raises(NotAcceptableError):
        choose_format(_accept("text/html"), SINGLE_GRAPH)


@pytest.mark.parametrize(
    ("path", "expected"),
    [("carsi.ttl", ("carsi", "text/turtle")), ("a/b.nq", ("a/b", "application/n-quads"))],
)
def test_suffix_names_a_format(path: str, expected: tuple[str, str]) -> None:
    split = by_suffix(path, PAGE)
    assert split is not None
    assert (split[0], split[1].media_type) == expected


@pytest.mark.parametrize("path", ["carsi", "carsi.png", ".ttl", "v1.0/carsi"])
def test_other_suffixes_are_part_of_the_name(path: str) -> None:
    assert by_suffix(path, PAGE) is None
