"""Human-coded training examples for the supervised coder, read and checked.

A training table has a ``code`` column and either ``segment_id`` (a segment of the inputs
being coded) or ``text`` (the coded text itself, from any source). One row per (text, code);
a text with several rows has several codes. Any row naming a code outside the codebook, or a
segment that is not among the inputs, stops with one error naming the file, the row and the
fix; the message never quotes the text (it may hold personal data).
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import pandas as pd

from qualcode.errors import UsageError
from qualcode.human.codes import read_user_csv
from qualcode.model import Codebook, Segment


def read_training(source: str | Path | pd.DataFrame, segments: Sequence[Segment],
                  codebook: Codebook) -> tuple[list[str], list[tuple[str, ...]]]:
    """Texts and their code sets from a training CSV (or DataFrame), checked against both.

    >>> texts, labels = read_training("coded.csv", segments, codebook)  # doctest: +SKIP
    >>> labels[0]  # doctest: +SKIP
    ('burnout', 'isolation')
    """
    name, frame = _frame(source)
    row_names = frame.attrs.get("row_names") or {}  # index label -> how to name the row
    known = set(codebook.ids)
    by_id = {segment.id: segment.text for segment in segments}
    codes_of: dict[str, list[str]] = {}
    for position, (label, row) in enumerate(zip(frame.index, frame.to_dict("records"))):
        # CSV rows count from 2 (the header is row 1), as a spreadsheet shows them
        where = row_names.get(label) or f"{name} row {position + 2}"
        code = str(row.get("code", "") or "").strip()
        if code not in known:
            raise UsageError(f"{where}: code {code!r} is not in the codebook "
                             f"({', '.join(sorted(known))}); correct the code in the file, or "
                             "add the code to the codebook")
        segment_id = str(row.get("segment_id", "") or "").strip()
        if segment_id:
            if segment_id not in by_id:
                raise UsageError(f"{where}: segment {segment_id!r} is not among the inputs; "
                                 "code the same inputs the training file was made from, or give "
                                 "the coded text in a 'text' column instead")
            text = by_id[segment_id]
        else:
            text = str(row.get("text", "") or "").strip()
            if not text:
                raise UsageError(f"{where}: neither 'segment_id' nor 'text' is filled in; "
                                 "fill one in or delete the row")
        codes = codes_of.setdefault(text, [])
        if code not in codes:
            codes.append(code)
    if not codes_of:
        raise UsageError(f"{name}: the training data has no rows; add human-coded examples")
    return list(codes_of), [tuple(sorted(codes)) for codes in codes_of.values()]


def _frame(source: str | Path | pd.DataFrame) -> tuple[str, pd.DataFrame]:
    if isinstance(source, pd.DataFrame):
        name, frame = source.attrs.get("name", "training data"), source.copy()
    else:
        name, frame = str(source), read_user_csv(source, "training file")
    frame.columns = [str(column).strip().lower() for column in frame.columns]
    if "code" not in frame.columns or not {"text", "segment_id"} & set(frame.columns):
        raise UsageError(f"{name}: training data needs a 'code' column and a 'text' or "
                         f"'segment_id' column (found: {', '.join(frame.columns)})")
    return name, frame.fillna("")
