"""The command line: thin commands over pipeline.build and the store; prints, never computes."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import click
import pyoxigraph as ox

from secgraph import __version__
from secgraph.build.pipeline import BuildError, BuiltGraph, build
from secgraph.build.report import (
    render_build_error,
    render_check,
    render_settings,
    render_solutions,
    render_table,
)
from secgraph.config import Settings, env_name, option_docs, option_help, settings_from_env
from secgraph.describe import links
from secgraph.describe.jsonld import JsonLdWriter, dump_jsonld
from secgraph.namespaces import INFERRED_GRAPH, shorten
from secgraph.progress import BuildProgress
from secgraph.sparql.client import RemoteError
from secgraph.store.embedded import Store
from secgraph.store.publish import Endpoints, PublishError, PublishReport, publish
from secgraph.store.remote import RemoteStore

EXIT_OK, EXIT_INVALID, EXIT_SOURCE, EXIT_USAGE, EXIT_REMOTE = 0, 1, 2, 64, 69
EXIT_CODES = (
    "Exit codes: 0 success; 1 SHACL violations or OWL inconsistency; "
    "2 syntax or source error (file:line:column); 64 usage error; "
    "69 SPARQL server unreachable, failing, or not holding what was published."
)
RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}
F = TypeVar("F", bound=Callable[..., Any])
_QUIET = "secgraph.quiet"


def setting_option(name: str, *flags: str, **kwargs: Any) -> Callable[[F], F]:
    """A flag for setting ``name``; its help comes from config, its default from the environment."""
    declared = flags or ("--" + name.replace("_", "-"),)
    help_text = f"{option_help(name)} [env: {env_name(name)}]"
    return click.option(*declared, name, default=None, help=help_text, **kwargs)


PATH = click.Path(path_type=Path)


@click.group(epilog=EXIT_CODES, context_settings={"help_option_names": ["-h", "--help"]})
@setting_option("root", type=PATH)
@setting_option("ontology_dir", type=PATH)
@setting_option("data_dir", type=PATH)
@setting_option("shapes_dir", type=PATH)
@click.option(
    "--quiet", "-q", is_flag=True, help="No progress bar or step timings on stderr (for scripts)."
)
@click.version_option(__version__, prog_name="secgraph")
@click.pass_context
def cli(ctx: click.Context, /, quiet: bool, **project: Any) -> None:
    """secgraph: build, check, query and serve the US - Central America security graph."""
    ctx.obj = project
    ctx.meta[_QUIET] = quiet


def _settings(ctx: click.Context, **overrides: Any) -> Settings:
    try:
        return settings_from_env({**ctx.obj, **overrides})
    except (ValueError, TypeError) as error:
        raise click.UsageError(str(error), ctx) from None


def _build(ctx: click.Context, settings: Settings) -> BuiltGraph:
    """Build with progress on stderr (unless --quiet), or print why not and exit 1 (invalid)
    or 2 (source error)."""
    try:
        with BuildProgress(quiet=ctx.meta.get(_QUIET, False)) as progress:
            return build(settings, on_step=progress)
    except BuildError as error:
        click.echo(render_build_error(error), err=True)
        ctx.exit(EXIT_SOURCE if error.source_error is not None else EXIT_INVALID)
        raise  # unreachable: ctx.exit raises


@cli.command(epilog=EXIT_CODES)
@click.pass_context
def check(ctx: click.Context) -> None:
    """Load, reason and validate; print counts, timings and SHACL results."""
    # A check always recomputes everything: no warm start from an on-disk store.
    built = _build(ctx, replace(_settings(ctx), store_path=None))
    click.echo(render_check(built))


@cli.command("build", epilog=EXIT_CODES)
@click.option("--out", "out", type=PATH, required=True, help="File to write.")
@click.option(
    "--format",
    "format_name",
    type=click.Choice(["trig", "nquads"]),
    default=None,
    help="Dataset format [default: from the --out extension, else trig].",
)
@setting_option("store_path", type=PATH)
@click.pass_context
def build_command(ctx: click.Context, out: Path, format_name: str | None, store_path: Any) -> None:
    """Write the materialized dataset: asserted graphs plus the inferred graph."""
    built = _build(ctx, _settings(ctx, store_path=store_path))
    name = format_name or ("nquads" if out.suffix == ".nq" else "trig")
    out.write_bytes(built.store.dump(RDF_FORMATS[name]))
    if not ctx.meta.get(_QUIET, False):
        click.echo(f"wrote {out} ({name})", err=True)


@cli.command(epilog=EXIT_CODES)
@click.argument("query_or_file")
@click.option(
    "--format",
    "format_name",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Result format for SELECT/ASK (CONSTRUCT/DESCRIBE print Turtle).",
)
@setting_option("store_path", type=PATH)
@click.pass_context
def query(ctx: click.Context, query_or_file: str, format_name: str, store_path: Any) -> None:
    """Run a SPARQL query (text, or a .rq file) against the built graph."""
    text = _query_text(query_or_file)
    built = _build(ctx, _settings(ctx, store_path=store_path))
    try:
        result = built.store.query(text)
        output = _format_result(result, format_name)
    except SyntaxError as error:
        click.echo(f"query syntax error: {error}", err=True)
        ctx.exit(EXIT_SOURCE)
    click.echo(output, nl=False)


def _query_text(query_or_file: str) -> str:
    """The argument itself, or the content of the file it names."""
    try:
        is_file = Path(query_or_file).is_file()
    except OSError:  # e.g. a query longer than a file name may be
        is_file = False
    return Path(query_or_file).read_text(encoding="utf-8") if is_file else query_or_file


def _format_result(result: Any, format_name: str) -> bytes | str:
    if isinstance(result, ox.QueryBoolean):
        if format_name == "json":
            return result.serialize(format=ox.QueryResultsFormat.JSON) or b""
        return ("true" if bool(result) else "false") + "\n"
    if isinstance(result, ox.QuerySolutions):
        if format_name == "table":
            return render_solutions(result, shorten)
        chosen = ox.QueryResultsFormat.CSV if format_name == "csv" else ox.QueryResultsFormat.JSON
        return result.serialize(format=chosen) or b""
    return ox.serialize(result, format=ox.RdfFormat.TURTLE) or b""


@cli.command(epilog=EXIT_CODES)
@click.option(
    "--format",
    "format_name",
    type=click.Choice(list(RDF_FORMATS)),
    default="turtle",
    show_default=True,
    help="Serialization; graph-only formats merge all graphs.",
)
@click.option("--asserted-only", is_flag=True, help="Leave out the inferred graph.")
@click.option("--out", "out", type=PATH, default=None, help="File to write [default: stdout].")
@setting_option("store_path", type=PATH)
@click.pass_context
def export(
    ctx: click.Context, format_name: str, asserted_only: bool, out: Path | None, store_path: Any
) -> None:
    """Export the graph as RDF."""
    settings = _settings(ctx, store_path=store_path)
    built = _build(ctx, settings)
    excluded = [str(INFERRED_GRAPH)] if asserted_only else []
    if format_name == "jsonld":  # compacted with the versioned context (secgraph.describe.jsonld)
        writer = JsonLdWriter.for_ontology(settings.ontology_dir)
        data = dump_jsonld(built.store, writer, excluded)
    else:
        data = built.store.dump(RDF_FORMATS[format_name], exclude_graphs=excluded)
    if out is None:
        click.echo(data, nl=False)
    else:
        out.write_bytes(data)


@cli.command(epilog=EXIT_CODES)
@setting_option("host")
@setting_option("port", type=int)
@setting_option("workers", type=int)
@setting_option("store_path", type=PATH)
@setting_option(
    "data_file", "--data", "--data-file", type=click.Path(dir_okay=False, path_type=Path)
)
@setting_option("union_default_graph", "--union-default-graph/--no-union-default-graph")
@setting_option("store_url", metavar="URL")
@setting_option("writes_enabled", "--writes-enabled/--no-writes-enabled")
@setting_option("query_timeout", type=float)
@setting_option("query_processes", type=int)
@setting_option("query_memory_mb", type=int)
@setting_option("query_max_nesting", type=int)
@setting_option("threads", type=int)
@setting_option("max_result_rows", type=int)
@setting_option("max_body_bytes", type=int)
@setting_option("max_query_string_bytes", type=int)
@setting_option("public_url", metavar="URL")
@click.pass_context
def serve(ctx: click.Context, /, **server: Any) -> None:
    """Serve /sparql with gunicorn; the graph is built once, before workers fork, or read from
    the SPARQL server at --store-url."""
    from secgraph.web import create_app
    from secgraph.web.server import run

    settings = _settings(ctx, **server)
    store: Store
    if settings.store_url is not None:
        store = _open_remote(ctx, settings.store_url, settings.union_default_graph)
    elif settings.writes_enabled:
        store = _open_writable(ctx, settings)
    else:
        built = _build(ctx, settings)
        click.echo(render_check(built), err=True)
        store = built.store
    run(settings, create_app(settings, store), store)


def _open_writable(ctx: click.Context, settings: Settings) -> Store:
    """The store with its edit journal replayed; or exit 1/2 saying which edit broke what."""
    from secgraph.write.writable import open_writable

    try:
        store = open_writable(settings)
    except BuildError as error:
        click.echo("the sources with the edit journal replayed do not build:", err=True)
        click.echo(render_build_error(error), err=True)
        ctx.exit(EXIT_SOURCE if error.source_error is not None else EXIT_INVALID)
        raise  # unreachable: ctx.exit raises
    click.echo(f"writes enabled: /update and /data; store {settings.store_path}", err=True)
    return store


def _open_remote(ctx: click.Context, url: str, union_default_graph: bool) -> RemoteStore:
    """A RemoteStore that answered, after printing its graphs; or exit 69 saying why not."""
    store = RemoteStore(url, union_default_graph=union_default_graph)
    try:
        sizes, version = store.graph_sizes(), store.version
    except (RemoteError, SyntaxError) as error:
        click.echo(f"error: {error}", err=True)
        ctx.exit(EXIT_REMOTE)
        raise  # unreachable: ctx.exit raises
    rows = [(shorten(name), str(size)) for name, size in sizes.items()]
    click.echo(render_table(("graph", "triples"), rows) + f"store: {url} ({version})", err=True)
    return store


@cli.command("publish", epilog=EXIT_CODES)
@setting_option("store_url", "--to", "--store-url", metavar="URL")
@click.option(
    "--graph-store",
    metavar="URL",
    help="Graph Store Protocol endpoint [default: store beside --to].",
)
@click.option(
    "--update", metavar="URL", help="SPARQL Update endpoint [default: update beside --to]."
)
@click.option(
    "--via",
    type=click.Choice(["gsp", "update"]),
    default="gsp",
    show_default=True,
    help="Replace each graph by a Graph Store Protocol PUT or by one SPARQL Update request.",
)
@click.pass_context
def publish_command(
    ctx: click.Context, store_url: Any, graph_store: str | None, update: str | None, via: str
) -> None:
    """Build, replace every graph on a SPARQL server with the build's, verify the counts."""
    settings = _settings(ctx, store_url=store_url)
    if settings.store_url is None:
        raise click.UsageError("publish needs --to URL (or SECGRAPH_STORE_URL)", ctx)
    built = _build(ctx, settings)
    endpoints = Endpoints.beside(settings.store_url, graph_store=graph_store, update=update)
    try:
        report = publish(built.store, endpoints, via=via)
    except (RemoteError, PublishError) as error:
        click.echo(f"error: {error}", err=True)
        ctx.exit(EXIT_REMOTE)
    except ValueError as error:  # e.g. a --data file with triples outside named graphs
        click.echo(f"error: {error}", err=True)
        ctx.exit(EXIT_SOURCE)
    click.echo(_render_publication(report))


def _render_publication(report: PublishReport) -> str:
    rows = [(shorten(name), str(size)) for name, size in sorted(report.graphs.items())]
    lines = [f"removed stale graph {shorten(name)}" for name in report.removed]
    target = report.endpoints.graph_store if report.via == "gsp" else report.endpoints.update
    lines.append(
        f"published {len(report.graphs)} graphs, {report.triples} triples, to {target} "
        f"(via {report.via}); counts verified at {report.endpoints.query}; version {report.version}"
    )
    return render_table(("graph", "triples"), rows) + "\n".join(lines)


@cli.command("links", epilog=EXIT_CODES)
@click.option(
    "--format",
    "format_name",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@setting_option("store_path", type=PATH)
@click.pass_context
def links_command(ctx: click.Context, format_name: str, store_path: Any) -> None:
    """Report links to other open-data graphs: entities with and without one by class, and
    links per target graph."""
    store = _build(ctx, _settings(ctx, store_path=store_path)).store
    coverage, counts = links.count_coverage(store), links.count_links(store)
    if format_name == "json":
        click.echo(links.coverage_json(coverage, counts))
    else:
        click.echo(links.render_coverage(coverage, counts), nl=False)


@cli.command("settings")
def settings_command() -> None:
    """Print every setting: flag, environment variable, default and help (Markdown table)."""
    click.echo(render_settings(list(option_docs())))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (usage errors give 64, not click's 2)."""
    try:
        code = cli.main(args=argv, prog_name="secgraph", standalone_mode=False)
    except click.UsageError as error:
        error.show(file=sys.stderr)
        return EXIT_USAGE
    except click.ClickException as error:
        error.show(file=sys.stderr)
        return error.exit_code
    except click.Abort:
        return EXIT_INVALID
    return code if isinstance(code, int) else EXIT_OK
