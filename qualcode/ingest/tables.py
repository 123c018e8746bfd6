"""Readers for survey exports (.csv, .xlsx) and JSON Lines: one document per row.

The free-text column(s) are named with ``text_columns`` or detected; every other column
becomes an attribute of the row (role, site, wave...). A respondent id column, if present,
names the document; otherwise the row number does. Multi-question surveys give one region
per answered question, with the question as an attribute, so each answer is its own segment.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import AbstractSet, Iterator, Sequence

import pandas as pd

from qualcode.errors import InputError
from qualcode.lexicon.filler import is_filler
from qualcode.ingest.decode import decode_bytes, file_encoding, normalise_newlines
from qualcode.ingest.source import Source
from qualcode.ingest.zipcheck import check_office_zip
from qualcode.model import RESPONDENT, SURVEY, Document, Region, frozen_mapping

_ID_COLUMN = re.compile(r"^(?:respondent|response|participant|record|case|row)?[ _-]?id$", re.I)
_MIN_MEAN_WORDS = 4.0
_MIN_UNIQUE_SHARE = 0.5
_ANSWER_BREAK = "\n\n"


def read_csv(source: Source, text_columns: Sequence[str] = ()) -> list[Document]:
    text = decode_bytes(source.read_bytes(), source.display)
    if not text.strip():
        raise InputError(source.display, "is empty", "export the survey again")
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                            sep=sniff_delimiter(text), engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as error:
        raise InputError(source.display, f"is not a readable CSV table ({type(error).__name__})",
                         "check the export's delimiter and quoting") from None
    return documents_from_frame(source, frame, text_columns)


def read_xlsx(source: Source, text_columns: Sequence[str] = ()) -> list[Document]:
    check_office_zip(source.path, source.display, "xl/workbook.xml")
    try:
        # keep_default_na=False: "n/a" and "None" are answers people gave, not missing cells.
        frame = pd.read_excel(source.path, sheet_name=0, dtype=str, engine="openpyxl",
                              keep_default_na=False)
    except Exception as error:  # openpyxl raises many unrelated types for broken workbooks
        raise InputError(source.display, f"is not a readable Excel workbook ({type(error).__name__})",
                         "re-save it from Excel as .xlsx") from None
    return documents_from_frame(source, frame.fillna(""), text_columns)


def read_jsonl(source: Source, text_columns: Sequence[str] = ()) -> list[Document]:
    """One JSON object per line with ``text`` (or the named text fields) and optional ``id``."""
    text = decode_bytes(source.read_bytes(), source.display)
    rows = list(read_jsonl_rows(iter(text.split("\n")), source.display))
    frame = pd.DataFrame(rows, dtype=str).fillna("")
    columns = list(text_columns) or ["text"]
    return documents_from_frame(source, frame, columns)


def read_jsonl_rows(lines: Iterator[str], display: str, start: int = 1) -> Iterator[dict[str, str]]:
    """Rows of a JSON Lines text, each a flat mapping of strings; a bad line is an InputError."""
    for number, line in enumerate(lines, start=start):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            raise InputError(display, f"line {number} is not valid JSON",
                             "fix or remove that line") from None
        if not isinstance(row, dict):
            raise InputError(display, f"line {number} is not a JSON object",
                             'write one {"id": ..., "text": ...} object per line')
        yield {key: normalise_newlines(_as_text(value)) for key, value in row.items()}


@dataclass(frozen=True)
class TablePlan:
    """How to read a large table chunk by chunk, settled by a first pass over the whole file."""

    encoding: str
    delimiter: str
    text_columns: tuple[str, ...]
    id_column: str | None


def iter_table_documents(source: Source, text_columns: Sequence[str] = (),
                         chunk_rows: int = 10_000) -> Iterator[list[Document]]:
    """The documents of a large .csv or .jsonl, ``chunk_rows`` rows at a time.

    Memory stays at about one chunk whatever the file's size. A first pass reads the whole
    file to check it (encoding, parsing, an id column that is unique, some text), so a bad
    file is rejected before any of its rows is used. Free-text columns are detected on the
    first chunk. Rows are numbered as :func:`documents_from_frame` numbers them.
    """
    plan = _plan(source, text_columns, chunk_rows)
    position = 0
    for frame in _frames(source, plan.encoding, plan.delimiter, chunk_rows):
        documents = []
        for row in frame.itertuples(index=False, name=None):
            position += 1
            values = dict(zip(frame.columns, (normalise_newlines(_as_text(v)) for v in row)))
            for column in plan.text_columns:
                values.setdefault(column, "")  # JSON Lines rows may leave out an empty field
            documents.append(_row_document(source, values, list(plan.text_columns), plan.id_column, position))
        yield documents


def _plan(source: Source, text_columns: Sequence[str], chunk_rows: int) -> TablePlan:
    encoding = file_encoding(source.path, source.display)
    delimiter = ","
    if source.suffix == ".csv":
        with source.path.open(encoding=encoding, newline="") as handle:
            delimiter = sniff_delimiter(handle.read(65536))
    chosen: list[str] = []
    seen_ids: dict[str, set[str]] = {}  # id-like column -> its values so far, while usable
    has_text, rows = False, 0
    for frame in _frames(source, encoding, delimiter, chunk_rows):
        if rows == 0:
            chosen = _choose_text_columns(source, frame, list(text_columns) or
                                          (["text"] if source.suffix == ".jsonl" else []))
            seen_ids = {column: set() for column in _id_candidates(frame, chosen)}
        rows += len(frame)
        has_text = has_text or any(frame[c].astype(str).str.strip().ne("").any()
                                   for c in chosen if c in frame.columns)
        for column, seen in list(seen_ids.items()):
            values = _ids_if_usable(frame, column, seen)
            if values is None:
                del seen_ids[column]
            else:
                seen.update(values)
    if rows == 0:
        raise InputError(source.display, "has a header but no rows", "export the survey again")
    if not has_text:
        raise InputError(source.display, "holds no text", "check that the export finished")
    # the first candidate still usable: the rule documents_from_frame applies to a whole table
    return TablePlan(encoding, delimiter, tuple(chosen), next(iter(seen_ids), None))


def _frames(source: Source, encoding: str, delimiter: str, chunk_rows: int) -> Iterator[pd.DataFrame]:
    if source.suffix == ".jsonl":
        with source.path.open(encoding=encoding) as handle:
            rows: list[dict[str, str]] = []
            for row in read_jsonl_rows((line.rstrip("\r\n") for line in handle), source.display):
                rows.append(row)
                if len(rows) == chunk_rows:
                    yield pd.DataFrame(rows, dtype=str).fillna("")
                    rows = []
            if rows:
                yield pd.DataFrame(rows, dtype=str).fillna("")
        return
    try:
        reader = pd.read_csv(source.path, encoding=encoding, sep=delimiter, dtype=str,
                             keep_default_na=False, chunksize=chunk_rows, engine="c")
        for frame in reader:
            frame.columns = [str(column).strip() for column in frame.columns]
            yield frame
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as error:
        raise InputError(source.display, f"is not a readable CSV table ({type(error).__name__})",
                         "check the export's delimiter and quoting") from None


def documents_from_frame(source: Source, frame: pd.DataFrame,
                         text_columns: Sequence[str] = ()) -> list[Document]:
    """One document per row; shared by every table reader so they behave the same."""
    frame.columns = [str(column).strip() for column in frame.columns]
    if frame.empty:
        raise InputError(source.display, "has a header but no rows", "export the survey again")
    chosen = _choose_text_columns(source, frame, text_columns)
    id_column = _id_column(frame, chosen)
    documents = []
    for position, row in enumerate(frame.itertuples(index=False, name=None), start=1):
        values = dict(zip(frame.columns, (_as_text(v) for v in row)))
        documents.append(_row_document(source, values, chosen, id_column, position))
    return documents  # ids are unique: the id column is checked unique, else row numbers


def _row_document(source: Source, values: dict[str, str], chosen: list[str],
                  id_column: str | None, position: int) -> Document:
    row_key = values.get(id_column, "").strip() if id_column else ""
    doc_id = f"{source.id}#{row_key or position}"
    parts: list[str] = []
    regions: list[Region] = []
    offset = 0
    for question_number, column in enumerate(chosen, start=1):
        answer = values[column].strip()
        if not answer:
            continue  # blank: nothing said; counted as a blank answer, not a segment
        if parts:
            offset += len(_ANSWER_BREAK)
        regions.append(Region(offset, offset + len(answer), role=RESPONDENT, key=str(question_number),
                              attributes=frozen_mapping({"question": column})))
        parts.append(answer)
        offset += len(answer)
    attributes = {k: v.strip() for k, v in values.items() if k not in chosen and k != id_column}
    if id_column:
        attributes["respondent_id"] = row_key
    attributes["row"] = str(position)
    return Document(id=doc_id, text=_ANSWER_BREAK.join(parts), kind=SURVEY,
                    source_path=source.id, attributes=frozen_mapping(attributes),
                    regions=tuple(regions))


def _choose_text_columns(source: Source, frame: pd.DataFrame, named: Sequence[str]) -> list[str]:
    columns = list(frame.columns)
    if named:
        missing = [name for name in named if name not in columns]
        if missing:
            raise InputError(source.display, f"has no column {missing[0]!r} (columns: {_listing(columns)})",
                             "pass --text-column with one of the columns listed")
        return list(named)
    detected = [column for column in columns if _looks_like_free_text(column, frame[column])]
    if not detected:
        raise InputError(source.display, f"has no free-text column that could be detected "
                         f"(columns: {_listing(columns)})", "name it with --text-column")
    return detected


def _looks_like_free_text(column: str, values: pd.Series) -> bool:
    answers = [v.strip() for v in values.astype(str) if not is_filler(v)]
    if not answers:
        return False
    if column.rstrip().endswith("?"):
        # Survey tools head open questions with the question itself; one real answer is enough.
        return max(len(a.split()) for a in answers) >= _MIN_MEAN_WORDS
    if len(answers) < 2:
        return False
    mean_words = sum(len(a.split()) for a in answers) / len(answers)
    unique_share = len(set(answers)) / len(answers)
    return mean_words >= _MIN_MEAN_WORDS and unique_share >= _MIN_UNIQUE_SHARE


def _id_column(frame: pd.DataFrame, chosen: list[str]) -> str | None:
    """The first id-like column whose values are all filled in and unique, if any."""
    return next((c for c in _id_candidates(frame, chosen) if _ids_if_usable(frame, c) is not None), None)


def _id_candidates(frame: pd.DataFrame, chosen: Sequence[str]) -> list[str]:
    """Columns named like a respondent id ("id", "Respondent ID", "case_id"), not text."""
    return [column for column in frame.columns if column not in chosen and _ID_COLUMN.match(column)]


def _ids_if_usable(frame: pd.DataFrame, column: str, seen: AbstractSet[str] = frozenset()) -> pd.Series | None:
    """``column``'s stripped values if every row has one and none repeats (nor is in ``seen``)."""
    if column not in frame.columns:
        return None
    values = frame[column].astype(str).str.strip()
    return values if values.ne("").all() and values.is_unique and seen.isdisjoint(values) else None


def sniff_delimiter(text: str) -> str:
    try:
        return csv.Sniffer().sniff(text[:65536].split("\n", 1)[0], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _as_text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _listing(columns: list[str], limit: int = 12) -> str:
    shown = ", ".join(columns[:limit])
    return shown + (f", ... ({len(columns)} in all)" if len(columns) > limit else "")
