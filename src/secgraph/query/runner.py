"""Run queries where they can be stopped: a pool of query processes, killed on timeout.

pyoxigraph has no query timeout and evaluates in Rust, where Python signals cannot interrupt
it; a process can always be killed. A job goes over a pipe to a query process
(``secgraph.query.process``) and the serialized answer comes back. A process whose query
outlives the timeout is killed and replaced; one whose query outlives ``slow_after`` is lowered
in priority (nice) so quick queries beside it keep their share of the CPU, and is retired when
it finishes (a process may not raise its own priority back). On-disk stores are read from a
``DiskSnapshot`` by processes started from a fresh interpreter; in-memory data by forked
ones. When the store's version changes (the writable store accepted an edit), idle processes
holding older data are retired, so every query started after a write sees it. No HTTP here.

A job a query process answered within ``cheap_under`` is cheap on that data: the same job on
the same data version does the same work (unless it names a function whose value changes from
run to run, or SERVICE: such a job always runs where it can be killed), so it is answered in the
serving process from then on, without a pipe round trip or a wait for a free process.
Evaluation there cannot be stopped, but a job that once finished far inside the time limit
will again; a job never seen, or seen to be slow, always runs where it can be killed.
"""

from __future__ import annotations

import os
import threading
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from secgraph.query.answer import QueryAnswer, QueryFailure, QueryJob, answer_query
from secgraph.query.process import QueryProcess
from secgraph.sparql.reading import may_mention
from secgraph.store.embedded import DiskSnapshot, OxigraphStore, Store
from secgraph.write.writable import WritableStore


@runtime_checkable
class SnapshotSource(Protocol):
    """A store whose queries can run in query processes: in memory (None: fork) or on disk."""

    def disk_snapshot(self) -> DiskSnapshot | None:
        """The on-disk directory holding the current data, or None for in-memory data."""
        ...


@runtime_checkable
class PinnedSource(Protocol):
    """A store whose data can change while it serves (the writable store): ``pinned`` is the
    copy being served now, whose data and version never change."""

    def pinned(self) -> Store:
        """The store served now, unchanging (a later edit serves a new one)."""
        ...


class QueryTimeoutError(Exception):
    """The query ran past the time limit and was stopped."""

    def __init__(self, limit: float) -> None:
        self.limit = limit
        super().__init__(f"query stopped after the {limit:g} s time limit")


class RunnerBusyError(Exception):
    """Every query process stayed busy for the whole time limit."""

    def __init__(self, limit: float) -> None:
        self.limit = limit
        super().__init__(f"no query process became free within {limit:g} s")


@dataclass(frozen=True)
class QueryLimits:
    """How long a query may run, how many run at once per serving process, rows kept."""

    timeout: float = 10.0
    processes: int = 2
    max_rows: int = 10_000
    slow_after: float = 1.0
    """Seconds after which a running query is lowered in priority."""
    cheap_under: float = 0.02
    """Seconds: a job answered this fast in a query process runs in the serving process when
    it comes again on the same data (at most a hundredth of ``timeout``)."""
    cheap_jobs: int = 4096
    """How many cheap jobs are remembered (least recently used forgotten first)."""
    memory_mb: int = 2048
    """MiB a query process may allocate beyond what it starts with (0: no limit)."""
    cheap_text: int = 4_000_000
    """Characters of query text the remembered jobs hold in all; a job over 1/64 of it is
    not remembered (a request body may hold megabytes)."""


class ProcessQueryRunner:
    """Answers jobs in query processes, at most ``limits.processes`` at a time.

    Processes are started on demand by the process that runs the query (a gunicorn worker, not
    the master that loaded the store), and all are killed when the runner is collected."""

    def __init__(self, store: Store, limits: QueryLimits) -> None:
        self.store, self.limits = store, limits
        self._condition = threading.Condition()
        self._idle: list[QueryProcess] = []
        self._running: set[QueryProcess] = set()
        self._starting = 0  # slots taken by processes being started outside the lock
        self._owner = os.getpid()
        self._finalizer = weakref.finalize(self, _stop_all, self._idle, self._running)
        self._cheap: OrderedDict[tuple[str, QueryJob], int] = OrderedDict()  # text sizes
        self._cheap_text = 0
        self._cheap_lock = threading.Lock()

    def run(self, job: QueryJob) -> QueryAnswer:
        """Answer ``job``; raises QueryTimeoutError, RunnerBusyError, or what the store raises."""
        # Version and data read from one pinned copy: an edit accepted in between must not let a
        # job proven cheap on the old data run unstoppable on the new.
        pinned = self.store.pinned() if isinstance(self.store, PinnedSource) else self.store
        if self._proven_cheap((pinned.version, job)):
            reply = answer_query(pinned, job)
            if isinstance(reply, QueryFailure):
                reply.raise_error()
            return reply
        deadline = time.monotonic() + self.limits.timeout
        process = self._acquire(deadline)
        healthy = False
        try:
            started = time.monotonic()
            answer = process.run(job, self.limits.slow_after, deadline)
            if answer is None:
                raise QueryTimeoutError(self.limits.timeout)
            healthy = not process.slow
            if time.monotonic() - started < self._cheap_limit() and _same_work_each_time(job):
                self._remember_cheap((_version_of(process.data), job))
            return answer
        finally:
            self._release(process, healthy)

    def is_cheap(self, job: QueryJob) -> bool:
        """Whether ``job`` runs in this process (it was answered within ``cheap_under`` on the
        store's current data)."""
        with self._cheap_lock:
            return (self.store.version, job) in self._cheap

    def _cheap_limit(self) -> float:
        return min(self.limits.cheap_under, self.limits.timeout / 100)

    def _proven_cheap(self, key: tuple[str, QueryJob]) -> bool:
        with self._cheap_lock:
            if key not in self._cheap:
                return False
            self._cheap.move_to_end(key)
            return True

    def _remember_cheap(self, key: tuple[str, QueryJob]) -> None:
        job = key[1]
        size = len(job.sparql) + sum(map(len, (*job.default_graph_uris, *job.named_graph_uris)))
        if not key[0]:  # data of unknown version: nothing says it is the same next time
            return
        if size > self.limits.cheap_text // 64:
            return
        with self._cheap_lock:
            if key in self._cheap:
                self._cheap.move_to_end(key)
                return
            self._cheap[key] = size
            self._cheap_text += size
            while (
                len(self._cheap) > self.limits.cheap_jobs
                or self._cheap_text > self.limits.cheap_text
            ):
                self._cheap_text -= self._cheap.popitem(last=False)[1]

    def close(self) -> None:
        """Kill every query process now."""
        self._finalizer()

    def _acquire(self, deadline: float) -> QueryProcess:
        with self._condition:
            if os.getpid() != self._owner:  # copied into a forked server worker: start afresh
                self._idle.clear()
                self._running.clear()
                self._starting, self._owner = 0, os.getpid()
            stale: list[QueryProcess] = []  # idle, but holding data older than the store's
            while True:
                current = self._data()
                stale += [item for item in self._idle if item.data != current]
                self._idle[:] = [item for item in self._idle if item.data == current]
                if self._idle or len(self._running) + self._starting < self.limits.processes:
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._condition.wait(remaining):
                    self._retire(stale)
                    raise RunnerBusyError(self.limits.timeout)
            process = self._idle.pop() if self._idle else None
            snapshot = current[1]
            if process is None and snapshot is None:
                # Forked under the lock: no sibling is half made while the child is copied.
                process = QueryProcess.fork(self.store, current, self.limits.memory_mb)
            if process is not None:
                self._running.add(process)
            else:
                self._starting += 1
        self._retire(stale)
        return process if process is not None else self._spawn(current)

    def _data(self) -> tuple[str, DiskSnapshot | None]:
        """What a process answering now would hold: the data version, and the on-disk
        snapshot it opens (None: in-memory data, shared by fork)."""
        snapshot = self.store.disk_snapshot() if isinstance(self.store, SnapshotSource) else None
        return self.store.version, snapshot

    def _spawn(self, data: tuple[str, DiskSnapshot | None]) -> QueryProcess:
        """Start a process on the snapshot outside the lock: a new interpreter takes a while."""
        snapshot = data[1]
        if snapshot is None:  # excluded by _acquire
            raise RuntimeError("an in-memory store's processes are forked")
        process: QueryProcess | None = None
        try:
            process = QueryProcess.spawn(snapshot, data, self.limits.memory_mb)
        finally:
            with self._condition:
                self._starting -= 1
                if process is not None:
                    self._running.add(process)
                self._condition.notify()
        return process

    def _release(self, process: QueryProcess, healthy: bool) -> None:
        with self._condition:
            self._running.discard(process)
            if healthy:
                self._idle.append(process)
            self._condition.notify()
        if not healthy:
            self._retire([process])

    @staticmethod
    def _retire(processes: list[QueryProcess]) -> None:
        for process in processes:
            process.stop()


# Functions whose value differs from run to run (SPARQL 1.1 Query §17.4.5.1, 17.4.5.2,
# 17.4.2.11, 17.4.3.13, 17.4.3.14), and SERVICE, whose answers another server decides: a job that
# names any may cost more next time than the run that proved it cheap.
_UNSTABLE = ("rand", "now", "uuid", "bnode", "service")


def _same_work_each_time(job: QueryJob) -> bool:
    """Whether ``job`` does the same work on the same data: it spells none of ``_UNSTABLE``
    in any case or escape (a name that merely contains one, like foaf:knows, counts too)."""
    return not any(may_mention(job.sparql, word) for word in _UNSTABLE)


def _version_of(data: object) -> str:
    """The data version in a process's ``data`` (the runner's ``_data()`` pair)."""
    return data[0] if isinstance(data, tuple) and isinstance(data[0], str) else ""


def _stop_all(idle: list[QueryProcess], running: set[QueryProcess]) -> None:
    for process in [*idle, *running]:
        process.stop()
    idle.clear()
    running.clear()


class InProcessQueryRunner:
    """Answers jobs in the calling process: for stores that run queries elsewhere (a remote
    SPARQL server, which applies its own limits); the row cap still applies."""

    def __init__(self, store: Store, limits: QueryLimits) -> None:
        self.store, self.limits = store, limits

    def run(self, job: QueryJob) -> QueryAnswer:
        reply = answer_query(self.store, job)
        if isinstance(reply, QueryFailure):
            reply.raise_error()
        return reply

    def close(self) -> None:
        """Nothing to stop."""


QueryRunner = ProcessQueryRunner | InProcessQueryRunner
_RUNNERS: weakref.WeakKeyDictionary[Store, dict[QueryLimits, QueryRunner]]
_RUNNERS = weakref.WeakKeyDictionary()
_RUNNERS_LOCK = threading.Lock()


def runner_for(store: Store, limits: QueryLimits) -> QueryRunner:
    """The one runner of ``store`` with ``limits`` in this process: apps serving the same store
    share its query processes. Embedded stores, in memory or on disk, and the writable store
    get query processes; other stores (a remote one, whose server applies its own limits) run
    queries in process."""
    with _RUNNERS_LOCK:
        runners = _RUNNERS.setdefault(store, {})
        if limits not in runners:
            # By type, not by duck typing: a wrapper that only forwards attributes (a test's
            # counting store) expects its own query() to be called, in this process.
            if isinstance(store, OxigraphStore | WritableStore):
                runners[limits] = ProcessQueryRunner(store, limits)
            else:
                runners[limits] = InProcessQueryRunner(store, limits)
        return runners[limits]
