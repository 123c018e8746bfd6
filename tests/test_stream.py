"""Batches, checkpoints and engines of large runs (no model weights: rules and hashing embeddings)."""

from __future__ import annotations

import os
import re

import numpy as np
import pytest

from qualcode.ingest import IngestOptions, ingest
from qualcode.ingest.source import Source
from qualcode.ingest.tables import iter_table_documents, read_csv, read_jsonl
from qualcode.model import Coding, Span
from qualcode.redact import Redactor
from qualcode.redact.corpus import redact_corpus
from qualcode.segment import segment
from qualcode.stream import BatchReader, LocalEngine, ProcessSettings, WorkDir, process
from qualcode.stream import batches as batches_module
from qualcode.stream import engine as engine_module
from qualcode.stream.workdir import BatchCheckpoint
from qualcode.errors import InputError

NAMES = ["sarah", "Priya Patel", "tom o'brien", "Dr Okafor", "mr jenkins", "Aled"]


def survey_csv(rows: int) -> str:
    lines = ["respondent_id,role,site,What could be better?"]
    for n in range(1, rows + 1):
        name = NAMES[n % len(NAMES)]
        answer = (f"my supervisor {name} never has time for us, row {n}, and I feel on my own "
                  f"after home visits\r\nsecond line of the answer")
        lines.append(f'R{n:04d},SPLW,site {n % 3},"{answer}"')
    return "\r\n".join(lines) + "\r\n"


def rules_only() -> Redactor:
    return Redactor(use_ner=False)


def test_batches_hold_whole_documents_in_input_order(write):
    for n in range(7):
        write(f"notes/{n:02d}.md", f"# Breakout {n}\n\n- point one of group {n}\n- point two\n- point three\n")
    reader = BatchReader([write("notes/07.md", "- last group\n").parent], batch_size=5)
    batches = list(reader)
    assert [b.number for b in batches] == list(range(1, len(batches) + 1))
    whole = segment(ingest([reader.sources[0].display.rsplit("/", 1)[0]]).documents)
    assert [s.id for b in batches for s in b.segments] == [s.id for s in whole]
    for batch in batches[:-1]:
        assert len(batch.segments) >= 5  # cut only after a whole document
        assert {s.doc_id for s in batch.segments} == {d.id for d in batch.documents}
    assert [s.id for s in reader.sources] == [f"{n:02d}.md" for n in range(8)]


def test_a_bad_file_is_rejected_and_the_rest_still_batched(write):
    write("in/a.md", "- one\n- two\n")
    write("in/b.docx", b"not a zip at all")
    path = write("in/c.md", "- three\n")
    reader = BatchReader([path.parent], batch_size=100)
    segments = [s for b in reader for s in b.segments]
    assert [s.text for s in segments] == ["one", "two", "three"]
    assert [r.path.rsplit("/", 1)[-1] for r in reader.rejected] == ["b.docx"]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_large_tables_read_in_chunks_give_the_same_documents(write, suffix):
    if suffix == ".csv":
        path = write("survey.csv", survey_csv(45))
        whole = read_csv(Source(path, "survey.csv"))
    else:
        import json
        lines = [json.dumps({"id": f"R{n}", "text": f"answer number {n}\r\nwith two lines", "site": str(n % 2)})
                 for n in range(45)]
        path = write("survey.jsonl", "\n".join(lines) + "\n")
        whole = read_jsonl(Source(path, "survey.jsonl"))
    chunks = list(iter_table_documents(Source(path, path.name), chunk_rows=10))
    assert [len(c) for c in chunks] == [10, 10, 10, 10, 5]
    assert [d for chunk in chunks for d in chunk] == whole


def test_a_large_table_takes_the_same_id_column_as_a_whole_read(write):
    # "id" repeats in the second chunk, so both readers fall back to the next id-like column
    rows = [f"{n % 15},R{n},answer number {n} about the referral" for n in range(30)]
    path = write("survey.csv", "id,respondent_id,comment\n" + "\n".join(rows) + "\n")
    whole = read_csv(Source(path, "survey.csv"))
    chunks = list(iter_table_documents(Source(path, path.name), chunk_rows=10))
    assert [d for chunk in chunks for d in chunk] == whole
    assert whole[0].id.endswith("R0") and "id" in whole[0].attributes


def test_a_large_table_with_a_bad_row_is_rejected_before_any_row_is_used(write, monkeypatch):
    text = survey_csv(30) + 'R9999,SPLW,"unclosed quote\n'
    path = write("survey.csv", text)
    monkeypatch.setattr(batches_module, "STREAM_TABLE_MB", 0.0)  # stream even a small file
    reader = BatchReader([path], batch_size=5)
    assert list(reader) == []
    assert len(reader.rejected) == 1 and "survey.csv" in reader.rejected[0].reason
    with pytest.raises(InputError):
        list(iter_table_documents(Source(path, "survey.csv"), chunk_rows=10))


def test_streamed_table_gives_the_same_batches_as_a_whole_read(write, monkeypatch):
    path = write("survey.csv", survey_csv(40))
    whole = [s for b in BatchReader([path], batch_size=7) for s in b.segments]
    monkeypatch.setattr(batches_module, "STREAM_TABLE_MB", 0.0)
    monkeypatch.setattr(batches_module, "_TABLE_CHUNK_ROWS", 6)
    streamed = [s for b in BatchReader([path], batch_size=7) for s in b.segments]
    assert streamed == whole


def test_detection_done_elsewhere_gives_the_same_redaction():
    texts = ["i asked sarah jones about it", "Sarah said the rota was fine", "call 07700 900123"]
    here = rules_only().redact_texts(texts)
    detected = rules_only().detect(texts)  # as a worker would, on its own redactor
    elsewhere = rules_only().redact_texts(texts, detected=detected)
    assert [r.text for r in elsewhere] == [r.text for r in here]
    assert "sarah" not in " ".join(r.text for r in here).lower()


def test_process_in_batches_checkpoints_and_resumes_exactly(write, tmp_path):
    path = write("survey.csv", survey_csv(60))
    settings = ProcessSettings(embedder="hashing", batch_size=16)
    uninterrupted = process([path], settings, rules_only(), None)
    work = WorkDir(tmp_path / "out", {"test": 1})
    first = process([path], settings, rules_only(), None, LocalEngine(), work)
    assert first.batches == uninterrupted.batches == 4 and first.resumed == 0
    # A run killed after two batches: the later checkpoints never got written.
    for number in (3, 4):
        for file in (work.path / f"batch-{number:06d}").iterdir():
            file.unlink()
        (work.path / f"batch-{number:06d}").rmdir()
    (work.path / "batch-000003.tmp").mkdir()  # killed while writing batch 3
    resumed = process([path], settings, rules_only(), None, LocalEngine(), WorkDir(tmp_path / "out", {"test": 1}))
    assert resumed.resumed == 2
    assert resumed.redacted == uninterrupted.redacted
    np.testing.assert_array_equal(resumed.vectors, uninterrupted.vectors)
    assert resumed.codings == uninterrupted.codings
    assert not (work.path / "batch-000003.tmp").exists()
    joined = " ".join(s.text for s in resumed.redacted.segments).lower()
    assert "okafor" not in joined and "patel" not in joined and "sarah" not in joined


def test_a_work_folder_of_other_settings_is_not_reused(tmp_path):
    work = WorkDir(tmp_path, {"batch_size": 10})
    work.open()
    work.write(1, BatchCheckpoint([[[Span(0, 5, "PERSON", "names", 0.9)]]],
                                  (Coding("a:1", "burnout", "rule", 0.7, "cue", "qualcode"),), np.ones((1, 3))))
    assert WorkDir(tmp_path, {"batch_size": 10}).open() == 1
    stored = WorkDir(tmp_path, {"batch_size": 10}).read(1)
    assert stored.detections == [[[Span(0, 5, "PERSON", "names", 0.9)]]]
    assert stored.codings[0].evidence == "cue"
    assert WorkDir(tmp_path, {"batch_size": 20}).open() == 0


def test_settings_of_the_corpus_stages_keep_the_checkpoints():
    from qualcode.pipeline.settings import RunOptions

    assert (RunOptions(n_topics=8, min_group=10, qdpx_offsets="utf16").results_settings()
            == RunOptions().results_settings())
    assert RunOptions(embedder="static").results_settings() != RunOptions().results_settings()


def test_checkpoints_hold_no_original_text(write, tmp_path):
    path = write("survey.csv", survey_csv(20))
    work = WorkDir(tmp_path / "out", {"test": 1})
    process([path], ProcessSettings(embedder="hashing", batch_size=8), rules_only(), None, LocalEngine(), work)
    stored = b"".join(p.read_bytes() for p in work.path.rglob("*") if p.is_file()).lower()
    for name in ("sarah", b"patel", b"okafor", b"jenkins", b"o'brien"):
        assert (name.encode() if isinstance(name, str) else name) not in stored


def test_redact_corpus_replays_stored_detections_without_detecting(write):
    path = write("survey.csv", survey_csv(12))
    documents = ingest([path]).documents
    segments = segment(documents)
    calls = []
    original = redact_corpus(documents, segments, rules_only(),
                             lambda texts: calls.append(rules_only().detect(texts)) or calls[-1])
    replay = iter(calls)
    again = redact_corpus(documents, segments, rules_only(), lambda texts: next(replay))
    assert again == original


def test_a_pool_of_local_worker_processes_gives_the_same_results(write, monkeypatch):
    monkeypatch.setattr(engine_module, "DETECT_CHUNK", 7)  # several tasks per batch
    monkeypatch.setattr(engine_module, "CODE_CHUNK", 7)
    path = write("survey.csv", survey_csv(50))
    settings = ProcessSettings(embedder="hashing", batch_size=20)
    alone = process([path], settings, rules_only(), None, LocalEngine())
    engine = LocalEngine(processes=2)
    try:
        pooled = process([path], settings, rules_only(), None, engine)
    finally:
        engine.close()
    assert engine._pool is None  # closed; it was used: the tasks ran in two worker processes
    assert pooled.redacted == alone.redacted
    np.testing.assert_array_equal(pooled.vectors, alone.vectors)


def _process_id(_task: object) -> int:
    return os.getpid()


def test_a_single_task_runs_in_the_pool_so_this_process_loads_no_worker_models():
    engine = LocalEngine(processes=2)
    try:
        assert engine.map(_process_id, ["one task"]) != [os.getpid()]
    finally:
        engine.close()
    assert LocalEngine(processes=1).map(_process_id, ["one task"]) == [os.getpid()]


def test_an_unreachable_scheduler_is_one_clear_error(write, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from qualcode.cli import main

    monkeypatch.setattr(engine_module, "CONNECT_TIMEOUT", "2s")
    path = write("notes.md", "- one point\n- another\n")
    result = CliRunner().invoke(main, ["run", str(path), "--out", str(tmp_path / "out"), "--no-ner",
                                       "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_a_scheduler_without_the_dask_engine_is_a_usage_error(write, tmp_path):
    from click.testing import CliRunner

    from qualcode.cli import main

    path = write("notes.md", "- one point\n")
    result = CliRunner().invoke(main, ["run", str(path), "--out", str(tmp_path / "out"), "--no-ner",
                                       "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2 and "add --engine dask" in result.output


@pytest.mark.slow
def test_hundreds_of_note_files_with_one_bad_one(write, tmp_path, capsys):
    """The conference-breakout case: every good file analysed, the bad one reported, exit 1."""
    from qualcode.pipeline.run import run
    from qualcode.pipeline.settings import RunOptions

    for n in range(300):
        write(f"breakouts/group_{n:03d}.md", f"# Group {n}\n\n- caseloads keep growing at site {n}\n"
                                             f"- nobody to talk to after a hard visit\n")
    folder = write("breakouts/group_150_scan.docx", b"PK\x03\x04 half a zip").parent
    summary = run([folder], tmp_path / "out", RunOptions(use_ner=False, embedder="hashing", batch_size=100))
    assert summary.exit_code == 1
    assert [path.rsplit("/", 1)[-1] for path, _ in summary.result.rejected] == ["group_150_scan.docx"]
    assert len(summary.result.documents) == 300 and len(summary.result.segments) == 600
    assert summary.batches == 6
    progress = capsys.readouterr().err
    assert "301/301" in progress and "file" in progress  # one bar over the files, with a count
    assert re.search(r"\[\d\d:\d\d<\d\d:\d\d", progress)  # elapsed<remaining: the ETA
    assert (tmp_path / "out" / "manifest.json").exists()


def test_an_unreadable_checkpoint_is_computed_again(write, tmp_path):
    """A power cut while a batch was written can leave a folder with a truncated file."""
    path = write("survey.csv", survey_csv(30))
    settings = ProcessSettings(embedder="hashing", batch_size=10)
    whole = process([path], settings, rules_only(), None)
    work = WorkDir(tmp_path / "out", {"test": 1})
    process([path], settings, rules_only(), None, LocalEngine(), work)
    (work.path / "batch-000002" / "codings.parquet").write_bytes(b"PAR1 truncated")
    (work.path / "fingerprint.json").write_text("{", encoding="utf-8")  # unreadable: start afresh
    again = process([path], settings, rules_only(), None, LocalEngine(), WorkDir(tmp_path / "out", {"test": 1}))
    assert again.resumed == 0 and again.redacted == whole.redacted
    (work.path / "batch-000002" / "vectors.npy").write_bytes(b"\x93NUMPY broken")
    resumed = process([path], settings, rules_only(), None, LocalEngine(), WorkDir(tmp_path / "out", {"test": 1}))
    assert resumed.resumed == 2 and resumed.redacted == whole.redacted
    np.testing.assert_array_equal(resumed.vectors, whole.vectors)


def test_tasks_sent_to_workers_never_show_their_text():
    from qualcode.stream.engine import DetectTask

    task = DetectTask((("use_ner", False),), ("Mrs Jane Example rang about her son",))
    assert "Jane" not in repr(task) and "Jane" not in str(task)


def test_a_chunk_of_a_large_jsonl_without_the_text_field_is_read(write):
    import json

    rows = [{"id": f"R{n}", "site": "a"} if 10 <= n < 20 else {"id": f"R{n}", "text": f"answer {n} here"}
            for n in range(30)]
    path = write("survey.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    chunks = list(iter_table_documents(Source(path, path.name), chunk_rows=10))
    assert [d.text for d in chunks[1]] == [""] * 10
    assert chunks[2][0].text == "answer 20 here"


def test_a_name_learned_in_a_later_batch_is_swept_from_earlier_ones(write):
    # "thornquist" in lower case is not found on its own; "Dr Thornquist" in the last file is.
    write("notes/01.md", "- the rota thornquist sends is always late\n- nobody else to ask\n")
    write("notes/02.md", "- the caseload keeps growing\n- no time for supervision\n")
    path = write("notes/03.md", "- Dr Thornquist said we should all take a break\n- felt listened to\n")
    settings = ProcessSettings(embedder="hashing", batch_size=2)
    batched = process([path.parent], settings, rules_only(), None)
    whole = process([path.parent], ProcessSettings(embedder="hashing"), rules_only(), None)
    assert batched.batches == 3 and whole.batches == 1
    assert [s.text for s in batched.redacted.segments] == [s.text for s in whole.redacted.segments]
    assert "thornquist" not in " ".join(s.text for s in batched.redacted.segments).lower()
    # The re-redacted segment was embedded again: its vector is that of its new text.
    np.testing.assert_array_equal(batched.vectors, whole.vectors)
    assert batched.redacted.counts == whole.redacted.counts
