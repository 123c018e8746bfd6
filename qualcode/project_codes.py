"""Human codes kept in a project: imported into its store, read back as training data.

A project is the folder holding ``qualcode.db``, made by ``qualcode ingest`` (original text)
or ``qualcode run`` (redacted text). Codes are matched to its segments when imported, so
later commands need neither the coders' files nor the inputs: ``qualcode code --train DIR``
trains on every human code stored there.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd

from qualcode.errors import UsageError
from qualcode.human_codes import HUMAN
from qualcode.pipeline import agreement_on, codable, read_codings
from qualcode.store import DATABASE_NAME, Store


@dataclass(frozen=True)
class ImportedCodes:
    """What an import stored: counts only, never text."""

    store_path: Path
    codings_by_coder: Mapping[str, int]
    segments: int  # distinct segments given at least one code


def import_human_codes(coding_files: Iterable[str | Path], project: str | Path,
                       code_ids: Iterable[str] | None = None) -> ImportedCodes:
    """Match the codes in ``coding_files`` (CSV or .qdpx) to the project's segments and store
    them under each coder's name, replacing what those coders had stored before.

    The codes are checked against ``code_ids``, or else against the codebook stored by
    ``qualcode run``; every file is read before anything is written, so a bad row stores nothing.
    """
    with _open_project(project) as store:
        documents, segments = store.documents(), codable(store.segments())
        if code_ids is None:
            code_ids = store.code_ids() or None
        codings = read_codings(coding_files, documents, segments, code_ids)
        if not codings:
            raise UsageError(f"{', '.join(map(str, coding_files))}: no codes found; "
                             "add rows with a code and a segment_id or text")
        store.replace_codings(codings, "import-codes")
        return ImportedCodes(store.path, dict(sorted(Counter(c.coder for c in codings).items())),
                             len({c.segment_id for c in codings}))


def project_agreement(project: str | Path, code_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Agreement between every coder stored in the project (people and qualcode), per code.

    Compared on the codable segments of the documents that someone coded by hand: a coder
    is taken to have coded all of such a document, so a segment left uncoded counts as
    "code absent", while documents nobody coded by hand are left out.
    """
    with _open_project(project) as store:
        segments, codings, name = codable(store.segments()), store.codings(), str(store.path)
    doc_of = {s.id: s.doc_id for s in segments}
    coded_by_hand = {doc_of[c.segment_id] for c in codings if c.method == HUMAN and c.segment_id in doc_of}
    universe = [s for s in segments if s.doc_id in coded_by_hand]
    inside = {s.id for s in universe}
    codings = [c for c in codings if c.segment_id in inside]
    if code_ids is not None:
        unknown = sorted({c.code_id for c in codings} - set(code_ids))
        if unknown:
            raise UsageError(f"{name}: codes {', '.join(unknown)} are not in the codebook; "
                             "give the codebook the project was coded with")
    coders = {c.coder for c in codings}
    if len(coders) < 2:
        raise UsageError(f"{name}: agreement needs codes from at least two coders on the documents "
                         f"coded by hand; found {len(coders)}: import more with qualcode import-codes")
    return agreement_on(universe, codings)


def training_from_project(project: str | Path) -> pd.DataFrame:
    """The project's human codes as a training table (``text``, ``code``, ``coder``).

    ``text`` is the stored segment text: original text for a project made by ``ingest``,
    so the caller redacts it like any training file.
    """
    with _open_project(project) as store:
        text_of = {s.id: s.text for s in store.segments()}
        rows = [(text_of[c.segment_id], c.code_id, c.coder) for c in store.codings()
                if c.method == HUMAN and c.segment_id in text_of]
        name = str(store.path)
    if not rows:
        raise UsageError(f"{name}: the project has no human codes; import some with "
                         f"qualcode import-codes FILE.csv --project {project}")
    frame = pd.DataFrame(rows, columns=["text", "code", "coder"])
    frame.attrs["name"] = name
    return frame


def _open_project(project: str | Path) -> Store:
    """The store of an existing project; never creates an empty one by mistake."""
    if not (Path(project) / DATABASE_NAME).is_file():
        raise UsageError(f"{project}: no project database ({DATABASE_NAME}) in this folder; create "
                         f"it with qualcode ingest INPUT... --out {project} (or qualcode run)")
    return Store.open(project)
