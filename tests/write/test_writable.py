"""The writable store: edits survive a restart, a rebuild from changed sources, a torn journal;
its query processes see each accepted edit and are stopped at the time limit."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from secgraph.build.pipeline import BuildError
from secgraph.web import create_app
from secgraph.write.candidate import RejectedEditError
from secgraph.write.journal import Edit, Journal, JournalError, journal_path
from secgraph.write.writable import WritableStore, open_writable, stamp_path
from writes_support import AUTH, EDITS, insert, writable_settings

PANAMA = 'id:panama a sg:Country ; rdfs:label "Panama"@en .'
HAS_PANAMA = (
    "ASK { GRAPH <https://w3id.org/secgraph/graph/edits> "
    "{ <https://w3id.org/secgraph/id/panama> a ?class } }"
)


def has_panama(store: object) -> bool:
    result = store.query(HAS_PANAMA)  # type: ignore[attr-defined]
    return bool(result)


def test_accepted_edit_is_in_the_on_disk_store(project: Path, tmp_path: Path) -> None:
    settings = writable_settings(project, tmp_path / "store")
    store = open_writable(settings)
    store.apply(Edit(kind="update", body=insert(PANAMA)))
    store.before_fork()  # release the writer's handle, as a stopping server does
    disk = ox.Store.read_only(str(tmp_path / "store"))
    assert bool(disk.query(HAS_PANAMA))


def test_restart_reuses_the_store_holding_the_journal(project: Path, tmp_path: Path) -> None:
    settings = writable_settings(project, tmp_path / "store")
    first = open_writable(settings)
    first.apply(Edit(kind="update", body=insert(PANAMA)))
    first.before_fork()
    del first
    stamp = stamp_path(tmp_path / "store").read_text()
    again = open_writable(settings)
    assert has_panama(again)
    assert stamp_path(tmp_path / "store").read_text() == stamp


def test_changed_sources_rebuild_and_replay_the_journal(project: Path, tmp_path: Path) -> None:
    settings = writable_settings(project, tmp_path / "store")
    first = open_writable(settings)
    first.apply(Edit(kind="update", body=insert(PANAMA)))
    first.before_fork()
    del first
    members = project / "data" / "members.ttl"
    members.write_text(members.read_text() + "\n# a change to the sources\n")
    again = open_writable(settings)
    assert has_panama(again)
    assert b"Panama" in again.dump(ox.RdfFormat.N_QUADS)


def test_store_missing_part_of_the_journal_is_rebuilt(project: Path, tmp_path: Path) -> None:
    # As after kill -9 between the journal's fsync and the store's write: the stamp is behind.
    settings = writable_settings(project, tmp_path / "store")
    open_writable(settings).before_fork()
    Journal(journal_path(tmp_path / "store")).append(Edit(kind="update", body=insert(PANAMA)))
    assert has_panama(open_writable(settings))


def test_torn_last_journal_line_is_dropped(project: Path, tmp_path: Path) -> None:
    settings = writable_settings(project, tmp_path / "store")
    path = journal_path(tmp_path / "store")
    Journal(path).append(Edit(kind="update", body=insert(PANAMA)))
    with path.open("ab") as handle:
        handle.write(b'{"kind": "update", "body": "INSERT DA')  # never acknowledged
    store = open_writable(settings)
    assert has_panama(store)
    assert path.read_bytes().endswith(b"}\n")


def test_damaged_journal_line_stops_the_start_naming_it(project: Path, tmp_path: Path) -> None:
    settings = writable_settings(project, tmp_path / "store")
    path = journal_path(tmp_path / "store")
    path.write_bytes(b'{"kind": "update", "body": ""}\nnot json\n')
    with pytest.raises(BuildError, match=r"edits\.jsonl:2"):
        open_writable(settings)
    with pytest.raises(JournalError):
        Journal(path).read()


def test_journal_that_no_longer_validates_stops_the_start(project: Path, tmp_path: Path) -> None:
    settings = writable_settings(project, tmp_path / "store")
    store = open_writable(settings)
    # Valid when written: nothing says what id:panama is, so no shape targets it.
    date = (
        '<https://w3id.org/secgraph/id/panama> <https://w3id.org/secgraph/ontology#date> "soon" .'
    )
    store.apply(Edit(kind="put", graph=EDITS, media_type="application/n-triples", body=date))
    store.before_fork()
    del store
    # The sources now make id:panama an agreement (valid alone), whose sg:date must be xsd:date.
    (project / "data" / "more.ttl").write_text(
        "@prefix sg: <https://w3id.org/secgraph/ontology#> .\n"
        "@prefix id: <https://w3id.org/secgraph/id/> .\n"
        "id:panama a sg:Agreement ; sg:signedBy id:belize .\n"
    )
    with pytest.raises(BuildError) as raised:
        open_writable(settings)
    report = raised.value.report
    assert report is not None
    assert [r.focus_node for r in report.results] == ["https://w3id.org/secgraph/id/panama"]
    assert report.results[0].result_path == "https://w3id.org/secgraph/ontology#date"


def test_rejected_edit_leaves_journal_and_stamp_alone(project: Path, tmp_path: Path) -> None:
    settings = writable_settings(project, tmp_path / "store")
    store = open_writable(settings)
    stamp = stamp_path(tmp_path / "store").read_text()
    with pytest.raises(RejectedEditError):
        store.apply(Edit(kind="update", body=insert("id:p a sg:Program .")))
    assert not journal_path(tmp_path / "store").exists()
    assert stamp_path(tmp_path / "store").read_text() == stamp


def test_query_processes_see_each_accepted_edit_and_time_out(project: Path, tmp_path: Path) -> None:
    settings = replace(writable_settings(project, tmp_path / "store"), query_timeout=2.0)
    client = create_app(settings, open_writable(settings)).test_client()

    def ask(query: str) -> object:
        return client.get("/sparql", query_string={"query": query}).get_json()["boolean"]

    assert ask(HAS_PANAMA) is False
    response = client.post(
        "/update", data=insert(PANAMA), content_type="application/sparql-update", headers=AUTH
    )
    assert response.status_code == 204
    assert ask(HAS_PANAMA) is True  # a process reading the store before the edit was retired
    started = time.monotonic()
    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    stopped = client.get("/sparql", query_string={"query": cross})
    assert stopped.status_code == 503
    assert time.monotonic() - started < 2.0 + 3.0  # the limit, plus starting a process
    assert ask(HAS_PANAMA) is True


def _apply_in_a_child_that_dies(store: WritableStore, edit: Edit) -> None:
    """Apply ``edit`` in a forked copy of this process, which then exits without a word to
    this one: a worker that accepted a write and was killed."""
    store.before_fork()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            store.apply(edit)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def test_a_new_worker_serves_the_edits_a_dead_one_acknowledged(
    project: Path, tmp_path: Path
) -> None:
    settings = writable_settings(project, tmp_path / "store")
    master = open_writable(settings)
    _apply_in_a_child_that_dies(master, Edit(kind="update", body=insert(PANAMA)))
    assert not has_panama(master)  # the master's copy is the data at start
    version = master.version
    master.after_fork()  # what a newly forked worker runs before it serves
    assert has_panama(master)
    assert master.version != version  # caches keyed by version see the change
    assert master.catch_up() == 0  # and again: nothing new
    master.apply(Edit(kind="update", body=insert(PANAMA.replace("panama", "cuba"))))
    assert not stamp_path(tmp_path / "store").exists()  # the disk is not said to be current
    master.before_fork()
    del master
    restarted = open_writable(settings)  # rebuilt from the sources and the whole journal
    assert has_panama(restarted)
    assert bool(restarted.query(HAS_PANAMA.replace("panama", "cuba")))


def test_a_journal_that_no_longer_begins_with_the_served_edits_is_refused(
    project: Path, tmp_path: Path
) -> None:
    settings = writable_settings(project, tmp_path / "store")
    master = open_writable(settings)
    master.apply(Edit(kind="update", body=insert(PANAMA)))
    path = journal_path(tmp_path / "store")
    path.write_bytes(path.read_bytes().replace(b"Panama", b"Panamb"))
    with pytest.raises(BuildError, match="no longer begins with the edits served"):
        master.after_fork()
    assert has_panama(master)  # what is served stays as it was
