"""The project store: idempotent re-ingest, change detection, transactions."""

from __future__ import annotations

import sqlite3

import pytest

from qualcode.errors import StoreError
from qualcode.model import Coding, Document, Segment
from qualcode.pipeline.ingest import ingest_to_store
from qualcode.store import ADDED, UNCHANGED, UPDATED, Store

TRANSCRIPT = "Interviewer: How are you?\nP1: Tired, honestly.\nInterviewer: Why?\nP1: Caseload.\n"


def test_reingesting_the_same_file_is_idempotent(write, tmp_path):
    path = write("a.txt", TRANSCRIPT)
    first = ingest_to_store([path], tmp_path / "out")
    second = ingest_to_store([path], tmp_path / "out")
    assert [f.status for f in first.files] == [ADDED]
    assert [f.status for f in second.files] == [UNCHANGED]
    with Store.open(tmp_path / "out") as store:
        assert store.count("documents") == 1
        assert store.count("segments") == 4


def test_changed_file_replaces_its_segments(write, tmp_path):
    path = write("a.txt", TRANSCRIPT)
    ingest_to_store([path], tmp_path / "out")
    path.write_text(TRANSCRIPT + "Interviewer: Anything else?\nP1: No.\n")
    report = ingest_to_store([path], tmp_path / "out")
    assert [f.status for f in report.files] == [UPDATED]
    with Store.open(tmp_path / "out") as store:
        segments = store.segments()
    assert [s.id for s in segments] == [f"a.txt:{n}" for n in range(1, 7)]
    assert segments[-1].text == "No."


def test_stored_segments_round_trip_exactly(write, tmp_path):
    path = write("a.txt", TRANSCRIPT)
    ingest_to_store([path], tmp_path / "out")
    with Store.open(tmp_path / "out") as store:
        (document,) = store.documents()
        segments = store.segments()
    assert document.text == TRANSCRIPT
    assert all(s.text == document.text[s.start:s.end] for s in segments)
    assert segments[1].speaker == "P1" and segments[1].role == "participant"


def test_a_failing_write_leaves_nothing_half_written(tmp_path):
    document = Document("x.txt", "one two", "notes", "x.txt")
    clash = [Segment("x.txt:1", "x.txt", 0, 3, "one"), Segment("x.txt:1", "x.txt", 4, 7, "two")]
    with Store.open(tmp_path) as store:
        with pytest.raises(sqlite3.IntegrityError):
            store.put_source("x.txt", "x.txt", "abc", 7, [document], clash)
        assert store.count("sources") == 0
        assert store.count("documents") == 0
        assert store.count("segments") == 0


def test_codings_and_runs_are_recorded(tmp_path):
    with Store.open(tmp_path) as store:
        run_id = store.start_run("code", {"threshold": 0.5}, {"qualcode": "0.1.0"})
        store.put_codings([Coding("a:1", "burnout", "rule", 0.9, "cue: burned out", "qualcode")], run_id)
        store.finish_run(run_id, "ok")
        assert store.codings(coder="qualcode")[0].evidence == "cue: burned out"
        assert store.db.execute("SELECT status FROM runs").fetchone() == ("ok",)


def test_unwritable_output_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot open the project database"):
        Store.open(blocker / "out")


def test_codes_of_a_changed_file_are_dropped_with_its_old_segments(write, tmp_path):
    from qualcode.model import Coding
    from qualcode.pipeline.ingest import ingest_to_store
    from qualcode.store import Store

    path = write("a.md", "- one\n- two\n")
    ingest_to_store([path], tmp_path / "p")
    with Store.open(tmp_path / "p") as store:
        store.put_codings([Coding("a.md:2", "burnout", "human", 1.0, "", "alice")])
    path.write_text("- a new first point\n- one\n- two\n")
    ingest_to_store([path], tmp_path / "p")
    with Store.open(tmp_path / "p") as store:
        assert store.codings() == []  # "a.md:2" is now another point
