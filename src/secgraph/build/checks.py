"""Run the quality-control queries in ontology/checks (each row is a defect); read-only."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from secgraph.store.embedded import Store

# A check file opens with "# title: ..." (see ontology/checks/*.rq).
_TITLE = re.compile(r"^#\s*title:\s*(.+)$", re.MULTILINE)


@dataclass(frozen=True)
class CheckResult:
    """One quality-control query and the rows (defects) it returned."""

    name: str
    title: str
    variables: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class CheckReport:
    """The outcome of every quality-control query."""

    results: tuple[CheckResult, ...]

    @property
    def passed(self) -> bool:
        return all(not result.rows for result in self.results)

    @property
    def defects(self) -> int:
        return sum(len(result.rows) for result in self.results)

    def to_text(self) -> str:
        """One block per failing check: its title, then one line per defect row."""
        lines = []
        for result in self.results:
            if result.rows:
                lines.append(f"{result.name}: {result.title} ({len(result.rows)} row(s))")
                lines += ["  " + "  ".join(row) for row in result.rows]
        return "\n".join(lines)


def find_checks(directory: Path) -> tuple[Path, ...]:
    """The check queries in ``directory`` (``*-violation.rq``), sorted by name."""
    return tuple(sorted(directory.glob("*-violation.rq"))) if directory.is_dir() else ()


def run_checks(store: Store, paths: tuple[Path, ...]) -> CheckReport:
    """Run each check query against ``store``'s default graph (the union of all graphs)."""
    return CheckReport(tuple(_run_check(store, path) for path in paths))


def _run_check(store: Store, path: Path) -> CheckResult:
    text = path.read_text(encoding="utf-8")
    title = _TITLE.search(text)
    solutions = store.query(text)
    if not isinstance(solutions, ox.QuerySolutions):
        raise TypeError(f"{path.name}: a check must be a SELECT query")
    variables = tuple(variable.value for variable in solutions.variables)
    rows = tuple(
        tuple("" if solution[name] is None else str(solution[name]) for name in variables)
        for solution in solutions
    )
    return CheckResult(
        name=path.stem,
        title=title.group(1).strip() if title else path.stem,
        variables=variables,
        rows=rows,
    )
