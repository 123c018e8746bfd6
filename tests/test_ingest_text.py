"""Plain-text and Markdown transcripts and notes, encodings and line endings."""

from __future__ import annotations

import codecs

import pytest

from qualcode.errors import InputError
from qualcode.ingest import IngestOptions, ingest, read_source
from qualcode.ingest.source import Source
from qualcode.model import INTERVIEWER, NOTES, PARTICIPANT, PREAMBLE, TRANSCRIPT
from qualcode.segment import segment

TRANSCRIPT_TEXT = (
    "Interview 4 - SPLW\n"
    "Interviewer: How did you find out about the sessions?\n"
    "P4: My manager sent the email round.\n"
    "It was a while ago now.\n"
    "Interviewer: Why did you take part?\n"
    "P4: Honestly it can be very isolating.\n"
)


def only_document(path):
    result = ingest([path])
    assert not result.rejected, result.rejected
    (document,) = result.documents
    return document


def assert_offsets(document):
    for seg in segment([document]):
        assert seg.text == document.text[seg.start:seg.end]


def test_transcript_turns_roles_and_preamble(write):
    document = only_document(write("int.txt", TRANSCRIPT_TEXT))
    segments = segment([document])
    assert document.kind == TRANSCRIPT
    assert [s.role for s in segments] == [PREAMBLE, INTERVIEWER, PARTICIPANT, INTERVIEWER, PARTICIPANT]
    assert segments[2].text == "My manager sent the email round.\nIt was a while ago now."
    assert segments[2].speaker == "P4"
    assert [s.id for s in segments] == ["int.txt:0", "int.txt:1", "int.txt:2", "int.txt:3", "int.txt:4"]
    assert_offsets(document)


@pytest.mark.parametrize("interviewer, participant", [
    ("I", "Participant 3"), ("INT", "R"), ("Interviewer", "sarah"), ("Q", "Respondent 2"),
])
def test_common_label_styles(write, interviewer, participant):
    text = "".join(f"{interviewer}: question {n}?\n{participant}: answer {n}.\n" for n in range(3))
    segments = segment([only_document(write("t.txt", text))])
    assert [s.role for s in segments] == [INTERVIEWER, PARTICIPANT] * 3
    assert {s.speaker for s in segments} == {interviewer, participant}


def test_timestamped_speaker_labels_keep_time_and_front_matter_names_interviewer(write):
    text = ("---\ncase: P07\nrole: Care coordinator\ninterviewer: Speaker 1\n---\n"
            "[00:00:02] Speaker 1: Thanks for joining.\n"
            "[00:00:09] Speaker 2: No problem at all.\n"
            "[00:01:15] Speaker 1: Do you work alone?\n"
            "[00:01:20] Speaker 2: Mostly, yes.\n")
    document = only_document(write("t.txt", text))
    segments = segment([document])
    assert dict(document.attributes) == {"case": "P07", "role": "Care coordinator"}
    assert [s.role for s in segments] == [INTERVIEWER, PARTICIPANT] * 2
    assert segments[1].attributes["time"] == "00:00:09"
    assert document.text.startswith("[00:00:02]")  # front matter is metadata, not text


def test_interviewer_found_by_questions_when_labels_are_names(write):
    text = ("Amira: How long have you been in post?\nsarah: About two years.\n"
            "Amira: And do you get supervision?\nsarah: Not really, no.\n"
            "Amira: Who do you go to?\nsarah: Nobody. My GP lead is too busy.\n")
    segments = segment([only_document(write("t.txt", text))])
    roles = {s.speaker: s.role for s in segments}
    assert roles == {"Amira": INTERVIEWER, "sarah": PARTICIPANT}


def test_one_off_colon_lines_do_not_make_notes_a_transcript(write):
    text = ("# Breakout group 3\n\nDate: 12 March\n\n## Key points\n"
            "- People felt isolated in their practices\n  and wanted more peer contact\n"
            "- Boundaries with GPs were hard\n   * nested detail\n\nA closing paragraph.\n")
    document = only_document(write("notes.md", text))
    segments = segment([document])
    assert document.kind == NOTES
    assert [s.text for s in segments] == [
        "Date: 12 March", "People felt isolated in their practices\n  and wanted more peer contact",
        "Boundaries with GPs were hard", "nested detail", "A closing paragraph."]
    assert segments[1].attributes["section"] == "Key points"
    assert_offsets(document)


def test_crlf_and_bom_are_normalised_with_offsets_right(write):
    data = codecs.BOM_UTF8 + TRANSCRIPT_TEXT.replace("\n", "\r\n").encode("utf-8")
    document = only_document(write("crlf.txt", data))
    assert "\r" not in document.text and not document.text.startswith("\ufeff")
    assert document.text == TRANSCRIPT_TEXT
    assert_offsets(document)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "cp1252"])
def test_other_encodings_decode_correctly(write, encoding):
    text = "Interviewer: Was it “worth it”?\nP1: Yes, £20 well spent, café included.\n" * 2
    document = only_document(write("enc.txt", text.encode(encoding)))
    assert document.text == text
    assert_offsets(document)


@pytest.mark.parametrize("content, problem", [
    (b"", "is empty"),
    (b"   \n\n  ", "holds no text"),
    (bytes(range(256)) * 40, "binary"),
    (b"\x81\x8d\x8f\x90\x9d" * 20, "cannot be decoded"),
])
def test_unusable_text_files_are_rejected_with_a_reason(write, content, problem):
    path = write("bad.txt", content)
    with pytest.raises(InputError, match=problem):
        read_source(Source(path, path.name), IngestOptions())


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # a sparse 200 MB file: nothing is really written
        handle.truncate(200 * 1024 * 1024)
    with pytest.raises(InputError, match="200 MB, over the 100 MB limit.*--max-file-mb"):
        read_source(Source(path, path.name), IngestOptions())
