"""web/pages/floor.py: GET /bench/floor answers a constant only when bench_floor is on."""

from __future__ import annotations

import json

from secgraph.build.pipeline import BuiltGraph
from secgraph.config import Settings
from secgraph.web import create_app


def test_floor_route_answers_a_constant_sparql_json_result(
    settings: Settings, built: BuiltGraph
) -> None:
    on = Settings(root=settings.root, bench_floor=True)
    response = create_app(on, built.store).test_client().get("/bench/floor")
    assert response.status_code == 200
    assert response.content_type == "application/sparql-results+json"
    assert json.loads(response.data)["results"]["bindings"] == [
        {"n": {"type": "literal", "value": "1"}}
    ]


def test_floor_route_is_absent_by_default(settings: Settings, built: BuiltGraph) -> None:
    assert not settings.bench_floor
    assert create_app(settings, built.store).test_client().get("/bench/floor").status_code == 404
