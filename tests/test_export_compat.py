"""What other REFI-QDA readers need from project.qdpx: one coding per selection, file
variables, creation times, survey questions kept, and positions NVivo counts (UTF-16)."""

from __future__ import annotations

import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import etree

from qualcode.errors import UsageError
from qualcode.export import read_qdpx, write_qdpx
from qualcode.export.guids import selection_guid, source_guid
from qualcode.export.newlines import code_points, utf16_units
from qualcode.export.schemas import project_schema
from qualcode.model import (INTERVIEWER, PARTICIPANT, RESPONDENT, SURVEY, TRANSCRIPT, Code,
                            Codebook, Coding, Document, Segment, frozen_mapping)

NS = {"q": "urn:QDA-XML:project:1.0"}
CREATED = datetime(2024, 5, 1, 10, 0, tzinfo=timezone.utc)

# An emoji (two UTF-16 code units) before the participant's turn and inside it.
INTERVIEW = ("Interviewer: How are things 🙂?\n"
             "P1: Tiring 😩 since the rota changed, and no one to ask.\n")
QUESTIONS = ("What makes the job hard?", "Anything else?\n(optional)", "Contact email")
ANSWERS = ("Too much overtime 😀 and no peers nearby.", "Nothing else, thanks.", "[EMAIL]")
SURVEY_TEXT = "\n\n".join(ANSWERS)

CODEBOOK = Codebook((
    Code("workload", "Workload", "Demands of the job."),
    Code("isolation", "Isolation", "Feeling professionally alone."),
    Code("support", "Support", "Help from others."),
), name="supervision")


def _interview_segments() -> list[Segment]:
    first, second = INTERVIEW.splitlines(keepends=True)
    question_start = first.index(":") + 2
    answer_start = len(first) + second.index(":") + 2
    answer_end = len(INTERVIEW) - 1
    return [Segment("int.txt:1", "int.txt", question_start, len(first) - 1,
                    INTERVIEW[question_start:len(first) - 1], "Interviewer", INTERVIEWER),
            Segment("int.txt:2", "int.txt", answer_start, answer_end,
                    INTERVIEW[answer_start:answer_end], "P1", PARTICIPANT)]


def _survey_segments() -> list[Segment]:
    segments, start = [], 0
    for number, (question, answer) in enumerate(zip(QUESTIONS, ANSWERS), start=1):
        segments.append(Segment(f"survey.csv#R1:{number}", "survey.csv#R1", start,
                                start + len(answer), answer, None, RESPONDENT,
                                frozen_mapping({"question": question})))
        start += len(answer) + 2
    return segments


DOCUMENTS = [
    Document("int.txt", INTERVIEW, TRANSCRIPT, "int.txt",
             frozen_mapping({"case": "P1", "site": "North", "age": "34"})),
    Document("survey.csv#R1", SURVEY_TEXT, SURVEY, "survey.csv",
             frozen_mapping({"case": "R1", "site": "North", "age": "41",
                             "email": "someone@example.org"})),
]
SEGMENTS = _interview_segments() + _survey_segments()
# Several codes on one segment, by two coders, one of them a machine with evidence.
CODINGS = [
    Coding("int.txt:2", "workload", "human", 1.0, "", "alice"),
    Coding("int.txt:2", "isolation", "human", 1.0, "", "alice"),
    Coding("int.txt:2", "isolation", "human", 1.0, "", "bob"),
    Coding("int.txt:2", "workload", "semantic", 0.74, "rota changed", "qualcode:semantic"),
    Coding("survey.csv#R1:1", "workload", "human", 1.0, "", "alice"),
    Coding("survey.csv#R1:1", "isolation", "human", 1.0, "", "bob"),
    Coding("survey.csv#R1:1", "isolation", "semantic", 0.6, "no peers", "qualcode:semantic"),
]


def _write(path: Path, **options) -> Path:
    """Export with the fixtures above; every project written is checked against the schema."""
    options.setdefault("created", CREATED)
    path = write_qdpx(path, options.pop("documents", DOCUMENTS), CODEBOOK,
                      options.pop("codings", CODINGS), segments=SEGMENTS, **options)
    project_schema().validate(_qde(path))
    return path


def _qde(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde")


def _root(path: Path) -> etree._Element:
    return etree.fromstring(_qde(path))


def _source(root: etree._Element, name: str) -> etree._Element:
    return root.find(f"q:Sources/q:TextSource[@name='{name}']", NS)


def _exported_text(path: Path, document_id: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(f"sources/{source_guid(document_id)}.txt").decode("utf-8")


def _by_document(segments: list[Segment]) -> dict[str, list[Segment]]:
    grouped: dict[str, list[Segment]] = {}
    for segment in segments:
        grouped.setdefault(segment.doc_id, []).append(segment)
    return grouped


def _key(coding: Coding) -> tuple[str, str, str]:
    return coding.segment_id, coding.code_id, coding.coder


# One coding per selection ------------------------------------------------------------------

def test_every_selection_holds_exactly_one_coding(tmp_path):
    root = _root(_write(tmp_path / "p.qdpx"))
    selections = root.findall(".//q:PlainTextSelection", NS)
    assert len(selections) == len(CODINGS)
    assert all(len(s.findall("q:Coding", NS)) == 1 for s in selections)
    guids = [s.get("guid") for s in selections]
    assert len(set(guids)) == len(guids)
    assert set(guids) == {selection_guid(c.segment_id, c.coder, c.code_id) for c in CODINGS}


def test_a_selection_memo_explains_only_its_own_coding(tmp_path):
    root = _root(_write(tmp_path / "p.qdpx"))
    turn = _source(root, "int.txt")
    memos = [s.find("q:Description", NS) for s in turn.findall("q:PlainTextSelection", NS)]
    texts = [memo.text for memo in memos if memo is not None]
    assert texts == ["semantic, confidence 0.74; rota changed"]  # people's codings need none


def test_round_trip_gives_back_exactly_the_codings_written(tmp_path):
    project = read_qdpx(_write(tmp_path / "p.qdpx"))
    assert project.problems == ()
    codings = project.codings_for(_by_document(SEGMENTS), CODEBOOK)
    assert sorted(_key(c) for c in codings) == sorted(_key(c) for c in CODINGS)
    # Each selection reads back as one selection with its one code.
    assert len(project.selections) == len(CODINGS)
    assert all(len(s.code_guids) == 1 for s in project.selections)


def test_a_repeated_coding_is_written_once(tmp_path):
    root = _root(_write(tmp_path / "p.qdpx", codings=CODINGS + CODINGS[:2]))
    assert len(root.findall(".//q:PlainTextSelection", NS)) == len(CODINGS)


# File variables ---------------------------------------------------------------------------

def test_attributes_are_variable_values_of_their_source(tmp_path):
    root = _root(_write(tmp_path / "p.qdpx", variables=["case", "site", "age"]))
    variables = {v.get("guid"): (v.get("name"), v.get("typeOfVariable"))
                 for v in root.findall("q:Variables/q:Variable", NS)}
    assert sorted(variables.values()) == [("age", "Integer"), ("case", "Text"), ("site", "Text")]
    for name, expected in (("int.txt", {"case": "P1", "site": "North", "age": "34"}),
                           ("survey.csv#R1", {"case": "R1", "site": "North", "age": "41"})):
        source = _source(root, name)
        values = {}
        for value in source.findall("q:VariableValue", NS):
            name_, kind = variables[value.find("q:VariableRef", NS).get("targetGUID")]
            assert etree.QName(value[1]).localname == f"{kind}Value"
            values[name_] = value[1].text
        assert values == expected
        # The schema's sequence: the values come after every selection.
        kinds = [etree.QName(child).localname for child in source]
        assert kinds.index("VariableValue") > max(
            (n for n, kind in enumerate(kinds) if kind == "PlainTextSelection"), default=-1)


def test_contact_columns_left_out_by_variables_are_nowhere(tmp_path):
    path = _write(tmp_path / "p.qdpx", variables=["case", "site", "age"], cases_from="site")
    assert b"someone@example.org" not in _qde(path)
    assert b'name="email"' not in _qde(path)


def test_no_case_repeats_a_document_but_grouping_cases_are_kept(tmp_path):
    assert _root(_write(tmp_path / "doc.qdpx")).find("q:Cases", NS) is None
    assert _root(_write(tmp_path / "none.qdpx", cases_from=None)).find("q:Cases", NS) is None
    root = _root(_write(tmp_path / "site.qdpx", cases_from="site"))
    [case] = root.findall("q:Cases/q:Case", NS)
    assert case.get("name") == "North"
    assert {r.get("targetGUID") for r in case.findall("q:SourceRef", NS)} == {
        source_guid(d.id) for d in DOCUMENTS}
    # Both documents are in the North case; it holds only the value they share.
    variable_of = {v.get("guid"): v.get("name") for v in root.findall("q:Variables/q:Variable", NS)}
    assert [variable_of[v.find("q:VariableRef", NS).get("targetGUID")]
            for v in case.findall("q:VariableValue", NS)] == ["site"]


# Creation times ---------------------------------------------------------------------------

def _stamps(path: Path) -> dict[str, set[str | None]]:
    root = _root(path)
    stamps = {"Project": {root.get("creationDateTime")}}
    for kind in ("TextSource", "PlainTextSelection", "Coding"):
        stamps[kind] = {e.get("creationDateTime") for e in root.iterfind(f".//q:{kind}", NS)}
    return stamps


def test_creation_time_is_written_on_project_sources_selections_and_codings(tmp_path):
    stamps = _stamps(_write(tmp_path / "p.qdpx"))
    assert stamps == {kind: {"2024-05-01T10:00:00Z"} for kind in stamps}


@pytest.mark.parametrize("created", [
    datetime(2024, 5, 1, 12, 0, 0, 999_999, tzinfo=timezone(timedelta(hours=2))),  # Paris, summer
    datetime(2024, 5, 1, 10, 0, 0),  # naive: taken as UTC
])
def test_creation_time_is_utc_in_whole_seconds(tmp_path, created):
    stamps = _stamps(_write(tmp_path / "p.qdpx", created=created))
    assert stamps["Coding"] == {"2024-05-01T10:00:00Z"}


def test_source_date_epoch_fixes_the_time_and_the_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1714557600")  # 2024-05-01T10:00:00Z
    first = _write(tmp_path / "a.qdpx", created=None).read_bytes()
    second = _write(tmp_path / "b.qdpx", created=None).read_bytes()
    assert first == second
    assert first == _write(tmp_path / "c.qdpx", created=CREATED).read_bytes()


def test_without_a_time_or_source_date_epoch_the_export_is_stamped_now(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = datetime.now(timezone.utc).replace(microsecond=0)
    [stamp] = _stamps(_write(tmp_path / "p.qdpx", created=None))["TextSource"]
    written = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    assert before <= written <= datetime.now(timezone.utc)


@pytest.mark.parametrize("epoch", ["yesterday", "-1", "1e9", "9" * 30])
def test_a_malformed_source_date_epoch_says_how_to_fix_it(tmp_path, monkeypatch, epoch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH.*whole number of seconds"):
        _write(tmp_path / "p.qdpx", created=None)


# Survey questions -------------------------------------------------------------------------

def test_survey_text_is_exported_unchanged(tmp_path):
    path = _write(tmp_path / "p.qdpx")
    assert _exported_text(path, "survey.csv#R1") == SURVEY_TEXT
    assert read_qdpx(path).source("survey.csv#R1").text == SURVEY_TEXT


def test_each_coded_answer_carries_its_question(tmp_path):
    root = _root(_write(tmp_path / "p.qdpx"))
    selections = _source(root, "survey.csv#R1").findall("q:PlainTextSelection", NS)
    assert len(selections) == 3
    for selection in selections:
        assert selection.get("name") == QUESTIONS[0]
        memo = selection.find("q:Description", NS).text
        assert memo.splitlines()[0] == f"Question: {QUESTIONS[0]}"
    # Transcript turns answer no survey question.
    assert all(s.get("name") is None
               for s in _source(root, "int.txt").findall("q:PlainTextSelection", NS))


@pytest.mark.parametrize("offsets", ["codepoints", "utf16"])
def test_the_source_description_places_every_answer_and_its_question(tmp_path, offsets):
    path = _write(tmp_path / "p.qdpx", offsets=offsets)
    description = _source(_root(path), "survey.csv#R1").find("q:Description", NS).text
    lines = description.splitlines()
    assert lines[0].startswith("Survey answers")
    count = utf16_units(SURVEY_TEXT) if offsets == "utf16" else (lambda offset: offset)
    # Every answer, coded or not; a question's line break becomes a space.
    expected = [f"{count(s.start)}-{count(s.end)}: {' '.join(q.split())}"
                for s, q in zip(_survey_segments(), QUESTIONS)]
    assert lines[1:] == expected


# Positions in code points or UTF-16 code units --------------------------------------------

def _positions(path: Path, source: str) -> set[tuple[int, int]]:
    return {(int(s.get("startPosition")), int(s.get("endPosition")))
            for s in _source(_root(path), source).findall("q:PlainTextSelection", NS)}


def test_utf16_positions_count_an_emoji_as_two(tmp_path):
    points = _write(tmp_path / "points.qdpx")
    units = _write(tmp_path / "units.qdpx", offsets="utf16")
    turn = SEGMENTS[1]
    assert _positions(points, "int.txt") == {(turn.start, turn.end)}
    # One emoji before the turn, one inside it.
    assert _positions(units, "int.txt") == {(turn.start + 1, turn.end + 2)}
    assert INTERVIEW.encode("utf-16-le")[2 * (turn.start + 1):2 * (turn.end + 2)].decode(
        "utf-16-le") == turn.text
    assert _positions(points, "survey.csv#R1") != _positions(units, "survey.csv#R1")
    assert "UTF-16" in _root(units).get("origin") and "UTF-16" not in _root(points).get("origin")


@pytest.mark.parametrize("offsets, read_as", [
    ("codepoints", None), ("codepoints", "codepoints"), ("utf16", None), ("utf16", "utf16")])
def test_both_countings_read_back_onto_the_same_characters(tmp_path, offsets, read_as):
    project = read_qdpx(_write(tmp_path / "p.qdpx", offsets=offsets), offsets=read_as)
    assert project.problems == ()
    texts = {s.guid: s.text for s in project.sources}
    segments = {(s.doc_id, s.start, s.end): s.text for s in SEGMENTS}
    names = {s.guid: s.name for s in project.sources}
    for selection in project.selections:
        placed = texts[selection.source_guid][selection.start:selection.end]
        assert placed == segments[(names[selection.source_guid], selection.start, selection.end)]
    codings = project.codings_for(_by_document(SEGMENTS))
    assert sorted(_key(c) for c in codings) == sorted(_key(c) for c in CODINGS)


def test_reading_utf16_positions_as_code_points_misplaces_them(tmp_path):
    # Why the count matters: the override is honoured even where it is wrong.
    project = read_qdpx(_write(tmp_path / "p.qdpx", offsets="utf16"), offsets="codepoints")
    survey = project.source("survey.csv#R1")
    placed = {survey.text[s.start:s.end] for s in project.selections
              if s.source_guid == survey.guid}
    assert placed == {ANSWERS[0] + "\n"}  # one unit too far: the emoji counted twice


def test_an_nvivo_project_is_read_in_utf16_code_units(tmp_path):
    # NVivo's own export: UTF-16 positions, CRLF text counted as two characters.
    crlf = INTERVIEW.replace("\n", "\r\n")
    turn = SEGMENTS[1]
    raw = crlf.encode("utf-16-le")
    start = len(crlf[:crlf.index(turn.text)].encode("utf-16-le")) // 2
    end = start + len(turn.text.encode("utf-16-le")) // 2
    assert raw[2 * start:2 * end].decode("utf-16-le") == turn.text
    guid = "a2b94468-80a5-412f-92d6-e900d97b55a6"
    code = "2dfba8c9-59f5-4424-99d6-ea9bce18134b"
    user = "5c94bc9e-db8c-4f1d-9cd6-e900c7440860"
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="n" origin="NVivo 14">
<Users><User guid="{user}" name="Dana"/></Users>
<CodeBook><Codes><Code guid="{code}" name="Workload" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="{guid}" name="int.txt" plainTextPath="internal://{guid}.txt">
<PlainTextSelection guid="08cbced0-d736-44c8-8fd6-eb4d29fe46c5" startPosition="{start}"
 endPosition="{end}" creatingUser="{user}"><Coding guid="76414714-63c4-4a25-a47e-66fef80bd52e">
<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection></TextSource></Sources></Project>"""
    path = tmp_path / "nvivo.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", xml)
        archive.writestr(f"Sources/{guid}.txt", b"\xef\xbb\xbf" + crlf.encode("utf-8"))
    project = read_qdpx(path)
    [selection] = project.selections
    assert INTERVIEW[selection.start:selection.end] == turn.text
    assert [(c.segment_id, c.code_id) for c in project.codings_for(_by_document(SEGMENTS))] == [
        ("int.txt:2", "workload")]


def test_offsets_must_be_a_known_count(tmp_path):
    with pytest.raises(UsageError, match="'codepoints'.*'utf16'"):
        _write(tmp_path / "p.qdpx", offsets="bytes")
    path = _write(tmp_path / "q.qdpx")
    with pytest.raises(UsageError, match="'codepoints'.*'utf16'"):
        read_qdpx(path, offsets="bytes")


@pytest.mark.parametrize("text", ["", "plain", "😀", "a😀b🙂\r\nc", "🙂🙂x🙂",
                                  "é\u0301👍🏽!"])
def test_utf16_units_and_code_points_are_inverse(text):
    to_units, to_points = utf16_units(text), code_points(text)
    for offset in range(len(text) + 1):
        units = to_units(offset)
        assert units == len(text[:offset].encode("utf-16-le")) // 2
        assert to_points(units) == offset


def test_a_run_refuses_an_unknown_offsets_option_before_reading_anything(tmp_path):
    from qualcode.pipeline.run import run
    from qualcode.pipeline.settings import RunOptions

    assert RunOptions().qdpx_offsets == "codepoints"
    with pytest.raises(UsageError, match="qdpx_offsets='bytes'"):
        run([tmp_path / "nothing"], tmp_path / "out", RunOptions(qdpx_offsets="bytes"))
    assert not (tmp_path / "out").exists()
