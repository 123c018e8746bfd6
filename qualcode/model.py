"""The data model: small immutable values passed between pipeline stages.

Offsets are character offsets (Python string indices) into the text they refer to:
``Segment.start``/``end`` into ``Document.text``; ``Span.start``/``end`` into the text that
was analysed (a segment's original text). Ids are stable across runs: they derive from file
names, row ids and positions, never from time or randomness.
"""

from __future__ import annotations

import copyreg
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Iterable, Mapping

# Segment roles. Interviewer turns are kept (nothing lost) but never coded or quoted.
INTERVIEWER = "interviewer"
PARTICIPANT = "participant"
RESPONDENT = "respondent"
NOTE = "note"
PREAMBLE = "preamble"

# Roles whose segments are kept (nothing lost) but never coded, clustered or quoted.
NOT_ANALYSED = frozenset({INTERVIEWER, PREAMBLE})

# The smallest group of people a figure or a quote's attribution may single out: smaller
# groups are shown as "<5" in reports and generalised in attributions (--min-group).
MIN_GROUP = 5

# Document kinds, chosen by the reader and refined by segmentation.
TRANSCRIPT = "transcript"
SURVEY = "survey"
NOTES = "notes"


def frozen_mapping(values: Mapping[str, str] | None = None) -> Mapping[str, str]:
    """A read-only copy of ``values`` so frozen dataclasses stay immutable all the way down."""
    return MappingProxyType(dict(values or {}))


# Segments and documents travel to worker processes; pickle has no rule for a read-only
# mapping, so one is sent as the dict it wraps and wrapped again on arrival.
copyreg.pickle(MappingProxyType, lambda proxy: (frozen_mapping, (dict(proxy),)))


@dataclass(frozen=True)
class Region:
    """A part of a document whose structure the reader already knows.

    Readers of structured formats (survey cells, WebVTT cues merged into turns) describe
    their parts as regions so segmentation does not have to guess them back from text.
    """

    start: int
    end: int
    speaker: str | None = None
    role: str = ""
    key: str = ""  # stable id part: the survey column index, the turn number...
    attributes: Mapping[str, str] = field(default_factory=frozen_mapping)


@dataclass(frozen=True)
class Document:
    """One unit of input: a transcript, a set of notes, or one survey respondent's row."""

    id: str
    text: str
    kind: str
    # The input file's id: its path relative to the folder given (never the full path, which
    # may name a person, such as a home folder, and would travel into the outputs).
    source_path: str
    attributes: Mapping[str, str] = field(default_factory=frozen_mapping)
    regions: tuple[Region, ...] = ()


@dataclass(frozen=True)
class Segment:
    """The unit of analysis: a speaker turn, a survey answer, or a note bullet.

    ``text == document.text[start:end]`` always holds for ingested segments.
    """

    id: str
    doc_id: str
    start: int
    end: int
    text: str
    speaker: str | None = None
    role: str = ""
    attributes: Mapping[str, str] = field(default_factory=frozen_mapping)

    @property
    def is_interviewer(self) -> bool:
        return self.role == INTERVIEWER

    @property
    def analysed(self) -> bool:
        """Coded, clustered and quoted: never an interviewer's turn or a preamble."""
        return self.role not in NOT_ANALYSED


def analysable(segments: Iterable[Segment]) -> list[Segment]:
    """The segments that are analysed (:attr:`Segment.analysed`), in order; the others are
    kept (nothing is lost) but never coded, clustered or quoted."""
    return [segment for segment in segments if segment.analysed]


def segments_by_doc(segments: Iterable[Segment]) -> dict[str, list[Segment]]:
    """Segments grouped by document id, each group in order."""
    by_doc: dict[str, list[Segment]] = {}
    for seg in segments:
        by_doc.setdefault(seg.doc_id, []).append(seg)
    return by_doc


@dataclass(frozen=True)
class Span:
    """A stretch of text found by a recogniser, e.g. a person's name to redact."""

    start: int
    end: int
    label: str
    source: str
    score: float = 1.0


@dataclass(frozen=True)
class Code:
    """One code of a codebook, with the guidance a human coder would read."""

    id: str
    name: str
    definition: str
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = ()
    counterexamples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    parent: str | None = None
    colour: str | None = None


@dataclass(frozen=True)
class Codebook:
    codes: tuple[Code, ...]
    version: str = "1"
    name: str = ""
    # Whose experience the codes describe: "speaker" (the person talking: a worker's own
    # isolation, not a client's) or "any" (anyone the segment is about).
    subject: str = "any"
    # Words for the setting (roles, workplaces, colleagues) that say nothing about which code
    # applies, each group under the generic word the semantic coder reads them as:
    # (("worker", ("link worker", "care coordinator")), ...). See coding/_setting_terms.py.
    setting_terms: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def code(self, code_id: str) -> Code:
        for code in self.codes:
            if code.id == code_id:
                return code
        raise KeyError(code_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(code.id for code in self.codes)

    def id_for(self, label: str) -> str | None:
        """The id of the code ``label`` names: its id, or its display name as a person or
        qualcode's own tables write it ("Boundaries"), case and spacing ignored; None if no
        code is meant.

        >>> Codebook((Code("work_life", "Work-life balance", ""),)).id_for("work-life  Balance")
        'work_life'
        """
        wanted = " ".join(label.split()).casefold()
        for code in self.codes:
            if label == code.id:
                return code.id
        for code in self.codes:
            if wanted in (code.id.casefold(), " ".join(code.name.split()).casefold()):
                return code.id
        return None


@dataclass(frozen=True)
class Coding:
    """One code applied to one segment, with why."""

    segment_id: str
    code_id: str
    method: str  # rule | semantic | model | human
    confidence: float
    evidence: str
    coder: str


@dataclass(frozen=True)
class Topic:
    id: int
    label: str
    keywords: tuple[str, ...]
    size: int
    segment_ids: tuple[str, ...] = ()
    code_id: str | None = None  # the code most of its segments fall under, if any


@dataclass(frozen=True)
class Quote:
    segment_id: str
    text: str
    attribution: str  # the pseudonym, then the attributes that may be shown
    theme: str  # a code id or "topic:<n>"
    score: float
    pseudonym: str = ""  # a case id the user gave, else this run's label ("R07", "I2")
    # The attributes in the attribution, by name: never more than small-group suppression allows.
    shown: Mapping[str, str] = field(default_factory=frozen_mapping)


@dataclass(frozen=True)
class SourceRecord:
    """One input file that was read: what the store and the manifest say about it."""

    id: str
    display: str
    sha256: str
    size: int
    doc_ids: tuple[str, ...]


@dataclass(frozen=True)
class AuditEntry:
    """One replacement, without the text it replaced."""

    record_id: str
    start: int  # offsets into the ORIGINAL segment text
    end: int
    label: str
    replacement: str
    source: str
    score: float
