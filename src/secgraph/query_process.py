"""One killable query process: started by fork (in-memory data) or from a fresh interpreter
(an on-disk store opened read-only); it answers jobs from a pipe, one at a time. No HTTP.

In-memory data (an in-memory store, the writable store's served copy) is shared with a process
forked from the serving process, copy-on-write; the child never touches RocksDB. An on-disk
store cannot be shared that way: RocksDB's threads do not survive fork(), and a forked child
reopening the store was seen crashing. Its processes are new interpreters
(``python -m secgraph.query_process``) that open a ``DiskSnapshot`` read-only.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
import warnings
from multiprocessing.connection import Connection, Pipe
from pathlib import Path
from typing import NoReturn

from secgraph.query_answer import (
    QueryAnswer,
    QueryEvaluationError,
    QueryFailure,
    QueryJob,
    answer_query,
)
from secgraph.store import DiskSnapshot, OxigraphStore, Store

_LOWEST_PRIORITY = 19  # nice(1): 19 is the least favourable scheduling priority
# Signals gunicorn's worker handles in Python; a forked query process must not run those handlers.
_RESET_SIGNALS = ("SIGTERM", "SIGQUIT", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGWINCH", "SIGABRT")


class QueryProcess:
    """A running query process and the parent's end of its pipe."""

    def __init__(
        self,
        pid: int,
        connection: Connection,
        data: object,
        child: subprocess.Popen[bytes] | None = None,
    ) -> None:
        self.pid, self.connection, self.slow = pid, connection, False
        self.data = data
        """Which data the process answers from (the runner's key: version and snapshot)."""
        self._child = child

    @classmethod
    def fork(cls, store: Store, siblings: list[Connection], data: object) -> QueryProcess:
        """Fork a process answering from ``store`` as this process holds it now."""
        parent_end, child_end = Pipe(duplex=True)
        with warnings.catch_warnings():
            # Python 3.12+ warns about fork() in a threaded process: the child only reads the
            # pipe and queries the in-memory store, taking none of the parent's Python locks.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, which never returns
            parent_end.close()
            _serve_forked(child_end, store, siblings)
        child_end.close()
        return cls(pid, parent_end, data)

    @classmethod
    def spawn(cls, snapshot: DiskSnapshot, data: object) -> QueryProcess:
        """Start a new interpreter answering from ``snapshot``, opened read-only."""
        parent_end, child_end = Pipe(duplex=True)
        command = [sys.executable, "-m", "secgraph.query_process", str(child_end.fileno())]
        command += [str(snapshot.path), snapshot.version]
        command += ["--union"] if snapshot.union_default_graph else []
        try:
            child = subprocess.Popen(  # noqa: S603 - our own interpreter and module, no shell
                command, stdin=subprocess.DEVNULL, pass_fds=(child_end.fileno(),)
            )
        finally:
            child_end.close()
        return cls(child.pid, parent_end, data, child)

    def run(self, job: QueryJob, slow_after: float, deadline: float) -> QueryAnswer | None:
        """The answer, or None when the deadline passed (the caller then stops this process).
        After ``slow_after`` seconds the process is lowered in priority and marked slow."""
        try:
            self.connection.send(job)
        except OSError as error:  # the idle process died; this one is replaced
            raise QueryEvaluationError("the query process ended before it answered") from error
        slow_at = min(deadline, time.monotonic() + slow_after)
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
        if self._child is not None:
            self._child.wait()
        else:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
        self.connection.close()


def _answer_jobs(connection: Connection, store: Store) -> None:
    """Answer jobs until the serving process closes the pipe or exits."""
    with contextlib.suppress(EOFError, OSError):
        while True:
            job: QueryJob = connection.recv()
            connection.send(answer_query(store, job))


# pragma: no cover - runs in the child only
def _serve_forked(connection: Connection, store: Store, siblings: list[Connection]) -> NoReturn:
    for name in _RESET_SIGNALS:
        signal.signal(getattr(signal, name), signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which closes pipes
    # Close the copies of the other query processes' pipes, which would keep them from seeing
    # end-of-file when the server exits.
    for sibling in siblings:
        with contextlib.suppress(OSError):
            sibling.close()
    try:
        _answer_jobs(connection, store)
    finally:
        os._exit(0)  # no atexit handlers, no finalizers of the parent's objects


def main(argv: list[str] | None = None) -> None:
    """Entry point of a spawned query process: answer jobs from the inherited pipe."""
    parser = argparse.ArgumentParser(prog="secgraph.query_process")
    parser.add_argument("fd", type=int, help="descriptor of the pipe to the serving process")
    parser.add_argument("store", type=Path, help="on-disk store directory, opened read-only")
    parser.add_argument("version", help="the data version the directory holds")
    parser.add_argument("--union", action="store_true", help="union default graph layout")
    arguments = parser.parse_args(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which closes pipes
    store = OxigraphStore(
        None,
        path=arguments.store,
        union_default_graph=arguments.union,
        version=arguments.version,
    )
    _answer_jobs(Connection(arguments.fd), store)


if __name__ == "__main__":  # pragma: no cover - runs in the spawned process
    main()
