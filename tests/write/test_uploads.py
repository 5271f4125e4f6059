"""Uploads never reach outside: no XML entities (external or expanding), no remote JSON-LD
contexts, no LOAD or SERVICE in updates; each probed with a listener on 127.0.0.1."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from secgraph.write.uploads import UploadError, parse_upload
from writes_support import AUTH, EDITS, PREFIXES, listener, writable_app

RDF_XML = "application/rdf+xml"
JSON = {"Accept": "application/json", **AUTH}
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
  <rdf:Description rdf:about="https://w3id.org/secgraph/id/sica"><rdfs:comment>&g;</rdfs:comment>
  </rdf:Description>
</rdf:RDF>
"""


@pytest.fixture
def wclient(project: Path, tmp_path: Path) -> FlaskClient:
    app: Flask = writable_app(project, tmp_path / "store")
    return app.test_client()


def dump(client: FlaskClient) -> bytes:
    return bytes(client.get("/data", headers={"Accept": "application/n-quads"}).data)


def put(client: FlaskClient, body: bytes, media_type: str) -> object:
    return client.put(f"/data?graph={EDITS}", data=body, content_type=media_type, headers=JSON)


def test_entity_bomb_is_refused_quickly_with_400(wclient: FlaskClient) -> None:
    before = dump(wclient)
    started = time.perf_counter()
    response = put(wclient, BOMB, RDF_XML)
    elapsed = time.perf_counter() - started
    assert response.status_code == 400
    assert response.get_json()["error"] == "xml-entities-refused"
    assert "entity" in response.get_json()["message"]
    assert elapsed < 2, f"the bomb took {elapsed:.2f} s to refuse"
    assert dump(wclient) == before


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "{url}/entity">]>',
        '<!DOCTYPE rdf:RDF SYSTEM "{url}/dtd">',
        '<!DOCTYPE rdf:RDF [<!ENTITY % p SYSTEM "{url}/param"> %p;]>',
    ],
)
def test_external_entities_are_never_fetched(wclient: FlaskClient, doctype: str) -> None:
    with listener() as (url, requested):
        body = (
            '<?xml version="1.0"?>\n' + doctype.format(url=url) + "\n"
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">'
            '<rdf:Description rdf:about="https://w3id.org/secgraph/id/sica">'
            "<rdfs:comment>&x;</rdfs:comment></rdf:Description></rdf:RDF>"
        ).encode()
        response = put(wclient, body, RDF_XML)
        assert response.status_code == 400
        assert requested == []


def test_plain_rdf_xml_is_accepted(wclient: FlaskClient) -> None:
    body = (
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        b'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">'
        b'<rdf:Description rdf:about="https://w3id.org/secgraph/id/sica">'
        b"<rdfs:comment>ok</rdfs:comment></rdf:Description></rdf:RDF>"
    )
    assert put(wclient, body, RDF_XML).status_code == 201


@pytest.mark.parametrize(
    "context",
    ['"{url}/context.jsonld"', '["{url}/a.jsonld", {{}}]', '{{"@import": "{url}/i.jsonld"}}'],
)
def test_remote_jsonld_context_is_refused_naming_it(wclient: FlaskClient, context: str) -> None:
    with listener() as (url, requested):
        body = (
            '{"@context": ' + context.format(url=url) + ', "@id": '
            '"https://w3id.org/secgraph/id/sica", "http://www.w3.org/2000/01/rdf-schema#comment":'
            ' "x"}'
        ).encode()
        response = put(wclient, body, "application/ld+json")
        assert response.status_code == 400
        payload = response.get_json()
        assert payload["error"] == "remote-context-refused"
        assert url in payload["message"]
        assert requested == []


def test_inline_jsonld_context_is_accepted(wclient: FlaskClient) -> None:
    body = (
        b'{"@context": {"comment": "http://www.w3.org/2000/01/rdf-schema#comment"},'
        b' "@id": "https://w3id.org/secgraph/id/sica", "comment": "x"}'
    )
    assert put(wclient, body, "application/ld+json").status_code == 201


@pytest.mark.parametrize(
    "template",
    [
        "LOAD <{url}/data.ttl> INTO GRAPH <" + EDITS + ">",
        "INSERT { GRAPH <" + EDITS + "> { ?s ?p ?o } } WHERE { SERVICE <{url}/sparql> "
        "{ ?s ?p ?o } }",
    ],
)
def test_update_never_fetches(wclient: FlaskClient, template: str) -> None:
    with listener() as (url, requested):
        text = PREFIXES + template.replace("{url}", url)
        response = wclient.post(
            "/update", data=text.encode(), content_type="application/sparql-update", headers=JSON
        )
        assert response.status_code == 400
        assert response.get_json()["error"] == "outbound-refused"
        assert requested == []


def test_malformed_turtle_names_line_and_column() -> None:
    with pytest.raises(UploadError) as raised:
        parse_upload(b"<a:b> <a:c>\n <a:d", "text/turtle", base_iri="https://example.org/")
    assert raised.value.status == 400
    assert raised.value.line == 2
