"""build(settings): load -> reason -> validate -> store; orchestration only, steps do the work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from pathlib import Path
from time import perf_counter

import pyoxigraph as ox

from secgraph import __version__
from secgraph.build.checks import CheckReport, find_checks, run_checks
from secgraph.build.load import (
    LoadedSources,
    SourceError,
    SourceFiles,
    find_sources,
    fingerprint,
    last_changed,
    load_sources,
    read_rdf_file,
)
from secgraph.build.ontology_closure import closure_key, ontology_closure
from secgraph.build.reason import InconsistencyError, Inference, reason
from secgraph.build.texts import check_source_texts
from secgraph.build.validate import ValidationReport, validate_triples
from secgraph.config import Settings
from secgraph.namespaces import INFERRED_GRAPH, sparql_prologue
from secgraph.progress import StepListener
from secgraph.store.embedded import OxigraphStore, Store

Stamp = tuple[str, datetime | None]
"""The data's version (content hash of the sources) and time (newest source file)."""
_INFERRED = ox.NamedNode(str(INFERRED_GRAPH))
_INSTANCES_PER_CLASS = """
SELECT ?class (COUNT(DISTINCT ?entity) AS ?count) WHERE {
  ?entity a ?class . FILTER(STRSTARTS(STR(?class), STR(sg:)))
} GROUP BY ?class ORDER BY ?class
"""


def describe_cause(cause: SourceError | InconsistencyError | ValidationReport | CheckReport) -> str:
    """One readable message for what stopped a build (or, in secgraph.write.candidate, an edit)."""
    if isinstance(cause, ValidationReport):
        return f"{len(cause.results)} SHACL result(s):\n{cause.to_text()}"
    if isinstance(cause, CheckReport):
        return f"{cause.defects} quality-check defect(s):\n{cause.to_text()}"
    return str(cause)


class BuildError(Exception):
    """The build stopped: a source error, an inconsistency or SHACL violations."""

    def __init__(
        self,
        cause: SourceError | InconsistencyError | ValidationReport | CheckReport,
        timings: dict[str, float] | None = None,
    ) -> None:
        self.cause = cause
        self.timings = dict(timings or {})
        super().__init__(describe_cause(cause))

    @property
    def report(self) -> ValidationReport | None:
        return self.cause if isinstance(self.cause, ValidationReport) else None

    @property
    def checks(self) -> CheckReport | None:
        return self.cause if isinstance(self.cause, CheckReport) else None

    @property
    def inconsistency(self) -> InconsistencyError | None:
        return self.cause if isinstance(self.cause, InconsistencyError) else None

    @property
    def source_error(self) -> SourceError | None:
        return self.cause if isinstance(self.cause, SourceError) else None


@dataclass(frozen=True)
class BuildStats:
    """What a build did: seconds per step, triples per graph, instances per sg: class."""

    timings: dict[str, float] = field(default_factory=dict)
    graph_sizes: dict[str, int] = field(default_factory=dict)
    instances: dict[str, int] = field(default_factory=dict)
    dropped_inferences: dict[str, int] = field(default_factory=dict)
    warm_start: bool = False

    @property
    def inferred(self) -> int:
        return self.graph_sizes.get(str(INFERRED_GRAPH), 0)


@dataclass(frozen=True)
class BuiltGraph:
    """The queryable store, what it took to build it, and the SHACL and check reports (if run)."""

    store: Store
    stats: BuildStats
    report: ValidationReport | None = None
    checks: CheckReport | None = None


def build(settings: Settings, on_step: StepListener | None = None) -> BuiltGraph:
    """Build the graph ``settings`` describe, reusing an unchanged on-disk store.

    ``on_step`` hears each step's name and seconds as the step ends (progress display).

    Raises BuildError wrapping the SourceError, the InconsistencyError or the failing
    ValidationReport.
    """
    timings: dict[str, float] = _Timings(on_step)
    try:
        with _timed(timings, "find"):
            files = _files(settings)
            version = fingerprint(files, salt=f"secgraph {__version__}")
            modified = last_changed(files)
        if settings.store_path is not None:
            reused = OxigraphStore.reuse(
                settings.store_path,
                version=version,
                union_default_graph=settings.union_default_graph,
                modified=modified,
            )
            if reused is not None:
                return _built(reused, timings, warm_start=True)
        if settings.data_file is not None:
            return _serve_file_as_is(settings, settings.data_file, (version, modified), timings)
        return _build_project(settings, (version, modified), timings)
    except (SourceError, InconsistencyError) as error:
        raise BuildError(error, timings) from error


def _files(settings: Settings) -> SourceFiles:
    if settings.data_file is None:
        return find_sources(settings)
    if not settings.data_file.is_file():
        raise SourceError(str(settings.data_file), "no such file")
    return SourceFiles(root=settings.root, ontology=(), data=(settings.data_file,), shapes=())


def _serve_file_as_is(
    settings: Settings, data_file: Path, stamp: Stamp, timings: dict[str, float]
) -> BuiltGraph:
    # No reasoning, no validation: the file is served exactly as written (W3C test datasets).
    with _timed(timings, "load"):
        quads = read_rdf_file(data_file)
    with _timed(timings, "store"):
        store = OxigraphStore.from_quads(
            quads,
            path=settings.store_path,
            union_default_graph=settings.union_default_graph,
            version=stamp[0],
            modified=stamp[1],
        )
    return _built(store, timings)


def _build_project(settings: Settings, stamp: Stamp, timings: dict[str, float]) -> BuiltGraph:
    with _timed(timings, "load"):
        loaded = load_sources(settings)
    with _timed(timings, "reason"):
        inference = _reason(settings, loaded)
    with _timed(timings, "validate"):
        # SHACL sees what users query: the asserted graphs merged with the inferred one.
        report = validate_triples([*loaded.quads, *inference.triples], loaded.shapes)
        if report.conforms:
            # After SHACL, which says what is malformed (a digest not in hex); this, what
            # disagrees with the texts.
            check_source_texts(loaded, settings.sources_dir)
    if not report.conforms:
        raise BuildError(report, timings)
    with _timed(timings, "store"):
        inferred = (ox.Quad(t.subject, t.predicate, t.object, _INFERRED) for t in inference.triples)
        store = OxigraphStore.from_quads(
            chain(loaded.quads, inferred),
            path=settings.store_path,
            union_default_graph=settings.union_default_graph,
            version=stamp[0],
            modified=stamp[1],
        )
    with _timed(timings, "check"):
        checks = run_checks(store, find_checks(settings.checks_dir))
    if not checks.passed:
        raise BuildError(checks, timings)
    return _built(store, timings, report=report, checks=checks, dropped=inference.dropped)


def _reason(settings: Settings, loaded: LoadedSources) -> Inference:
    if settings.reasoner == "owlrl":
        return reason(loaded.quads)
    # The ontology's own closure is the same for every build of the same ontology: cache it.
    key = closure_key(loaded.files.ontology)
    closure = ontology_closure(loaded.ontology, settings.cache_dir, key)
    return reason(loaded.quads, reasoner="fast", ontology_closure=closure)


def _built(
    store: Store,
    timings: dict[str, float],
    *,
    warm_start: bool = False,
    report: ValidationReport | None = None,
    checks: CheckReport | None = None,
    dropped: dict[str, int] | None = None,
) -> BuiltGraph:
    stats = BuildStats(
        timings=timings,
        graph_sizes=store.graph_sizes(),
        instances=_instances(store),
        dropped_inferences=dict(dropped or {}),
        warm_start=warm_start,
    )
    return BuiltGraph(store=store, stats=stats, report=report, checks=checks)


def _instances(store: Store) -> dict[str, int]:
    solutions = store.query(sparql_prologue() + _INSTANCES_PER_CLASS)
    if not isinstance(solutions, ox.QuerySolutions):
        raise TypeError("a SELECT query must return solutions")
    return {str(row["class"].value): int(row["count"].value) for row in solutions}


class _Timings(dict[str, float]):
    """Seconds per step that tells ``listener`` of each step as it is recorded."""

    def __init__(self, listener: StepListener | None) -> None:
        super().__init__()
        self.listener = listener

    def __setitem__(self, step: str, seconds: float) -> None:
        super().__setitem__(step, seconds)
        if self.listener is not None:
            self.listener(step, seconds)


@contextmanager
def _timed(timings: dict[str, float], step: str) -> Iterator[None]:
    started = perf_counter()
    try:
        yield
    finally:
        timings[step] = perf_counter() - started
