"""Read the named example queries (queries/*.rq) with their title and question; no SPARQL run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_HEADER_KEYS = ("title", "question")


@dataclass(frozen=True)
class ExampleQuery:
    """One named query: its file stem, the header's title and question, and the query text."""

    slug: str
    title: str
    question: str
    text: str


def load_examples(directory: Path) -> list[ExampleQuery]:
    """Every ``*.rq`` in ``directory`` by file name; none when the directory is missing.

    A file opens with comment lines ``# title: ...`` and ``# question: ...``; a file without a
    title is shown under its file stem, so nothing in the directory is silently hidden."""
    if not directory.is_dir():
        return []
    return [_read(path) for path in sorted(directory.glob("*.rq"))]


def find_example(directory: Path, slug: str) -> ExampleQuery | None:
    """The example called ``slug`` (its file stem), or None."""
    return next((item for item in load_examples(directory) if item.slug == slug), None)


def _read(path: Path) -> ExampleQuery:
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, colon, value = line.lstrip("# ").partition(":")
        if colon and key.strip() in _HEADER_KEYS:
            header[key.strip()] = value.strip()
    return ExampleQuery(
        slug=path.stem,
        title=header.get("title", path.stem),
        question=header.get("question", ""),
        text=text,
    )
