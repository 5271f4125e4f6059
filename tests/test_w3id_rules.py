"""docs/w3id/.htaccess, the redirect rules a w3id.org registration of https://w3id.org/secgraph/
needs: each rule is applied as mod_rewrite would (conditions on Accept, first matching rule),
and the page it points at answers 200 in the type the rule promises, on the shipped graph."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient

from paths import REPOSITORY
from secgraph.build.pipeline import BuiltGraph
from secgraph.config import Settings
from secgraph.web import create_app

RULES = REPOSITORY / "docs" / "w3id" / ".htaccess"
HOST = "https://secgraph.example.org"
ACCEPTS = {  # what a client sends, and the type it must get back
    "text/turtle": "text/turtle",
    "application/ld+json": "application/ld+json",
    "application/n-triples": "application/n-triples",
    "application/rdf+xml": "application/rdf+xml",
    "text/html,application/xhtml+xml": "text/html",
}
PATHS = [
    "id/sica",
    "id/carsi",
    "id/source-us-sica-dialogue",
    "graph/us-sica-dialogue",
    "ontology",
    "shapes",
]


@dataclass(frozen=True)
class Rule:
    conditions: tuple[re.Pattern[str], ...]  # on the Accept header
    pattern: re.Pattern[str]
    target: str


def _rules() -> list[Rule]:
    rules, conditions = [], []
    for line in RULES.read_text(encoding="utf-8").splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if words[0] == "RewriteCond":
            assert words[1] == "%{HTTP_ACCEPT}", line  # the only condition the rules use
            conditions.append(re.compile(words[2]))
        elif words[0] == "RewriteRule":
            assert words[3] == "[R=303,L]", line
            rules.append(Rule(tuple(conditions), re.compile(words[1]), words[2]))
            conditions = []
    return rules


def redirect(path: str, accept: str) -> str | None:
    """Where mod_rewrite sends ``path`` (relative to the namespace) for ``accept``."""
    for rule in _rules():
        found = rule.pattern.search(path)
        if found and all(condition.search(accept) for condition in rule.conditions):
            return found.expand(re.sub(r"\$(\d)", r"\\\1", rule.target))
    return None


@pytest.fixture(scope="module")
def shipped(shipped_built: BuiltGraph) -> FlaskClient:
    return create_app(Settings(root=REPOSITORY), shipped_built.store).test_client()


@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize("path", PATHS)
def test_every_rule_points_at_a_page_answering_the_type_it_promises(
    shipped: FlaskClient, path: str, accept: str
) -> None:
    target = redirect(path, accept)
    assert target is not None
    assert target.startswith(HOST + "/"), target
    response = shipped.get(target.removeprefix(HOST), headers={"Accept": accept})
    assert response.status_code == 200, (target, response.status_code)
    assert response.mimetype == ACCEPTS[accept], target


def test_the_context_and_the_home_page_are_redirected_too(shipped: FlaskClient) -> None:
    context = redirect("context/1.2.0.jsonld", "application/ld+json")
    assert context == HOST + "/context/1.2.0.jsonld"
    assert shipped.get(context.removeprefix(HOST)).mimetype == "application/ld+json"
    assert redirect("", "text/html") == HOST + "/"
    assert redirect("no/such/thing", "text/html") is None  # outside the namespace's paths
