"""The redaction stage over documents and segments, and the `qualcode redact` command."""

from __future__ import annotations

import json

import pandas as pd
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.ingest import ingest
from qualcode.redact import Redactor
from qualcode.redact.corpus import redact_corpus
from qualcode.segment import segment

TRANSCRIPT = ("Interviewer: Who supports you?\n"
              "Sarah Jones: Honestly, i spoke to dr okafor at Riverside Surgery, 07700 900123.\n"
              "Interviewer: And at home?\n"
              "Sarah Jones: My husband Will and I argue about it. I will cope.\n")
SURVEY = ("ID,Role,Email,What makes the role hard?\n"
          "R1,SPLW,sam@example.org,Nobody at Riverside Surgery understands what I do here\n"
          "R2,Care coordinator,anon@example.org,\n")


def corpus(*paths):
    documents = ingest(paths).documents
    return redact_corpus(documents, segment(documents), Redactor(use_ner=False))


def test_speaker_names_and_mentions_share_pseudonyms_and_offsets_hold(write):
    redacted = corpus(write("int.txt", TRANSCRIPT))
    (document,) = redacted.documents
    participant = [s for s in redacted.segments if s.role == "participant"]
    assert {s.speaker for s in participant} == {"[PERSON_1]"}
    assert "Sarah" not in document.text and "Jones" not in document.text
    assert "07700" not in document.text and "Riverside" not in document.text
    assert "I will cope." in document.text  # the word-name trap stays
    for seg in redacted.segments:
        assert document.text[seg.start:seg.end] == seg.text


def test_identifying_columns_are_dropped_and_audit_holds_no_text(write):
    redacted = corpus(write("survey.csv", SURVEY))
    assert redacted.dropped_columns == ("Email",)
    assert all("Email" not in d.attributes for d in redacted.documents)
    assert redacted.counts["ORGANISATION"] == 1
    for entry in redacted.audit:
        assert "Riverside" not in repr(entry)


def test_columns_holding_a_day_or_a_moment_are_dropped_but_periods_stay(write):
    survey = ("ID,Start time,Interview date,Wave,Role,What makes the role hard?\n"
              "R1,04/03/2024 09:18:46,2024-03-11,March 2024,SPLW,Nobody understands what I do\n"
              "R2,05/03/2024 14:02:10,2024-03-12,March 2024,Coach,The caseload\n")
    redacted = corpus(write("survey.csv", survey))
    assert redacted.dropped_columns == ("Interview date", "Start time")
    assert {key for d in redacted.documents for key in d.attributes} >= {"Wave", "Role"}
    assert all("Start time" not in d.attributes for d in redacted.documents)


def test_redact_command_jsonl_contract(write, tmp_path):
    rows = [{"id": "c1", "text": "  Call Sarah on 07700 900123 please", "site": "North"}]
    path = write("c.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["redact", str(path), "--out", str(out), "--no-ner"])
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in (out / "c.jsonl").read_text().splitlines()]
    assert record["id"] == "c1"
    original = rows[0]["text"]
    labels = {e["label"]: original[e["start"]:e["end"]] for e in record["entities"]}
    assert labels == {"PERSON": "Sarah", "PHONE": "07700 900123"}  # offsets into the ORIGINAL
    assert "Sarah" not in json.dumps(record) and "07700" not in json.dumps(record)


def test_redact_command_same_format_keeps_the_table(write, tmp_path):
    path = write("survey.csv", SURVEY)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["redact", str(path), "--out", str(out), "--format", "same", "--no-ner"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "survey.csv", dtype=str, keep_default_na=False)
    assert list(table.columns) == ["ID", "Role", "What makes the role hard?"]
    assert table.loc[0, "What makes the role hard?"].startswith("Nobody at [ORGANISATION_1]")
    assert table.loc[1, "What makes the role hard?"] == ""


def test_key_only_when_asked_and_never_inside_the_outputs(write, tmp_path):
    path = write("int.txt", TRANSCRIPT)
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["redact", str(path), "--out", str(out), "--no-ner"]).exit_code == 0
    assert not any("Sarah" in p.read_text() for p in out.rglob("*") if p.is_file())
    inside = CliRunner().invoke(main, ["redact", str(path), "--out", str(out), "--key", str(out / "k.json")])
    assert inside.exit_code == 2 and "keep the re-identification key elsewhere" in inside.output
    key = tmp_path / "key.json"
    assert CliRunner().invoke(main, ["redact", str(path), "--out", str(out), "--no-ner",
                                     "--key", str(key)]).exit_code == 0
    assert "Sarah Jones" in key.read_text()


def test_redact_command_txt_and_partial_failure(write, tmp_path):
    good = write("int.txt", TRANSCRIPT)
    write("empty.txt", b"")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["redact", str(good.parent), "--out", str(out), "--format", "txt", "--no-ner"])
    assert result.exit_code == 1
    assert "rejected:" in result.output and "empty.txt" in result.output
    assert (out / "int.txt").read_text().startswith("Interviewer: Who supports you?")
