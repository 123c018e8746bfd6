"""Import codes applied by human coders, so they can be stored and compared.

A CSV has one row per (segment, code) assignment with columns ``code`` (a code's id or its
display name), ``coder`` (optional: the file name stands in) and either ``segment_id`` or
``text``; qualcode's own ``codings.csv``, whose ``code`` column holds display names, is read
by its ``code_id`` column. ``text`` may be the whole
segment or an excerpt of it, as coders usually highlight a phrase; it is matched to the one
segment that contains it (whitespace and case ignored). Rows that match nothing, or name a
code outside the codebook, stop the import with one error naming the file and row.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd

from qualcode.errors import UsageError
from qualcode.model import Codebook, Coding, Segment

HUMAN = "human"


def refuse_machine_names(codings: Iterable[Coding], machine_coders: Iterable[str], where: str,
                         option: str = "") -> None:
    """Stop if a person's codes carry the name of machine codings ``where`` ("in this run"):
    one name for two coders would merge them in the agreement and the store. ``option`` (such
    as "--codings") starts the message, to say where the codes came from."""
    clash = sorted({c.coder for c in codings} & set(machine_coders))
    if clash:
        start = f"{option}: " if option else ""
        raise UsageError(f"{start}coder name {clash[0]!r} is used by machine codings {where}; "
                         "give the person another name in a 'coder' column")


def read_human_codes(path: str | Path, segments: Sequence[Segment],
                     codebook: Codebook | None = None) -> list[Coding]:
    """Codings from a CSV of human codes, matched to ``segments``. With a ``codebook``, each
    code may be given by its id or its name and is stored by id; one outside it stops the read.

    >>> read_human_codes("alice.csv", segments, codebook)  # doctest: +SKIP
    [Coding(segment_id='int_01.txt:4', code_id='burnout', method='human', ...)]
    """
    path = Path(path)
    frame = _read_frame(path)
    code_column = "code_id" if "code_id" in frame.columns else "code"
    by_id = {segment.id: segment for segment in segments}
    finder = _ExcerptFinder(segments)
    codings = []
    for row_number, row in enumerate(frame.itertuples(index=False), start=2):
        where = f"{path} row {row_number}"
        code = _code_id(str(getattr(row, code_column)).strip(), codebook, where)
        segment_id = _segment_id(row, by_id, finder, where)
        coder = str(getattr(row, "coder", "") or "").strip() or path.stem
        # A file written by `qualcode code` has a method column; human files usually do not.
        method = str(getattr(row, "method", "") or "").strip() or HUMAN
        codings.append(Coding(segment_id, code, method, 1.0, "", coder))
    # The same code applied twice to one segment (two excerpts) is one coding.
    unique = {(c.segment_id, c.code_id, c.coder): c for c in codings}
    return sorted(unique.values(), key=lambda c: (c.coder, c.segment_id, c.code_id))


def unknown_code_error(where: str, code: str, codebook: Codebook) -> UsageError:
    """The one message for a code the codebook does not hold, naming what it does hold."""
    known = ", ".join(f"{c.id} ({c.name})" if c.name != c.id else c.id for c in codebook.codes)
    return UsageError(f"{where}: code {code!r} is not in the codebook, which has {known}; "
                      "use one of these ids or names, or add the code to the codebook")


def _code_id(label: str, codebook: Codebook | None, where: str) -> str:
    if codebook is None:
        return label
    code_id = codebook.id_for(label)
    if code_id is None:
        raise unknown_code_error(where, label, codebook)
    return code_id


def read_user_csv(path: str | Path, what: str) -> pd.DataFrame:
    """A CSV the user made (codes, training data), all text, with lower-case column names."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read the {what} ({type(error).__name__}); "
                         "save it as a UTF-8 CSV") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    return frame


def _read_frame(path: Path) -> pd.DataFrame:
    frame = read_user_csv(path, "human codes")
    if "code" not in frame.columns or not {"segment_id", "text"} & set(frame.columns):
        raise UsageError(f"{path}: human codes need a 'code' column and a 'segment_id' or 'text' "
                         f"column (found: {', '.join(frame.columns)})")
    return frame


def _segment_id(row: object, by_id: dict[str, Segment], finder: "_ExcerptFinder", where: str) -> str:
    segment_id = str(getattr(row, "segment_id", "") or "").strip()
    if segment_id:
        if segment_id not in by_id:
            raise UsageError(f"{where}: segment {segment_id!r} is not in the inputs; "
                             "code the same files you give qualcode, or use a 'text' column")
        return segment_id
    excerpt = str(getattr(row, "text", "") or "")
    if not excerpt.strip():
        raise UsageError(f"{where}: neither segment_id nor text is given; fill one in")
    return finder.find(excerpt, where)


class _ExcerptFinder:
    """Finds the segment that contains an excerpt, ignoring case and whitespace."""

    def __init__(self, segments: Sequence[Segment]) -> None:
        self._segments = [(s.id, _squash(s.text)) for s in segments]

    def find(self, excerpt: str, where: str) -> str:
        wanted = _squash(excerpt)
        exact = [sid for sid, text in self._segments if text == wanted]
        if exact:
            return exact[0]
        containing = [sid for sid, text in self._segments if wanted in text]
        if len(containing) == 1:
            return containing[0]
        # The message gives the row, never the excerpt: it may hold personal data.
        problem = "matches no segment" if not containing else f"matches {len(containing)} segments"
        raise UsageError(f"{where}: the text {problem}; give a segment_id, or a longer excerpt")


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()
