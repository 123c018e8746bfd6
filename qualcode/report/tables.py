"""Flat tables for analysis elsewhere: segments, codings and topics as CSV and Parquet.

Document and segment attributes become columns under their own names; one that would clash
with a fixed column (``role`` is both a speaker role and, often, a job role) is written as
``attr_<name>``. Values are text; a missing attribute is an empty cell.
"""

from __future__ import annotations

import io
from typing import Iterable, Iterator

import pandas as pd

from qualcode.model import Codebook, Coding, Segment, Topic
from qualcode.results import RunResult

SEGMENT_COLUMNS = ("segment_id", "doc_id", "doc_kind", "role", "speaker", "start", "end", "text",
                   "topic_id")
CODING_COLUMNS = ("segment_id", "doc_id", "code_id", "code", "method", "confidence", "evidence",
                  "coder")
TOPIC_COLUMNS = ("topic_id", "label", "keywords", "size", "code_id", "emergent")


def attribute_columns(result: RunResult, fixed: tuple[str, ...]) -> dict[str, str]:
    """Attribute name -> column name, document attributes then segment attributes, sorted."""
    doc_keys = sorted({k for d in result.documents for k in d.attributes})
    seg_keys = sorted({k for s in result.segments for k in s.attributes} - set(doc_keys))
    return {k: (f"attr_{k}" if k in fixed else k) for k in doc_keys + seg_keys}


def segment_rows(result: RunResult) -> tuple[list[str], Iterator[dict]]:
    """The segments table's columns, and its rows one at a time (a million fit in no list)."""
    columns = attribute_columns(result, SEGMENT_COLUMNS)

    def rows() -> Iterator[dict]:
        documents = {d.id: d for d in result.documents}
        for s in result.segments:
            document = documents.get(s.doc_id)
            attributes = {**(document.attributes if document else {}), **s.attributes}
            row = {"segment_id": s.id, "doc_id": s.doc_id,
                   "doc_kind": document.kind if document else "",
                   "role": s.role, "speaker": s.speaker or "", "start": s.start, "end": s.end,
                   "text": s.text, "topic_id": result.topic_of_segment.get(s.id)}
            row.update({column: attributes.get(key, "") for key, column in columns.items()})
            yield row

    return [*SEGMENT_COLUMNS, *columns.values()], rows()


def segments_frame(result: RunResult) -> pd.DataFrame:
    """One row per segment (all of them, interviewer turns included), attributes as columns."""
    columns, rows = segment_rows(result)
    frame = pd.DataFrame(list(rows), columns=columns)
    frame["topic_id"] = frame["topic_id"].astype("Int64")
    return frame


def codings_frame(codings: Iterable[Coding], segments: Iterable[Segment],
                  codebook: Codebook | None) -> pd.DataFrame:
    """``codings.csv``, whichever command writes it: the code's id and its display name."""
    doc_of = {s.id: s.doc_id for s in segments}
    names = {c.id: c.name for c in codebook.codes} if codebook else {}
    rows = [(c.segment_id, doc_of.get(c.segment_id, ""), c.code_id, names.get(c.code_id, c.code_id),
             c.method, float(c.confidence), c.evidence, c.coder)
            for c in sorted(codings, key=lambda c: (c.segment_id, c.code_id, c.coder))]
    return pd.DataFrame(rows, columns=list(CODING_COLUMNS))


def topics_frame(topics: Iterable[Topic]) -> pd.DataFrame:
    """``topics.csv``, whichever command writes it: keywords joined by ", "; ``emergent`` is
    true for a topic under no code."""
    rows = [(t.id, t.label, ", ".join(t.keywords), t.size, t.code_id or "", t.code_id is None)
            for t in sorted(topics, key=lambda t: t.id)]
    return pd.DataFrame(rows, columns=list(TOPIC_COLUMNS))


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A table as every CSV of qualcode is written: UTF-8, LF line ends, no index."""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def render_tables(result: RunResult) -> dict[str, bytes]:
    """File name -> bytes for ``segments``, ``codings`` and ``topics`` as .csv and .parquet.

    The topic of each segment is the ``topic_id`` column of ``segments`` (-1: no topic).
    """
    frames = {"segments": segments_frame(result),
              "codings": codings_frame(result.codings, result.segments, result.codebook),
              "topics": topics_frame(result.topics)}
    files = {}
    for name, frame in frames.items():
        files[f"{name}.csv"] = csv_bytes(frame)
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False, engine="pyarrow")
        files[f"{name}.parquet"] = buffer.getvalue()
    return files
