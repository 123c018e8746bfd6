"""Compare coders: read their codes (CSV files, REFI-QDA projects coded in other tools),
place them on qualcode's segments, and measure agreement per code and coder pair.

A ``.qdpx`` is placed document by document on the original or the redacted text, whichever
its source holds; a coding that cannot be placed exactly is reported, never moved.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import pandas as pd

from qualcode.errors import UsageError
from qualcode.human.agreement import agreement_frame, agreement_table
from qualcode.human.codes import read_human_codes, unknown_code_error
from qualcode.ingest import IngestOptions, ingest
from qualcode.model import Codebook, Coding, Document, Segment, analysable, segments_by_doc
from qualcode.segment import segment


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
    segments = analysable(segment(result.documents))
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
        by_doc = segments_by_doc(analysable(redacted.segments))
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
    per_source = Counter(selection.source_guid for selection in project.selections)
    for source in project.sources:
        count = per_source[source.guid]
        if source.name not in placed and count:
            unplaced.append(f"{path}: source {source.name!r}: {count} coded selection(s) not "
                            "placed, its text matches no input (original or redacted); give "
                            "the file it was made from")
    return HumanCodings(placement.codings, tuple(unplaced + list(project.problems)))
