"""Segmentation: split documents into the units of analysis.

Transcripts give one segment per speaker turn, surveys one per answered question, and
notes one per bullet point or paragraph. Segment ids are ``<document id>:<key>`` where the
key is the turn number, the question number or the note position, so they are stable
across runs. Every segment's text is ``document.text[segment.start:segment.end]``.
"""

from __future__ import annotations

import re
from typing import Iterable

from qualcode.model import NOTE, Document, Segment, frozen_mapping

_BULLET = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]+")
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+(?P<title>.*?)[ \t#]*$")
_RULE = re.compile(r"^[ \t]*(?:[-*_=][ \t]*){3,}$")


def segment(documents: Iterable[Document]) -> list[Segment]:
    """All segments of ``documents``, in document order."""
    return [seg for document in documents for seg in segment_document(document)]


def segment_document(document: Document) -> list[Segment]:
    if document.regions:
        return [Segment(id=f"{document.id}:{region.key}", doc_id=document.id,
                        start=region.start, end=region.end,
                        text=document.text[region.start:region.end], speaker=region.speaker,
                        role=region.role, attributes=region.attributes)
                for region in document.regions if region.end > region.start]
    return _note_segments(document)


def _note_segments(document: Document) -> list[Segment]:
    """Bullets (with their continuation lines) and paragraphs; headings name the section."""
    blocks: list[list] = []  # [start, end, section] per bullet or paragraph
    section = ""
    block_open = False
    offset = 0
    for line in document.text.split("\n"):
        line_start, line_end = offset, offset + len(line)
        offset = line_end + 1
        heading = _HEADING.match(line)
        if not line.strip() or heading or _RULE.match(line):
            block_open = False
            section = heading.group("title") if heading else section
            continue
        bullet = _BULLET.match(line)
        if bullet or not block_open:
            indent = bullet.end() if bullet else len(line) - len(line.lstrip())
            blocks.append([line_start + indent, line_end, section])
            block_open = True
        else:
            blocks[-1][1] = line_end  # a continuation line of the open bullet or paragraph
    return [_note_segment(document, number, *block) for number, block in enumerate(blocks, start=1)]


def _note_segment(document: Document, number: int, start: int, end: int, section: str) -> Segment:
    while end > start and document.text[end - 1].isspace():
        end -= 1
    return Segment(id=f"{document.id}:{number}", doc_id=document.id, start=start, end=end,
                   text=document.text[start:end], role=NOTE,
                   attributes=frozen_mapping({"section": section} if section else {}))
