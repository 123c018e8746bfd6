"""REFI-QDA project export and import (.qdpx): schema, offsets, round trip, robustness."""

from __future__ import annotations

import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import etree

import qualcode.export
from qualcode.errors import InputError, QualcodeError, UsageError
from qualcode.export import (QdpxCode, QdpxProject, QdpxSelection, QdpxSource, read_qdpx,
                             write_qdpx)
from qualcode.export.guids import code_guid, source_guid, user_guid
from qualcode.export.schemas import project_schema
from qualcode.model import (INTERVIEWER, PARTICIPANT, RESPONDENT, SURVEY, TRANSCRIPT, Code,
                            Codebook, Coding, Document, Segment, frozen_mapping)

NS = {"q": "urn:QDA-XML:project:1.0"}
# A fixed creation time: exports are byte-identical only at the same time.
CREATED = datetime(2024, 5, 1, 10, 0, tzinfo=timezone.utc)

INT_01 = ("Interviewer: How has work been?\n"
          "P1: Honestly “exhausting”, the café shifts run late 😀 and I’m on my own.\n"
          "Interviewer: Anyone to talk to?\n"
          "P1: Not really, no one to bounce ideas off. Émilie left.\n")
INT_02 = ("Interviewer: And support?\n"
          "P2: My peer group 🙂 meets monthly, that “helps” a lot.\n")
SURVEY_TEXT = "Too much overtime, no peers nearby.\n\nNothing else — thanks."


def _turns(doc_id: str, text: str) -> list[Segment]:
    segments, offset = [], 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        start = offset + line.index(":") + 2
        end = offset + len(line.rstrip("\n"))
        role = INTERVIEWER if line.startswith("Interviewer") else PARTICIPANT
        segments.append(Segment(f"{doc_id}:{number}", doc_id, start, end, text[start:end],
                                line.split(":")[0], role))
        offset += len(line)
    return segments


def _survey_segments(doc_id: str, text: str) -> list[Segment]:
    first, second = text.split("\n\n")
    return [Segment(f"{doc_id}:1", doc_id, 0, len(first), first, None, RESPONDENT),
            Segment(f"{doc_id}:2", doc_id, len(first) + 2, len(text), second, None, RESPONDENT)]


DOCUMENTS = [
    Document("int_01.txt", INT_01, TRANSCRIPT, "int_01.txt",
             frozen_mapping({"case": "P1", "site": "North", "age": "34"})),
    Document("int_02.txt", INT_02, TRANSCRIPT, "int_02.txt",
             frozen_mapping({"case": "P2", "site": "South", "age": "51"})),
    Document("survey.csv#R7", SURVEY_TEXT, SURVEY, "survey.csv",
             frozen_mapping({"respondent_id": "007", "site": "North", "age": "28.5"})),
]
SEGMENTS = (_turns("int_01.txt", INT_01) + _turns("int_02.txt", INT_02)
            + _survey_segments("survey.csv#R7", SURVEY_TEXT))
CODEBOOK = Codebook((
    Code("workload", "Workload", "Demands of the job.", colour="#aa3300"),
    Code("overtime", "Overtime", "Working beyond contracted hours.", parent="workload"),
    Code("isolation", "Isolation", "Feeling professionally alone.", colour="#3366cc"),
    Code("support", "Support", "Help from others."),
    Code("peer_support", "Peer support", "Help from people in the same role.", parent="support"),
), name="supervision")
CODINGS = [
    Coding("int_01.txt:2", "overtime", "human", 1.0, "", "alice"),
    Coding("int_01.txt:2", "isolation", "human", 1.0, "", "alice"),
    Coding("int_01.txt:4", "isolation", "human", 1.0, "", "alice"),
    Coding("int_02.txt:2", "peer_support", "human", 1.0, "", "alice"),
    Coding("survey.csv#R7:1", "overtime", "human", 1.0, "", "alice"),
    Coding("int_01.txt:2", "overtime", "semantic", 0.81, "nearest example: shifts run late",
           "qualcode:semantic"),
    Coding("int_01.txt:4", "isolation", "semantic", 0.77, "bounce ideas off", "qualcode:semantic"),
    Coding("survey.csv#R7:1", "isolation", "semantic", 0.6, "no peers", "qualcode:semantic"),
]


def _export(path: Path, **options) -> Path:
    options.setdefault("created", CREATED)
    return write_qdpx(path, DOCUMENTS, CODEBOOK, CODINGS, segments=SEGMENTS, **options)


def _project_xml(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("project.qde"))


def _key(coding: Coding) -> tuple[str, str, str]:
    return coding.segment_id, coding.code_id, coding.coder


# Export -----------------------------------------------------------------------------------

def test_public_api_is_pinned():
    assert qualcode.export.__all__ == ["QdpxCode", "QdpxProject", "QdpxSelection", "QdpxSource",
                                       "QdpxUser", "read_qdpx", "write_qdpx"]


def test_export_validates_against_the_refi_project_schema(tmp_path):
    schema = project_schema()
    for options in ({}, {"cases_from": "site"}, {"cases_from": None}, {"offsets": "utf16"}):
        path = _export(tmp_path / "project.qdpx", **options)
        with zipfile.ZipFile(path) as archive:
            schema.validate(archive.read("project.qde").decode("utf-8"))


def test_export_layout_is_what_importers_need(tmp_path):
    path = _export(tmp_path / "project.qdpx")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert names[0] == "project.qde"
        assert sorted(names[1:]) == sorted(f"sources/{source_guid(d.id)}.txt" for d in DOCUMENTS)
        for name in names:
            data = archive.read(name)
            assert not data.startswith(b"\xef\xbb\xbf"), f"{name} has a byte-order mark"
            assert b"\r" not in data, f"{name} has a CR"
        assert archive.read("project.qde").startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<')
        text = archive.read(f"sources/{source_guid('int_01.txt')}.txt").decode("utf-8")
    assert text == INT_01
    root = _project_xml(path)
    assert [etree.QName(child).localname for child in root] == [
        "Users", "CodeBook", "Variables", "Sources"]
    source = root.find("q:Sources/q:TextSource[@name='int_01.txt']", NS)
    assert source.get("plainTextPath") == f"internal://{source_guid('int_01.txt')}.txt"
    grouped = _project_xml(_export(tmp_path / "grouped.qdpx", cases_from="site"))
    assert [etree.QName(child).localname for child in grouped] == [
        "Users", "CodeBook", "Variables", "Cases", "Sources"]


def test_crlf_in_a_text_is_exported_as_lf_with_offsets_moved(tmp_path):
    text = "Interviewer: Hi\r\nP1: Fine, thanks.\r\n"
    document = Document("crlf.txt", text, TRANSCRIPT, "crlf.txt")
    start = text.index("Fine")
    segment = Segment("crlf.txt:2", "crlf.txt", start, start + 12, "Fine, thanks", "P1",
                      PARTICIPANT)
    path = write_qdpx(tmp_path / "p.qdpx", [document], CODEBOOK,
                      [Coding(segment.id, "support", "human", 1.0, "", "bob")], segments=[segment])
    selection = _project_xml(path).find(".//q:PlainTextSelection", NS)
    with zipfile.ZipFile(path) as archive:
        exported = archive.read(f"sources/{source_guid('crlf.txt')}.txt").decode("utf-8")
    assert "\r" not in exported
    assert exported[int(selection.get("startPosition")):int(selection.get("endPosition"))] == \
        "Fine, thanks"


def test_selections_count_code_points_and_end_is_exclusive(tmp_path):
    path = _export(tmp_path / "project.qdpx")
    root = _project_xml(path)
    segments = {segment.id: segment for segment in SEGMENTS}
    with zipfile.ZipFile(path) as archive:
        texts = {d.id: archive.read(f"sources/{source_guid(d.id)}.txt").decode("utf-8")
                 for d in DOCUMENTS}
    checked = 0
    for document in DOCUMENTS:
        source = root.find(f"q:Sources/q:TextSource[@name='{document.id}']", NS)
        for selection in source.findall("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert texts[document.id][start:end] in {s.text for s in segments.values()}
            checked += 1
    assert checked == len(CODINGS)  # one selection per coding
    # After the emoji and the curly quotes: a UTF-16 or byte count would be off here.
    turn = segments["int_01.txt:4"]
    assert INT_01.index("😀") < turn.start
    selection = root.find(f".//q:PlainTextSelection[@startPosition='{turn.start}']", NS)
    assert selection is not None and selection.get("endPosition") == str(turn.end)


def test_codes_users_and_codings_reference_each_other(tmp_path):
    root = _project_xml(_export(tmp_path / "project.qdpx"))
    users = {u.get("name"): u.get("guid") for u in root.findall("q:Users/q:User", NS)}
    assert users == {"alice": user_guid("alice"),
                     "qualcode:semantic": user_guid("qualcode:semantic")}
    workload = root.find("q:CodeBook/q:Codes/q:Code[@name='Workload']", NS)
    assert workload.get("guid") == code_guid("workload")
    assert workload.get("color") == "#aa3300"
    assert workload.find("q:Description", NS).text.startswith("Demands of the job.")
    assert [c.get("name") for c in workload.findall("q:Code", NS)] == ["Overtime"]
    code_guids = {c.get("guid") for c in root.iterfind(".//q:Code", NS)}
    machine = [s for s in root.iterfind(".//q:PlainTextSelection", NS)
               if s.get("creatingUser") == users["qualcode:semantic"]]
    assert len(machine) == 3
    assert "confidence 0.81" in machine[0].find("q:Description", NS).text
    for coding in root.iterfind(".//q:Coding", NS):
        assert coding.find("q:CodeRef", NS).get("targetGUID") in code_guids
        assert coding.get("creatingUser") in users.values()


def test_each_document_carries_its_attributes_as_typed_variables(tmp_path):
    root = _project_xml(_export(tmp_path / "project.qdpx"))
    types = {v.get("name"): v.get("typeOfVariable")
             for v in root.findall("q:Variables/q:Variable", NS)}
    # "007" keeps its zeros as Text; age mixes 34 and 28.5, so Float.
    assert types == {"age": "Float", "case": "Text", "respondent_id": "Text", "site": "Text"}
    # A case per document would only repeat the document: none is written.
    assert root.find("q:Cases", NS) is None
    respondent = root.find("q:Sources/q:TextSource[@name='survey.csv#R7']", NS)
    values = {v.find("q:VariableRef", NS).get("targetGUID"): v[1].text
              for v in respondent.findall("q:VariableValue", NS)}
    assert sorted(values.values()) == ["007", "28.5", "North"]


def test_cases_from_an_attribute_group_documents(tmp_path):
    root = _project_xml(_export(tmp_path / "project.qdpx", cases_from="site"))
    cases = {c.get("name"): c for c in root.findall("q:Cases/q:Case", NS)}
    assert set(cases) == {"North", "South"}
    assert len(cases["North"].findall("q:SourceRef", NS)) == 2
    # The two North documents disagree on age, so the case holds only what they share.
    assert len(cases["North"].findall("q:VariableValue", NS)) == 1


def test_cases_from_an_attribute_no_document_has_is_an_error(tmp_path):
    with pytest.raises(UsageError, match="no document has that attribute"):
        _export(tmp_path / "project.qdpx", cases_from="participant")


def test_variables_limits_the_attributes_exported(tmp_path):
    root = _project_xml(_export(tmp_path / "project.qdpx", variables=["site"]))
    assert [v.get("name") for v in root.findall("q:Variables/q:Variable", NS)] == ["site"]
    assert b"007" not in etree.tostring(root)


def test_codings_may_come_from_a_generator(tmp_path):
    path = write_qdpx(tmp_path / "p.qdpx", DOCUMENTS, CODEBOOK, (c for c in CODINGS),
                      segments=iter(SEGMENTS), created=CREATED)
    assert path.read_bytes() == _export(tmp_path / "q.qdpx").read_bytes()


def test_two_exports_are_byte_identical(tmp_path):
    first = _export(tmp_path / "a.qdpx").read_bytes()
    again = write_qdpx(tmp_path / "b.qdpx", list(reversed(DOCUMENTS)), CODEBOOK,
                       list(reversed(CODINGS)), segments=list(reversed(SEGMENTS)),
                       created=CREATED).read_bytes()
    assert first == again


def test_redacted_texts_are_exported_instead_of_the_originals(tmp_path):
    redacted = {d.id: d.text.replace("Émilie", "[PERSON]") for d in DOCUMENTS}
    segments = _turns("int_01.txt", redacted["int_01.txt"]) + SEGMENTS[4:]
    path = write_qdpx(tmp_path / "p.qdpx", DOCUMENTS, CODEBOOK, CODINGS, segments=segments,
                      texts=redacted)
    with zipfile.ZipFile(path) as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist())
    assert "Émilie".encode() not in everything and b"[PERSON]" in everything


def test_a_missing_redacted_text_is_an_error_not_a_leak(tmp_path):
    texts = {"int_01.txt": INT_01}
    with pytest.raises(UsageError, match="int_02.txt"):
        _export(tmp_path / "p.qdpx", texts=texts)
    assert not (tmp_path / "p.qdpx").exists()


def test_duplicate_document_ids_are_an_error(tmp_path):
    with pytest.raises(UsageError, match="two documents"):
        write_qdpx(tmp_path / "p.qdpx", DOCUMENTS + DOCUMENTS[:1], CODEBOOK, CODINGS,
                   segments=SEGMENTS)


@pytest.mark.parametrize("coding, problem", [
    (Coding("int_01.txt:2", "burnout", "human", 1.0, "", "alice"), "not in the codebook"),
    (Coding("int_09.txt:1", "isolation", "human", 1.0, "", "alice"), "not among the segments"),
])
def test_codings_that_cannot_be_placed_are_errors(tmp_path, coding, problem):
    with pytest.raises(UsageError, match=problem):
        write_qdpx(tmp_path / "p.qdpx", DOCUMENTS, CODEBOOK, [coding], segments=SEGMENTS)


def test_a_failed_write_leaves_no_file_and_keeps_the_old_one(tmp_path, monkeypatch):
    target = tmp_path / "project.qdpx"
    calls = []

    def failing_writestr(self, info, data, *args, **kwargs):
        calls.append(info)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return original(self, info, data, *args, **kwargs)

    original = zipfile.ZipFile.writestr
    monkeypatch.setattr(zipfile.ZipFile, "writestr", failing_writestr)
    with pytest.raises(UsageError, match="cannot write the project"):
        _export(target)
    assert list(tmp_path.iterdir()) == []

    monkeypatch.setattr(zipfile.ZipFile, "writestr", original)
    before = _export(target).read_bytes()
    calls.clear()
    monkeypatch.setattr(zipfile.ZipFile, "writestr", failing_writestr)
    with pytest.raises(UsageError):
        _export(target)
    assert target.read_bytes() == before
    assert list(tmp_path.iterdir()) == [target]


def test_writing_into_a_missing_folder_says_what_to_do(tmp_path):
    with pytest.raises(UsageError, match="choose a folder"):
        _export(tmp_path / "nowhere" / "p.qdpx")


# Round trip -------------------------------------------------------------------------------

def test_round_trip_keeps_every_code_and_coding(tmp_path):
    project = read_qdpx(_export(tmp_path / "project.qdpx"))
    assert isinstance(project, QdpxProject) and project.problems == ()
    assert project.origin.startswith("qualcode")
    assert [(c.id, c.name, c.parent, c.colour) for c in project.codebook.codes] == [
        (c.id, c.name, c.parent, c.colour) for c in CODEBOOK.codes]
    assert [c.definition for c in project.codebook.codes] == [c.definition for c in CODEBOOK.codes]
    assert {u.name for u in project.users} == {"alice", "qualcode:semantic"}

    segments = {s.id: s for s in SEGMENTS}
    expected = {(segments[c.segment_id].doc_id, segments[c.segment_id].start,
                 segments[c.segment_id].end, c.code_id, c.coder) for c in CODINGS}
    ids = {code.guid: code.code_id for code in project.codes}
    found = {(project.source(s.source_guid).name, s.start, s.end, ids[guid], s.coder)
             for s in project.selections for guid in s.code_guids}
    assert found == expected
    for document in DOCUMENTS:
        assert project.source(document.id).text == document.text

    by_document: dict[str, list[Segment]] = {}
    for segment in SEGMENTS:
        by_document.setdefault(segment.doc_id, []).append(segment)
    codings = project.codings_for(by_document)
    assert {_key(c) for c in codings} == {_key(c) for c in CODINGS}
    assert project.codings_for(by_document, CODEBOOK) == codings
    assert {(c.method, c.confidence, c.evidence) for c in codings} == {("human", 1.0, "")}


# Import from other tools ------------------------------------------------------------------

def _qdpx(path: Path, xml: str, files: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", xml.encode("utf-8"))
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return path


USER = "5c94bc9e-db8c-4f1d-9cd6-e900c7440860"
SOURCE = "a2b94468-80a5-412f-92d6-e900d97b55a6"
CATEGORY = "0d5f1a8e-2b7c-4e0d-9a51-3c6f7e8d9a01"
CODE_A = "2dfba8c9-59f5-4424-99d6-ea9bce18134b"
CODE_B = "1b594544-2954-4b67-86ff-fb552f090ba8"


def _project(origin: str, source: str, selections: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Coded elsewhere" origin="{origin}"
         creationDateTime="2024-05-01T10:00:00Z">
<Users><User guid="{USER}" name="Dana"/></Users>
<CodeBook><Codes>
 <Code guid="{CATEGORY}" name="Feelings" isCodable="false">
  <Code guid="{CODE_A}" name="Work-life balance" isCodable="true" color="#F0A">
   <Description>Juggling work and home.</Description>
  </Code>
 </Code>
 <Code guid="{CODE_B.upper()}" name="Peer support" isCodable="true"/>
</Codes></CodeBook>
<Sources>{source.replace("SELECTIONS", selections)}</Sources>
</Project>"""


def _selection(start: int, end: int, code: str = CODE_A,
               guid: str = "08cbced0-d736-44c8-8fd6-eb4d29fe46c5") -> str:
    return f"""<PlainTextSelection guid="{guid}" name="" startPosition="{start}"
 endPosition="{end}" creatingUser="{USER}" creationDateTime="2024-05-02T03:36:36Z">
 <Description/>
 <Coding guid="76414714-63c4-4a25-a47e-66fef80bd52e" creatingUser="{USER}">
  <CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>"""


def _text_source(name: str = "int_01.txt") -> str:
    return (f'<TextSource guid="{SOURCE}" name="{name}" plainTextPath="internal://{SOURCE}.txt" '
            f'creatingUser="{USER}" creationDateTime="2024-05-01T10:00:00Z">'
            "SELECTIONS</TextSource>")


def test_reads_a_minimal_qualcoder_project(tmp_path):
    # QualCoder writes its text files with a byte-order mark and its offsets on LF text.
    turn = SEGMENTS[1]
    xml = _project("QualCoder 3.6", _text_source(), _selection(turn.start, turn.end))
    path = _qdpx(tmp_path / "qc.qdpx", xml,
                 {f"sources/{SOURCE}.txt": b"\xef\xbb\xbf" + INT_01.encode("utf-8")})
    project = read_qdpx(path)
    assert project.problems == ()
    assert project.name == "Coded elsewhere"
    assert [(c.name, c.code_id, c.codable) for c in project.codes] == [
        ("Feelings", "feelings", False), ("Work-life balance", "work_life_balance", True),
        ("Peer support", "peer_support", True)]
    assert project.codes[1].parent_guid == CATEGORY and project.codes[1].colour == "#FF00AA"
    assert project.source("int_01.txt").text == INT_01
    [selection] = project.selections
    assert (selection.start, selection.end, selection.coder) == (turn.start, turn.end, "Dana")
    codings = project.codings_for({"int_01.txt": _turns("int_01.txt", INT_01)})
    assert codings == [Coding("int_01.txt:2", "work_life_balance", "human", 1.0, "", "Dana")]
    mapped = project.codings_for({"int_01.txt": _turns("int_01.txt", INT_01)},
                                 {"Work-life balance": "workload"})
    assert [c.code_id for c in mapped] == ["workload"]


def test_codes_match_a_codebook_by_name(tmp_path):
    turn = SEGMENTS[5]  # int_02.txt:2, "My peer group ..."
    xml = _project("MAXQDA 2022", _text_source("int_02.txt"),
                   _selection(turn.start, turn.end, CODE_B))
    project = read_qdpx(_qdpx(tmp_path / "m.qdpx", xml, {f"Sources/{SOURCE}.txt": INT_02.encode()}))
    codings = project.codings_for({"int_02.txt": _turns("int_02.txt", INT_02)}, CODEBOOK)
    assert [(c.segment_id, c.code_id) for c in codings] == [("int_02.txt:2", "peer_support")]


def test_crlf_counted_as_two_characters_is_mapped_onto_lf_text(tmp_path):
    crlf = INT_01.replace("\n", "\r\n")
    turn = SEGMENTS[3]  # the fourth line: three CRs before it
    start, end = turn.start + 3, turn.end + 3
    assert crlf[start:end] == turn.text
    # NVivo also counts the emoji of the second line as two (UTF-16 code units).
    xml = _project("NVivo 14", _text_source(), _selection(start + 1, end + 1))
    path = _qdpx(tmp_path / "nv.qdpx", xml, {f"sources/{SOURCE}.txt": crlf.encode("utf-8")})
    project = read_qdpx(path)
    assert project.source(SOURCE).text == INT_01
    [selection] = project.selections
    assert INT_01[selection.start:selection.end] == turn.text
    # ATLAS.ti counts CRLF as one character: the same file means other offsets there.
    xml = _project("ATLAS.ti 23", _text_source(), _selection(turn.start, turn.end))
    atlas = read_qdpx(_qdpx(tmp_path / "at.qdpx", xml,
                            {f"sources/{SOURCE}.txt": crlf.encode("utf-8")}))
    assert (atlas.selections[0].start, atlas.selections[0].end) == (turn.start, turn.end)


def test_inline_plain_text_content_is_read(tmp_path):
    source = (f'<TextSource guid="{{{SOURCE.upper()}}}" name="notes">'
              f"<PlainTextContent>{INT_02}</PlainTextContent>SELECTIONS</TextSource>")
    project = read_qdpx(_qdpx(tmp_path / "inline.qdpx", _project("Quirkos", source, "")))
    assert project.source(SOURCE).text == INT_02
    # Selections follow the PlainTextContent in the schema's order.
    source = source.replace("</PlainTextContent>SELECTIONS",
                            "</PlainTextContent>" + _selection(0, 5))
    project = read_qdpx(_qdpx(tmp_path / "inline2.qdpx", _project("Quirkos", source, "")))
    assert project.selections[0].source_guid == SOURCE


def test_a_selection_outside_its_text_is_reported_not_fatal(tmp_path):
    outside = "d61907b2-d0d4-48dc-b8b7-5e4f7ae5faa6"
    selections = _selection(5, 15) + _selection(10, 9_999, guid=outside)
    xml = _project("MAXQDA 2022", _text_source(), selections)
    files = {f"sources/{SOURCE}.txt": INT_01.encode()}
    project = read_qdpx(_qdpx(tmp_path / "bad.qdpx", xml, files))
    assert len(project.selections) == 1
    [problem] = project.problems
    assert outside in problem and "9999" in problem


def test_missing_text_files_and_unknown_codes_are_reported(tmp_path):
    selections = _selection(0, 5, code="99999999-2954-4b67-86ff-fb552f090ba8")
    xml = _project("NVivo", _text_source(), selections)
    project = read_qdpx(_qdpx(tmp_path / "gaps.qdpx", xml))
    assert project.source(SOURCE).text is None
    assert any("missing from the project" in p for p in project.problems)
    assert any("not in the codebook" in p for p in project.problems)


def test_nvivo_cases_written_as_codes_are_not_themes(tmp_path):
    case = "c0ffee00-0000-4000-8000-000000000001"
    xml = _project("NVivo 14", _text_source(), _selection(0, 10) + _selection(
        20, 30, code=case, guid="c0ffee00-0000-4000-8000-000000000002"))
    xml = xml.replace("</Codes>", f'<Code guid="{case}" name="P1" isCodable="true"/></Codes>')
    xml = xml.replace("<Sources>", f'<Cases><Case guid="{case}" name="P1"/></Cases><Sources>')
    project = read_qdpx(_qdpx(tmp_path / "nv.qdpx", xml, {f"sources/{SOURCE}.txt": b"x" * 40}))
    assert "P1" not in [code.name for code in project.codes]
    assert "p1" not in project.codebook.ids
    assert len(project.selections) == 1 and project.problems == ()


def _coded(text: str, segments: list[Segment], start: int, end: int) -> list[str]:
    selection = QdpxSelection("s", "g", start, end, ("c",), "Dana")
    project = QdpxProject("p.qdpx", "p", "", (), (QdpxCode("c", "c", "C", None, None, ""),),
                          (QdpxSource("g", "d", text),), (selection,), Codebook(()))
    return [coding.segment_id for coding in project.codings_for({"d": segments})]


def test_selections_code_segments_they_overlap_by_half_the_shorter():
    text = "Interviewer: Q?\nP1: aaaa bbbb cccc dddd\nP1: eeee\n"
    segments = _turns("d", text)
    long_turn, short_turn = segments[1], segments[2]
    assert _coded(text, segments, long_turn.start + 5, long_turn.start + 9) == ["d:2"]  # a phrase
    assert _coded(text, segments, long_turn.start, short_turn.start + 1) == ["d:2"]  # clips next
    assert _coded(text, segments, long_turn.start + 10, short_turn.end) == ["d:2", "d:3"]
    assert _coded(text, segments, long_turn.start + 12, short_turn.end) == ["d:3"]  # < half of d:2
    assert _coded(text, segments, 0, long_turn.start - 1) == []  # interviewer turns: never
    assert _coded(text, [], long_turn.start, long_turn.end) == []


@pytest.mark.parametrize("make, problem", [
    (lambda p: p.write_bytes(b"not a zip at all"), "not a REFI-QDA project"),
    (lambda p: zipfile.ZipFile(p, "w").writestr("sources/x.txt", b"hi"), "no project.qde"),
    (lambda p: _qdpx(p, "<Project xmlns='urn:QDA-XML:project:1.0'><Users>"), "not well-formed XML"),
    (lambda p: _qdpx(p, "<CodeBook xmlns='urn:QDA-XML:codebook:1.0'/>"), "not <Project>"),
    (lambda p: p.write_bytes(_export_bytes(p)[:300]), "not a REFI-QDA project"),
])
def test_malformed_projects_give_one_clear_error(tmp_path, make, problem):
    path = tmp_path / "broken.qdpx"
    make(path)
    with pytest.raises(InputError, match=problem) as caught:
        read_qdpx(path)
    assert str(path) in str(caught.value) and "export it again" in str(caught.value)
    assert isinstance(caught.value, QualcodeError)


def _export_bytes(path: Path) -> bytes:
    return _export(path.with_name("whole.qdpx")).read_bytes()


def test_a_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_qdpx(tmp_path / "absent.qdpx")
