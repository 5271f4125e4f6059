"""The source documents' texts: every ``sg:SourceDocument`` records the SHA-256 of a text kept in
the sources folder (named ``<local name>.txt`` after the document), and every citation's quote
stands in that text word for word.

Texts are found by their digest, not their name, so data whose documents share a text (the
seeded replicas of bench/generate.py) is checked against it too. A project without the folder
(a test fixture) is not checked; one with it is, at every build: a document whose digest no
text has (a text edited, or never added), or a quote its text does not hold, stops the build
and names it. No reasoning, no store.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from secgraph.build.load import LoadedSources, SourceError, relative_name
from secgraph.namespaces import PROV, SG, shorten

_SHA256 = ox.NamedNode(str(SG.sha256))
_QUOTE = ox.NamedNode(str(SG.quote))
_ENTITY = ox.NamedNode(str(PROV.entity))


def text_path(directory: Path, document: str) -> Path:
    """Where the text of the source document ``document`` (an IRI) is kept, by convention."""
    return directory / f"{document.rstrip('/').rsplit('/', 1)[-1]}.txt"


def readable_words(text: str) -> str:
    """The text as a reader takes its words: runs of white space (no-break spaces too) as one
    space, and ``\\$`` as ``$`` (one source keeps a backslash from its page's markup; quotes
    give the amount as printed)."""
    return " ".join(text.replace("\\$", "$").split())


def check_source_texts(loaded: LoadedSources, directory: Path) -> None:
    """Raise SourceError for the first document whose recorded digest no text in ``directory``
    (``loaded.files.texts``, as the build found them) has, or quote its text lacks; nothing
    when ``directory`` does not exist."""
    if not directory.is_dir():
        return
    texts = {hashlib.sha256(path.read_bytes()).hexdigest(): path for path in loaded.files.texts}
    shown = relative_name(directory, loaded.files.root)
    words: dict[str, str] = {}
    for quad in loaded.quads:
        if quad.predicate != _SHA256 or not isinstance(quad.subject, ox.NamedNode):
            continue
        if not isinstance(quad.object, ox.Literal):
            continue  # the shapes require a literal; SHACL reports it
        document, recorded = quad.subject.value, quad.object.value
        if recorded not in texts:
            message = (
                f"no text here has the sg:sha256 {recorded} that {shorten(document)} records "
                f"(its text is kept as {text_path(Path(shown), document)})"
            )
            raise SourceError(shown, message)
        words[document] = readable_words(texts[recorded].read_text(encoding="utf-8"))
    for document, quote in _quotes(loaded):
        if document in words and readable_words(quote) not in words[document]:
            raise SourceError(
                shown, f"the text of {shorten(document)} does not hold the words {quote!r}"
            )


def _quotes(loaded: LoadedSources) -> list[tuple[str, str]]:
    """(cited document, quote) for each citation: a node with prov:entity and sg:quote in one
    graph."""
    cited: dict[tuple[object, object], set[str]] = defaultdict(set)
    quoted: dict[tuple[object, object], set[str]] = defaultdict(set)
    for quad in loaded.quads:
        key = (quad.graph_name, quad.subject)
        if quad.predicate == _ENTITY and isinstance(quad.object, ox.NamedNode):
            cited[key].add(quad.object.value)
        elif quad.predicate == _QUOTE and isinstance(quad.object, ox.Literal):
            quoted[key].add(quad.object.value)
    return sorted(
        (document, quote)
        for key, quotes in quoted.items()
        for document in cited.get(key, ())
        for quote in quotes
    )
