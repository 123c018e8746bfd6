"""Redact input files into an output folder: the ``qualcode redact`` command's library side.

Formats:

* ``jsonl``: one JSON object per input record (``id``, redacted ``text``, ``entities`` with
  ``start``/``end`` offsets into the ORIGINAL text, ``label``, ``replacement``). A record is a
  line of a JSON Lines input (its own ``id`` and untouched ``text``) or a segment otherwise.
* ``txt``: each input's redacted documents as plain text.
* ``same``: the input's own format where qualcode can write it (.txt .md .csv .xlsx .jsonl
  .vtt .srt .docx): survey tables keep every column but identifying ones, with free-text
  cells redacted; subtitles keep their timings.

Every output path mirrors the input's source id, so nothing collides and nothing is guessed.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

import pandas as pd

from qualcode.errors import UsageError
from qualcode.ingest import IngestOptions, IngestedSource, Rejection, ingest
from qualcode.model import Document, Segment
from qualcode.redact.corpus import IDENTIFYING_COLUMN, redact_corpus
from qualcode.redact.file_names import file_name_problem
from qualcode.redact.redactor import Redactor
from qualcode.segment import segment

FORMATS = ("jsonl", "txt", "same")


@dataclass(frozen=True)
class RedactReport:
    written: tuple[Path, ...]
    records: int
    counts: dict[str, int]
    rejected: tuple[Rejection, ...]

    @property
    def exit_code(self) -> int:
        if not self.rejected:
            return 0
        return 1 if self.written else 2


def redact_inputs(paths: Sequence[str | Path], out: str | Path, fmt: str = "jsonl",
                  redactor: Redactor | None = None, options: IngestOptions | None = None) -> RedactReport:
    """Redact every input under ``paths`` into ``out`` in format ``fmt``."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    redactor = redactor or Redactor()
    out = Path(out)
    result = ingest(paths, options, screen=file_name_problem)
    written: list[Path] = []
    counts: dict[str, int] = {}
    records = 0
    for source in result.sources:
        for path, n, source_counts in _write_source(source, out, fmt, redactor):
            written.append(path)
            records += n
            for label, count in source_counts.items():
                counts[label] = counts.get(label, 0) + count
    return RedactReport(tuple(written), records, dict(sorted(counts.items())), result.rejected)


def _write_source(source: IngestedSource, out: Path, fmt: str,
                  redactor: Redactor) -> Iterator[tuple[Path, int, dict[str, int]]]:
    if fmt == "jsonl" or (fmt == "same" and source.source.suffix == ".jsonl"):
        yield _write_jsonl(source, out, redactor, keep_fields=fmt == "same")
        return
    documents = list(source.documents)
    segments = segment(documents)
    corpus = redact_corpus(documents, segments, redactor)
    counts = dict(corpus.counts)
    target = _target(out, source.source.id, ".txt" if fmt == "txt" else source.source.suffix)
    if fmt == "txt" or source.source.suffix in {".txt", ".md", ".markdown"}:
        _atomic_write(target, "\n\n".join(d.text for d in corpus.documents if d.text) + "\n")
    elif source.source.suffix in {".csv", ".xlsx"}:
        _write_table(source, corpus.segments, target)
    elif source.source.suffix in {".vtt", ".srt"}:
        _atomic_write(target, _subtitles(corpus.segments, webvtt=source.source.suffix == ".vtt"))
    elif source.source.suffix == ".docx":
        _write_docx(corpus.documents, target)
    yield target, len(segments), counts


def _write_jsonl(source: IngestedSource, out: Path, redactor: Redactor,
                 keep_fields: bool) -> tuple[Path, int, dict[str, int]]:
    records = list(_records(source))
    results = redactor.redact_texts([r[1] for r in records], ids=[r[0] for r in records],
                                    speakers=[r[2].pop("speaker", None) for r in records])
    counts: dict[str, int] = {}
    lines = []
    for (record_id, _, fields), result in zip(records, results):
        row = result.to_dict()
        if keep_fields:  # "same": the input's other fields, with the text swapped
            row = {**{k: v for k, v in fields.items() if not IDENTIFYING_COLUMN.search(k)}, **row}
        lines.append(json.dumps(row, ensure_ascii=False))
        for entity in result.entities:
            counts[entity.label] = counts.get(entity.label, 0) + 1
    target = _target(out, source.source.id, ".jsonl")
    _atomic_write(target, "".join(line + "\n" for line in lines))
    return target, len(records), counts


def _records(source: IngestedSource) -> Iterator[tuple[str, str, dict]]:
    """(id, original text, other fields): raw JSON Lines rows, or segments of anything else.

    A segment's fields hold its speaker label, which the redactor replaces consistently.
    """
    if source.source.suffix == ".jsonl":
        text = source.source.read_bytes().decode("utf-8-sig")
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                row = json.loads(line)
                record_id = str(row.get("id", number))
                yield record_id, str(row.get("text", "")), {k: v for k, v in row.items() if k != "text"}
        return
    for seg in segment(source.documents):
        yield seg.id, seg.text, {"speaker": seg.speaker}


def _write_table(source: IngestedSource, segments: Sequence[Segment], target: Path) -> None:
    """The survey export again, with free-text cells redacted and identifying columns dropped."""
    if source.source.suffix == ".csv":
        from qualcode.ingest.decode import decode_bytes
        from qualcode.ingest.tables import sniff_delimiter

        text = decode_bytes(source.source.read_bytes(), source.source.display)
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=sniff_delimiter(text))
    else:
        frame = pd.read_excel(source.source.path, sheet_name=0, dtype=str, keep_default_na=False)
    frame.columns = [str(c).strip() for c in frame.columns]
    by_doc = {d.id: d for d in source.documents}
    redacted = {(by_doc[s.doc_id].attributes["row"], s.attributes["question"]): s.text for s in segments}
    for (row, question), value in redacted.items():
        frame.at[int(row) - 1, question] = value
    # Text columns with a blank cell keep it blank; any cell not redacted is not free text.
    frame = frame[[c for c in frame.columns if not IDENTIFYING_COLUMN.search(c)]]
    buffer = io.BytesIO()
    if source.source.suffix == ".csv":
        buffer.write(frame.to_csv(index=False).encode("utf-8"))
    else:
        frame.to_excel(buffer, index=False, engine="openpyxl")
    _atomic_write(target, buffer.getvalue())


def _subtitles(segments: Sequence[Segment], webvtt: bool) -> str:
    blocks = ["WEBVTT"] if webvtt else []
    for number, seg in enumerate(segments, start=1):
        start = seg.attributes.get("start_time", "00:00:00.000")
        end = seg.attributes.get("end_time", start)
        voice = (f"<v {seg.speaker}>" if webvtt else f"{seg.speaker}: ") if seg.speaker else ""
        blocks.append(f"{number}\n{start} --> {end}\n{voice}{seg.text}")
    return "\n\n".join(blocks) + "\n"


def _write_docx(documents: Sequence[Document], target: Path) -> None:
    import docx

    output = docx.Document()
    for document in documents:
        for paragraph in document.text.split("\n\n"):
            output.add_paragraph(paragraph)
    buffer = io.BytesIO()
    output.save(buffer)
    _atomic_write(target, buffer.getvalue())


def _target(out: Path, source_id: str, suffix: str) -> Path:
    return (out / source_id).with_suffix(suffix)


def _atomic_write(target: Path, content: str | bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.partial")
    data = content.encode("utf-8") if isinstance(content, str) else content
    temporary.write_bytes(data)
    temporary.replace(target)
