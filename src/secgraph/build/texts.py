"""The source documents' texts: each ``<sources_dir>/<local name>.txt`` is the text whose SHA-256
its ``sg:SourceDocument`` records, and every citation's quote stands in it word for word.

A project without the folder (a test fixture) is not checked; one with it is, at every build:
a text that differs from its digest, a document whose text is missing, or a quote its source
does not hold stops the build, naming the file. No reasoning, no store.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from secgraph.build.load import LoadedSources, SourceError
from secgraph.namespaces import PROV, SG, shorten

_SHA256 = ox.NamedNode(str(SG.sha256))
_QUOTE = ox.NamedNode(str(SG.quote))
_ENTITY = ox.NamedNode(str(PROV.entity))


def text_path(directory: Path, document: str) -> Path:
    """Where the text of the source document ``document`` (an IRI) is kept."""
    return directory / f"{document.rstrip('/').rsplit('/', 1)[-1]}.txt"


def readable_words(text: str) -> str:
    """The text as a reader takes its words: runs of white space (no-break spaces too) as one
    space, and ``\\$`` as ``$`` (one source keeps a backslash from its page's markup; quotes
    give the amount as printed)."""
    return " ".join(text.replace("\\$", "$").split())


def check_source_texts(loaded: LoadedSources, directory: Path) -> None:
    """Raise SourceError for the first text that is missing, differs from its recorded digest,
    or lacks a quote cited from it; nothing when ``directory`` does not exist."""
    if not directory.is_dir():
        return
    words: dict[str, str] = {}
    for quad in loaded.quads:
        if quad.predicate != _SHA256 or not isinstance(quad.subject, ox.NamedNode):
            continue
        if not isinstance(quad.object, ox.Literal):
            continue  # the shapes require a literal; SHACL reports it
        document, recorded = quad.subject.value, quad.object.value
        path = text_path(directory, document)
        shown = loaded.files.relative(path)
        if not path.is_file():
            raise SourceError(shown, f"missing: the text of {shorten(document)}")
        data = path.read_bytes()
        found = hashlib.sha256(data).hexdigest()
        if found != recorded:
            message = f"sha256 {found}, but {shorten(document)} records sg:sha256 {recorded}"
            raise SourceError(shown, message)
        words[document] = readable_words(data.decode("utf-8"))
    for document, quote in _quotes(loaded):
        if document in words and readable_words(quote) not in words[document]:
            shown = loaded.files.relative(text_path(directory, document))
            raise SourceError(shown, f"does not hold the words a citation quotes: {quote!r}")


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
