"""One killable query process: started by fork (in-memory data) or from a fresh interpreter
(an on-disk store opened read-only); it answers jobs from a pipe, one at a time. No HTTP.

In-memory data (an in-memory store, the writable store's served copy) is shared with a process
forked from the serving process, copy-on-write; the child never touches RocksDB. An on-disk
store cannot be shared that way: RocksDB's threads do not survive fork(), and a forked child
reopening the store was seen crashing. Its processes are new interpreters
(``python -m secgraph.query.process``) that open a ``DiskSnapshot`` read-only.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import resource
import signal
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable
from multiprocessing.connection import Connection, Pipe
from pathlib import Path
from typing import NoReturn

from secgraph.query.answer import (
    QueryAnswer,
    QueryFailure,
    QueryJob,
    QueryResourceError,
    answer_query,
)
from secgraph.store.embedded import DiskSnapshot, OxigraphStore, Store

# The engine's parser and evaluator recurse once per level of a query's algebra, and a long
# chain (thousands of BINDs, UNIONs, MINUSes) nests as deep as brackets do: with the default
# 8 MiB stack such a query kills its process; 512 MiB of address space, touched only as used,
# takes chains some 60 times longer.
_STACK_BYTES = 512 * 1024 * 1024
_DIED = (
    "the query process ran out of memory (the query_memory_mb setting) or of stack, and was "
    "stopped; make the query cheaper (narrower patterns, LIMIT, no huge ORDER BY)"
)
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
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
    def fork(cls, store: Store, data: object, memory_mb: int = 0) -> QueryProcess:
        """Fork a process answering from ``store`` as this process holds it now; ``memory_mb``
        more than it holds at the start is its memory limit (0: none)."""
        parent_end, child_end = Pipe(duplex=True)
        parent = os.getpid()
        with warnings.catch_warnings():
            # Python 3.12+ warns about fork() in a threaded process: the child only reads the
            # pipe and queries the in-memory store, taking none of the parent's Python locks.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, which never returns
            parent_end.close()
            die_with(parent)
            _serve_forked(child_end, store, memory_mb)
        child_end.close()
        return cls(pid, parent_end, data)

    @classmethod
    def spawn(cls, snapshot: DiskSnapshot, data: object, memory_mb: int = 0) -> QueryProcess:
        """Start a new interpreter answering from ``snapshot``, opened read-only."""
        parent_end, child_end = Pipe(duplex=True)
        command = [sys.executable, "-m", "secgraph.query.process", str(child_end.fileno())]
        command += [str(snapshot.path), snapshot.version, "--memory-mb", str(memory_mb)]
        command += ["--parent", str(os.getpid())]
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
            raise QueryResourceError(_DIED) from error
        slow_at = min(deadline, time.monotonic() + slow_after)
        if not self.connection.poll(max(0.0, slow_at - time.monotonic())):
            self.slow = True
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, self.pid, _LOWEST_PRIORITY)
            if not self.connection.poll(max(0.0, deadline - time.monotonic())):
                return None
        try:
            reply: QueryAnswer | QueryFailure = self.connection.recv()
        except (EOFError, OSError) as error:  # the process died (out of memory or stack)
            raise QueryResourceError(_DIED) from error
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


def _answer_jobs(connection: Connection, store: Store, memory_mb: int) -> None:
    """Answer jobs until the serving process closes the pipe or exits: in a thread with a deep
    stack, under a memory limit of ``memory_mb`` more than the process holds now."""
    _on_deep_stack(lambda: _answer_jobs_here(connection, store, memory_mb))


def _answer_jobs_here(connection: Connection, store: Store, memory_mb: int) -> None:
    limit_memory(memory_mb)
    with contextlib.suppress(EOFError, OSError):
        while True:
            job: QueryJob = connection.recv()
            connection.send(answer_query(store, job))


def _on_deep_stack(work: Callable[[], None]) -> None:
    threading.stack_size(_STACK_BYTES)
    worker = threading.Thread(target=work, name="query")
    worker.start()
    worker.join()


def limit_memory(memory_mb: int) -> None:
    """Cap this process's address space at what it maps now plus ``memory_mb`` MiB (0: no
    cap): an allocation past it fails, and the engine aborts the process, which the serving
    process sees and answers 503. Relative, since a forked process starts with its parent's
    mappings (the in-memory store among them). Where /proc is missing, no cap."""
    if memory_mb <= 0:
        return
    try:
        with Path("/proc/self/status").open(encoding="ascii") as status:
            mapped_kib = next(int(line.split()[1]) for line in status if line.startswith("VmSize:"))
    except (OSError, StopIteration, ValueError, IndexError):
        return
    cap = mapped_kib * 1024 + memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


# pragma: no cover - runs in the child only
def _serve_forked(connection: Connection, store: Store, memory_mb: int) -> NoReturn:
    for name in _RESET_SIGNALS:
        signal.signal(getattr(signal, name), signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which closes pipes
    close_inherited_descriptors(keep=connection.fileno())
    try:
        _answer_jobs(connection, store, memory_mb)
    finally:
        os._exit(0)  # no atexit handlers, no finalizers of the parent's objects


def die_with(parent: int) -> None:
    """Be killed when the process ``parent`` dies (Linux: the parent-death signal), so a query
    process never outlives the worker that ran it, even in the middle of a long query when it
    reads no pipe. Exits at once when ``parent`` is already gone. Elsewhere: nothing (the
    closed pipe still ends an idle process). The signal follows the thread that forked, and
    the serving process's request threads live as long as it does."""
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(0)


def close_inherited_descriptors(keep: int) -> None:
    """Close every descriptor a forked child inherited except stdio and ``keep``.

    The serving process's client connections, listening socket, poller and the other query
    processes' pipes all come along with fork(). A connection the server then closes would
    stay open in the child: the client's next request on it is sent into a socket nobody
    reads and waits forever; a sibling's pipe would never see end-of-file."""
    os.closerange(3, keep)
    os.closerange(keep + 1, os.sysconf("SC_OPEN_MAX"))


def main(argv: list[str] | None = None) -> None:
    """Entry point of a spawned query process: answer jobs from the inherited pipe."""
    parser = argparse.ArgumentParser(prog="secgraph.query.process")
    parser.add_argument("fd", type=int, help="descriptor of the pipe to the serving process")
    parser.add_argument("store", type=Path, help="on-disk store directory, opened read-only")
    parser.add_argument("version", help="the data version the directory holds")
    parser.add_argument("--union", action="store_true", help="union default graph layout")
    parser.add_argument("--memory-mb", type=int, default=0, help="memory limit (0: none)")
    parser.add_argument("--parent", type=int, default=0, help="die with this process (0: not)")
    arguments = parser.parse_args(argv)
    if arguments.parent:
        die_with(arguments.parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which closes pipes
    store = OxigraphStore(
        None,
        path=arguments.store,
        union_default_graph=arguments.union,
        version=arguments.version,
    )
    _answer_jobs(Connection(arguments.fd), store, arguments.memory_mb)


if __name__ == "__main__":  # pragma: no cover - runs in the spawned process
    main()
