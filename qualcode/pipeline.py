"""The stages wired together. The CLI calls these; so can any Python caller.

For now: ingest and segment into the project store, with a report of what was done.
Later stages (redact, code, topics, quotes, report) extend :func:`run`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd

from qualcode.agreement import agreement_frame, agreement_table
from qualcode.errors import UsageError
from qualcode.human_codes import read_human_codes
from qualcode.ingest import IngestOptions, Rejection, ingest
from qualcode.ingest.turns import normalise_label
from qualcode.model import INTERVIEWER, NOT_ANALYSED, SURVEY, TRANSCRIPT, Coding, Document, Segment
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


def compare_coders(inputs: Iterable[str | Path], coding_files: Iterable[str | Path],
                   code_ids: Iterable[str] | None = None,
                   options: IngestOptions | None = None) -> pd.DataFrame:
    """Agreement per code and coder pair, at segment level, for the codings in ``coding_files``.

    Every coder is taken to have coded every codable segment of ``inputs`` (give the files
    that were double-coded), so a segment a coder left uncoded counts as "code absent".
    """
    result = ingest(inputs, options)
    if result.rejected:
        raise UsageError(f"{result.rejected[0].reason} (agreement needs every input readable)")
    segments = codable(segment(result.documents))
    codings = read_codings(coding_files, result.documents, segments, code_ids)
    coders = {c.coder for c in codings}
    if len(coders) < 2:
        raise UsageError(f"agreement needs codes from at least two coders; found {len(coders)}: "
                         "give more --codings files or a 'coder' column")
    return agreement_on(segments, codings)


def read_codings(coding_files: Iterable[str | Path], documents: list[Document],
                 segments: list[Segment], code_ids: Iterable[str] | None) -> list[Coding]:
    """Codings from CSV files and REFI-QDA projects, matched to ``segments`` (codable ones)."""
    codings: list[Coding] = []
    for path in map(Path, coding_files):
        if path.suffix.lower() == ".qdpx":
            codings += _qdpx_codings(path, documents, segments, code_ids)
        else:
            codings += read_human_codes(path, segments, code_ids)
    return codings


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


def _qdpx_codings(path: Path, documents: list[Document], segments: list[Segment],
                  code_ids: Iterable[str] | None) -> list[Coding]:
    """Codings from a REFI-QDA project coded in another tool (QualCoder, NVivo...).

    Selections are matched to segments by offsets, so a source must hold the same text as
    qualcode's document: the original text as ingested, or the redacted text of a qualcode
    export (then the corpus is redacted again, with the same pseudonyms, to line them up).
    """
    from qualcode.export import read_qdpx

    project = read_qdpx(path)
    texts = {source.name: source.text for source in project.sources}
    if any(texts.get(d.id) == d.text for d in documents):
        by_doc = segments_by_doc(segments)
    else:
        from qualcode.redact import Redactor
        from qualcode.redact.corpus import redact_corpus

        redacted = redact_corpus(documents, segment(documents), Redactor())
        if not any(texts.get(d.id) == d.text for d in redacted.documents):
            raise UsageError(f"{path}: none of its sources holds the text of the inputs given; "
                             "import the same files into the other tool, or export them with qualcode run")
        by_doc = segments_by_doc(codable(redacted.segments))
    codings = project.codings_for(by_doc)
    if code_ids is not None:
        unknown = sorted({c.code_id for c in codings} - set(code_ids))
        if unknown:
            raise UsageError(f"{path}: codes {', '.join(unknown)} are not in the codebook; "
                             "rename them in the other tool or add them to the codebook")
    return codings


def segments_by_doc(segments: Iterable[Segment]) -> dict[str, list[Segment]]:
    by_doc: dict[str, list[Segment]] = {}
    for seg in segments:
        by_doc.setdefault(seg.doc_id, []).append(seg)
    return by_doc
