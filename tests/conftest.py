"""Fixture ladder: settings -> built graph (once per session) -> app -> client."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from flask import Flask
from flask.testing import FlaskClient

from paths import TESTS
from secgraph.build.pipeline import BuiltGraph, build
from secgraph.config import ENV_PREFIX, Settings
from secgraph.namespaces import PREFIXES
from secgraph.web import create_app

FIXTURE_PROJECT = Path(__file__).parent / "fixtures" / "project"

# Four-way cross product of every triple: |G|^4 rows to count, far beyond any time limit here.
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(autouse=True)
def _no_secgraph_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see only the settings they set: SECGRAPH_* variables of the caller are removed."""
    for name in list(os.environ):
        if name.startswith(ENV_PREFIX):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(root=FIXTURE_PROJECT)


@pytest.fixture(scope="session")
def built(settings: Settings) -> BuiltGraph:
    return build(settings)


@pytest.fixture(scope="session")
def shipped_built() -> BuiltGraph:
    """The shipped project's graph (real ontology/, data/, shapes/), built once per session.

    Shared with test_content, which builds it for its own checks: the same cached build, not a
    second one.
    """
    return _test_content()._built("shipped")


def _test_content() -> ModuleType:
    """tests/build/test_content.py under the name pytest gives it, so its build cache is shared."""
    name = "test_content"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, TESTS / "build" / "test_content.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture
def app(settings: Settings, built: BuiltGraph) -> Flask:
    return create_app(settings, built.store)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A writable copy of the fixture project, for tests that break it."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE_PROJECT, root)
    return root


TURTLE_PREFIXES = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in PREFIXES.items())
"""Prefix directives for every PREFIXES entry, for Turtle and TriG snippets written by tests."""

AddFile = Callable[..., Path]


@pytest.fixture
def add_file(project: Path) -> AddFile:
    """Write a file into the copied project; Turtle/TriG snippets get TURTLE_PREFIXES first."""

    def add(relative: str, body: str, *, prefixes: bool = True) -> Path:
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text((TURTLE_PREFIXES if prefixes else "") + body, encoding="utf-8")
        return path

    return add


CITED_SOURCES = Path(__file__).parent / "fixtures" / "cited" / "sources.trig"
"""A source document and a cited fact node, added to a copy of the fixture project."""


@pytest.fixture(scope="session")
def cited_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The fixture project plus fixtures/cited (a source document for graph:dialogue-2008 and a
    membership citing it), in a copy, so that the project's own counts stay as written."""
    root = tmp_path_factory.mktemp("cited") / "project"
    shutil.copytree(FIXTURE_PROJECT, root)
    shutil.copy(CITED_SOURCES, root / "data" / CITED_SOURCES.name)
    return Settings(root=root)


@pytest.fixture(scope="session")
def cited_built(cited_settings: Settings) -> BuiltGraph:
    return build(cited_settings)


@pytest.fixture
def cited_app(cited_settings: Settings, cited_built: BuiltGraph) -> Flask:
    return create_app(cited_settings, cited_built.store)


@pytest.fixture
def cited_client(cited_app: Flask) -> FlaskClient:
    return cited_app.test_client()
