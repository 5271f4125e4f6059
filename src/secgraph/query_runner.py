"""Run queries where they can be stopped: a pool of forked query processes, killed on timeout.

pyoxigraph has no query timeout and evaluates in Rust, where Python signals cannot interrupt
it; a process can always be killed. Each process is forked from the serving process after the
store is loaded, so it shares the data copy-on-write; a job goes over a pipe and the serialized
answer comes back. A process whose query outlives the timeout is killed and replaced; one whose
query outlives ``slow_after`` is lowered in priority (nice) so quick queries beside it keep
their share of the CPU, and is retired when it finishes (a process may not raise its own
priority back). No HTTP here.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
import warnings
import weakref
from dataclasses import dataclass
from multiprocessing.connection import Connection, Pipe
from typing import NoReturn

from secgraph.query_answer import (
    QueryAnswer,
    QueryEvaluationError,
    QueryFailure,
    QueryJob,
    answer_query,
)
from secgraph.store import OxigraphStore, Store

_LOWEST_PRIORITY = 19  # nice(1): 19 is the least favourable scheduling priority
# Signals gunicorn's worker handles in Python; a query process must not run those handlers.
_RESET_SIGNALS = ("SIGTERM", "SIGQUIT", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGWINCH", "SIGABRT")


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


class _QueryProcess:
    """One forked process answering jobs from a pipe, one at a time."""

    def __init__(self, store: Store, siblings: list[Connection]) -> None:
        parent_end, child_end = Pipe(duplex=True)
        with warnings.catch_warnings():
            # Python 3.12+ warns about fork() in a threaded process: the child only reads the
            # pipe and queries the store (read-only), taking none of the parent's Python locks.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, which never returns
            parent_end.close()
            _serve(child_end, store, siblings)
        child_end.close()
        self.pid, self.connection, self.slow = pid, parent_end, False

    def run(self, job: QueryJob, limits: QueryLimits, deadline: float) -> QueryAnswer | None:
        """The answer, or None when the deadline passed (the caller then kills this process)."""
        try:
            self.connection.send(job)
        except OSError as error:  # the idle process died; this one is replaced
            raise QueryEvaluationError("the query process ended before it answered") from error
        slow_at = min(deadline, time.monotonic() + limits.slow_after)
        if not self.connection.poll(max(0.0, slow_at - time.monotonic())):
            self.slow = True
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, self.pid, _LOWEST_PRIORITY)
            if not self.connection.poll(max(0.0, deadline - time.monotonic())):
                return None
        try:
            reply: QueryAnswer | QueryFailure = self.connection.recv()
        except (EOFError, OSError) as error:  # the process died (e.g. out of memory)
            raise QueryEvaluationError("the query process ended before it answered") from error
        if isinstance(reply, QueryFailure):
            reply.raise_error()
        return reply

    def stop(self) -> None:
        """Kill the process and reap it."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self.connection.close()


# pragma: no cover - runs in the child only
def _serve(connection: Connection, store: Store, siblings: list[Connection]) -> NoReturn:
    for name in _RESET_SIGNALS:
        signal.signal(getattr(signal, name), signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which closes pipes
    # Close the copies of the other query processes' pipes, which would keep them from seeing
    # end-of-file when the server exits. Other descriptors stay: an on-disk store's library
    # keeps process-wide ones that reopening the store needs.
    for sibling in siblings:
        with contextlib.suppress(OSError):
            sibling.close()
    own_store = store.fork_copy() if isinstance(store, OxigraphStore) else store
    try:
        while True:
            job: QueryJob = connection.recv()
            connection.send(answer_query(own_store, job))
    except (EOFError, OSError):  # the serving process closed the pipe or exited
        pass
    finally:
        os._exit(0)  # no atexit handlers, no finalizers of the parent's objects


class ProcessQueryRunner:
    """Answers jobs in forked query processes, at most ``limits.processes`` at a time.

    Processes are forked on demand by the process that runs the query (a gunicorn worker, not
    the master that loaded the store), and all are killed when the runner is collected."""

    def __init__(self, store: Store, limits: QueryLimits) -> None:
        self.store, self.limits = store, limits
        self._condition = threading.Condition()
        self._idle: list[_QueryProcess] = []
        self._running: set[_QueryProcess] = set()
        self._owner = os.getpid()
        self._finalizer = weakref.finalize(self, _stop_all, self._idle, self._running)

    def run(self, job: QueryJob) -> QueryAnswer:
        """Answer ``job``; raises QueryTimeoutError, RunnerBusyError, or what the store raises."""
        deadline = time.monotonic() + self.limits.timeout
        process = self._acquire(deadline)
        healthy = False
        try:
            answer = process.run(job, self.limits, deadline)
            if answer is None:
                raise QueryTimeoutError(self.limits.timeout)
            healthy = not process.slow
            return answer
        finally:
            self._release(process, healthy)

    def close(self) -> None:
        """Kill every query process now."""
        self._finalizer()

    def _acquire(self, deadline: float) -> _QueryProcess:
        with self._condition:
            if os.getpid() != self._owner:  # copied into a forked server worker: start afresh
                self._idle.clear()
                self._running.clear()
                self._owner = os.getpid()
            while not self._idle and len(self._running) >= self.limits.processes:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._condition.wait(remaining):
                    raise RunnerBusyError(self.limits.timeout)
            if self._idle:
                process = self._idle.pop()
            else:
                siblings = [other.connection for other in (*self._idle, *self._running)]
                process = _QueryProcess(self.store, siblings)
            self._running.add(process)
            return process

    def _release(self, process: _QueryProcess, healthy: bool) -> None:
        with self._condition:
            self._running.discard(process)
            if healthy:
                self._idle.append(process)
            self._condition.notify()
        if not healthy:
            process.stop()


def _stop_all(idle: list[_QueryProcess], running: set[_QueryProcess]) -> None:
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
    share its query processes. In-memory embedded stores get processes; others run in process:
    a remote store's server applies its own limits, and a process forked after RocksDB started
    its threads cannot reliably open the store again (seen crashing), so on-disk stores have no
    timeout yet."""
    with _RUNNERS_LOCK:
        runners = _RUNNERS.setdefault(store, {})
        if limits not in runners:
            forkable = isinstance(store, OxigraphStore) and not store.on_disk
            kind = ProcessQueryRunner if forkable else InProcessQueryRunner
            runners[limits] = kind(store, limits)
        return runners[limits]
