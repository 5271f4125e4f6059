"""Every setting in one frozen object: defaults <- environment <- flags; no I/O but finding root."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import MISSING, dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from secgraph.namespaces import DBPEDIA_SPARQL, WIKIDATA_SPARQL

ENV_PREFIX = "SECGRAPH_"
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
REASONERS = ("fast", "owlrl")
_DEFAULT_CACHE = Path("var/cache")


def packaged_project() -> Path:
    """Where an installed wheel keeps the shipped project (setup.py copies it there); an
    editable install or a checkout has none."""
    return Path(str(resources.files("secgraph") / "project"))


def find_root(start: Path | None = None) -> Path:
    """Return the nearest directory holding ``ontology/``: from ``start`` (CWD) upwards, then
    the project an installed wheel carries, then beside the package (an editable install of
    the repository); else ``start`` itself."""
    here = (start or Path.cwd()).resolve()
    package_dir = Path(__file__).resolve().parent
    for candidate in (here, *here.parents, packaged_project(), *package_dir.parents):
        if (candidate / "ontology").is_dir():
            return candidate
    return here


def user_cache_dir() -> Path:
    """The per-user cache directory (XDG Base Directory: $XDG_CACHE_HOME, else ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "secgraph"


def parse_bool(text: str) -> bool:
    """Parse a boolean environment value (1/0, true/false, yes/no, on/off)."""
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"not a boolean: {text!r}")


def _optional_path(text: str) -> Path | None:
    return Path(text) if text else None


def _optional_str(text: str) -> str | None:
    return text or None


def normalize_public_url(url: str) -> str:
    """Check that ``url`` is an absolute http(s) URL and end it with one slash."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"public_url must be an absolute http(s) URL, not {url!r}")
    return url.rstrip("/") + "/"


def check_endpoint_url(url: str, *, setting: str) -> str:
    """Check that ``url``, the value of ``setting``, is an absolute http(s) URL without a
    fragment; return it unchanged."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.fragment:
        raise ValueError(f"{setting} must be an absolute http(s) URL, not {url!r}")
    return url


def _url_list(text: str) -> tuple[str, ...]:
    """Split a comma-separated list of endpoint URLs, checking each one."""
    urls = tuple(url.strip() for url in text.split(",") if url.strip())
    for url in urls:
        check_endpoint_url(url, setting="federation_allowlist")
    return urls


DEFAULT_FEDERATION_ALLOWLIST = (WIKIDATA_SPARQL, DBPEDIA_SPARQL)
"""Endpoints SERVICE may reach by default: Wikidata's and DBpedia's query services. GeoNames runs
no SPARQL endpoint of its own; Wikidata's holds GeoNames ids (property P1566)."""


def _doc(
    text: str, parse: Callable[[str], Any], shown: str = "", *, flag: bool = True
) -> dict[str, Any]:
    """Field metadata of one setting: one-line help, how to parse it from a string, how to
    show its default when that is computed, and whether a command-line flag sets it (else it
    is read from the environment only)."""
    return {"help": text, "parse": parse, "shown": shown, "flag": flag}


@dataclass(frozen=True)
class Settings:
    """All options. Relative directories are taken relative to ``root``."""

    root: Path = field(
        default_factory=find_root,
        metadata=_doc(
            "Project directory holding ontology/, data/ and shapes/.",
            Path,
            shown="nearest directory with ontology/",
        ),
    )
    ontology_dir: Path = field(
        default=Path("ontology"), metadata=_doc("Directory of ontology *.ttl files.", Path)
    )
    data_dir: Path = field(
        default=Path("data"), metadata=_doc("Directory of instance data *.trig and *.ttl.", Path)
    )
    shapes_dir: Path = field(
        default=Path("shapes"), metadata=_doc("Directory of SHACL shapes *.ttl.", Path)
    )
    sources_dir: Path = field(
        default=Path("sources"),
        metadata=_doc(
            "Directory of the source documents' texts, <local name>.txt: the build checks each"
            " one's sg:sha256 and every quote against them (not checked when it is missing).",
            Path,
            flag=False,
        ),
    )
    checks_dir: Path = field(
        default=Path("ontology/checks"),
        metadata=_doc(
            "Directory of quality-control queries *-violation.rq (rows = defects).",
            Path,
            flag=False,
        ),
    )
    queries_dir: Path = field(
        default=Path("queries"),
        metadata=_doc(
            "Directory of named example queries *.rq, offered on the web pages.", Path, flag=False
        ),
    )
    store_path: Path | None = field(
        default=None,
        metadata=_doc(
            "On-disk store directory, reused while sources are unchanged; unset: in memory.",
            _optional_path,
        ),
    )
    host: str = field(default="127.0.0.1", metadata=_doc("Address the server binds to.", str))
    port: int = field(default=8000, metadata=_doc("TCP port the server listens on.", int))
    workers: int = field(default=2, metadata=_doc("Number of server worker processes.", int))
    data_file: Path | None = field(
        default=None,
        metadata=_doc(
            "Serve this RDF dataset file as-is instead of building the project graph.",
            _optional_path,
        ),
    )
    union_default_graph: bool = field(
        default=True,
        metadata=_doc(
            "Query the union of all graphs as default graph (default: off with data_file).",
            parse_bool,
        ),
    )
    public_url: str | None = field(
        default=None,
        metadata=_doc(
            "Absolute URL this deployment is served at, for absolute links; unset: the request's.",
            _optional_str,
        ),
    )
    store_url: str | None = field(
        default=None,
        metadata=_doc(
            "SPARQL query endpoint of a server to serve from (no local build) and to publish to.",
            _optional_str,
        ),
    )
    writes_enabled: bool = field(
        default=False,
        metadata=_doc(
            "Accept SPARQL Update and Graph Store writes (token, store_path, workers=1 needed).",
            parse_bool,
        ),
    )
    write_token: str | None = field(
        default=None,
        repr=False,  # a secret: never in reprs, logs or tracebacks
        metadata=_doc(
            "Bearer token writes must present; set it in the environment only, never as a flag.",
            _optional_str,
            flag=False,
        ),
    )
    reasoner: str = field(
        default="fast",
        metadata=_doc(
            "OWL 2 RL engine: fast (rules in pyoxigraph; owlrl where they do not apply) or owlrl.",
            str,
            flag=False,
        ),
    )
    result_cache_size: int = field(
        default=256,
        metadata=_doc(
            "Query answers /sparql keeps per worker (keyed by data version); 0: off.",
            int,
            flag=False,
        ),
    )
    bench_floor: bool = field(
        default=False,
        metadata=_doc(
            "Serve GET /bench/floor, a constant answer: the server floor bench/endpoint measures.",
            parse_bool,
            flag=False,
        ),
    )
    cache_dir: Path | None = field(
        default=_DEFAULT_CACHE,
        metadata=_doc(
            "Directory for generated caches (the ontology's OWL RL closure, metrics); unset: no"
            " cache. For the project an installed package carries: $XDG_CACHE_HOME/secgraph.",
            _optional_path,
            flag=False,
        ),
    )

    federation_allowlist: tuple[str, ...] = field(
        default=DEFAULT_FEDERATION_ALLOWLIST,
        metadata=_doc(
            "Comma-separated SPARQL endpoints SERVICE may query; any other is refused.",
            _url_list,
            shown=", ".join(DEFAULT_FEDERATION_ALLOWLIST),
            flag=False,
        ),
    )
    federation_timeout: float = field(
        default=10.0,
        metadata=_doc(
            "Seconds to wait for a SERVICE endpoint before giving up.", float, flag=False
        ),
    )
    federation_row_cap: int = field(
        default=10000,
        metadata=_doc("Most rows a SERVICE block may bring in; more is an error.", int, flag=False),
    )

    query_timeout: float = field(
        default=10.0,
        metadata=_doc("Seconds a query may run before it is stopped (answered 503).", float),
    )
    query_processes: int = field(
        default=2,
        metadata=_doc("Query processes per server worker (each runs one query at a time).", int),
    )
    query_memory_mb: int = field(
        default=2048,
        metadata=_doc(
            "MiB a query process may allocate; past it the query is stopped (503), 0: no limit.",
            int,
        ),
    )
    query_max_nesting: int = field(
        default=256,
        metadata=_doc(
            "Deepest bracket nesting (or run of prefix operators) a query or update may hold.",
            int,
        ),
    )
    threads: int = field(default=8, metadata=_doc("Request threads per server worker.", int))
    max_result_rows: int = field(
        default=10_000,
        metadata=_doc("Rows (SELECT) or triples (CONSTRUCT) a result keeps; more are cut.", int),
    )
    max_body_bytes: int = field(
        default=10 * 1024 * 1024,
        metadata=_doc("Largest request body accepted (larger: 413).", int),
    )
    max_query_string_bytes: int = field(
        default=8000,
        metadata=_doc("Longest URL query string accepted, at most 8000 (longer: 414).", int),
    )

    def __post_init__(self) -> None:
        # Frozen dataclass: normalizing in place is the documented idiom (object.__setattr__).
        root = Path(self.root).resolve()
        object.__setattr__(self, "root", root)
        if self.cache_dir == _DEFAULT_CACHE and root == packaged_project().resolve():
            # An installed package's folder may be read-only and is shared by every user.
            object.__setattr__(self, "cache_dir", user_cache_dir())
        for name in (
            "ontology_dir",
            "data_dir",
            "shapes_dir",
            "sources_dir",
            "checks_dir",
            "queries_dir",
            "store_path",
            "data_file",
            "cache_dir",
        ):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, (root / value).resolve())
        if not 0 < self.port < 65536:
            raise ValueError(f"port must be within 1..65535, not {self.port}")
        if self.workers < 1:
            raise ValueError(f"workers must be at least 1, not {self.workers}")
        if self.result_cache_size < 0:
            raise ValueError(f"result_cache_size must be 0 or more, not {self.result_cache_size}")
        if self.reasoner not in REASONERS:
            raise ValueError(
                f"reasoner must be one of {', '.join(REASONERS)}, not {self.reasoner!r}"
            )
        check_limits(self)
        if self.public_url is not None:
            object.__setattr__(self, "public_url", normalize_public_url(self.public_url))
        if self.store_url is not None:
            check_endpoint_url(self.store_url, setting="store_url")
        allowlist: object = self.federation_allowlist
        if isinstance(allowlist, str):  # given in code as one string, not a tuple
            object.__setattr__(self, "federation_allowlist", _url_list(allowlist))
        if self.federation_timeout <= 0 or self.federation_row_cap < 1:
            raise ValueError("federation_timeout must be positive and federation_row_cap >= 1")
        if self.writes_enabled:
            check_writes(self)


def check_writes(settings: Settings) -> None:
    """Refuse settings under which accepted writes could be lost or unseen."""
    if not settings.write_token:
        raise ValueError(f"writes_enabled needs a token: set {env_name('write_token')}")
    if settings.store_path is None:
        raise ValueError("writes_enabled needs store_path: accepted writes are kept on disk")
    if settings.workers != 1:
        # The writer serves its own in-memory copy; other workers would not see its writes.
        raise ValueError(f"writes_enabled needs workers=1, not {settings.workers}")
    if settings.store_url is not None or settings.data_file is not None:
        raise ValueError("writes_enabled needs the project build: not with store_url or data_file")


def check_limits(settings: Settings) -> None:
    """Raise ValueError for a limit that could not work."""
    if settings.query_memory_mb < 0:
        raise ValueError(f"query_memory_mb must be 0 or more, not {settings.query_memory_mb}")
    if not 16 <= settings.query_max_nesting <= 4096:
        raise ValueError(
            f"query_max_nesting must be within 16..4096, not {settings.query_max_nesting}"
        )
    if not settings.query_timeout > 0:
        raise ValueError(f"query_timeout must be positive, not {settings.query_timeout}")
    for name in ("query_processes", "threads", "max_result_rows", "max_body_bytes"):
        if getattr(settings, name) < 1:
            raise ValueError(f"{name} must be at least 1, not {getattr(settings, name)}")
    # gunicorn refuses request lines over 8190 bytes with a bare 400 before the app sees them.
    if not 0 < settings.max_query_string_bytes <= 8000:
        raise ValueError(
            f"max_query_string_bytes must be within 1..8000, not {settings.max_query_string_bytes}"
        )


@dataclass(frozen=True)
class OptionDoc:
    """How one setting is documented: in ``--help``, in the README and by ``secgraph settings``."""

    name: str
    env: str
    default: str
    help: str
    env_only: bool = False
    """No command-line flag sets it (a secret would show in the process list, or none is
    declared yet): only its environment variable does."""

    @property
    def flag(self) -> str | None:
        return None if self.env_only else "--" + self.name.replace("_", "-")


def env_name(name: str) -> str:
    """Environment variable of a setting: ``SECGRAPH_<NAME>``."""
    return ENV_PREFIX + name.upper()


def option_docs() -> Iterator[OptionDoc]:
    """Yield the documentation of every setting, in declaration order."""
    for item in fields(Settings):
        default = "" if item.default is MISSING else item.default
        if isinstance(default, bool):
            default = "on" if default else "off"
        shown = item.metadata["shown"] or ("unset" if default is None else str(default))
        yield OptionDoc(
            item.name,
            env_name(item.name),
            shown,
            item.metadata["help"],
            env_only=not item.metadata["flag"],
        )


def option_help(name: str) -> str:
    """The one-line help of a setting, for generated CLI flags."""
    return next(doc.help for doc in option_docs() if doc.name == name)


def settings_from_env(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Build Settings from defaults <- ``SECGRAPH_*`` variables <- ``overrides`` (None = not given).

    ``union_default_graph`` defaults to off when a ``data_file`` is served, because a dataset
    file brings its own default graph (SPARQL 1.1 Query §13.2).
    """
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for item in fields(Settings):
        raw = environ.get(env_name(item.name))
        if raw is not None:
            try:
                values[item.name] = item.metadata["parse"](raw)
            except ValueError as error:
                raise ValueError(f"{env_name(item.name)}: {error}") from None
    values.update({key: value for key, value in (overrides or {}).items() if value is not None})
    unknown = set(values) - {item.name for item in fields(Settings)}
    if unknown:
        raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
    if values.get("data_file") is not None:
        values.setdefault("union_default_graph", False)
    return Settings(**values)
