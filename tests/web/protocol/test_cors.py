"""web/protocol/cors.py: browser pages on any origin may query the endpoint (Fetch Standard
CORS)."""

from __future__ import annotations

from flask.testing import FlaskClient

ORIGIN = {"Origin": "https://notebook.example"}


def test_preflight_allows_a_direct_post_from_any_origin(client: FlaskClient) -> None:
    response = client.options(
        "/sparql",
        headers={
            **ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    methods = set(response.headers["Access-Control-Allow-Methods"].split(", "))
    assert methods == {"GET", "HEAD", "POST", "OPTIONS"}
    assert response.headers["Access-Control-Allow-Headers"] == "content-type"
    assert int(response.headers["Access-Control-Max-Age"]) > 0
    assert "Access-Control-Request-Headers" in response.vary


def test_simple_get_is_readable_from_any_origin(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers=ORIGIN)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    exposed = response.headers["Access-Control-Expose-Headers"].split(", ")
    assert {"Allow", "Vary"} <= set(exposed)
    assert "Access-Control-Allow-Methods" not in response.headers  # only for preflights


def test_errors_are_readable_from_any_origin_too(client: FlaskClient) -> None:
    # A script must be able to read why its query failed.
    response = client.get("/sparql", query_string={"query": "ASK {"}, headers=ORIGIN)
    assert response.status_code == 400
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    response = client.delete("/sparql", headers=ORIGIN)
    assert response.status_code == 405
    assert response.headers["Access-Control-Allow-Origin"] == "*"
