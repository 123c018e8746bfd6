"""Apply a :class:`Redactor` to ingested documents and segments: the privacy boundary.

Every segment is redacted, speaker names are pseudonymised with the same map as names in the
text, free-text attributes are redacted, and attribute columns that are direct identifiers
(name, email, phone...) are dropped. Redacted documents are rebuilt from their redacted
segments, so no original text between segments (speaker labels, headings) survives; segment
offsets refer to the rebuilt text. The audit trail records offsets, labels, recognisers and
scores, never the original text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import groupby
from typing import Callable, Mapping, Sequence

from qualcode.model import NOTE, PREAMBLE, RESPONDENT, AuditEntry, Document, Segment, frozen_mapping
from qualcode.redact.temporal import DateRecogniser

# Segment attributes written by qualcode itself that hold no personal data.
_SAFE_SEGMENT_ATTRIBUTES = {"question", "time", "start_time", "end_time"}
# Survey columns that are direct identifiers whatever their values; dropped, not redacted,
# because a redacted email column is useless as an attribute anyway. Columns whose value is a
# day or a moment are dropped too (see _exact_date).
IDENTIFYING_COLUMN = re.compile(
    r"\b(?:(?:first|last|full|sur|user)?[ _-]?name|e-?mail|phone|mobile|tel(?:ephone)?|address|"
    r"post ?code|zip|nhs[ _-]?(?:number|no)|date of birth|dob|ip[ _-]?address)\b", re.IGNORECASE)
_TURN_BREAK = "\n\n"
# Roles whose text is not a speaker's turn, so no "Speaker: " label goes before it.
_UNLABELLED = {PREAMBLE, RESPONDENT, NOTE}


@dataclass(frozen=True)
class RedactedCorpus:
    documents: tuple[Document, ...]
    segments: tuple[Segment, ...]
    audit: tuple[AuditEntry, ...]
    counts: Mapping[str, int]  # label -> replacements
    dropped_columns: tuple[str, ...]


# Detection of identifiers in many texts (``Redactor.detect``, or the same work done elsewhere).
Detect = Callable[[Sequence[str]], list]


def redact_corpus(documents: Sequence[Document], segments: Sequence[Segment], redactor,
                  detect: Detect | None = None) -> RedactedCorpus:
    """Redact ``segments`` (and rebuild ``documents`` from them) with ``redactor``.

    ``detect`` replaces ``redactor.detect`` for the pure detection step: a distributed engine
    runs it on workers, and a resumed run replays what it stored. Everything stateful
    (known names, pseudonym numbering) still happens here, in input order.
    """
    detect = detect or redactor.detect
    texts = [s.text for s in segments]
    # Speakers go in with the texts so a speaker's name is also found where others say it.
    results = redactor.redact_texts(texts, ids=[s.id for s in segments],
                                    speakers=[s.speaker for s in segments], detected=detect(texts))
    audit = [AuditEntry(seg.id, e.start, e.end, e.label, e.replacement, e.source, e.score)
             for seg, result in zip(segments, results) for e in result.entities]
    attributes = _redacted_attributes(segments, redactor, detect)
    redacted = [Segment(seg.id, seg.doc_id, 0, len(result.text), result.text, result.speaker,
                        seg.role, attributes[index])
                for index, (seg, result) in enumerate(zip(segments, results))]
    by_doc = {doc_id: list(group) for doc_id, group in groupby(redacted, key=lambda s: s.doc_id)}
    dropped: set[str] = set()
    out_documents, out_segments = [], []
    for document in documents:
        rebuilt, rebuilt_segments = _rebuild(document, by_doc.get(document.id, []), dropped)
        out_documents.append(rebuilt)
        out_segments.extend(rebuilt_segments)
    counts = Counter(entry.label for entry in audit)
    return RedactedCorpus(tuple(out_documents), tuple(out_segments), tuple(audit),
                          dict(sorted(counts.items())), tuple(sorted(dropped)))


def _redacted_attributes(segments: Sequence[Segment], redactor, detect: Detect) -> list[Mapping[str, str]]:
    """Segment attributes with free-text values (such as note headings) redacted in one batch."""
    wanted = sorted({value for seg in segments for key, value in seg.attributes.items()
                     if key not in _SAFE_SEGMENT_ATTRIBUTES and value.strip()})
    replaced = (dict(zip(wanted, (r.text for r in redactor.redact_texts(wanted, detected=detect(wanted)))))
                if wanted else {})
    return [frozen_mapping({key: value if key in _SAFE_SEGMENT_ATTRIBUTES else replaced.get(value, value)
                            for key, value in seg.attributes.items()})
            for seg in segments]


def _rebuild(document: Document, segments: list[Segment], dropped: set[str]) -> tuple[Document, list[Segment]]:
    """Lay redacted segments out as the document's new text: ``Speaker: words`` per turn."""
    parts, placed, offset = [], [], 0
    for segment in segments:
        if parts:
            offset += len(_TURN_BREAK)
        prefix = f"{segment.speaker}: " if segment.speaker and segment.role not in _UNLABELLED else ""
        start = offset + len(prefix)
        parts.append(prefix + segment.text)
        placed.append(Segment(segment.id, segment.doc_id, start, start + len(segment.text),
                              segment.text, segment.speaker, segment.role, segment.attributes))
        offset = start + len(segment.text)
    attributes = {}
    for key, value in document.attributes.items():
        if IDENTIFYING_COLUMN.search(key) or _exact_date(value):
            dropped.add(key)
        else:
            attributes[key] = value
    return (Document(document.id, _TURN_BREAK.join(parts), document.kind, document.source_path,
                     frozen_mapping(attributes)), placed)


_DAYS = DateRecogniser(month_year=False)


def _exact_date(value: str) -> bool:
    """An attribute that is a day, or a moment ("04/03/2024 09:18:46", a survey's start and
    completion times): as identifying as a date in the text, so dropped like an email column.
    A month or a year ("March 2024", "2023") is a wave or a period and stays."""
    value = str(value).strip()
    found = sum(s.end - s.start for s in _DAYS.find(value))
    return bool(value) and found >= 0.8 * len(value)
