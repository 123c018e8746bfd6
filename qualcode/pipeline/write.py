"""Every output file of a run, each from one writer, all landing in the output folder
together or not at all (built in a staging folder, see :mod:`qualcode.outputs`).

>>> write_outputs(result, "out/sample", RunOptions(codebook="supervision"))  # doctest: +SKIP

Reports and tables come from :mod:`qualcode.report`, the REFI-QDA project and codebook from
:mod:`qualcode.export` and :mod:`qualcode.codebook.qdc`; this module adds the project store
(redacted text only), the redaction audit and the manifest.
"""

from __future__ import annotations

import csv
import sqlite3
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Sequence

from qualcode.errors import StoreError
from qualcode.human.codes import HUMAN
from qualcode.model import Coding, SourceRecord, segments_by_doc
from qualcode.outputs import package_versions, staged_outputs, write_manifest
from qualcode.pipeline.settings import RunOptions
from qualcode.progress import StageTimer
from qualcode.results import RunResult
from qualcode.store import DATABASE_NAME, Store


def write_outputs(result: RunResult, out: str | Path, options: RunOptions | None = None,
                  timer: StageTimer | None = None, *, created: datetime | None = None) -> Path:
    """Write the reports, tables, exports, store, audit and manifest of ``result`` into
    ``out``. Human codes imported into a store already in ``out`` are kept for the files that
    have not changed. ``created`` is the time the exports record (default: see
    :func:`~qualcode.export.write.creation_time`). Returns ``out``."""
    from qualcode.export import write_qdpx
    from qualcode.codebook.qdc import write_qdc
    from qualcode.report import write_reports

    options = options or RunOptions()
    out = Path(out)
    imported = _imported_earlier(out, result.sources)
    with staged_outputs(out) as staging, (timer or StageTimer(quiet=True)).stage("report"):
        write_reports(result, staging)
        if result.codebook is not None:
            write_qdpx(staging / "project.qdpx", result.documents, result.codebook, result.codings,
                       segments=result.segments, texts={d.id: d.text for d in result.documents},
                       created=created, offsets=options.qdpx_offsets)
            write_qdc(result.codebook, staging / "codebook.qdc")
        _write_store(staging, result, [*imported, *result.human_codings], options)
        _write_audit(staging, result)
        write_manifest(staging, asdict(options), {s.id: s.sha256 for s in result.sources},
                       result.versions)
    return out


def _imported_earlier(out: Path, sources: Sequence[SourceRecord]) -> list[Coding]:
    """Human codes imported into the store an earlier run left in ``out``, for the files that
    have not changed since (segment ids count positions, so they still name the same text):
    the new store keeps them, as re-running must not lose people's coding."""
    if not (out / DATABASE_NAME).is_file():
        return []
    current = {(s.id, s.sha256) for s in sources}
    try:
        with Store.open(out) as store:
            return [c for c, source_id, sha256 in store.codings_with_sources(HUMAN)
                    if (source_id, sha256) in current]
    except (StoreError, sqlite3.Error):  # not a store qualcode can read: nothing to keep
        return []


def _write_store(folder: Path, result: RunResult, human_codings: Sequence[Coding],
                 options: RunOptions) -> None:
    """The project database, holding redacted text only."""
    document_by_id = {d.id: d for d in result.documents}
    by_doc = segments_by_doc(result.segments)
    with Store.open(folder) as store:
        for source in result.sources:
            store.put_source(source.id, source.id, source.sha256, source.size,  # no full paths in outputs
                             [document_by_id[i] for i in source.doc_ids],
                             [seg for i in source.doc_ids for seg in by_doc.get(i, [])])
        if result.codebook is not None:
            store.put_codes(result.codebook.name or "codebook", result.codebook.codes)
        run_id = store.start_run("run", asdict(options), package_versions())
        # A --codings file may be an earlier `qualcode code` output: only human codes are kept.
        store.put_codings([*result.codings, *(c for c in human_codings if c.method == HUMAN)], run_id)
        store.finish_run(run_id, "ok")


def _write_audit(folder: Path, result: RunResult) -> None:
    """Offsets, labels, recognisers and scores of every replacement; no original text."""
    with (folder / "redaction_audit.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["segment_id", "start", "end", "label", "replacement", "recogniser", "score"])
        for e in result.audit:
            writer.writerow([e.record_id, e.start, e.end, e.label, e.replacement, e.source, f"{e.score:.3f}"])
