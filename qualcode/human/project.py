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
from qualcode.human.codes import HUMAN, refuse_machine_names
from qualcode.human.compare import agreement_on, read_codings
from qualcode.model import Codebook, Coding, analysable
from qualcode.store import DATABASE_NAME, Store


@dataclass(frozen=True)
class ImportedCodes:
    """What an import stored: counts only, never text; and the codings it could not place."""

    store_path: Path
    codings_by_coder: Mapping[str, int]
    segments: int  # distinct segments given at least one code
    unplaced: tuple[str, ...] = ()


def import_human_codes(coding_files: Iterable[str | Path], project: str | Path,
                       codebook: Codebook | None = None) -> ImportedCodes:
    """Match the codes in ``coding_files`` (CSV or .qdpx) to the project's segments and store
    them under each coder's name, replacing what those coders had stored before.

    The codes (ids or names) are checked against ``codebook``, or else against the codebook
    stored by ``qualcode run``; every file is read before anything is written, so a bad row
    stores nothing.
    """
    with _open_project(project) as store:
        documents, segments = store.documents(), analysable(store.segments())
        read = read_codings(coding_files, documents, segments, codebook or store.codebook())
        codings = read.codings
        if not codings:
            raise UsageError(f"{', '.join(map(str, coding_files))}: no codes found; "
                             "add rows with a code and a segment_id or text")
        _check_human(codings, store.coders(excluding_method=HUMAN))
        store.replace_codings(codings, "import-codes")
        return ImportedCodes(store.path, dict(sorted(Counter(c.coder for c in codings).items())),
                             len({c.segment_id for c in codings}), read.unplaced)


def project_agreement(project: str | Path, codebook: Codebook | None = None) -> pd.DataFrame:
    """Agreement between every coder stored in the project (people and qualcode), per code.

    A person is taken to have coded every codable segment of each document they applied a
    code in (a segment they left uncoded there counts as "code absent"), and qualcode every
    document; each pair is compared on the segments both coded, so documents split between
    coders do not count against them.
    """
    with _open_project(project) as store:
        segments, codings, name = analysable(store.segments()), store.codings(), str(store.path)
    doc_of = {s.id: s.doc_id for s in segments}
    codings = [c for c in codings if c.segment_id in doc_of]
    if codebook is not None:
        unknown = sorted({c.code_id for c in codings} - set(codebook.ids))
        if unknown:
            raise UsageError(f"{name}: codes {', '.join(unknown)} are not in the codebook; "
                             "give the codebook the project was coded with")
    documents_of: dict[str, set[str]] = {}
    for c in codings:
        if c.method == HUMAN:
            documents_of.setdefault(c.coder, set()).add(doc_of[c.segment_id])
    coded_by_hand = set().union(*documents_of.values()) if documents_of else set()
    coders = {c.coder for c in codings}
    if not documents_of or len(coders) < 2:
        raise UsageError(f"{name}: agreement needs codes from at least two coders, one of them a "
                         f"person; found {len(coders)} coders, {len(documents_of)} of them people: "
                         "import more with qualcode import-codes")
    universe = {coder: [s.id for s in segments if s.doc_id in documents_of.get(coder, coded_by_hand)]
                for coder in sorted(coders)}
    return agreement_on(segments, [c for c in codings if doc_of[c.segment_id] in coded_by_hand], universe)


def training_from_project(project: str | Path) -> pd.DataFrame:
    """The project's human codes as a training table (``text``, ``code``, ``coder``).

    ``text`` is the stored segment text: original text for a project made by ``ingest``,
    so the caller redacts it like any training file.
    """
    with _open_project(project) as store:
        text_of = {s.id: s.text for s in store.segments()}
        human = [c for c in store.codings() if c.method == HUMAN and c.segment_id in text_of]
        name = str(store.path)
    if not human:
        raise UsageError(f"{name}: the project has no human codes; import some with "
                         f"qualcode import-codes FILE.csv --project {project}")
    frame = pd.DataFrame([(text_of[c.segment_id], c.code_id, c.coder) for c in human],
                         columns=["text", "code", "coder"])
    frame.attrs["name"] = name
    # errors name the coder and segment (a database row number means nothing to anyone),
    # keyed by index label so that a filtered or sorted copy still names the right row
    frame.attrs["row_names"] = {label: f"{name}: {c.coder}'s code for segment {c.segment_id}"
                                for label, c in zip(frame.index, human)}
    return frame


def _check_human(codings: Iterable[Coding], machine_coders: Iterable[str]) -> None:
    """Only people's codes are imported, under names no machine coder uses, so an import
    can never replace or mix with qualcode's own codings."""
    for coding in codings:
        if coding.method != HUMAN:
            raise UsageError(f"the codes of {coding.coder!r} have method {coding.method!r}: they were "
                             "made by a program (such as qualcode code), and import-codes stores "
                             "people's codes only; drop the 'method' column if a person made them")
    refuse_machine_names(codings, machine_coders, "in this project")


def _open_project(project: str | Path) -> Store:
    """The store of an existing project; never creates an empty one by mistake."""
    if not (Path(project) / DATABASE_NAME).is_file():
        raise UsageError(f"{project}: no project database ({DATABASE_NAME}) in this folder; create "
                         f"it with qualcode ingest INPUT... --out {project} (or qualcode run)")
    return Store.open(project)
