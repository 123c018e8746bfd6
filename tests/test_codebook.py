"""Codebooks: the shipped ones load, broken ones fail clearly, YAML and REFI-QDA round trip."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from qualcode.codebook import (MIN_EXAMPLES, keyword_regex, load_codebook, read_qdc,
                               save_codebook_yaml, write_qdc)
from qualcode.errors import CodebookError
from qualcode.export.schemas import codebook_schema
from qualcode.model import Code, Codebook
from qualcode.codebook.qdc import NAMESPACE, code_guid, parse_description

REPO = Path(__file__).resolve().parent.parent
CODEBOOKS = REPO / "codebooks"
SHIPPED = sorted(CODEBOOKS.glob("*.yaml"))

# A valid code to build broken codebooks around (line numbers below count from 'name:').
GOOD = """\
name: Test
version: "1.0"
codes:
  - id: isolation
    name: Isolation
    definition: Feeling alone in the role.
    examples: [I'm the only one here., No one to ask., Just me all week.]
"""
THREE = "[one, two, three]"


def fails(write, text: str, name: str = "book.yaml") -> tuple[Path, str]:
    path = write(name, text)
    with pytest.raises(CodebookError) as raised:
        load_codebook(path)
    return path, str(raised.value)


def assert_problem(message: str, path: Path, line: int, field: str, *fragments: str) -> None:
    wanted = f"{path}, line {line}, "
    rows = [row for row in message.splitlines() if wanted in row and f"'{field}'" in row]
    assert rows, f"no problem on line {line} for field {field!r} in:\n{message}"
    for fragment in fragments:
        assert any(fragment in row for row in rows), f"{fragment!r} not in {rows}"


# --- the shipped codebooks ---------------------------------------------------------------

@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_codebooks_load_and_validate(path):
    codebook = load_codebook(path)
    assert codebook.name and codebook.version == "1.0"
    for code in codebook.codes:
        assert code.definition and code.include and code.exclude
        assert len(code.examples) >= 4 and len(code.counterexamples) >= 2
        assert code.colour and re.fullmatch(r"#[0-9a-f]{6}", code.colour)
        assert code.parent is None or code.parent in codebook.ids


def test_supervision_codebook_has_the_four_codes_with_rich_examples():
    codebook = load_codebook(CODEBOOKS / "supervision.yaml")
    assert codebook.ids == ("isolation", "boundaries", "burnout", "validation")
    for code in codebook.codes:
        assert len(code.examples) >= 10 and len(code.counterexamples) >= 8
        assert code.keywords
        assert len(set(code.examples)) == len(code.examples)
        # Varied: short cues and longer accounts both present.
        lengths = sorted(len(example.split()) for example in code.examples)
        assert lengths[0] <= 8 and lengths[-1] >= 15


def test_supervision_keywords_find_the_seed_phrases():
    codebook = load_codebook(CODEBOOKS / "supervision.yaml")
    seeds = {"isolation": "It can be very isolating", "burnout": "I'm feeling burned out",
             "boundaries": "hard for link workers to draw any boundaries",
             "validation": "Was really good to get validation from our peers"}
    for code_id, phrase in seeds.items():
        patterns = [keyword_regex(k) for k in codebook.code(code_id).keywords]
        assert any(p.search(phrase) for p in patterns), code_id


def test_plymouth_codebook_has_the_pathway_and_sub_codes():
    codebook = load_codebook(CODEBOOKS / "plymouth_pathway.yaml")
    top = [code.id for code in codebook.codes if code.parent is None]
    assert top == ["access", "engagement", "activities"]
    assert {code.parent for code in codebook.codes} == {None, *top}


# --- validation errors: one CodebookError naming file, line and field ----------------------

BROKEN = [
    # (name, yaml, line, field, fragments)
    ("missing definition", GOOD.replace("    definition: Feeling alone in the role.\n", ""),
     4, "definition", ["missing or empty"]),
    ("empty definition", GOOD.replace("Feeling alone in the role.", '""'),
     6, "definition", ["missing or empty"]),
    ("invalid id", GOOD.replace("id: isolation", "id: Social Isolation"),
     4, "id", ["'Social Isolation' is not a valid id", "'social_isolation'"]),
    ("unknown field", GOOD + '    color: "#1f77b4"\n',
     8, "color", ["not a known field", "did you mean 'colour'?"]),
    ("misspelt field", GOOD + "    exampels: [a]\n", 8, "exampels", ["did you mean 'examples'?"]),
    ("no examples", GOOD.replace(
        "    examples: [I'm the only one here., No one to ask., Just me all week.]\n", ""),
     4, "examples", ["has 0 example(s)", f"needs at least {MIN_EXAMPLES}"]),
    ("too few examples", GOOD.replace("No one to ask., Just me all week.", "No one."),
     7, "examples", ["has 2 example(s)"]),
    ("examples not a list", GOOD.replace(
        "[I'm the only one here., No one to ask., Just me all week.]", "I'm the only one here."),
     7, "examples", ["must be a list of texts, not text"]),
    ("example not text", GOOD.replace("No one to ask.", "{said: no one to ask}"),
     7, "examples", ["item 2 is a mapping, not text", "quotes"]),
    ("definition not text", GOOD.replace("Feeling alone in the role.", "[a, b]"),
     6, "definition", ["must be text, not a list"]),
    ("invalid colour", GOOD + "    colour: red\n", 8, "colour", ["'red' is not a colour",
                                                                  "#RRGGBB"]),
    ("unquoted colour", GOOD + "    colour: #1f77b4\n", 8, "colour", ["quote the colour"]),
    ("bad keyword", GOOD + "    keywords: ['is*']\n", 8, "keywords", ["wildcard"]),
    ("missing parent", GOOD + "    parent: isolaton\n",
     8, "parent", ["'isolaton' is not the id of any code", "did you mean 'isolation'?"]),
    ("own parent", GOOD + "    parent: isolation\n", 8, "parent", ["isolation -> isolation"]),
    ("repeated field", GOOD + "    name: Again\n", 8, "name", ["appears twice", "line 5"]),
    ("duplicate id", GOOD + f"  - id: isolation\n    definition: Again.\n    examples: {THREE}\n",
     8, "id", ["already the id of the code on line 4"]),
    ("missing codes", "name: Test\nversion: '1'\n", 1, "codes", ["missing or empty"]),
    ("unknown subject", GOOD.replace('version: "1.0"\n', 'version: "1.0"\nsubject: workers\n'),
     3, "subject", ["is 'workers'", "'speaker'", "'any'"]),
    ("setting terms not a mapping", GOOD.replace("codes:\n", "setting_terms: [GP]\ncodes:\n"),
     3, "setting_terms", ["must be a mapping of a generic word to its terms, not a list"]),
    ("setting term listed twice", GOOD.replace(
        "codes:\n", "setting_terms:\n  worker: [link worker]\n  colleagues: [GP, Link  Worker]\n"
        "codes:\n"), 5, "setting_terms", ["word 'colleagues'", "lists 'Link  Worker', already "
                                            "listed on line 4"]),
    ("setting word twice", GOOD.replace(
        "codes:\n", "setting_terms:\n  worker: [link worker]\n  worker: [coach]\ncodes:\n"),
     5, "setting_terms", ["word 'worker': appears twice"]),
    ("empty setting term", GOOD.replace(
        "codes:\n", "setting_terms:\n  worker: [link worker, '']\ncodes:\n"),
     4, "setting_terms", ["item 2 is empty"]),
    ("codes not a list", "name: Test\ncodes:\n  isolation: Feeling alone.\n",
     2, "codes", ["must be a list", "not a mapping"]),
]


@pytest.mark.parametrize("text,line,field,fragments", [case[1:] for case in BROKEN],
                         ids=[case[0] for case in BROKEN])
def test_broken_codebook_raises_one_error_naming_file_line_and_field(write, text, line, field,
                                                                    fragments):
    path, message = fails(write, text)
    assert message.startswith(f"{path}: 1 problem in this codebook")
    assert_problem(message, path, line, field, *fragments)


def test_cycle_of_parents_is_reported_once_where_it_starts(write):
    text = GOOD + "    parent: burnout\n" + (f"  - id: burnout\n    definition: Worn out.\n"
                                              f"    examples: {THREE}\n    parent: isolation\n")
    path, message = fails(write, text)
    assert message.count("go round in a circle") == 1
    assert_problem(message, path, 12, "parent", "burnout -> isolation -> burnout")


def test_invalid_yaml_names_the_line(write):
    path, message = fails(write, GOOD + "  - id: burnout\n   definition: [unclosed\n")
    assert message.startswith(f"{path}, line 9, column 4: not valid YAML")
    assert "indentation" in message


def test_tabs_in_yaml_get_a_hint(write):
    _, message = fails(write, "name: Test\ncodes:\n\t- id: a\n")
    assert "line 3" in message and "spaces, not tabs" in message


@pytest.mark.parametrize("text,what", [("", "is empty"), ("- id: isolation\n", "is a list"),
                                       ("just some text\n", "is text")])
def test_file_that_is_not_a_mapping_is_rejected(write, text, what):
    path, message = fails(write, text)
    assert f"{path}, line 1, " in message and what in message


def test_every_problem_is_listed_in_line_order_and_nothing_is_returned(write):
    text = GOOD.replace("id: isolation", "id: Isolation") + (
        "  - id: burnout\n    colour: '#12'\n    examples: [a]\n    parent: nowhere\n")
    path, message = fails(write, text)
    lines = [int(n) for n in re.findall(rf"{re.escape(str(path))}, line (\d+), ", message)]
    assert len(lines) == 5 and lines == sorted(lines)
    assert message.startswith(f"{path}: 5 problems in this codebook; fix them")
    for field in ("id", "definition", "colour", "examples", "parent"):
        assert f"field '{field}'" in message


def test_unreadable_and_non_utf8_files_raise_codebook_errors(write, tmp_path):
    with pytest.raises(CodebookError, match="cannot read the codebook"):
        load_codebook(tmp_path / "absent.yaml")
    with pytest.raises(CodebookError, match="not UTF-8"):
        load_codebook(write("latin1.yaml", GOOD.replace("Test", "Caf\xe9").encode("latin-1")))


def test_values_are_taken_as_written(write):
    text = GOOD.replace('version: "1.0"', "version: 1.10").replace("id: isolation", "id: no")
    codebook = load_codebook(write("book.yaml", text))
    assert codebook.version == "1.10" and codebook.ids == ("no",)


def test_the_subject_says_whose_experience_the_codes_describe(write):
    assert load_codebook(CODEBOOKS / "supervision.yaml").subject == "speaker"  # workers' own
    assert load_codebook(CODEBOOKS / "plymouth_pathway.yaml").subject == "any"  # patients'
    assert load_codebook(write("book.yaml", GOOD)).subject == "any"  # the default


def test_setting_terms_load_in_order_under_their_generic_words(write):
    text = GOOD.replace("codes:\n", "setting_terms:\n  worker: [link worker, care coordinator]\n"
                        "  colleagues: [GP]\ncodes:\n")
    assert load_codebook(write("book.yaml", text)).setting_terms == (
        ("worker", ("link worker", "care coordinator")), ("colleagues", ("GP",)))
    assert load_codebook(write("plain.yaml", GOOD)).setting_terms == ()
    shipped = dict(load_codebook(CODEBOOKS / "supervision.yaml").setting_terms)
    assert "care coordinator" in shipped["worker"] and "GP" in shipped["colleagues"]


def test_optional_fields_default_sensibly(write):
    codebook = load_codebook(write("book.yaml", GOOD.replace("    name: Isolation\n", "")
                                   .replace("id: isolation", "id: lone_working")))
    code = codebook.codes[0]
    assert code.name == "Lone working"
    assert (code.include, code.counterexamples, code.keywords, code.parent, code.colour) == \
        ("", (), (), None, None)


# --- YAML round trip ----------------------------------------------------------------------

TRICKY = Code(id="tricky", name="Tricky: text", definition="Line one.\n\nLine two: with colon.",
              include="# not a comment", exclude="no",
              examples=("'quoted'", "1.10", "I said: \"stop\" – it’s too much", "x" * 150),
              counterexamples=("[not a list]",), keywords=("can't <cope>", "on my own"),
              parent=None, colour="#ABCDEF")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_yaml_save_load_round_trip(tmp_path, path):
    codebook = load_codebook(path)
    save_codebook_yaml(codebook, tmp_path / "again.yaml")
    assert load_codebook(tmp_path / "again.yaml") == codebook


def test_yaml_round_trip_keeps_awkward_text(tmp_path):
    child = Code(id="child", name="Child", definition="Sub.", examples=("a", "b", "c"),
                 parent="tricky")
    codebook = Codebook(codes=(TRICKY, child), version="2.0", name="Awkward")
    save_codebook_yaml(codebook, tmp_path / "awkward.yaml")
    assert load_codebook(tmp_path / "awkward.yaml") == codebook


# --- REFI-QDA -----------------------------------------------------------------------------

@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_write_qdc_validates_against_the_refi_schema(tmp_path, path):
    out = tmp_path / "book.qdc"
    write_qdc(load_codebook(path), out)
    codebook_schema().validate(str(out))


def test_qdc_has_no_bom_lf_only_and_nests_sub_codes(tmp_path):
    out = tmp_path / "pathway.qdc"
    write_qdc(load_codebook(CODEBOOKS / "plymouth_pathway.yaml"), out)
    data = out.read_bytes()
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>') and b"\r" not in data
    root = etree.fromstring(data)
    assert root.tag == f"{{{NAMESPACE}}}CodeBook"
    ns = {"q": NAMESPACE}
    sub = root.find(".//q:Code[@name='Access']/q:Code[@name='Referral routes and criteria']", ns)
    assert sub is not None and sub.get("isCodable") == "true" and sub.get("color") == "#b5a0d6"
    # Schema order: Description first inside a Code.
    assert all(etree.QName(code[0]).localname == "Description"
               for code in root.iter(f"{{{NAMESPACE}}}Code"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_qdc_round_trip_keeps_every_field(tmp_path, path):
    codebook = load_codebook(path)
    write_qdc(codebook, tmp_path / "book.qdc")
    back = read_qdc(tmp_path / "book.qdc")
    assert back.codes == codebook.codes
    assert load_codebook(tmp_path / "book.qdc").codes == codebook.codes


def test_qdc_round_trip_of_awkward_text(tmp_path):
    codebook = Codebook(codes=(TRICKY,))
    write_qdc(codebook, tmp_path / "awkward.qdc")
    assert read_qdc(tmp_path / "awkward.qdc").codes == codebook.codes


def test_guids_are_stable_across_exports(tmp_path):
    codebook = load_codebook(CODEBOOKS / "supervision.yaml")
    write_qdc(codebook, tmp_path / "one.qdc")
    write_qdc(codebook, tmp_path / "two.qdc")
    assert (tmp_path / "one.qdc").read_bytes() == (tmp_path / "two.qdc").read_bytes()
    guids = [code.get("guid") for code in
             etree.parse(str(tmp_path / "one.qdc")).iter(f"{{{NAMESPACE}}}Code")]
    assert guids == [code_guid(code_id) for code_id in codebook.ids]
    # Pinned: changing the GUID namespace would make every tool duplicate codes on re-import.
    assert code_guid("isolation") == "41293edb-82fc-53c5-9cd8-565433091b94"

FOREIGN = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="NVivo 14">
  <Codes>
    <Code guid="{0F3C1D6E-1111-4A2B-9C3D-000000000001}" name="Work-life balance" isCodable="true"
          color="#F0A">
      <Description>Talk about the line between work and home.
Include: evenings and weekends.</Description>
      <Code guid="0f3c1d6e-1111-4a2b-9c3d-000000000002" name="Other" isCodable="true"/>
    </Code>
    <Code guid="0f3c1d6e-1111-4a2b-9c3d-000000000003" name="Other" isCodable="false">
      <Description>Anything else.</Description>
    </Code>
  </Codes>
  <Sets><Set guid="0f3c1d6e-1111-4a2b-9c3d-000000000004" name="Mine"/></Sets>
</CodeBook>
"""


def test_read_qdc_from_another_tool(write):
    codebook = read_qdc(write("nvivo.qdc", FOREIGN))
    assert codebook.ids == ("work_life_balance", "other", "other_2")
    balance, nested, other = codebook.codes
    assert balance.definition == "Talk about the line between work and home."
    assert balance.include == "evenings and weekends."
    assert balance.colour == "#FF00AA" and balance.examples == ()
    assert nested.parent == "work_life_balance" and nested.definition == ""
    assert other.parent is None and other.definition == "Anything else."


def test_load_codebook_checks_a_foreign_qdc_like_yaml(write):
    path = write("nvivo.qdc", FOREIGN)
    with pytest.raises(CodebookError) as raised:
        load_codebook(path)
    message = str(raised.value)
    # lxml counts a start tag's line where the tag ends: line 5 for the two-line <Code>.
    assert_problem(message, path, 5, "examples", "has 0 example(s)")
    assert_problem(message, path, 8, "definition", "missing or empty")
    assert "'Example: ...'" in message


def test_read_qdc_without_namespace(write):
    text = '<CodeBook><Codes><Code guid="0f3c1d6e-1111-4a2b-9c3d-000000000001" ' \
           'name="Plain" isCodable="true"><Description>Just a note.</Description></Code>' \
           '</Codes></CodeBook>'
    codebook = read_qdc(write("plain.qdc", text))
    assert codebook.codes == (Code(id="plain", name="Plain", definition="Just a note."),)


@pytest.mark.parametrize("text,fragment", [
    ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code name="a">\n</Codes></CodeBook>',
     "line 2: not well-formed XML"),
    ("", "not well-formed XML"),
    ('<Project xmlns="urn:QDA-XML:project:1.0"/>', "line 1: the root element is <Project>"),
    ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>', "has no <Codes> element"),
    ('<CodeBook><Codes/></CodeBook>', "holds no <Code>"),
    ('<CodeBook><Codes><Code guid="x"/></Codes></CodeBook>', "has no name attribute"),
])
def test_malformed_qdc_raises_codebook_error(write, text, fragment):
    path = write("bad.qdc", text)
    with pytest.raises(CodebookError) as raised:
        read_qdc(path)
    assert str(raised.value).startswith(str(path)) and fragment in str(raised.value)


def test_qdc_entities_are_not_expanded(write, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    text = (f'<!DOCTYPE CodeBook [<!ENTITY x SYSTEM "file://{secret}">]>'
            '<CodeBook><Codes><Code guid="0f3c1d6e-1111-4a2b-9c3d-000000000001" name="a" '
            'isCodable="true"><Description>&x;</Description></Code></Codes></CodeBook>')
    codebook = read_qdc(write("xxe.qdc", text))
    assert "SECRET" not in codebook.codes[0].definition


def test_write_qdc_refuses_codes_it_cannot_place(tmp_path):
    orphan = Code(id="a", name="A", definition="A.", parent="missing")
    with pytest.raises(CodebookError, match="'parent'"):
        write_qdc(Codebook(codes=(orphan,)), tmp_path / "x.qdc")
    with pytest.raises(CodebookError, match="no codes"):
        write_qdc(Codebook(codes=()), tmp_path / "x.qdc")


def test_parse_description_labels_are_case_insensitive_and_multiline():
    fields = parse_description("Def.\nsecond line\n\nINCLUDE: a\nb\nexample: one\nExample: two\n"
                               "Keywords: x*; <y> z\nqualcode id: my_code")
    assert fields == {"definition": "Def.\nsecond line", "include": "a\nb",
                      "examples": ("one", "two"), "keywords": ("x*", "<y> z"), "id": "my_code"}


# --- keyword syntax -----------------------------------------------------------------------

@pytest.mark.parametrize("keyword,text,found", [
    ("isolat*", "It can be very isolating", True),
    ("isolat*", "desolate", False),
    ("<switch> off", "I never switched  off", True),
    ("can't cope", "I just can’t cope", True),
    ("on my own", "on my ownership", False),
    ("Burnout", "BURNOUT again", True),
])
def test_keyword_regex(keyword, text, found):
    assert bool(keyword_regex(keyword).search(text)) is found
