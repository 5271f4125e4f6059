"""Every SPARQL query the README prints (fenced ``sparql`` blocks and the queries of its ``curl``
examples against ``/sparql``) runs on the shipped graph through the app's ``/sparql`` as printed
and answers 200 with a non-empty result, so that the docs cannot rot."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from secgraph.build.pipeline import BuiltGraph
from secgraph.config import Settings
from secgraph.web import create_app
from servers import oxigraph_command, oxigraph_server

REPOSITORY = Path(__file__).parents[1]
README = REPOSITORY / "README.md"
WIKIDATA = "https://query.wikidata.org/sparql"
STAND_IN = Path(__file__).parent / "fixtures" / "federation" / "wikidata-stand-in.ttl"


@dataclass
class Example:
    """One query of the README as a request: method, form or URL fields, headers, raw body."""

    where: str
    method: str = "GET"
    fields: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None

    @property
    def query(self) -> str:
        if self.body is not None:
            return self.body
        return next(value for name, value in self.fields if name == "query")


def _curl_commands(text: str) -> Iterator[tuple[int, str]]:
    """Each ``curl`` command of the README with its line: inline (in backticks) or in a fenced
    shell block, where a quoted argument may run over several lines."""
    lines = text.splitlines()
    in_shell = False
    pending: list[str] = []
    start = 0
    for number, line in enumerate(lines, 1):
        if line.startswith("```"):
            in_shell = line.strip() in ("```sh", "```bash", "```console") and not in_shell
            pending = []
            continue
        if in_shell and (pending or line.lstrip().startswith("curl ")):
            if not pending:
                start = number
            pending.append(line)
            command = "\n".join(pending)
            try:
                shlex.split(command)
            except ValueError:  # a quote still open: the command goes on
                continue
            pending = []
            yield start, command
        elif not in_shell:
            for match in re.finditer(r"`(curl [^`]+)`", line):
                yield number, match.group(1)


def _example(number: int, command: str) -> Example | None:
    """The request a ``curl`` command sends to ``/sparql`` with a query, else None."""
    words = shlex.split(command)
    url = next((w for w in words if w.startswith("http")), "")
    if urlsplit(url).path != "/sparql":
        return None
    example = Example(where=f"README.md:{number}")
    form = False
    words = iter(words[1:])
    for word in words:
        if word == "-G":
            example.method = "GET"
        elif word == "-I":
            example.method = "HEAD"
        elif word == "-X":
            example.method = next(words)
        elif word == "-H":
            name, _, value = next(words).partition(":")
            example.headers[name.strip()] = value.strip()
        elif word in ("--data-urlencode", "-d", "--data"):
            name, _, value = next(words).partition("=")
            example.fields.append((name, value))
            form = True
        elif word == "--data-binary":
            example.body = next(words)
    if example.body is None and not any(name == "query" for name, _ in example.fields):
        return None  # the service description, an OPTIONS preflight: no query
    if example.method == "GET" and "-G" not in command and "-I" not in command and form:
        example.method = "POST"
    if example.body is not None and "-X" not in command:
        example.method = "POST"
    return example


def readme_examples() -> list[Example]:
    text = README.read_text(encoding="utf-8")
    examples = [e for n, c in _curl_commands(text) if (e := _example(n, c)) is not None]
    for match in re.finditer(r"```sparql\n(.*?)```", text, re.S):
        number = text.count("\n", 0, match.start()) + 1
        examples.append(Example(where=f"README.md:{number}", fields=[("query", match.group(1))]))
    return examples


EXAMPLES = readme_examples()


def test_the_readme_has_its_examples() -> None:
    # The route table alone has eight /sparql queries; the data model, search and linking
    # sections add their own.
    assert len(EXAMPLES) >= 12, [e.where for e in EXAMPLES]


@pytest.fixture(scope="module")
def stand_in(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An Oxigraph server on 127.0.0.1 standing in for Wikidata (the federated example)."""
    location = tmp_path_factory.mktemp("readme-wikidata-stand-in")
    load = [oxigraph_command(), "load", "--location", str(location), "--file", str(STAND_IN)]
    subprocess.run(load, check=True, capture_output=True)
    with oxigraph_server(location) as base:
        yield f"{base}/query"


def _client(built: BuiltGraph, allowlist: tuple[str, ...] = ()) -> FlaskClient:
    settings = Settings(root=REPOSITORY, federation_allowlist=allowlist)
    return create_app(settings, built.store).test_client()


def _send(client: FlaskClient, example: Example, endpoint: str | None = None) -> tuple[int, str]:
    def fix(query: str) -> str:
        # Sent as printed: /sparql predeclares the prefixes of secgraph.namespaces.PREFIXES.
        return query.replace(WIKIDATA, endpoint) if endpoint else query

    headers = dict(example.headers)
    if example.body is not None:
        response = client.open(
            "/sparql", method=example.method, data=fix(example.body).encode(), headers=headers
        )
    else:
        fields = [(n, fix(v) if n == "query" else v) for n, v in example.fields]
        if example.method in ("GET", "HEAD"):
            response = client.open(
                "/sparql", method=example.method, query_string=fields, headers=headers
            )
        else:
            response = client.open(
                "/sparql", method=example.method, data=MultiDict(fields), headers=headers
            )
    return response.status_code, response.get_data(as_text=True)


def _non_empty(body: str) -> bool:
    """A result with something in it: JSON bindings or a boolean, else (CSV, RDF) a header or
    prefix block plus at least one line of data."""
    try:
        document = json.loads(body)
    except ValueError:
        lines = [line for line in body.splitlines() if line.strip()]
        return len([line for line in lines if not line.startswith("@prefix")]) >= 2
    return "boolean" in document or bool(document["results"]["bindings"])


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.where for e in EXAMPLES])
def test_readme_query_runs_as_printed(
    example: Example, shipped_built: BuiltGraph, request: pytest.FixtureRequest
) -> None:
    endpoint = None
    if "SERVICE" in example.query.upper():
        endpoint = request.getfixturevalue("stand_in")
    client = _client(shipped_built, (endpoint,) if endpoint else ())
    status, body = _send(client, example, endpoint)
    assert status == 200, f"{example.where}: {status} {body[:500]}"
    if example.method != "HEAD":
        assert _non_empty(body), f"{example.where}: empty answer {body[:300]}"
