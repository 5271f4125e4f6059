"""The writable store: checked, journaled, atomically swapped edits over the on-disk store.

Readers query an in-memory copy of the data. An edit is applied to a fresh copy (the
candidate), checked as a build would (secgraph.write.candidate), appended to the fsynced journal
(the moment it is acknowledged), swapped in as the served copy by one reference assignment (a reader
sees the old data or the new, never half), then written to the on-disk store, whose stamp file
records which journal state it holds. At start the store is reused only when its stamp matches
the sources and the journal; otherwise it is rebuilt from the sources and the journal replayed
and re-checked, so an acknowledged edit is never silently dropped.

One process writes: the store's lock (RocksDB) admits one writer, and the served copy lives in
that process; settings enforce ``workers=1`` when writes are enabled. That process is a worker
forked from the server's master, which holds the data as it was at start: a worker started
after another died catches up with the journal (``after_fork``) before it answers anything,
and leaves the on-disk store, which the dead one may have left half written, to be rebuilt at
the next start.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from secgraph.build.checks import find_checks
from secgraph.build.load import SourceError, load_sources
from secgraph.build.pipeline import BuildError, build
from secgraph.config import Settings
from secgraph.store.embedded import Bindings, OxigraphStore, QueryResult, marker_path
from secgraph.write.candidate import RejectedEditError, Rules, asserted_quads, check_candidate
from secgraph.write.edits import EditError, apply_edit
from secgraph.write.journal import Edit, Journal, JournalError, fsync_directory, journal_path
from secgraph.write.uploads import UploadError


def stamp_path(store_path: Path) -> Path:
    """The file beside the store naming the sources and journal state the store holds."""
    return store_path.with_name(store_path.name + ".applied")


class WritableStore:
    """A Store (secgraph.store.embedded.Store) that also applies edits; one per writer process."""

    def __init__(
        self,
        served: ox.Store,
        *,
        settings: Settings,
        journal: Journal,
        rules: Rules,
        base: str,
        modified: datetime | None = None,
    ) -> None:
        if settings.store_path is None:
            raise ValueError("a writable store needs an on-disk store_path")
        self._settings, self._journal, self._rules, self._base = settings, journal, rules, base
        self._modified = modified  # the sources' time until an edit is accepted
        self._served = self._serving(served)
        self._disk = OxigraphStore(
            None,
            path=settings.store_path,
            union_default_graph=settings.union_default_graph,  # laid out as the build made it
            version=base,
            writable=True,
        )
        self._lock = threading.Lock()
        self._disk_current = True  # whether the on-disk store follows each accepted edit
        self._store_path: Path = settings.store_path

    def _serving(self, handle: ox.Store) -> OxigraphStore:
        count = self._journal.stamp.split()[0]
        return OxigraphStore(
            handle,
            union_default_graph=self._settings.union_default_graph,
            version=f"{self._base}-{count}",  # ETags change with every accepted edit
        )

    @property
    def version(self) -> str:
        return self._served.version

    def pinned(self) -> OxigraphStore:
        """The in-memory copy served now; an accepted edit serves a new one, never changes it."""
        return self._served

    @property
    def modified(self) -> datetime | None:
        return self._modified

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        bindings: Bindings | None = None,
    ) -> QueryResult:
        return self._served.query(
            sparql,
            default_graph_uris=default_graph_uris,
            named_graph_uris=named_graph_uris,
            bindings=bindings,
        )

    def named_graphs(self) -> list[str]:
        return self._served.named_graphs()

    def graph_sizes(self) -> dict[str, int]:
        return self._served.graph_sizes()

    def dump(self, rdf_format: ox.RdfFormat, *, exclude_graphs: Sequence[str] = ()) -> bytes:
        return self._served.dump(rdf_format, exclude_graphs=exclude_graphs)

    def before_fork(self) -> None:
        self._disk.close()

    def after_fork(self) -> None:
        """In a newly forked worker, before it serves: hold every edit the journal acknowledges."""
        self.catch_up()

    def catch_up(self) -> int:
        """Replay and check the edits another process appended to the journal since this copy
        was made (a worker since killed) and serve the result; returns how many. The on-disk
        store is left to the next start to rebuild. Raises BuildError when the journal no
        longer begins with the edits served here, or one of the new edits no longer passes."""
        with self._lock:
            journal = Journal(self._journal.path)
            edits = _read_journal(journal)
            held = self._journal.stamp
            if journal.stamp == held:
                return 0
            if not journal.extends(held):
                message = "the journal no longer begins with the edits served; restart to rebuild"
                raise BuildError(SourceError(str(journal.path), message, None))
            first = int(held.split()[0])
            candidate = ox.Store()
            candidate.extend(self._served.quads())
            checked = _replay(candidate, edits[first:], journal.path, self._rules, first + 1)
            self._journal = journal
            self._served = self._serving(checked)
            self._modified = _last_change(self._modified, journal.path)
            # The on-disk store stays as the killed process left it: opening RocksDB after a
            # process died with it open means a recovery that waits for background threads,
            # which a forked process does not have (seen hanging). Without its stamp the next
            # start rebuilds it from the sources and the journal, the source of truth; until
            # then edits are journaled and served, not written to it.
            self._disk_current = False
            stamp = stamp_path(self._store_path)
            stamp.unlink(missing_ok=True)
            fsync_directory(stamp.parent)
            return len(edits) - first

    def disk_snapshot(self) -> None:
        """None: queries read the served in-memory copy, so query processes are forked from
        this process and share it; the runner retires them when ``version`` changes (an
        accepted edit). They never open the on-disk store this process writes."""
        return None

    def apply(self, edit: Edit) -> None:
        """Check ``edit`` and make it durable and visible; raises EditError, UploadError or
        RejectedEditError, leaving served data, store and journal as they were."""
        with self._lock:
            current = self._served
            candidate = ox.Store()
            candidate.extend(current.quads())
            apply_edit(candidate, edit)
            checked = check_candidate(asserted_quads(candidate), self._rules)
            self._journal.append(edit)  # acknowledged from here on: replayed if all else fails
            self._served = self._serving(checked)
            self._modified = datetime.now(UTC)  # Last-Modified moves with the ETag
            if self._disk_current:
                old, new = set(current.quads()), set(self._served.quads())
                self._disk.replace_quads(old - new, new - old)
                write_stamp(self._store_path, self._base, self._journal)


def open_writable(settings: Settings) -> WritableStore:
    """Build or reuse the on-disk store, replay the journal when the store does not hold it,
    and return the store to serve. Raises BuildError (sources, or edits that no longer pass)."""
    path = settings.store_path
    if path is None:
        raise ValueError("writes need an on-disk store: set store_path")
    journal = Journal(journal_path(path))
    edits = _read_journal(journal)
    built = build(settings)
    base = built.store.version
    rules = Rules(load_sources(settings).shapes, find_checks(settings.checks_dir))
    current = stamp_path(path).is_file() and stamp_path(path).read_text() == _stamp(base, journal)
    if built.stats.warm_start and not current:
        _close(built.store)
        marker_path(path).unlink()  # the store may hold part of the journal: start clean
        built = build(settings)
    served = ox.Store()
    if not isinstance(built.store, OxigraphStore):
        raise TypeError("writes need the embedded store")
    served.extend(built.store.quads())
    built.store.close()
    if not current:
        served = _replay(served, edits, journal.path, rules)
        if edits:
            stored = OxigraphStore.from_quads(served, path=path, version=base)
            stored.close()
        write_stamp(path, base, journal)
    return WritableStore(
        served,
        settings=settings,
        journal=journal,
        rules=rules,
        base=base,
        modified=_last_change(built.store.modified, journal.path if edits else None),
    )


def _read_journal(journal: Journal) -> list[Edit]:
    """The journal's edits; a damaged line is a build error naming the file and line."""
    try:
        return journal.read()
    except JournalError as error:
        raise BuildError(SourceError(str(error.path), str(error), error.line)) from error


def _replay(
    served: ox.Store, edits: list[Edit], journal: Path, rules: Rules, first: int = 1
) -> ox.Store:
    """``served`` with ``edits`` (the journal's lines from number ``first``) applied and the
    result checked as a build would."""
    if not edits:
        return served
    for number, edit in enumerate(edits, start=first):
        try:
            apply_edit(served, edit)
        except (EditError, UploadError) as error:
            message = f"edit {number} no longer applies: {error.message}"
            raise BuildError(SourceError(str(journal), message, number)) from error
    try:
        return check_candidate(asserted_quads(served), rules)
    except RejectedEditError as rejected:
        raise BuildError(rejected.cause) from rejected


def _last_change(sources: datetime | None, journal: Path | None) -> datetime | None:
    # Replayed edits are newer than the sources: Last-Modified is the journal's last write.
    if journal is None or sources is None:
        return sources
    return max(sources, datetime.fromtimestamp(journal.stat().st_mtime, UTC))


def _close(store: object) -> None:
    if isinstance(store, OxigraphStore):
        store.close()


def _stamp(base: str, journal: Journal) -> str:
    return f"{base}\n{journal.stamp}\n"


def write_stamp(store_path: Path | None, base: str, journal: Journal) -> None:
    """Record, durably, that the store holds the sources ``base`` plus the whole journal."""
    if store_path is None:
        return
    target = stamp_path(store_path)
    partial = target.with_name(target.name + ".partial")
    with partial.open("w", encoding="utf-8") as handle:
        handle.write(_stamp(base, journal))
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(target)
    fsync_directory(target.parent)
