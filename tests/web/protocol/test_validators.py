"""web/protocol/validators.py: ETag and Last-Modified name the data (its sources' hash and time),
not the process serving it; conditional requests get 304."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from werkzeug.http import http_date

from secgraph.build.pipeline import build
from secgraph.config import Settings
from secgraph.web import create_app

# One URL per kind of derived document: a dump, a resource twin, a named graph, the VoID.
URLS = (
    "/dumps/secgraph.ttl",
    "/id/sica.ttl",
    "/id/sica",
    "/data?default",
    "/.well-known/void",
)
OLD, NEWEST = datetime(2020, 1, 1, tzinfo=UTC), datetime(2021, 5, 6, 7, 8, 9, tzinfo=UTC)


@pytest.fixture
def dated_project(project: Path) -> Path:
    """The fixture project with known file times: one file newer than the others."""
    for path in project.rglob("*"):
        if path.is_file():
            os.utime(path, (OLD.timestamp(), OLD.timestamp()))
    newest = project / "data" / "members.ttl"
    os.utime(newest, (NEWEST.timestamp(), NEWEST.timestamp()))
    return project


def _client(root: Path) -> FlaskClient:
    settings = Settings(root=root)
    return create_app(settings, build(settings).store).test_client()


def _validators(client: FlaskClient, url: str) -> tuple[str, str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.headers["ETag"], response.headers["Last-Modified"]


def test_two_servers_of_the_same_data_give_the_same_validators(dated_project: Path) -> None:
    first, second = _client(dated_project), _client(dated_project)  # two builds, two apps
    for url in URLS:
        assert _validators(first, url) == _validators(second, url), url


def test_last_modified_is_the_newest_source_file(dated_project: Path) -> None:
    client = _client(dated_project)
    for url in URLS:
        assert client.get(url).headers["Last-Modified"] == http_date(NEWEST), url


def test_a_changed_source_changes_etag_and_last_modified(dated_project: Path) -> None:
    before = {url: _validators(_client(dated_project), url) for url in URLS}
    members = dated_project / "data" / "members.ttl"
    members.write_text(members.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    after = _client(dated_project)
    for url in URLS:
        etag, modified = _validators(after, url)
        assert etag != before[url][0], url
        assert modified != before[url][1], url


def test_each_representation_of_a_resource_has_its_own_etag(client: FlaskClient) -> None:
    tags = {client.get(f"/id/sica.{ext}").headers["ETag"] for ext in ("ttl", "nt", "jsonld")}
    assert len(tags) == 3


@pytest.mark.parametrize("url", URLS)
def test_if_none_match_gets_304(client: FlaskClient, url: str) -> None:
    etag = client.get(url).headers["ETag"]
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.get_data() == b""
    assert response.headers["ETag"] == etag
    assert "Accept" in response.vary or url.startswith("/dumps/")


@pytest.mark.parametrize("url", URLS)
def test_if_modified_since_the_data_time_gets_304(client: FlaskClient, url: str) -> None:
    modified = client.get(url).headers["Last-Modified"]
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    earlier = http_date(datetime(2000, 1, 1, tzinfo=UTC))
    assert client.get(url, headers={"If-Modified-Since": earlier}).status_code == 200
