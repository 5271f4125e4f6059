"""JSON-LD with the secgraph @context (pyld): compact, frame, and read back; never fetches.

rdflib and pyoxigraph write expanded JSON-LD only; pyld implements the JSON-LD 1.1 API's
compaction and framing. Every pyld call gets a document loader that knows the contexts kept in
the repository and refuses any other URL, so a document naming a remote @context is refused
before anything leaves the machine (JSON-LD 1.1 API §9.4 lets the application choose the loader).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyld import jsonld
from pyld.context_resolver import ContextResolver

from secgraph.describe.jsonld_context import CONTEXT_URL, build_context, context_file, read_context
from secgraph.store.embedded import Store

_NQUADS = "application/n-quads"


class JsonLdInputError(ValueError):
    """A JSON-LD document that cannot be read: malformed, or naming a context kept nowhere
    here (remote contexts are never fetched)."""


@dataclass(frozen=True)
class LocalLoader:
    """A pyld document loader over a fixed set of documents: known URL -> its document,
    anything else -> JsonLdInputError, without any network access."""

    documents: Mapping[str, Any] = field(default_factory=dict)

    def __call__(self, url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        if url not in self.documents:
            raise JsonLdInputError(
                f"remote JSON-LD context {url!r} refused: contexts are never fetched; "
                f"this server resolves only {', '.join(sorted(self.documents)) or 'none'}"
            )
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": self.documents[url],
        }


@dataclass(frozen=True)
class JsonLdWriter:
    """Writes RDF as compacted or framed JSON-LD carrying the versioned context inline; reads
    documents that name the context by its URL too."""

    context: dict[str, Any]
    """The context document, ``{"@context": {...}}``."""
    url: str = CONTEXT_URL
    _resolved: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """This writer's own cache of resolved contexts, instead of pyld's process-wide one: two
    projects (a test fixture and the repository) give the one context URL two documents."""

    @classmethod
    def for_ontology(cls, ontology_dir: Path) -> JsonLdWriter:
        """The context kept beside the ontology; for a project without one (a test fixture),
        the context its ontology gives."""
        path = context_file(ontology_dir)
        if path.is_file():
            return cls(read_context(path))
        return cls(build_context(sorted(ontology_dir.glob("*.ttl"))))

    @property
    def loader(self) -> LocalLoader:
        return LocalLoader({self.url: self.context})

    def _options(self, **extra: Any) -> dict[str, Any]:
        loader = self.loader
        resolver = ContextResolver(self._resolved, loader)
        return {"documentLoader": loader, "contextResolver": resolver, **extra}

    def compact(self, quads: Iterable[ox.Quad], *, keep_graphs: bool = True) -> dict[str, Any]:
        """The quads compacted with the context; merged into one graph unless ``keep_graphs``."""
        document: dict[str, Any] = jsonld.compact(
            _expanded(quads, keep_graphs), self.context["@context"], self._options()
        )
        return self._named(document)

    def frame(self, quads: Iterable[ox.Quad], frame: Mapping[str, Any]) -> dict[str, Any]:
        """The quads (graphs merged) framed by ``frame`` (a frame without @context)."""
        framing = {"@context": self.context["@context"], **frame}
        document: dict[str, Any] = jsonld.frame(
            _expanded(quads, keep_graphs=False), framing, self._options(omitGraph=False)
        )
        return self._named(document)

    def _named(self, document: dict[str, Any]) -> dict[str, Any]:
        # The context travels inline: pyoxigraph cannot load a remote context at all, and
        # rdflib or jsonld.js would go to the network for it (its permanent IRI does not
        # resolve yet); a copy makes every document read the same everywhere, offline.
        return {
            "@context": self.context["@context"],
            **{k: v for k, v in document.items() if k != "@context"},
        }

    def to_quads(self, document: str | bytes | Mapping[str, Any]) -> list[ox.Quad]:
        """Read a JSON-LD document into quads, resolving only the contexts kept here."""
        try:
            parsed = json.loads(document) if isinstance(document, (str, bytes)) else document
            nquads = jsonld.to_rdf(parsed, self._options(format=_NQUADS))
        except JsonLdInputError:
            raise
        except jsonld.JsonLdError as error:
            raise JsonLdInputError(_reason(error)) from None
        except json.JSONDecodeError as error:
            raise JsonLdInputError(f"not JSON: {error}") from None
        return list(ox.parse(nquads.encode(), ox.RdfFormat.N_QUADS))


def dump_jsonld(store: Store, writer: JsonLdWriter, exclude_graphs: Sequence[str] = ()) -> bytes:
    """The whole dataset as compacted JSON-LD, each statement in its graph."""
    nquads = store.dump(ox.RdfFormat.N_QUADS, exclude_graphs=exclude_graphs)
    return to_bytes(writer.compact(ox.parse(nquads, ox.RdfFormat.N_QUADS)))


def to_bytes(document: Mapping[str, Any]) -> bytes:
    """UTF-8 JSON, indented for reading."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()


def _expanded(quads: Iterable[ox.Quad], keep_graphs: bool) -> list[dict[str, Any]]:
    if keep_graphs:
        written = ox.serialize(list(quads), format=ox.RdfFormat.N_QUADS)
    else:  # merge the graphs, keeping the order
        triples = list(dict.fromkeys(quad.triple for quad in quads))
        written = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    text = (written or b"").decode()
    expanded: list[dict[str, Any]] = jsonld.from_rdf(text, {"format": _NQUADS})
    return expanded


def _reason(error: BaseException) -> str:
    """What went wrong, from pyld's chain of errors: the loader's refusal when it is there,
    else pyld's innermost message."""
    cause: BaseException | None = error
    innermost = error
    while cause is not None:
        if isinstance(cause, JsonLdInputError):
            return str(cause)
        innermost = cause
        details = getattr(cause, "details", None)
        inner = details.get("cause") if isinstance(details, dict) else None
        cause = inner if isinstance(inner, BaseException) else cause.__cause__ or cause.__context__
    return f"invalid JSON-LD: {innermost.args[0] if innermost.args else innermost}"
