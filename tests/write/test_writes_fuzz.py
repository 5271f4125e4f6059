"""Property-based tests of the write paths: never a 500, never a changed store after a refusal."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secgraph.write.uploads import UPLOAD_FORMATS
from writes_support import AUTH, EDITS, insert, writable_app

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
SEEDS = [
    insert('id:panama a sg:Country ; rdfs:label "Panama"@en .'),
    insert("id:p a sg:Program ."),
    f"DELETE WHERE {{ GRAPH <{EDITS}> {{ ?s ?p ?o }} }}",
    "DROP SILENT GRAPH <https://w3id.org/secgraph/graph/members>",
    "CLEAR ALL",
]
BODIES = [
    b'<https://w3id.org/secgraph/id/sica> <http://www.w3.org/2000/01/rdf-schema#comment> "x" .',
    b"@prefix sg: <https://w3id.org/secgraph/ontology#> . <https://w3id.org/secgraph/id/q> a "
    b"sg:Program .",
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'rdf:about="https://w3id.org/secgraph/id/x"/></rdf:RDF>',
    b'{"@id": "https://w3id.org/secgraph/id/x", "@type": "https://w3id.org/secgraph/ontology#'
    b'Agreement"}',
]
MEDIA_TYPES = [*UPLOAD_FORMATS, "image/png", "text/html", "application/json", ""]


@pytest.fixture(scope="module")
def fuzz_client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    import shutil

    from conftest import FIXTURE_PROJECT

    root = tmp_path_factory.mktemp("fuzz") / "project"
    shutil.copytree(FIXTURE_PROJECT, root)
    return writable_app(root, root.parent / "store").test_client()


def mutated(seed: str, data: st.DataObject) -> str:
    """``seed`` with a random slice replaced by random text."""
    start = data.draw(st.integers(0, len(seed)))
    end = data.draw(st.integers(start, len(seed)))
    return seed[:start] + data.draw(st.text(max_size=20)) + seed[end:]


def dump(client: FlaskClient) -> bytes:
    return bytes(client.get("/data", headers={"Accept": "application/n-quads"}).data)


def check(client: FlaskClient, before: bytes, status: int) -> None:
    assert status < 500
    if status >= 400:
        assert dump(client) == before


@FUZZ
@given(data=st.data())
def test_mutated_updates_never_fail_the_server(
    fuzz_client: FlaskClient, data: st.DataObject
) -> None:
    text = mutated(data.draw(st.sampled_from(SEEDS)), data)
    before = dump(fuzz_client)
    response = fuzz_client.post(
        "/update", data=text.encode(), content_type="application/sparql-update", headers=AUTH
    )
    check(fuzz_client, before, response.status_code)


@FUZZ
@given(text=st.text(max_size=200), form=st.booleans())
def test_random_update_texts_never_fail_the_server(
    fuzz_client: FlaskClient, text: str, form: bool
) -> None:
    before = dump(fuzz_client)
    if form:
        response = fuzz_client.post("/update", data={"update": text}, headers=AUTH)
    else:
        response = fuzz_client.post(
            "/update",
            data=text.encode(),
            content_type="application/sparql-update",
            headers=AUTH,
        )
    check(fuzz_client, before, response.status_code)


@FUZZ
@given(
    data=st.data(),
    media_type=st.sampled_from(MEDIA_TYPES),
    method=st.sampled_from(["PUT", "POST"]),
)
def test_mutated_uploads_never_fail_the_server(
    fuzz_client: FlaskClient, data: st.DataObject, media_type: str, method: str
) -> None:
    seed = data.draw(st.sampled_from(BODIES)).decode()
    body = mutated(seed, data).encode("utf-8", "surrogatepass")
    before = dump(fuzz_client)
    response = fuzz_client.open(
        f"/data?graph={EDITS}", method=method, data=body, content_type=media_type, headers=AUTH
    )
    check(fuzz_client, before, response.status_code)


@FUZZ
@given(body=st.binary(max_size=200), media_type=st.sampled_from(MEDIA_TYPES))
def test_random_bytes_uploads_never_fail_the_server(
    fuzz_client: FlaskClient, body: bytes, media_type: str
) -> None:
    before = dump(fuzz_client)
    response = fuzz_client.put(
        f"/data?graph={EDITS}", data=body, content_type=media_type, headers=AUTH
    )
    check(fuzz_client, before, response.status_code)
