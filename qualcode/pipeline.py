"""Ingest into the project store, and read coders' codes to compare them (the whole run is
:mod:`qualcode.run`). The CLI calls these; so can any Python caller.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import pandas as pd

from qualcode.agreement import agreement_frame, agreement_table
from qualcode.errors import UsageError
from qualcode.human_codes import read_human_codes, unknown_code_error
from qualcode.ingest import IngestOptions, Rejection, ingest
from qualcode.ingest.turns import normalise_label
from qualcode.model import (INTERVIEWER, NOT_ANALYSED, SURVEY, TRANSCRIPT, Codebook, Coding, Document,
                            Segment)
from qualcode.segment import segment
from qualcode.store import Store


@dataclass(frozen=True)
class FileReport:
    """What one input file gave: counts only, never its text or speaker names."""

    source_id: str
    kind: str
    status: str  # added | updated | unchanged
    documents: int
    segments: int
    interviewer_turns: int
    speakers: int
    blank_answers: int
    attributes: tuple[str, ...]


@dataclass(frozen=True)
class IngestReport:
    files: tuple[FileReport, ...]
    rejected: tuple[Rejection, ...]
    store_path: Path

    @property
    def documents(self) -> int:
        return sum(f.documents for f in self.files)

    @property
    def segments(self) -> int:
        return sum(f.segments for f in self.files)

    @property
    def exit_code(self) -> int:
        """0 all inputs used, 1 some rejected (the rest done), 2 nothing usable."""
        if not self.rejected:
            return 0
        return 1 if self.files else 2


def ingest_to_store(paths: Iterable[str | Path], out: str | Path,
                    options: IngestOptions | None = None) -> IngestReport:
    """Read, segment and store every input under ``paths`` into the project in ``out``."""
    result = ingest(paths, options)
    files = []
    with Store.open(out) as store:
        for ingested in result.sources:
            segments = segment(ingested.documents)
            status = store.put_source(ingested.source.id, ingested.source.display,
                                      ingested.sha256, ingested.size, ingested.documents, segments)
            files.append(_file_report(ingested.source.id, status, ingested.documents, segments))
        path = store.path
    return IngestReport(tuple(files), result.rejected, path)


def _file_report(source_id: str, status: str, documents: tuple[Document, ...],
                 segments: list[Segment]) -> FileReport:
    kind = documents[0].kind if documents else ""
    speakers = {normalise_label(s.speaker) for s in segments if s.speaker}
    attributes = sorted({key for d in documents for key in d.attributes}
                        | {key for s in segments for key in s.attributes})
    blank = 0
    if kind == SURVEY:
        questions = {s.attributes.get("question") for s in segments}
        blank = len(documents) * len(questions) - len(segments)
    return FileReport(
        source_id=source_id, kind=kind, status=status, documents=len(documents),
        segments=len(segments),
        interviewer_turns=sum(1 for s in segments if s.role == INTERVIEWER),
        speakers=len(speakers) if kind == TRANSCRIPT else 0,
        blank_answers=blank, attributes=tuple(attributes))


def codable(segments: Iterable[Segment]) -> list[Segment]:
    """Segments a coder may code: never interviewer turns or a transcript's preamble."""
    return [s for s in segments if s.role not in NOT_ANALYSED]


@dataclass(frozen=True)
class HumanCodings:
    """Codings read from coders' files, and what could not be placed (one line each: the file,
    the source and how many codings), so a caller can say so instead of losing them quietly."""

    codings: list[Coding]
    unplaced: tuple[str, ...] = ()


@dataclass(frozen=True)
class Comparison:
    """Agreement per code and coder pair, and the codings that could not be placed."""

    table: pd.DataFrame
    unplaced: tuple[str, ...] = ()


def compare_coders(inputs: Iterable[str | Path], coding_files: Iterable[str | Path],
                   codebook: Codebook | None = None,
                   options: IngestOptions | None = None) -> Comparison:
    """Agreement per code and coder pair, at segment level, for the codings in ``coding_files``.

    Every coder is taken to have coded every codable segment of ``inputs`` (give the files
    that were double-coded), so a segment a coder left uncoded counts as "code absent".
    """
    result = ingest(inputs, options)
    if result.rejected:
        raise UsageError(f"{result.rejected[0].reason} (agreement needs every input readable)")
    segments = codable(segment(result.documents))
    read = read_codings(coding_files, result.documents, segments, codebook)
    coders = {c.coder for c in read.codings}
    if len(coders) < 2:
        raise UsageError(f"agreement needs codes from at least two coders; found {len(coders)}: "
                         "give more --codings files or a 'coder' column")
    return Comparison(agreement_on(segments, read.codings), read.unplaced)


def read_codings(coding_files: Iterable[str | Path], documents: Sequence[Document],
                 segments: Sequence[Segment], codebook: Codebook | None) -> HumanCodings:
    """Codings from CSV files and REFI-QDA projects, matched to ``segments`` (codable ones)."""
    codings: list[Coding] = []
    unplaced: list[str] = []
    for path in map(Path, coding_files):
        if path.suffix.lower() == ".qdpx":
            read = _qdpx_codings(path, documents, segments, codebook)
            codings += read.codings
            unplaced += read.unplaced
        else:
            codings += read_human_codes(path, segments, codebook)
    return HumanCodings(codings, tuple(unplaced))


def agreement_on(segments: Iterable[Segment], codings: Iterable[Coding],
                 segments_by_coder: Mapping[str, Iterable[str]] | None = None) -> pd.DataFrame:
    """Agreement per code and coder pair: every coder taken to have coded every segment given,
    or the segment ids ``segments_by_coder`` gives for each."""
    frame = pd.DataFrame([(c.segment_id, c.code_id, c.coder) for c in codings],
                         columns=["segment_id", "code", "coder"])
    if segments_by_coder is None:
        universe = {s.id for s in segments}
        segments_by_coder = {coder: universe for coder in sorted(set(frame["coder"]))}
    return agreement_frame(*agreement_table(frame, segments_by_coder))


def _qdpx_codings(path: Path, documents: Sequence[Document], segments: Sequence[Segment],
                  codebook: Codebook | None) -> HumanCodings:
    """Codings from a REFI-QDA project coded in another tool (QualCoder, NVivo...).

    Selections are matched to segments by offsets, so a source must hold the same text as
    qualcode's document: the original text as ingested, or the redacted text of a qualcode
    export (then the corpus is redacted again, with the same pseudonyms, to line them up).
    The choice is made for each document: one without personal data reads the same either
    way, and a project may mix the two. A source whose text matches neither, or a selection
    that covers no codable segment, is reported with its count and never moved elsewhere.
    """
    from qualcode.export import read_qdpx

    project = read_qdpx(path)
    texts = {source.name: source.text for source in project.sources}
    original = segments_by_doc(segments)
    placed = {d.id: original.get(d.id, []) for d in documents if texts.get(d.id) == d.text}
    if any(d.id in texts and d.id not in placed for d in documents):
        from qualcode.redact import Redactor
        from qualcode.redact.corpus import redact_corpus

        # The whole corpus, as the export was made from it: pseudonym numbers depend on it.
        redacted = redact_corpus(list(documents), segment(documents), Redactor())
        by_doc = segments_by_doc(codable(redacted.segments))
        placed.update({d.id: by_doc.get(d.id, []) for d in redacted.documents
                       if d.id not in placed and texts.get(d.id) == d.text})
    if not placed:
        raise UsageError(f"{path}: none of its sources holds the text of the inputs given; "
                         "import the same files into the other tool, or export them with qualcode run")
    placement = project.place(placed, codebook)
    if codebook is not None:
        unknown = sorted({c.code_id for c in placement.codings} - set(codebook.ids))
        if unknown:
            raise unknown_code_error(str(path), unknown[0], codebook)
    unplaced = [f"{path}: {line}" for line in placement.unplaced]
    for source in project.sources:
        count = sum(1 for s in project.selections if s.source_guid == source.guid)
        if source.name not in placed and count:
            unplaced.append(f"{path}: source {source.name!r}: {count} coded selection(s) not "
                            "placed, its text matches no input (original or redacted); give "
                            "the file it was made from")
    return HumanCodings(placement.codings, tuple(unplaced + list(project.problems)))


def segments_by_doc(segments: Iterable[Segment]) -> dict[str, list[Segment]]:
    by_doc: dict[str, list[Segment]] = {}
    for seg in segments:
        by_doc.setdefault(seg.doc_id, []).append(seg)
    return by_doc
