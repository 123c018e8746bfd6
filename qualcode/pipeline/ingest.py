"""Ingest into a project store: read and segment the inputs, store originals (``qualcode
ingest``), and report what each file gave, in counts only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from qualcode.ingest import IngestOptions, Rejection, ingest
from qualcode.ingest.turns import normalise_label
from qualcode.model import INTERVIEWER, SURVEY, TRANSCRIPT, Document, Segment
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
