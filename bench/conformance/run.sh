#!/usr/bin/env bash
# W3C SPARQL 1.0 + 1.1 query test suites against `secgraph serve --data` over the SPARQL 1.1
# Protocol, with the shared harness (../shared/tools/sparql_suite.py); each failure re-run in
# plain pyoxigraph (attribute.py); the suites again with FROM graphs preloaded; the protocol and
# service-description tests the harness ignores (protocol.py); then the entailment tests it
# skips, through the project's own reasoning step (entailment.py); secgraph and Oxigraph server
# side by side (peers.json); last, the gate CI runs (tests/test_conformance.py).
#
#   bench/conformance/run.sh [extra sparql_suite.py options, e.g. --only REGEX]
#
# Reports go to var/conformance/ (never committed). Skips with a message, exit 0, when the shared
# folder is not beside the project.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shared="$root/../shared"
python="$root/.venv/bin/python"
jobs="${JOBS:-2}"

if [[ ! -f "$shared/tools/sparql_suite.py" || ! -d "$shared/w3c-sparql" ]]; then
  echo "skipped: ../shared/tools/sparql_suite.py and ../shared/w3c-sparql are not beside the project"
  exit 0
fi
if [[ ! -x "$python" ]]; then
  echo "no virtualenv: run 'make test' (or 'make serve') once to create .venv" >&2
  exit 64
fi

cd "$root"
mkdir -p var/conformance
launch='{python} -m secgraph serve --data {trig} --port {port} --workers 1'
endpoint='http://127.0.0.1:{port}/sparql'

echo "== W3C SPARQL query suites, FROM tests skipped (as for the reference scores)"
"$python" "$shared/tools/sparql_suite.py" --suite "$shared/w3c-sparql" \
  --launch "$launch" --endpoint "$endpoint" -j "$jobs" \
  --label "secgraph" --report var/conformance/suite.json "$@"

echo "== each failure re-run in plain pyoxigraph: the engine's, or ours?"
"$python" "$here/attribute.py" --suite "$shared/w3c-sparql" --report var/conformance/suite.json

echo "== the same suites, FROM / FROM NAMED graphs preloaded as named graphs"
"$python" "$shared/tools/sparql_suite.py" --suite "$shared/w3c-sparql" \
  --launch "$launch" --endpoint "$endpoint" -j "$jobs" --from-graphs preload \
  --label "secgraph, FROM preloaded" \
  --report var/conformance/suite-from.json "$@"

echo "== SPARQL 1.1 Protocol and Service Description tests (query operation)"
"$python" "$here/protocol.py" --suite "$shared/w3c-sparql" --report var/conformance/protocol.json

echo "== SPARQL 1.1 entailment regime tests (RDFS, OWL RL), through secgraph.build.reason"
"$python" "$here/entailment.py" --suite "$shared/w3c-sparql" \
  --report var/conformance/entailment.json

echo "== secgraph and Oxigraph server side by side, in one run (peers.json)"
"$python" "$shared/tools/sparql_suite.py" --suite "$shared/w3c-sparql" \
  --peers "$here/peers.json" -j "$jobs" --report var/conformance/peers.json "$@"

echo "== the gate: failures exactly as tests/conformance/expected-failures.txt lists"
"$python" -m pytest -q "$root/tests/test_conformance.py"
