"""The edit journal: an append-only, fsynced log of accepted edits beside the store; no checks.

Each line is one JSON object (an ``Edit``). A write is acknowledged only after its line is on
disk (``os.fsync``), so the journal holds every acknowledged edit whatever happens to the process
afterwards; a rebuild replays it. A last line without its newline is a write the process did not
finish (so never acknowledged): reading drops it and truncates the file to the last whole line.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

EditKind = Literal["update", "put", "post", "delete"]
_KINDS = frozenset({"update", "put", "post", "delete"})


@dataclass(frozen=True)
class Edit:
    """One accepted write, as the client sent it: replayed, it has the same effect.

    ``update``: ``body`` is a SPARQL 1.1 Update. ``put`` / ``post`` / ``delete``: Graph Store
    Protocol operations on ``graph``, ``body`` the RDF document in ``media_type``.
    """

    kind: EditKind
    body: str = ""
    graph: str | None = None
    media_type: str | None = None
    base_iri: str | None = None


class JournalError(Exception):
    """A journal line that is complete but not an edit: the file was damaged or hand-edited."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line = path, line


def journal_path(store_path: Path) -> Path:
    """Where the journal of the on-disk store at ``store_path`` lives: beside it."""
    return store_path.with_name(store_path.name + ".edits.jsonl")


class Journal:
    """The journal file; ``read`` once, then ``append`` each accepted edit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._digest = hashlib.sha256()
        self._count = 0
        self._lines: list[bytes] = []  # as last read: to tell whether it extends another state

    @property
    def stamp(self) -> str:
        """Names the journal's content: edit count and SHA-256 of its bytes."""
        return f"{self._count} {self._digest.hexdigest()}"

    def read(self) -> list[Edit]:
        """Every edit in the file, in order; a torn last line is dropped and cut off."""
        self._digest, self._count = hashlib.sha256(), 0
        if not self.path.is_file():
            return []
        data = self.path.read_bytes()
        whole = data[: data.rfind(b"\n") + 1]
        if len(whole) < len(data):
            with self.path.open("r+b") as handle:
                handle.truncate(len(whole))
                os.fsync(handle.fileno())
        edits = [
            _parse_line(self.path, number, line)
            for number, line in enumerate(whole.splitlines(), start=1)
        ]
        self._digest.update(whole)
        self._count = len(edits)
        self._lines = whole.splitlines(keepends=True)
        return edits

    def extends(self, stamp: str) -> bool:
        """Whether the file, as ``read`` last found it, begins with the journal ``stamp`` names,
        byte for byte: an earlier state of it that later appends only added to."""
        count, digest = stamp.split()
        held = int(count)
        prefix = b"".join(self._lines[:held])
        return held <= len(self._lines) and hashlib.sha256(prefix).hexdigest() == digest

    def append(self, edit: Edit) -> None:
        """Write ``edit`` as one line and fsync it (and, for a new file, its directory)."""
        line = json.dumps(asdict(edit), ensure_ascii=False, sort_keys=True).encode() + b"\n"
        created = not self.path.exists()
        with self.path.open("ab") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
        if created:
            fsync_directory(self.path.parent)
        self._digest.update(line)
        self._count += 1
        self._lines.append(line)


def fsync_directory(directory: Path) -> None:
    """Make a new or renamed directory entry durable (POSIX: fsync the directory itself)."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _parse_line(path: Path, number: int, line: bytes) -> Edit:
    try:
        fields = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise JournalError(path, number, f"not a JSON object: {error}") from None
    if not isinstance(fields, dict) or fields.get("kind") not in _KINDS:
        raise JournalError(path, number, "not an edit: expected a JSON object with a known kind")
    try:
        return Edit(**fields)
    except TypeError as error:
        raise JournalError(path, number, f"not an edit: {error}") from None
