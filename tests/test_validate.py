"""qualcode validate: REFI-QDA projects and codebooks checked against the schema and the rules
a schema cannot express, from qualcode or any other program, never with a traceback."""

from __future__ import annotations

import zipfile
from importlib import resources
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner
from lxml import etree

from qualcode.cli import main
from qualcode.export import write_qdpx
from qualcode.export.guids import source_guid
from qualcode.export.schemas import codebook_schema, project_schema
from qualcode.export.validate import MAX_LISTED, validate_refi
from qualcode.model import (INTERVIEWER, PARTICIPANT, TRANSCRIPT, Code, Codebook, Coding,
                            Document, Segment)
from qualcode.codebook.qdc import write_qdc

NS = {"q": "urn:QDA-XML:project:1.0"}
TEXTS = {"a.txt": "Interviewer: How is work?\nP1: Long shifts 😀 and “no one” to ask.\n",
         "b.txt": "Interviewer: Support?\nP2: My peers help, a lot.\n"}
DOCUMENTS = [Document(doc_id, text, TRANSCRIPT, doc_id) for doc_id, text in TEXTS.items()]
CODEBOOK = Codebook((Code("isolation", "Isolation", "Feeling alone in the role."),
                     Code("support", "Support", "Help from others."),
                     Code("peer_support", "Peer support", "Help from peers.", parent="support")),
                    name="test")
CODINGS = [Coding("a.txt:2", "isolation", "human", 1.0, "", "alice"),
           Coding("b.txt:2", "peer_support", "human", 1.0, "", "alice"),
           Coding("a.txt:2", "isolation", "semantic", 0.8, "no one", "qualcode:semantic")]
MISSING_CODE = "99999999-2954-4b67-86ff-fb552f090ba8"


def _turns(doc_id: str, text: str) -> list[Segment]:
    segments, offset = [], 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        start, end = offset + line.index(":") + 2, offset + len(line.rstrip("\n"))
        role = INTERVIEWER if line.startswith("Interviewer") else PARTICIPANT
        segments.append(Segment(f"{doc_id}:{number}", doc_id, start, end, text[start:end],
                                line.split(":")[0], role))
        offset += len(line)
    return segments


SEGMENTS = [segment for doc_id, text in TEXTS.items() for segment in _turns(doc_id, text)]


def _export(path: Path) -> Path:
    return write_qdpx(path, DOCUMENTS, CODEBOOK, CODINGS, segments=SEGMENTS)


def _rewrite(source: Path, target: Path, edit: Callable[[etree._Element], None],
             drop: tuple[str, ...] = ()) -> Path:
    """A copy of the project ``source`` with its project.qde edited and members dropped."""
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist() if name not in drop}
    root = etree.fromstring(members["project.qde"])
    edit(root)
    members["project.qde"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return target


def _source(root: etree._Element, name: str) -> etree._Element:
    return root.find(f"q:Sources/q:TextSource[@name='{name}']", NS)


def _validate_cli(*paths: Path):
    return CliRunner().invoke(main, ["validate", *map(str, paths)])


# Projects written by qualcode -------------------------------------------------------------

def test_a_project_written_by_qualcode_is_valid(tmp_path):
    result = validate_refi(_export(tmp_path / "project.qdpx"))
    assert (result.valid, result.found, result.problems) == (True, 0, ())
    assert result.kind == "project" and result.path == str(tmp_path / "project.qdpx")


def test_cli_says_a_valid_project_is_valid_and_exits_0(tmp_path):
    path = _export(tmp_path / "project.qdpx")
    result = _validate_cli(path)
    assert result.exit_code == 0, result.output
    assert result.output == f"{path}: valid REFI-QDA project\n"


def _break(root: etree._Element) -> None:
    selection = _source(root, "a.txt").find("q:PlainTextSelection", NS)
    selection.set("endPosition", str(len(TEXTS["a.txt"]) + 3))
    _source(root, "b.txt").find(".//q:CodeRef", NS).set("targetGUID", MISSING_CODE)


def test_a_broken_project_gets_one_line_naming_each_problem(tmp_path):
    good = _export(tmp_path / "project.qdpx")
    removed = f"sources/{source_guid('b.txt')}.txt"
    broken = _rewrite(good, tmp_path / "broken.qdpx", _break, drop=(removed,))
    bad_selection = _source(etree.fromstring(zipfile.ZipFile(good).read("project.qde")),
                            "a.txt").find("q:PlainTextSelection", NS).get("guid")

    result = validate_refi(broken)
    assert not result.valid and result.found == 3 and len(result.problems) == 3
    assert all(line.startswith(f"{broken}: project.qde, line ") for line in result.problems)
    [position] = [line for line in result.problems if bad_selection in line]
    assert f"to {len(TEXTS['a.txt']) + 3}, past the end of its text" in position
    assert f"past the end of its text ({len(TEXTS['a.txt'])} code points" in position
    assert "source 'a.txt'" in position
    [reference] = [line for line in result.problems if MISSING_CODE in line]
    assert "<CodeRef> refers to code" in reference and "not in the codebook" in reference
    assert "source 'b.txt'" in reference
    [missing] = [line for line in result.problems if removed in line]
    assert "TextSource 'b.txt'" in missing and "not in the zip" in missing

    cli = _validate_cli(good, broken)
    assert cli.exit_code == 1
    assert cli.output.splitlines() == [f"{good}: valid REFI-QDA project", *result.problems,
                                       f"{broken}: 3 problems"]


@pytest.mark.parametrize("edit, expected", [
    # Users must come before the CodeBook in the schema's sequence.
    (lambda root: root.append(root.find("q:Users", NS)), "Unexpected child with tag"),
    (lambda root: root.find(".//q:Code", NS).attrib.pop("name"),
     "missing required attribute 'name'"),
    (lambda root: root.find(".//q:PlainTextSelection", NS).attrib.pop("startPosition"),
     "missing required attribute 'startPosition'"),
    # Not a GUID: the schema says so, and the reference check does not say it again.
    (lambda root: root.find(".//q:PlainTextSelection", NS).set("creatingUser", "nope"),
     "attribute creatingUser='nope': value doesn't match any pattern"),
])
def test_schema_violations_are_reported_with_their_line_and_path(tmp_path, edit, expected):
    broken = _rewrite(_export(tmp_path / "project.qdpx"), tmp_path / "broken.qdpx", edit)
    result = validate_refi(broken)
    [problem] = result.problems
    assert problem.startswith(f"{broken}: project.qde, line ")
    assert "does not follow the QDA-XML schema at /Project" in problem and expected in problem


def test_each_kind_of_problem_is_listed_up_to_a_limit(tmp_path):
    def many_bad_selections(root: etree._Element) -> None:
        source = _source(root, "a.txt")
        template = source.find("q:PlainTextSelection", NS)
        template.set("endPosition", "10000")
        for _ in range(MAX_LISTED + 4):
            source.append(etree.fromstring(etree.tostring(template)))

    broken = _rewrite(_export(tmp_path / "p.qdpx"), tmp_path / "many.qdpx", many_bad_selections)
    result = validate_refi(broken)
    assert result.found == MAX_LISTED + 5
    assert len(result.problems) == MAX_LISTED + 1
    assert result.problems[-1] == (f"{broken}: ... and 5 more position problems like those "
                                   "above")
    cli = _validate_cli(broken)
    assert cli.exit_code == 1 and cli.output.endswith(f"{broken}: {MAX_LISTED + 5} problems\n")


# Files that are not projects --------------------------------------------------------------

def _zip(path: Path, members: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)


@pytest.mark.parametrize("make, expected", [
    (lambda p: p.write_bytes(b"not a zip at all"), "is not a REFI-QDA project"),
    (lambda p: _zip(p, {"sources/x.txt": "hi"}), "holds no project.qde"),
    (lambda p: _zip(p, {"project.qde": "<Project xmlns='urn:QDA-XML:project:1.0'><Users>"}),
     "project.qde: line 1: not well-formed XML"),
    (lambda p: _zip(p, {"project.qde": "<CodeBook xmlns='urn:QDA-XML:codebook:1.0'/>"}),
     "not <Project>"),
])
def test_a_file_that_cannot_be_read_is_one_problem(tmp_path, make, expected):
    path = tmp_path / "broken.qdpx"
    make(path)
    result = validate_refi(path)
    assert result.found == 1 and not result.valid
    [problem] = result.problems
    assert problem.startswith(f"{path}: ") and expected in problem
    cli = _validate_cli(path)
    assert cli.exit_code == 1
    assert cli.output == f"{problem}\n{path}: 1 problem\n"


def test_a_missing_file_is_a_problem_from_python_and_bad_usage_from_the_cli(tmp_path):
    [problem] = validate_refi(tmp_path / "absent.qdpx").problems
    assert "no such file" in problem
    assert _validate_cli(tmp_path / "absent.qdpx").exit_code == 2
    assert CliRunner().invoke(main, ["validate"]).exit_code == 2


# Projects from other programs -------------------------------------------------------------

USER = "5C94BC9E-DB8C-4F1D-9CD6-E900C7440860"
CODE = "2dfba8c9-59f5-4424-99d6-ea9bce18134b"
SOURCE = "a2b94468-80a5-412f-92d6-e900d97b55a6"
# Stored with CRLF (two characters each) and an emoji (one code point, four UTF-8 bytes).
CRLF_TEXT = "Interviewer: Hi\r\nP1: Café shifts 😀 all week.\r\n"


def _other_program_project(end: int, origin: str = "MAXQDA 2022") -> str:
    # Braced, upper-case and lower-case spellings of one GUID, as the programs mix them.
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Coded elsewhere" origin="{origin}"
         creatingUserGUID="{USER.lower()}">
<Users><User guid="{{{USER}}}" name="Dana"/></Users>
<CodeBook><Codes><Code guid="{CODE.upper()}" name="Work" isCodable="true"/></Codes></CodeBook>
<Sources>
<TextSource guid="{SOURCE}" name="int_01.txt" plainTextPath="internal://{SOURCE}.txt"
            creatingUser="{USER.lower()}">
 <PlainTextSelection guid="08cbced0-d736-44c8-8fd6-eb4d29fe46c5" name="" startPosition="21"
                     endPosition="{end}" creatingUser="{{{USER.lower()}}}">
  <Coding guid="76414714-63c4-4a25-a47e-66fef80bd52e" creatingUser="{USER}">
   <CodeRef targetGUID="{{{CODE}}}"/></Coding></PlainTextSelection>
</TextSource>
<TextSource guid="c0ffee00-0000-4000-8000-000000000001" name="memo">
 <PlainTextContent>Short 🙂 note</PlainTextContent>
 <PlainTextSelection guid="c0ffee00-0000-4000-8000-000000000002" startPosition="6"
                     endPosition="7">
  <Coding guid="c0ffee00-0000-4000-8000-000000000003"><CodeRef targetGUID="{CODE}"/></Coding>
 </PlainTextSelection>
</TextSource>
</Sources>
</Project>"""


def _other_program_qdpx(path: Path, end: int, origin: str = "MAXQDA 2022") -> Path:
    # NVivo's folder is "Sources/"; QualCoder starts its text files with a byte-order mark.
    _zip(path, {"project.qde": _other_program_project(end, origin)})
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(f"Sources/{SOURCE}.txt", b"\xef\xbb\xbf" + CRLF_TEXT.encode("utf-8"))
    return path


def test_a_project_from_another_program_is_checked_by_the_standard_not_by_qualcode_habits(
        tmp_path):
    assert len(CRLF_TEXT) < len(CRLF_TEXT.encode("utf-8"))
    ends_at_the_end = _other_program_qdpx(tmp_path / "nvivo.qdpx", len(CRLF_TEXT))
    assert validate_refi(ends_at_the_end).problems == ()

    one_past = _other_program_qdpx(tmp_path / "past.qdpx", len(CRLF_TEXT) + 1)
    [problem] = validate_refi(one_past).problems
    assert "PlainTextSelection 08cbced0-d736-44c8-8fd6-eb4d29fe46c5 in source 'int_01.txt'" \
        in problem
    assert f"past the end of its text ({len(CRLF_TEXT)} code points" in problem


def test_positions_count_utf16_code_units_where_the_program_does(tmp_path):
    units = len(CRLF_TEXT.encode("utf-16-le")) // 2
    assert units == len(CRLF_TEXT) + 1  # the emoji is two units
    assert validate_refi(_other_program_qdpx(tmp_path / "n.qdpx", units, "NVivo 14")).valid
    [problem] = validate_refi(_other_program_qdpx(tmp_path / "past.qdpx", units + 1,
                                                  "NVivo 14")).problems
    assert f"past the end of its text ({units} UTF-16 code units" in problem
    utf16_export = write_qdpx(tmp_path / "utf16.qdpx", DOCUMENTS, CODEBOOK, CODINGS,
                              segments=SEGMENTS, offsets="utf16")
    assert validate_refi(utf16_export).problems == ()


def test_a_selection_must_end_after_it_starts_and_start_at_zero_or_later(tmp_path):
    empty = _other_program_qdpx(tmp_path / "empty.qdpx", 21)
    [problem] = validate_refi(empty).problems
    assert "runs from 21 to 21, but a selection must end after it starts" in problem
    negative = tmp_path / "negative.qdpx"
    _zip(negative, {"project.qde": _other_program_project(30).replace('startPosition="6"',
                                                                      'startPosition="-1"')})
    problems = validate_refi(negative).problems
    assert any("runs from -1 to 7, but positions start at 0" in line for line in problems)
    # Also reported: the first source's text file is absent from this zip.
    assert any(f"names sources/{SOURCE}.txt, which is not in the zip" in line
               for line in problems)


def test_unknown_users_and_a_source_with_text_twice_are_reported(tmp_path):
    xml = _other_program_project(30).replace(f'creatingUser="{USER.lower()}">\n <Plain',
                                             'creatingUser="00000000-0000-4000-8000-00000000000a">'
                                             "<PlainTextContent>x</PlainTextContent>\n <Plain")
    path = tmp_path / "users.qdpx"
    _zip(path, {"project.qde": xml, f"sources/{SOURCE}.txt": CRLF_TEXT})
    problems = validate_refi(path).problems
    assert len(problems) == 3, problems
    assert any("TextSource 'int_01.txt': its creatingUser 00000000-0000-4000-8000-00000000000a "
               "is not in the project's Users" in line for line in problems)
    assert any("has both PlainTextContent and a plainTextPath" in line for line in problems)
    # The text is now the one-character PlainTextContent, so the selection lies outside it.
    assert any("past the end of its text (1 code points" in line for line in problems)


# Codebooks ----------------------------------------------------------------------------------

def test_a_codebook_written_by_qualcode_is_valid(tmp_path):
    path = tmp_path / "test.qdc"
    write_qdc(CODEBOOK, path)
    result = validate_refi(path)
    assert (result.kind, result.valid, result.problems) == ("codebook", True, ())
    cli = _validate_cli(path)
    assert cli.exit_code == 0 and cli.output == f"{path}: valid REFI-QDA codebook\n"


def test_a_broken_codebook_names_its_problems(tmp_path):
    path = tmp_path / "broken.qdc"
    write_qdc(CODEBOOK, path)
    root = etree.fromstring(path.read_bytes())
    ns = {"c": "urn:QDA-XML:codebook:1.0"}
    del root.find(".//c:Code[@name='Support']", ns).attrib["isCodable"]
    sets = etree.SubElement(root, "{urn:QDA-XML:codebook:1.0}Sets")
    group = etree.SubElement(sets, "{urn:QDA-XML:codebook:1.0}Set",
                             guid="c0ffee00-0000-4000-8000-00000000000b", name="Group")
    etree.SubElement(group, "{urn:QDA-XML:codebook:1.0}MemberCode", guid=MISSING_CODE)
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))

    result = validate_refi(path)
    assert result.found == 2
    schema, reference = result.problems
    assert schema.startswith(f"{path}: line ") and "missing required attribute 'isCodable'" \
        in schema and "/CodeBook/Codes/Code[2]" in schema
    assert f"Set c0ffee00-0000-4000-8000-00000000000b: its <MemberCode> refers to code " \
           f"{MISSING_CODE}, which is not in the codebook" in reference
    assert _validate_cli(path).exit_code == 1


def test_a_codebook_that_is_not_xml_is_one_problem(tmp_path):
    path = tmp_path / "broken.qdc"
    path.write_text("<CodeBook><Codes>")
    [problem] = validate_refi(path).problems
    assert problem.startswith(f"{path}: line ") and "not well-formed XML" in problem


# The shipped schemas ------------------------------------------------------------------------

def test_the_schemas_ship_inside_the_package_with_their_licence():
    folder = resources.files("qualcode.export.schemas")
    assert {"Codebook.xsd", "Project-mrt2019.xsd", "README.md"} <= {
        entry.name for entry in folder.iterdir()}
    readme = folder.joinpath("README.md").read_text(encoding="utf-8")
    assert "MIT" in readme and "18 March 2019" in readme and "qdasoftware.org" in readme
    assert project_schema() is project_schema()  # built once
    assert project_schema().target_namespace == "urn:QDA-XML:project:1.0"
    assert codebook_schema().target_namespace == "urn:QDA-XML:codebook:1.0"
