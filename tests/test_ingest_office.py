"""Word documents and their failure modes (corrupt, password-protected, zip bombs)."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from qualcode.errors import InputError
from qualcode.ingest import IngestOptions, read_source
from qualcode.ingest.source import Source
from qualcode.model import INTERVIEWER, NOTES, PARTICIPANT, PREAMBLE, TRANSCRIPT
from qualcode.segment import segment


def make_docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def read(path):
    return read_source(Source(path, path.name), IngestOptions()).documents


def test_docx_transcript_paragraphs_become_turns(write):
    path = write("int.docx", make_docx([
        "Interview 6 – care coordinator", "INT: Do you work alone?", "R: Most days, yes.",
        "It is lonely in the practice.", "INT: And supervision?", "R: Once a month if lucky."]))
    (document,) = read(path)
    segments = segment([document])
    assert document.kind == TRANSCRIPT
    assert [s.role for s in segments] == [PREAMBLE, INTERVIEWER, PARTICIPANT, INTERVIEWER, PARTICIPANT]
    assert segments[2].text == "Most days, yes.\n\nIt is lonely in the practice."
    assert all(s.text == document.text[s.start:s.end] for s in segments)


def test_docx_notes_keep_paragraphs_and_table_cells_in_order(write):
    path = write("notes.docx", make_docx(["First paragraph.", "Second one."],
                                         table=[["Cell A text", "Cell B text"]]))
    (document,) = read(path)
    assert document.kind == NOTES
    assert [s.text for s in segment([document])] == [
        "First paragraph.", "Second one.", "Cell A text", "Cell B text"]


def test_corrupt_docx_is_rejected(write):
    good = make_docx(["Hello there."])
    path = write("broken.docx", good[: len(good) // 2])
    with pytest.raises(InputError, match="not a valid .docx|corrupt"):
        read(path)


def test_password_protected_docx_is_rejected_with_what_to_do(write):
    cfb = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024
    with pytest.raises(InputError, match="password-protected.*remove the password"):
        read(write("secret.docx", cfb))


def test_zip_that_is_not_a_docx_is_rejected(write):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="not a .docx document"):
        read(write("renamed.docx", buffer.getvalue()))


def test_zip_bomb_renamed_docx_is_rejected_without_unpacking(write):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\x00" * (60 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(InputError, match="zip bomb"):
        read(write("bomb.docx", buffer.getvalue()))


def test_xlsx_that_is_really_a_docx_is_rejected(write):
    with pytest.raises(InputError, match="not a .xlsx document"):
        read(write("wrong.xlsx", make_docx(["Hello."])))
