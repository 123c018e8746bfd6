"""Readers for plain text and Markdown: transcripts and notes.

A file may start with a front-matter block of case attributes::

    ---
    case: P03
    role: SPLW
    interviewer: Speaker 1
    ---

The block becomes the document's attributes and is not part of its text. ``interviewer``
names the interviewer's label when the labels alone do not say.
"""

from __future__ import annotations


from qualcode.ingest.decode import decode_bytes
from qualcode.ingest.source import Source
from qualcode.ingest.turns import find_turns
from qualcode.model import NOTES, TRANSCRIPT, Document, frozen_mapping

_FENCE = "---"


def read_text(source: Source) -> list[Document]:
    text = decode_bytes(source.read_bytes(), source.display)
    attributes, body = split_front_matter(text)
    return [document_from_text(source, body, attributes)]


def document_from_text(source: Source, text: str, attributes: dict[str, str]) -> Document:
    """A transcript when speaker turns are found, otherwise notes."""
    interviewer = attributes.pop("interviewer", None)
    regions = find_turns(text, interviewer)
    kind = TRANSCRIPT if regions else NOTES
    return Document(id=source.id, text=text, kind=kind, source_path=source.id,
                    attributes=frozen_mapping(attributes), regions=regions)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split ``key: value`` front matter from the body; values stay strings (no YAML typing)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != _FENCE:
        return {}, text
    for index in range(1, len(lines)):
        if lines[index].strip() == _FENCE:
            attributes = _parse_pairs(lines[1:index])
            if attributes is None:
                return {}, text
            return attributes, "\n".join(lines[index + 1:])
    return {}, text


def _parse_pairs(lines: list[str]) -> dict[str, str] | None:
    pairs: dict[str, str] = {}
    for line in lines:
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip():
            return None  # not front matter after all: a horizontal rule in Markdown
        pairs[key.strip().lower().replace(" ", "_")] = value.strip().strip("'\"")
    return pairs
