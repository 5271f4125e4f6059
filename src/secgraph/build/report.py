"""Render build results, SHACL reports, query solutions and settings as text; computes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import pyoxigraph as ox

from secgraph.build.pipeline import BuildError, BuiltGraph
from secgraph.build.validate import ValidationReport, Violation
from secgraph.config import OptionDoc
from secgraph.namespaces import shorten
from secgraph.store.embedded import DEFAULT_GRAPH


def render_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Left-aligned columns separated by two spaces, under a header line."""
    materialized = [list(header), *[list(row) for row in rows]]
    widths = [max(len(row[i]) for row in materialized) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in materialized
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def render_check(built: BuiltGraph) -> str:
    """Counts per graph and class, inference and SHACL summary, timings."""
    stats = built.stats
    graphs = [
        ("(default graph)" if name == DEFAULT_GRAPH else shorten(name), str(size))
        for name, size in sorted(stats.graph_sizes.items())
    ]
    classes = [(shorten(name), str(count)) for name, count in sorted(stats.instances.items())]
    parts = [render_table(("graph", "triples"), graphs)]
    if classes:
        parts.append(render_table(("class", "instances"), classes))
    if stats.dropped_inferences:
        dropped = ", ".join(f"{why}: {n}" for why, n in sorted(stats.dropped_inferences.items()))
        parts.append(f"inferred {stats.inferred} triples; dropped as noise: {dropped}\n")
    if stats.warm_start:
        parts.append("sources unchanged: reused the on-disk store\n")
    if built.report is not None:
        parts.append(render_report(built.report))
    if built.checks is not None:
        parts.append(
            f"quality checks: {len(built.checks.results)} run, {built.checks.defects} defect(s)\n"
        )
    timings = ", ".join(f"{step} {seconds:.3f}s" for step, seconds in stats.timings.items())
    parts.append(f"timings: {timings}\n")
    return "\n".join(parts)


def render_report(report: ValidationReport) -> str:
    """SHACL outcome, then one ``focus  path  message`` line per result."""
    verdict = "conforms" if report.conforms else "does not conform"
    head = f"SHACL: {verdict} ({len(report.results)} result(s))\n"
    return head + "".join(f"  {_violation_line(result)}\n" for result in report.results)


def _violation_line(violation: Violation) -> str:
    path = shorten(violation.result_path) if violation.result_path else "-"
    severity = shorten(violation.severity).removeprefix("sh:")
    return f"{severity}  {shorten(violation.focus_node)}  {path}  {violation.message}"


def render_build_error(error: BuildError) -> str:
    """Why a build stopped, naming files, culprits or focus nodes."""
    if error.source_error is not None:
        return f"error: {error.source_error}"
    if error.report is not None:
        return render_report(error.report).rstrip("\n")
    if error.checks is not None:
        return f"quality checks: {error.checks.defects} defect(s)\n{error.checks.to_text()}"
    culprits = error.inconsistency.culprits if error.inconsistency is not None else ()
    lines = [f"inconsistent: {len(culprits)} culprit(s)"]
    lines += [f"  {culprit}" for culprit in culprits]
    return "\n".join(lines)


def render_solutions(solutions: ox.QuerySolutions, show_iri: Callable[[str], str]) -> str:
    """SELECT results as a text table; IRIs through ``show_iri``, unbound cells empty."""
    names = [variable.value for variable in solutions.variables]
    rows = [[_cell(solution[name], show_iri) for name in names] for solution in solutions]
    return render_table(names, rows)


def _cell(term: object, show_iri: Callable[[str], str]) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return show_iri(term.value)
    return str(term)


def render_settings(docs: Sequence[OptionDoc]) -> str:
    """The settings as a Markdown table (the README embeds this output)."""

    def cell(text: str) -> str:
        return text.replace("*", "\\*").replace("|", "\\|")

    def flag(doc: OptionDoc) -> str:
        return "—" if doc.flag is None else f"`{doc.flag}`"  # env-only: no flag sets it

    rows = [f"| {flag(d)} | `{d.env}` | {cell(d.default)} | {cell(d.help)} |" for d in docs]
    return "\n".join(["| flag | environment | default | meaning |", "|---|---|---|---|", *rows])
