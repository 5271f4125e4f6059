"""Source fidelity: every source document is identified by the digest of its text and described in
one named graph of its own, and every citation quotes its source's exact words, checked against
the texts kept in sources/; the build refuses a text, digest or quote that disagree."""

from __future__ import annotations

import hashlib
import re
import shutil
from functools import cache
from pathlib import Path

import pytest
from rdflib import Dataset, URIRef
from rdflib.namespace import PROV, RDF, RDFS
from rdflib.term import Node

from paths import REPOSITORY
from secgraph.build.load import load_sources
from secgraph.build.pipeline import BuildError, build
from secgraph.config import Settings
from secgraph.namespaces import SG, shorten

SOURCES = REPOSITORY / "sources"
SEEDS = REPOSITORY.parent / "shared" / "seeds"
"""The texts as the project received them, beside the repository where they are at hand."""
SHA256 = re.compile(r"[0-9a-f]{64}")

Citation = tuple[Node, Node, Node]
"""(graph, citation, cited source document): one prov:entity statement of the data."""


@cache
def _asserted() -> Dataset:
    """The shipped sources as written: ontology and data graphs, nothing inferred."""
    return load_sources(Settings(root=REPOSITORY)).dataset


def _values(subject: Node, predicate: Node, graph: Node | None = None) -> list[Node]:
    """The distinct values of ``predicate`` on ``subject``: in ``graph``, or in any graph."""
    quads = _asserted().quads((subject, predicate, None, graph))
    return sorted({obj for _, _, obj, _ in quads}, key=str)


def _source_documents() -> list[Node]:
    quads = _asserted().quads((None, RDF.type, SG.SourceDocument, None))
    return sorted({subject for subject, _, _, _ in quads}, key=str)


def _citations() -> list[Citation]:
    quads = _asserted().quads((None, PROV.entity, None, None))
    return sorted(((graph, citation, source) for citation, _, source, graph in quads), key=str)


def _name(node: Node) -> str:
    return shorten(str(node))


def _collapse(text: str) -> str:
    """Each run of whitespace (Unicode whitespace, as str.split sees it, so no-break spaces too)
    becomes one space; nothing else is normalized."""
    return " ".join(text.split())


# ------------------------------------------------------------------ always: the data alone


def test_every_source_document_records_one_sha256_of_its_text() -> None:
    digests = {_name(doc): [str(v) for v in _values(doc, SG.sha256)] for doc in _source_documents()}
    assert digests, "no sg:SourceDocument in the data"
    malformed = {
        doc: found
        for doc, found in digests.items()
        if len(found) != 1 or not SHA256.fullmatch(found[0])
    }
    assert malformed == {}


def test_every_source_document_is_described_in_exactly_one_graph_of_its_own() -> None:
    graphs = {doc: _values(doc, SG.describedIn) for doc in _source_documents()}
    assert {_name(doc): found for doc, found in graphs.items() if len(found) != 1} == {}
    owner: dict[Node, Node] = {}
    for doc, (graph,) in graphs.items():
        # The graph states itself which document it describes, and describes no other one.
        assert _values(doc, SG.describedIn, graph) == [graph], f"{graph} does not name {doc}"
        assert owner.setdefault(graph, doc) == doc, f"{graph} describes {owner[graph]} and {doc}"


def test_every_citation_quotes_non_empty_words() -> None:
    quotes = {
        (_name(graph), str(citation)): [str(q) for q in _values(citation, SG.quote, graph)]
        for graph, citation, _ in _citations()
    }
    assert quotes, "no citations in the data"
    empty = {key: found for key, found in quotes.items() if len(found) != 1 or not found[0].strip()}
    assert empty == {}


def test_citations_in_a_graph_cite_that_graphs_source() -> None:
    elsewhere = {
        (_name(graph), str(citation)): _name(source)
        for graph, citation, source in _citations()
        if _values(source, SG.describedIn, graph) != [graph]
    }
    assert elsewhere == {}


# ------------------------------------------------------------------ with the texts


@cache
def _texts() -> dict[str, Path]:
    """Each source text in sources/ by the SHA-256 of its bytes."""
    files = sorted(SOURCES.glob("*.txt"))
    return {hashlib.sha256(path.read_bytes()).hexdigest(): path for path in files}


def _text_params() -> list[object]:
    return [pytest.param(path, id=path.name) for path in sorted(_texts().values())]


def _quote_params() -> list[object]:
    pairs = {
        (str(source), str(quote))
        for graph, citation, source in _citations()
        for quote in _values(citation, SG.quote, graph)
    }
    return [
        pytest.param(source, quote, id=f"{shorten(source)}: {quote[:60]}")
        for source, quote in sorted(pairs)
    ]


@pytest.mark.parametrize("text", _text_params())
def test_each_source_text_is_the_text_of_exactly_one_source_document(text: Path) -> None:
    digest = hashlib.sha256(text.read_bytes()).hexdigest()
    documents = [
        _name(doc)
        for doc in _source_documents()
        if [str(value) for value in _values(doc, SG.sha256)] == [digest]
    ]
    assert len(documents) == 1, f"{text.name} (sha256 {digest}) is the text of {documents}"


@pytest.mark.parametrize(("source", "quote"), _quote_params())
def test_quote_occurs_verbatim_in_the_text_of_its_source(source: str, quote: str) -> None:
    (digest,) = (str(value) for value in _values(URIRef(source), SG.sha256))
    text = _texts().get(digest)
    assert text is not None, f"no text in sources/ has the sha256 of {shorten(source)}"
    words = _collapse(_unescaped(text.read_text(encoding="utf-8")))
    assert _collapse(quote) in words, f"{text.name} ({shorten(source)}) lacks: {quote!r}"


def _unescaped(text: str) -> str:
    """The text as a person reads it: one source's text writes "\\$1.3 billion", a backslash
    copied from its page's markup; a quote says "$1.3 billion"."""
    return text.replace("\\$", "$")


def test_no_quote_keeps_the_markup_backslash() -> None:
    quotes = [
        str(quote)
        for graph, citation, _ in _citations()
        for quote in _values(citation, SG.quote, graph)
    ]
    assert quotes, "no citations in the data"
    assert [quote for quote in quotes if "\\$" in quote] == []


def _all_words() -> str:
    return " ".join(_collapse(path.read_text(encoding="utf-8")) for path in _texts().values())


def _labels_of(kind: Node) -> dict[str, str]:
    """Each instance of ``kind`` typed in the sources, by compact IRI, with its English
    rdfs:label (links.trig adds Spanish ones)."""
    quads = _asserted().quads((None, RDF.type, kind, None))
    return {
        _name(node): str(next(v for v in _values(node, RDFS.label) if v.language == "en"))
        for node, _, _, _ in quads
    }


def test_every_person_is_labelled_with_a_name_a_source_gives() -> None:
    # A label is the name as a source writes it, never completed from elsewhere: the Partnership
    # fact sheet says only "Vice President Biden", so he is "Biden", not a fuller name.
    words = _all_words()
    people = _labels_of(SG.Person)
    assert people["id:biden"] == "Biden"
    assert {node: label for node, label in people.items() if label not in words} == {}


def test_an_acronym_is_a_label_only_where_no_source_spells_it_out() -> None:
    # Sources spell an acronym out as "Full Name (ACRONYM)"; where one does, the full name is the
    # label and the acronym a skos:altLabel. USAID is named only by its acronym.
    words = _all_words()
    acronyms = {
        node: label
        for kind in (SG.Organization, SG.GovernmentBody, SG.IntergovernmentalOrganization)
        for node, label in _labels_of(kind).items()
        if re.fullmatch(r"[A-Z]{2,}", label)
    }
    assert acronyms.get("id:usaid") == "USAID"
    assert {node: label for node, label in acronyms.items() if f"({label})" in words} == {}


def test_there_is_one_text_per_source_document_and_nothing_else() -> None:
    assert len(_texts()) == len(list(SOURCES.glob("*.txt"))) == len(_source_documents()) == 5
    expected = {f"{str(doc).rsplit('/', 1)[-1]}.txt" for doc in _source_documents()}
    assert {path.name for path in SOURCES.glob("*.txt")} == expected


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repository")
def test_the_kept_texts_are_the_texts_as_received_byte_for_byte() -> None:
    received = {hashlib.sha256(path.read_bytes()).hexdigest() for path in SEEDS.glob("*.txt")}
    assert set(_texts()) == received


def _project_with_texts(tmp_path: Path) -> Path:
    """A copy of the shipped project's sources (ontology, data, shapes, texts)."""
    root = tmp_path / "project"
    for folder in ("ontology", "data", "shapes", "sources"):
        shutil.copytree(REPOSITORY / folder, root / folder)
    return root


def test_the_build_refuses_a_text_that_is_not_the_one_its_digest_names(tmp_path: Path) -> None:
    root = _project_with_texts(tmp_path)
    text = root / "sources" / "source-us-sica-dialogue.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("2007", "2006"), encoding="utf-8")
    with pytest.raises(BuildError, match=r"no text here has the sg:sha256 89fd161294b6f2212"):
        build(Settings(root=root))


def test_the_build_refuses_a_source_document_without_its_text(tmp_path: Path) -> None:
    root = _project_with_texts(tmp_path)
    (root / "sources" / "source-carsi-fact-sheet-2012.txt").unlink()
    with pytest.raises(BuildError, match="id:source-carsi-fact-sheet-2012 records"):
        build(Settings(root=root))


def test_the_build_refuses_a_quote_its_source_does_not_hold(tmp_path: Path) -> None:
    root = _project_with_texts(tmp_path)
    data = root / "data" / "us-sica-dialogue.trig"
    graph = data.read_text(encoding="utf-8")
    written = sorted(  # quotes written on one line as `sg:quote "..."`, the first by text
        str(quote)
        for graph_name, citation, source in _citations()
        if str(source).endswith("/source-us-sica-dialogue")
        for quote in _values(citation, SG.quote, graph_name)
        if graph.count(f'sg:quote "{quote}"') == 1
    )
    quote = written[0]
    changed = graph.replace(f'sg:quote "{quote}"', f'sg:quote "{quote} and more"')
    data.write_text(changed, encoding="utf-8")
    with pytest.raises(BuildError, match="source-us-sica-dialogue does not hold the words"):
        build(Settings(root=root))
