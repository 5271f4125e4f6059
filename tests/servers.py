"""Servers tests start on 127.0.0.1 and stop: an Oxigraph server, `secgraph serve` (gunicorn).

Readiness is a line each server prints once it listens, read from its output with a deadline:
no sleeping, no guessing.
"""

from __future__ import annotations

import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from secgraph.config import ENV_PREFIX

FIXTURE_PROJECT = Path(__file__).parent / "fixtures" / "project"
DEADLINE_SECONDS = 60


def free_port() -> int:
    """A TCP port nothing listens on now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def oxigraph_command() -> str:
    """The `oxigraph` command of the test extra (PyPI package oxigraph), beside this Python."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if found is None:
        pytest.fail("the oxigraph command is missing: pip install -e '.[test]'")
    return found


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """Run `oxigraph serve` on a free port with its data in ``location``; yield its base URL."""
    port = free_port()
    args = [oxigraph_command(), "serve", "--location", str(location)]
    with running([*args, "--bind", f"127.0.0.1:{port}"], "Listening for requests at") as _:
        yield f"http://127.0.0.1:{port}"


@contextmanager
def secgraph_server(*extra: str, root: Path = FIXTURE_PROJECT) -> Iterator[str]:
    """Run `python -m secgraph serve` (gunicorn, one worker) on a free port; yield its base URL."""
    port = free_port()
    args = [sys.executable, "-m", "secgraph", "--root", str(root), "serve"]
    with running([*args, "--port", str(port), "--workers", "1", *extra], "Listening at: ") as _:
        yield f"http://127.0.0.1:{port}"


@contextmanager
def running(args: Sequence[str], ready: str) -> Iterator[list[str]]:
    """Start ``args``, wait for a line containing ``ready``, yield the log so far, then stop
    the process with SIGTERM (SIGKILL if it does not stop)."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIX)}
    process = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environ
    )
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=_read_lines, args=(process, lines), daemon=True)
    reader.start()
    try:
        yield _wait_for(lines, ready)
    finally:
        process.terminate()
        try:
            process.wait(timeout=DEADLINE_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=DEADLINE_SECONDS)
        if process.stdout is not None:
            process.stdout.close()


def _read_lines(process: subprocess.Popen[str], lines: queue.Queue[str]) -> None:
    for line in process.stdout or ():
        lines.put(line)
    lines.put("")  # end of output: the process exited


def _wait_for(lines: queue.Queue[str], ready: str) -> list[str]:
    log: list[str] = []
    while not log or ready not in log[-1]:
        try:
            log.append(lines.get(timeout=DEADLINE_SECONDS))
        except queue.Empty:
            pytest.fail(f"no {ready!r} within {DEADLINE_SECONDS} s:\n" + "".join(log))
        if not log[-1]:
            pytest.fail(f"exited before {ready!r}:\n" + "".join(log))
    return log
