"""Installed as a user would: the wheel built from this checkout, installed into a fresh virtual
environment, runs `check`, `query`, `export` and `serve` from an empty directory, serving the
graph the wheel carries, the same as the checkout's; it writes nothing where it is run."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest

from paths import REPOSITORY
from servers import free_port, running

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
MEMBERS = (
    "SELECT ?m WHERE { <https://w3id.org/secgraph/id/sica> "
    "<http://www.w3.org/ns/org#hasMember> ?m } ORDER BY ?m"
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``secgraph`` command of a fresh environment holding only the wheel; its
    dependencies come from this environment's site-packages (a path, not an install)."""
    scratch = tmp_path_factory.mktemp("install")
    wheels = scratch / "wheels"
    pip = [sys.executable, "-m", "pip"]
    _run(*pip, "wheel", str(REPOSITORY), "--no-deps", "--no-build-isolation", "-w", str(wheels))
    environment = scratch / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", str(environment))
    python = environment / "bin" / "python"
    purelib = _run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    Path(purelib.strip(), "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    (wheel,) = wheels.glob("secgraph-*.whl")
    _run(*pip, "--python", str(python), "install", "--no-deps", str(wheel))
    return environment / "bin" / "secgraph"


@pytest.fixture
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory, and a home and cache of its own."""
    work = tmp_path / "work"
    work.mkdir()
    for name in [key for key in os.environ if key.startswith("SECGRAPH_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(work)
    return work


def _run(*args: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _checkout(*args: str) -> str:
    return _run(sys.executable, "-m", "secgraph", "--root", str(REPOSITORY), *args)


def test_check_query_and_export_from_an_empty_directory(installed: Path, empty: Path) -> None:
    _run(str(installed), "check")
    for query in (COUNT, MEMBERS):
        assert _run(str(installed), "query", query) == _checkout("query", query)
    exported = _run(str(installed), "export", "--format", "nquads").splitlines()
    expected = _checkout("export", "--format", "nquads").splitlines()
    assert len(exported) == len(expected) > 9000
    named = [line for line in expected if not line.startswith("_:") and " _:" not in line]
    assert set(named) <= set(exported)  # blank nodes get labels of their own
    assert list(empty.iterdir()) == []  # nothing written where it ran
    assert list((empty.parent / "cache" / "secgraph").iterdir())  # caches go to the user's


def test_serve_from_an_empty_directory(installed: Path, empty: Path) -> None:
    port = free_port()
    with running([str(installed), "serve", "--port", str(port)], "Listening at: "):
        url = f"http://127.0.0.1:{port}"
        with urlopen(f"{url}/sparql?" + urlencode({"query": MEMBERS}), timeout=60) as answer:
            rows = answer.read()
        assert b"/id/belize" in rows
        with urlopen(url + "/", timeout=60) as page:  # templates and static files came along
            assert page.status == 200
        with urlopen(url + "/static/secgraph.css", timeout=60) as style:
            assert style.status == 200
    assert list(empty.iterdir()) == []
