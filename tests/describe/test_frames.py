"""describe/frames.py, web/protocol/frames.py: framed JSON-LD per main class over the shipped graph:
an event with its participations nested, a program with its funding; nothing invented by framing."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from paths import REPOSITORY
from secgraph.build.pipeline import BuiltGraph
from secgraph.config import Settings
from secgraph.describe.jsonld import JsonLdWriter
from secgraph.namespaces import ID
from secgraph.web import create_app

REPO = REPOSITORY
MEETING = "id:meeting-biden-central-american-leaders"


@pytest.fixture
def shipped_client(shipped_built: BuiltGraph) -> FlaskClient:
    return create_app(Settings(root=REPO), shipped_built.store).test_client()


def _framed(client: FlaskClient, path: str) -> dict[str, Any]:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/ld+json"
    assert "Accept" in response.vary
    document: dict[str, Any] = response.get_json()
    assert document["@context"] == JsonLdWriter.for_ontology(REPO / "ontology").context["@context"]
    return document


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_event_frame_nests_participations_and_participants(shipped_client: FlaskClient) -> None:
    events = {node["@id"]: node for node in _framed(shipped_client, "/frames/event")["@graph"]}
    meeting = events[MEETING]
    participations = _as_list(meeting["participations"])
    assert len(participations) >= 7  # Biden, six presidents, a foreign minister
    biden = next(p for p in participations if p["participant"]["@id"] == "id:biden")
    assert biden["participant"]["label"]["en"]  # the participant itself, embedded
    assert biden["role"]["@id"] == "sg:ParticipantRole"


def test_program_frame_nests_the_funding(shipped_client: FlaskClient) -> None:
    programs = {node["@id"]: node for node in _framed(shipped_client, "/frames/program")["@graph"]}
    fundings = _as_list(programs["id:carsi"]["fundings"])
    assert fundings
    for funding in fundings:
        assert funding["currency"] == "USD"
        assert float(funding["amount"]) > 0
        assert funding["funder"]["label"]["en"]  # who funds it, embedded
    assert any("fiscalPeriod" in funding for funding in fundings)


def test_one_resource_in_a_frame(shipped_client: FlaskClient) -> None:
    document = _framed(shipped_client, "/id/meeting-biden-central-american-leaders?frame=event")
    [meeting] = document["@graph"]
    assert meeting["@id"] == MEETING


def test_framing_invents_no_statement(
    shipped_client: FlaskClient, shipped_built: BuiltGraph
) -> None:
    response = shipped_client.get("/frames/program")
    quads = JsonLdWriter.for_ontology(REPO / "ontology").to_quads(response.get_data())
    assert quads
    for quad in quads:
        found = shipped_built.store.query(
            "ASK { ?s ?p ?o }",
            bindings={"s": quad.subject, "p": quad.predicate, "o": quad.object},
        )
        assert bool(found), quad


def test_a_resource_not_of_the_class_is_404(shipped_client: FlaskClient) -> None:
    response = shipped_client.get("/id/sica?frame=event")
    assert response.status_code == 404
    assert str(ID.sica) in response.get_data(as_text=True)


def test_unknown_frame_is_404_listing_the_frames(shipped_client: FlaskClient) -> None:
    response = shipped_client.get("/frames/person")
    assert response.status_code == 404
    assert "event" in response.get_data(as_text=True)


def test_a_frame_is_json_ld_only(shipped_client: FlaskClient) -> None:
    response = shipped_client.get("/frames/event", headers={"Accept": "text/turtle"})
    assert response.status_code == 406
