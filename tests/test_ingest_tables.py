"""Survey exports (.csv, .xlsx) and JSON Lines: one document per row."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from qualcode.errors import InputError
from qualcode.ingest import IngestOptions, read_source
from qualcode.ingest.source import Source
from qualcode.model import RESPONDENT, SURVEY
from qualcode.segment import segment

CSV = (
    "ID,Start time,Role,Locality,Wave,What support do you get?,What makes the role hard?\n"
    "R001,01/03/2024 09:12,SPLW,Coastal,Baseline,Monthly group supervision with other link workers,"
    "Being the only one in the practice is very isolating\n"
    "R002,01/03/2024 09:40,Care coordinator,Central,Follow-up,,\"Caseload is far too high, I am exhausted\"\n"
    "R003,02/03/2024 10:01,SPLW,Central,Follow-up,n/a,GPs don't really understand what we do here\n"
)


def read(path, **options):
    return read_source(Source(path, path.name), IngestOptions(**options)).documents


def test_csv_rows_become_documents_with_attributes_and_answer_segments(write):
    documents = read(write("survey.csv", CSV))
    assert [d.id for d in documents] == ["survey.csv#R001", "survey.csv#R002", "survey.csv#R003"]
    assert all(d.kind == SURVEY for d in documents)
    assert documents[1].attributes["Role"] == "Care coordinator"
    assert documents[1].attributes["respondent_id"] == "R002"
    assert "What support do you get?" not in documents[1].attributes
    segments = segment(documents)
    # R002 left the first question blank: no segment for it, and ids keep the question number.
    assert [s.id for s in segments] == ["survey.csv#R001:1", "survey.csv#R001:2", "survey.csv#R002:2",
                                        "survey.csv#R003:1", "survey.csv#R003:2"]
    assert segments[2].attributes["question"] == "What makes the role hard?"
    assert segments[3].text == "n/a"  # kept, so nothing is lost; later stages set it aside
    assert all(s.role == RESPONDENT for s in segments)
    for document in documents:
        for s in segment([document]):
            assert s.text == document.text[s.start:s.end]


def test_named_text_column_overrides_detection(write):
    documents = read(write("survey.csv", CSV), text_columns=("What makes the role hard?",))
    assert [len(segment([d])) for d in documents] == [1, 1, 1]
    assert "What support do you get?" in documents[0].attributes


def test_missing_named_text_column_says_which_columns_exist(write):
    with pytest.raises(InputError, match="no column 'Comments'.*Role.*--text-column"):
        read(write("survey.csv", CSV), text_columns=("Comments",))


def test_table_without_free_text_asks_for_the_column(write):
    with pytest.raises(InputError, match="no free-text column.*--text-column"):
        read(write("scores.csv", "id,score\n1,4\n2,5\n3,2\n"))


def test_semicolon_delimited_cp1252_export(write):
    text = CSV.replace(",", ";").replace("isolating", "isolating – “truly”")
    documents = read(write("survey.csv", text.encode("cp1252")))
    assert "“truly”" in documents[0].text


def test_xlsx_survey(write):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Respondent ID", "Job role", "Survey wave", "Anything else about supervision?"])
    sheet.append(["A1", "Health and wellbeing coach", "Baseline", "Nobody appreciates what we do here"])
    sheet.append(["A2", "SPLW", "Follow-up", "Peer sessions gave me real validation this year"])
    sheet.append(["A3", "SPLW", "Follow-up", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    documents = read(write("extra.xlsx", buffer.getvalue()))
    assert [d.id for d in documents] == ["extra.xlsx#A1", "extra.xlsx#A2", "extra.xlsx#A3"]
    assert documents[0].attributes["Job role"] == "Health and wellbeing coach"
    assert len(segment(documents)) == 2


def test_jsonl_id_text_and_attributes(write):
    rows = [{"id": "c1", "text": "I feel burnt out most weeks", "site": "North"},
            {"id": "c2", "text": "Supervision helps", "site": "South", "score": 3}]
    documents = read(write("comments.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n"))
    assert [d.id for d in documents] == ["comments.jsonl#c1", "comments.jsonl#c2"]
    assert documents[1].attributes["score"] == "3"
    assert segment(documents)[0].text == "I feel burnt out most weeks"


def test_jsonl_with_a_broken_line_names_the_line(write):
    with pytest.raises(InputError, match="line 2 is not valid JSON"):
        read(write("bad.jsonl", '{"id": 1, "text": "ok"}\n{"id": 2, "text": \n'))
