"""jsonld.js (npm package jsonld, installed by `make test` into build/npm) reads each JSON-LD
answer of the server with no network: its document loader refuses every URL, and the quads it
gives are those of the RDF twin. Skips, saying why, without Node.js or without the package."""

from __future__ import annotations

import json
import shutil
import subprocess

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from test_jsonld import OFFLINE_DOCUMENTS, _assert_same_dataset

from paths import REPOSITORY

NODE = shutil.which("node")
JSONLD_JS = REPOSITORY / "build" / "npm" / "node_modules" / "jsonld"
JSON_LD = "application/ld+json"
# Reads one document from stdin and writes its N-Quads; any URL it would load is an error.
TO_NQUADS = """
const jsonld = require(process.argv[1]);
const refuse = async (url) => { throw new Error(`refused to load ${url}`); };
let text = "";
process.stdin.on("data", (chunk) => { text += chunk; });
process.stdin.on("end", async () => {
  try {
    const nquads = await jsonld.toRDF(JSON.parse(text),
      {format: "application/n-quads", documentLoader: refuse});
    process.stdout.write(nquads);
  } catch (error) {
    process.stderr.write(String(error && error.stack || error));
    process.exit(1);
  }
});
"""


def _missing() -> str | None:
    if NODE is None:
        return "Node.js is not installed (Debian package nodejs)"
    if not (JSONLD_JS / "package.json").is_file():
        return "jsonld.js is not installed at build/npm (`make test` installs it with npm)"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=str(_missing()))


@pytest.mark.parametrize(("path", "twin_type"), OFFLINE_DOCUMENTS)
def test_jsonld_js_reads_the_served_json_ld_offline_as_its_twin(
    cited_client: FlaskClient, path: str, twin_type: str
) -> None:
    body = cited_client.get(path, headers={"Accept": JSON_LD})
    assert (body.status_code, body.mimetype) == (200, JSON_LD)
    json.loads(body.get_data())  # JSON, before jsonld.js is asked
    done = subprocess.run(
        [str(NODE), "-e", TO_NQUADS, str(JSONLD_JS)],
        input=body.get_data(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    twin = cited_client.get(path, headers={"Accept": twin_type})
    expected = list(ox.parse(twin.get_data(), format=ox.RdfFormat.from_media_type(twin_type)))
    assert expected
    _assert_same_dataset(list(ox.parse(done.stdout, format=ox.RdfFormat.N_QUADS)), expected)
