"""Parse RDF sources into rdflib graphs, errors naming file:line:column; never reasons or stores."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph
from rdflib.term import IdentifiedNode, Node

from secgraph.config import Settings
from secgraph.namespaces import GRAPH, ONTOLOGY_GRAPH, RESERVED_GRAPHS
from secgraph.terms import RdflibQuad, quad_to_rdflib

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

    def all(self) -> tuple[Path, ...]:
        return self.ontology + self.data + self.shapes

    def relative(self, path: Path) -> str:
        """``path`` as shown in messages: relative to the project root when inside it."""
        return relative_name(path, self.root)


@dataclass(frozen=True)
class LoadedSources:
    """The asserted dataset (ontology graph + data graphs) and, apart, the shapes graph."""

    dataset: Dataset
    shapes: Graph
    files: SourceFiles


def relative_name(path: Path, root: Path) -> str:
    """Return ``path`` relative to ``root`` (POSIX style) when inside it, else as given."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def find_sources(settings: Settings) -> SourceFiles:
    """List the source files: ontology/*.ttl, data/*.trig + data/*.ttl, shapes/*.ttl."""
    if not settings.ontology_dir.is_dir():
        raise SourceError(relative_name(settings.ontology_dir, settings.root), "no such directory")

    def glob(directory: Path, *patterns: str) -> tuple[Path, ...]:
        found = (path for pattern in patterns for path in directory.glob(pattern))
        return tuple(sorted(path for path in found if path.is_file()))

    return SourceFiles(
        root=settings.root,
        ontology=glob(settings.ontology_dir, "*.ttl"),
        data=glob(settings.data_dir, "*.trig", "*.ttl"),
        shapes=glob(settings.shapes_dir, "*.ttl"),
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


def read_quads(path: Path, shown: str, *, base_iri: str | None = None) -> Iterator[RdflibQuad]:
    """Parse one file (format from its extension) into rdflib quads; blank nodes are scoped
    to the file. Raises SourceError ``shown:line:column: message`` on a syntax error."""
    rdf_format = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    if rdf_format is None:
        raise SourceError(shown, f"unknown RDF file extension {path.suffix!r}")
    bnodes: dict[str, BNode] = {}
    try:
        for quad in ox.parse(path=path, format=rdf_format, base_iri=base_iri):
            yield quad_to_rdflib(quad, bnodes)
    except SyntaxError as error:
        message = _POSITION_PREFIX.sub("", str(error.msg))
        raise SourceError(shown, message, error.lineno, error.offset) from None
    except (OSError, ValueError) as error:
        raise SourceError(shown, str(error)) from None


def load_sources(settings: Settings) -> LoadedSources:
    """Parse every source: ontology files into ONTOLOGY_GRAPH, each data TriG file's named
    graphs as written, each data Turtle file into ``GRAPH[<stem>]``, shapes into their own graph."""
    files = find_sources(settings)
    dataset = Dataset()
    for path in files.ontology:
        _add(dataset, _into_graph(read_quads(path, files.relative(path)), ONTOLOGY_GRAPH))
    for path in files.data:
        shown = files.relative(path)
        quads = read_quads(path, shown)
        if path.suffix == ".trig":
            _add(dataset, _named_graphs_only(quads, shown))
        elif GRAPH[path.stem] in RESERVED_GRAPHS:
            raise SourceError(shown, f"graph {GRAPH[path.stem]} is reserved; rename the file")
        else:
            _add(dataset, _into_graph(quads, GRAPH[path.stem]))
    shapes = Graph()
    for path in files.shapes:
        for subject, predicate, obj, _ in read_quads(path, files.relative(path)):
            shapes.add((subject, predicate, obj))
    return LoadedSources(dataset=dataset, shapes=shapes, files=files)


def load_rdf_file(path: Path) -> Dataset:
    """Parse any TriG, N-Quads, Turtle, N-Triples or RDF/XML file, graphs as written
    (triples of a graph-only format go to the default graph)."""
    dataset = Dataset()
    _add(dataset, read_quads(path, str(path), base_iri=path.resolve().as_uri()))
    return dataset


def _into_graph(quads: Iterable[RdflibQuad], name: Node) -> Iterator[RdflibQuad]:
    for subject, predicate, obj, _ in quads:
        yield subject, predicate, obj, name


def _named_graphs_only(quads: Iterable[RdflibQuad], shown: str) -> Iterator[RdflibQuad]:
    # Data files say which source document each fact comes from: one named graph per document.
    for quad in quads:
        subject, predicate, obj, name = quad
        if name is None:
            raise SourceError(shown, f"triple outside a named graph: {subject} {predicate} {obj}")
        if name in RESERVED_GRAPHS:
            raise SourceError(shown, f"graph {name} is reserved for generated content")
        yield quad


def _add(dataset: Dataset, quads: Iterable[RdflibQuad]) -> None:
    graphs: dict[Node | None, Graph] = {}
    for subject, predicate, obj, name in quads:
        graph = graphs.get(name)
        if graph is None:
            if name is not None and not isinstance(name, IdentifiedNode):
                raise ValueError(f"not a graph name: {name!r}")
            graph = graphs[name] = dataset.default_graph if name is None else dataset.graph(name)
        graph.add((subject, predicate, obj))
