"""Guarded writes: /update and Graph Store PUT / POST / DELETE, each checked, atomic, durable."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient

from secgraph.config import Settings
from writes_support import AUTH, EDITS, PREFIXES, TOKEN, insert, writable_app

SPARQL_UPDATE = "application/sparql-update"
JSON = {"Accept": "application/json"}
PANAMA = 'id:panama a sg:Country ; rdfs:label "Panama"@en .'


@pytest.fixture
def wapp(project: Path, tmp_path: Path) -> Flask:
    return writable_app(project, tmp_path / "store")


@pytest.fixture
def wclient(wapp: Flask) -> FlaskClient:
    return wapp.test_client()


def update(client: FlaskClient, text: str, **headers: str) -> object:
    return client.post(
        "/update", data=text.encode(), content_type=SPARQL_UPDATE, headers={**AUTH, **headers}
    )


def dump(client: FlaskClient) -> bytes:
    response = client.get("/data", headers={"Accept": "application/n-quads"})
    assert response.status_code == 200
    return bytes(response.data)


def ask(client: FlaskClient, query: str) -> bool:
    response = client.get("/sparql", query_string={"query": PREFIXES + query})
    return bool(response.get_json()["boolean"])


def test_accepted_update_is_served_with_its_inferences(wclient: FlaskClient) -> None:
    response = update(wclient, insert(PANAMA))
    assert response.status_code == 204
    assert ask(wclient, f"ASK {{ GRAPH <{EDITS}> {{ id:panama a sg:Country }} }}")
    # sg:Country is a subclass of sg:Actor in the fixture ontology: reasoning ran again.
    graph = "https://w3id.org/secgraph/graph/inferred"
    assert ask(wclient, f"ASK {{ GRAPH <{graph}> {{ id:panama a sg:Actor }} }}")


def test_update_as_form_is_accepted(wclient: FlaskClient) -> None:
    response = wclient.post("/update", data={"update": insert(PANAMA)}, headers=AUTH)
    assert response.status_code == 204


def test_update_without_token_is_401_with_challenge(wclient: FlaskClient) -> None:
    before = dump(wclient)
    response = wclient.post("/update", data=insert(PANAMA), content_type=SPARQL_UPDATE)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.get_data(as_text=True)
    assert dump(wclient) == before


@pytest.mark.parametrize("header", ["Bearer wrong-token", "Basic dXNlcjpwYXNz", "Bearer "])
def test_update_with_wrong_credentials_is_refused(wclient: FlaskClient, header: str) -> None:
    before = dump(wclient)
    response = wclient.post(
        "/update",
        data=insert(PANAMA),
        content_type=SPARQL_UPDATE,
        headers={"Authorization": header},
    )
    assert response.status_code == (
        401 if header.strip() in ("Bearer", "Basic dXNlcjpwYXNz") else 403
    )
    assert dump(wclient) == before


def test_wrong_token_is_403(wclient: FlaskClient) -> None:
    response = wclient.post(
        "/update",
        data=insert(PANAMA),
        content_type=SPARQL_UPDATE,
        headers={"Authorization": "Bearer wrong-token", **JSON},
    )
    assert response.status_code == 403
    assert response.get_json()["error"] == "forbidden"


def test_writes_disabled_say_how_to_enable(client: FlaskClient) -> None:
    response = client.post("/update", data=insert(PANAMA), content_type=SPARQL_UPDATE, headers=AUTH)
    assert response.status_code == 403
    assert "--writes-enabled" in response.get_data(as_text=True)
    put = client.put(f"/data?graph={EDITS}", data=b"", content_type="text/turtle", headers=AUTH)
    assert put.status_code == 405
    assert "--writes-enabled" in put.get_data(as_text=True)
    assert "GET" in put.headers["Allow"]


def test_shacl_violation_is_422_with_report_and_store_unchanged(wclient: FlaskClient) -> None:
    before = dump(wclient)
    response = update(wclient, insert("id:new-program a sg:Program ."), **JSON)
    assert response.status_code == 422
    body = response.get_json()
    assert body["report"]["kind"] == "shacl"
    (result,) = body["report"]["results"]
    assert result["focus_node"] == "https://w3id.org/secgraph/id/new-program"
    assert result["result_path"] == "http://www.w3.org/2000/01/rdf-schema#label"
    assert result["message"] == "Every program needs a label."
    assert dump(wclient) == before


def test_rejection_as_text_names_focus_path_and_message(wclient: FlaskClient) -> None:
    response = update(wclient, insert("id:new-program a sg:Program ."), Accept="text/plain")
    assert response.status_code == 422
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert "id/new-program" in text
    assert "rdf-schema#label" in text
    assert "Every program needs a label." in text


def test_inconsistency_is_422_and_store_unchanged(wclient: FlaskClient) -> None:
    before = dump(wclient)
    # sg:Country owl:disjointWith sg:Agreement (OWL 2 RL cax-dw).
    response = update(
        wclient, insert("id:guatemala a sg:Agreement ; sg:signedBy id:belize ."), **JSON
    )
    assert response.status_code == 422
    report = response.get_json()["report"]
    assert report["kind"] == "inconsistency"
    assert any("guatemala" in (c["node"] or c["message"]) for c in report["culprits"])
    assert dump(wclient) == before


@pytest.mark.parametrize("graph", ["inferred", "ontology", "publication"])
def test_writes_to_derived_graphs_are_403(wclient: FlaskClient, graph: str) -> None:
    before = dump(wclient)
    iri = f"https://w3id.org/secgraph/graph/{graph}"
    assert update(wclient, insert(PANAMA, graph=iri)).status_code == 403
    response = wclient.put(f"/data?graph={iri}", data=b"", content_type="text/turtle", headers=AUTH)
    assert response.status_code == 403
    assert dump(wclient) == before


def test_update_deleting_from_ontology_is_403(wclient: FlaskClient) -> None:
    before = dump(wclient)
    response = update(wclient, "DROP NAMED", **JSON)
    assert response.status_code == 403
    assert response.get_json()["error"] == "protected-graph"
    assert dump(wclient) == before


def test_update_into_default_graph_is_400(wclient: FlaskClient) -> None:
    response = update(wclient, PREFIXES + "INSERT DATA { " + PANAMA + " }", **JSON)
    assert response.status_code == 400
    assert response.get_json()["error"] == "default-graph-read-only"


def test_malformed_update_is_400_with_position(wclient: FlaskClient) -> None:
    response = update(wclient, "INSERT DATA {", **JSON)
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "malformed-update"
    assert (body["line"], body["column"]) == (1, 14)


def test_put_creates_201_then_replaces_204(wclient: FlaskClient) -> None:
    turtle = (
        "@prefix sg: <https://w3id.org/secgraph/ontology#> . "
        + PANAMA.replace("id:panama", "<https://w3id.org/secgraph/id/panama>").replace(
            "rdfs:label", "<http://www.w3.org/2000/01/rdf-schema#label>"
        )
    ).encode()
    url = f"/data?graph={EDITS}"
    assert (
        wclient.put(url, data=turtle, content_type="text/turtle", headers=AUTH).status_code == 201
    )
    assert (
        wclient.put(url, data=turtle, content_type="text/turtle", headers=AUTH).status_code == 204
    )
    read = wclient.get(url, headers={"Accept": "application/n-triples"})
    assert b"panama" in read.data


def test_post_merges_and_delete_removes(wclient: FlaskClient) -> None:
    url = f"/data?graph={EDITS}"
    nt = (
        b"<https://w3id.org/secgraph/id/sica> "
        b'<http://www.w3.org/2000/01/rdf-schema#comment> "x" .\n'
    )
    assert (
        wclient.post(url, data=nt, content_type="application/n-triples", headers=AUTH).status_code
        == 204
    )
    assert ask(wclient, 'ASK { id:sica rdfs:comment "x" }')
    assert wclient.delete(url, headers=AUTH).status_code == 204
    assert not ask(wclient, 'ASK { id:sica rdfs:comment "x" }')
    assert wclient.delete(url, headers=AUTH).status_code == 404


def test_upload_with_unknown_media_type_is_415(wclient: FlaskClient) -> None:
    response = wclient.put(
        f"/data?graph={EDITS}", data=b"x", content_type="image/png", headers=AUTH
    )
    assert response.status_code == 415


def test_write_to_default_graph_is_400(wclient: FlaskClient) -> None:
    response = wclient.put("/data?default", data=b"", content_type="text/turtle", headers=AUTH)
    assert response.status_code == 400


def test_update_service_description_names_update_language(wclient: FlaskClient) -> None:
    response = wclient.get("/update")
    assert response.status_code == 200
    assert b"SPARQL11Update" in response.data


def test_settings_refuse_writes_without_token_store_or_single_worker(project: Path) -> None:
    with pytest.raises(ValueError, match="SECGRAPH_WRITE_TOKEN"):
        Settings(root=project, writes_enabled=True, store_path=project / "s", workers=1)
    with pytest.raises(ValueError, match="store_path"):
        Settings(root=project, writes_enabled=True, write_token=TOKEN, workers=1)
    with pytest.raises(ValueError, match="workers=1"):
        Settings(root=project, writes_enabled=True, write_token=TOKEN, store_path=project / "s")


def test_token_is_not_in_settings_repr(project: Path) -> None:
    settings = Settings(
        root=project,
        writes_enabled=True,
        write_token=TOKEN,
        store_path=project / "s",
        workers=1,
    )
    assert TOKEN not in repr(settings)
    assert TOKEN not in json.dumps(str(settings))


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (insert(PANAMA), SPARQL_UPDATE),
        (urlencode({"update": insert(PANAMA)}), "application/x-www-form-urlencoded"),
    ],
    ids=["direct", "form"],
)
def test_update_sent_to_sparql_points_to_update(
    wclient: FlaskClient, data: str, content_type: str
) -> None:
    # SPARQL 1.1 Protocol §2.2: a service may take updates at an endpoint of its own.
    before = dump(wclient)
    response = wclient.post(
        "/sparql", data=data.encode(), content_type=content_type, headers={**AUTH, **JSON}
    )
    assert response.status_code == 400
    body = json.loads(response.get_data())
    assert body["error"] == "update-not-supported"
    assert body["update_endpoint"] == "http://localhost/update"
    assert "read-only" in body["message"]
    assert "http://localhost/update" in body["message"]
    assert dump(wclient) == before
