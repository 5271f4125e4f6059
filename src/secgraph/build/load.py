"""Parse RDF sources into pyoxigraph quads, errors naming file:line:column; never reasons."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from secgraph.config import Settings
from secgraph.namespaces import GRAPH, ONTOLOGY_GRAPH, RESERVED_GRAPHS
from secgraph.terms import (
    RdflibQuad,
    dataset_from_quads,
    graph_from_triples,
    quad_to_rdflib,
)

_ONTOLOGY = ox.NamedNode(str(ONTOLOGY_GRAPH))
_RESERVED = frozenset(ox.NamedNode(str(name)) for name in RESERVED_GRAPHS)

# pyoxigraph prefixes its messages with the position it also exposes as lineno/offset.
_POSITION_PREFIX = re.compile(r"^Parser error (?:at|between) [^:]*:\s*")


class SourceError(Exception):
    """A source file cannot be read or breaks a layout rule; str() is ``path:line:column: msg``."""

    def __init__(
        self, path: str, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.path, self.message, self.line, self.column = path, message, line, column
        super().__init__(str(self))

    def __str__(self) -> str:
        position = "".join(f":{n}" for n in (self.line, self.column) if n is not None)
        return f"{self.path}{position}: {self.message}"


@dataclass(frozen=True)
class SourceFiles:
    """The project's source files, each group sorted by name."""

    root: Path
    ontology: tuple[Path, ...]
    data: tuple[Path, ...]
    shapes: tuple[Path, ...]
    texts: tuple[Path, ...] = ()
    """The source documents' texts (secgraph.build.texts checks them)."""

    def all(self) -> tuple[Path, ...]:
        return self.ontology + self.data + self.shapes + self.texts

    def relative(self, path: Path) -> str:
        """``path`` as shown in messages: relative to the project root when inside it."""
        return relative_name(path, self.root)


@dataclass(frozen=True)
class LoadedSources:
    """The asserted quads (ontology graph + data graphs, each quad once) and, apart, the
    shapes graph. ``dataset`` is the same quads as an rdflib Dataset, built on first use."""

    quads: tuple[ox.Quad, ...]
    shapes: Graph
    files: SourceFiles

    @cached_property
    def dataset(self) -> Dataset:
        """The asserted quads as an rdflib Dataset (blank nodes keep their labels)."""
        return dataset_from_quads(self.quads)

    def ontology(self) -> Graph:
        """The ontology graph alone, as an rdflib Graph."""
        return graph_from_triples(q for q in self.quads if q.graph_name == _ONTOLOGY)


def relative_name(path: Path, root: Path) -> str:
    """Return ``path`` relative to ``root`` (POSIX style) when inside it, else as given."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def find_sources(settings: Settings) -> SourceFiles:
    """List the source files: ontology/*.ttl, data/*.trig + data/*.ttl, shapes/*.ttl."""
    if not settings.ontology_dir.is_dir():
        raise SourceError(
            relative_name(settings.ontology_dir, settings.root),
            f"no such directory: {settings.ontology_dir} (project root {settings.root}: --root, "
            "else SECGRAPH_ROOT, else the nearest directory upwards that holds ontology/); pass "
            "--root DIR or set SECGRAPH_ROOT to a directory holding ontology/, data/ and shapes/",
        )

    def glob(directory: Path, *patterns: str) -> tuple[Path, ...]:
        found = (path for pattern in patterns for path in directory.glob(pattern))
        return tuple(sorted(path for path in found if path.is_file()))

    return SourceFiles(
        root=settings.root,
        ontology=glob(settings.ontology_dir, "*.ttl"),
        data=glob(settings.data_dir, "*.trig", "*.ttl"),
        shapes=glob(settings.shapes_dir, "*.ttl"),
        texts=glob(settings.sources_dir, "*.txt"),
    )


def fingerprint(files: SourceFiles, salt: str = "") -> str:
    """A SHA-256 over every source file's name and bytes, plus ``salt`` (e.g. the version)."""
    digest = hashlib.sha256(salt.encode())
    for path in files.all():
        digest.update(files.relative(path).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def last_changed(files: SourceFiles) -> datetime | None:
    """When the newest source file was written (UTC, whole seconds as HTTP dates have); None
    without files. The data's time: unchanged files keep it across rebuilds and restarts."""
    times = [path.stat().st_mtime for path in files.all()]
    return datetime.fromtimestamp(int(max(times)), UTC) if times else None


def parse_quads(path: Path, shown: str, *, base_iri: str | None = None) -> Iterator[ox.Quad]:
    """Parse one file (format from its extension) into pyoxigraph quads; blank nodes get
    fresh labels, so they are scoped to the file. Raises SourceError
    ``shown:line:column: message`` on a syntax error."""
    rdf_format = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    if rdf_format is None:
        raise SourceError(shown, f"unknown RDF file extension {path.suffix!r}")
    try:
        yield from ox.parse(
            path=path, format=rdf_format, base_iri=base_iri, rename_blank_nodes=True
        )
    except SyntaxError as error:
        message = _POSITION_PREFIX.sub("", str(error.msg))
        raise SourceError(shown, message, error.lineno, error.offset) from None
    except (OSError, ValueError) as error:
        raise SourceError(shown, str(error)) from None


def read_quads(path: Path, shown: str, *, base_iri: str | None = None) -> Iterator[RdflibQuad]:
    """parse_quads, as rdflib quads (blank nodes keep their fresh labels)."""
    for quad in parse_quads(path, shown, base_iri=base_iri):
        yield quad_to_rdflib(quad)


def load_sources(settings: Settings) -> LoadedSources:
    """Parse every source: ontology files into ONTOLOGY_GRAPH, each data TriG file's named
    graphs as written, each data Turtle file into ``GRAPH[<stem>]``, shapes into their own graph."""
    files = find_sources(settings)
    # A dict keeps the first occurrence of each quad, in reading order: a dataset holds a quad once.
    quads: dict[ox.Quad, None] = {}
    for path in files.ontology:
        quads.update(dict.fromkeys(_into_graph(parse_quads(path, files.relative(path)), _ONTOLOGY)))
    for path in files.data:
        shown = files.relative(path)
        parsed = parse_quads(path, shown)
        if path.suffix == ".trig":
            quads.update(dict.fromkeys(_named_graphs_only(parsed, shown)))
        elif GRAPH[path.stem] in RESERVED_GRAPHS:
            raise SourceError(shown, f"graph {GRAPH[path.stem]} is reserved; rename the file")
        else:
            name = ox.NamedNode(str(GRAPH[path.stem]))
            quads.update(dict.fromkeys(_into_graph(parsed, name)))
    shapes = graph_from_triples(
        quad for path in files.shapes for quad in parse_quads(path, files.relative(path))
    )
    return LoadedSources(quads=tuple(quads), shapes=shapes, files=files)


def read_rdf_file(path: Path) -> list[ox.Quad]:
    """Parse any TriG, N-Quads, Turtle, N-Triples or RDF/XML file, graphs as written
    (triples of a graph-only format go to the default graph), each quad once."""
    quads = parse_quads(path, str(path), base_iri=path.resolve().as_uri())
    return list(dict.fromkeys(quads))


def _into_graph(quads: Iterable[ox.Quad], name: ox.NamedNode) -> Iterator[ox.Quad]:
    for quad in quads:
        yield ox.Quad(quad.subject, quad.predicate, quad.object, name)


def _named_graphs_only(quads: Iterable[ox.Quad], shown: str) -> Iterator[ox.Quad]:
    # Data files say which source document each fact comes from: one named graph per document.
    for quad in quads:
        name = quad.graph_name
        if isinstance(name, ox.DefaultGraph):
            subject, predicate, obj = (_shown(term) for term in quad.triple)
            raise SourceError(shown, f"triple outside a named graph: {subject} {predicate} {obj}")
        if name in _RESERVED:
            raise SourceError(shown, f"graph {_shown(name)} is reserved for generated content")
        yield quad


def _shown(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    # As rdflib shows terms in messages: IRIs and literals bare, blank nodes by label.
    return term.value if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal) else str(term)
