"""The whole pipeline in one call: ingest, segment, redact, code, topics, quotes, report.

>>> result = run(["corpora/sample"], "out/sample", RunOptions(codebook="codebooks/supervision.yaml"))  # doctest: +SKIP

Two phases. The per-segment stages (read, segment, redact, embed, code) stream over the
inputs batch by batch (:mod:`qualcode.stream`), on this process or on Dask workers, and
checkpoint every batch in ``out/.qualcode-work``: a killed run started again with the same
command continues where it stopped. Then the corpus-wide stages (supervised coding, topics,
quotes, reports) run on the driver. Everything after redaction sees redacted text only.
Every output lands in ``out`` together, or not at all (see :mod:`qualcode.outputs`).
"""

from __future__ import annotations

import csv
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable, Sequence

from qualcode import stages
from qualcode.codebook import resolve_codebook
from qualcode.errors import StoreError, UsageError
from qualcode.ingest import IngestOptions, discover
from qualcode.human_codes import HUMAN, read_human_codes, refuse_machine_names
from qualcode.ingest.source import Source
from qualcode.model import Codebook, Coding
from qualcode.outputs import (check_key_location, file_sha256, package_versions, staged_outputs,
                              write_manifest)
from qualcode.pipeline import agreement_on, segments_by_doc
from qualcode.progress import StageTimer
from qualcode.redact import Redactor
from qualcode.redact.corpus import RedactedCorpus
from qualcode.redact.file_names import file_name_problem
from qualcode.results import RunResult, StageInfo
from qualcode.store import DATABASE_NAME, Store
from qualcode.stream import ProcessSettings, Processed, SourceRecord, WorkDir, make_engine, process
from qualcode.stream.engine import auto_processes
from qualcode.stream.process import RESWEEP
from qualcode.stream.workdir import code_fingerprint

# Settings that decide how the run is carried out but not what it produces: a run may be
# resumed with other values (started locally, finished on a cluster).
_EXECUTION_ONLY = ("engine", "scheduler", "workers", "processes", "quiet", "key_file")
# Settings used only after the per-segment stages: changing them keeps the checkpoints.
_CORPUS_STAGE_ONLY = ("train", "human_codes", "n_topics", "quotes_per_theme", "min_group",
                      "qdpx_offsets")


@dataclass(frozen=True)
class RunOptions:
    """Every setting of a run, with its default; written to the manifest as given."""

    codebook: str | None = None
    text_columns: tuple[str, ...] = ()
    max_file_mb: float = 100.0
    operator: str = "tag"  # tag | pseudonym | mask | remove
    use_ner: bool = True
    key_file: str | None = None  # where the re-identification key goes; never inside out
    embedder: str = "minilm"  # minilm (accurate) | static (fast, for large batches)
    train: str | None = None  # human-coded examples for the supervised coder
    human_codes: tuple[str, ...] = ()  # human codings (CSV) to compare with qualcode's in the report
    n_topics: int | None = None  # fix the number of topics; None: chosen from the corpus
    quotes_per_theme: int = 3
    min_group: int = 5  # attribute combinations held by fewer respondents are generalised
    # How project.qdpx counts positions: codepoints (QualCoder, ATLAS.ti) | utf16 (NVivo,
    # which counts an emoji as two); they differ only in texts with emoji.
    qdpx_offsets: str = "codepoints"
    batch_size: int = 5000  # segments per batch (whole documents); the checkpoint unit
    engine: str = "local"  # local | dask
    scheduler: str | None = None  # a Dask scheduler address; default: a local cluster
    workers: int = 2  # workers of the local Dask cluster
    processes: int = 0  # worker processes of the local engine; 0: by input size (see auto_processes)
    quiet: bool = False


@dataclass(frozen=True)
class RunSummary:
    result: RunResult
    out: Path
    exit_code: int
    batches: int = 1
    resumed: int = 0  # batches taken from the checkpoints of an interrupted run


def run(inputs: Sequence[str | Path], out: str | Path, options: RunOptions | None = None) -> RunSummary:
    options = options or RunOptions()
    out = Path(out)
    check_key_location(options.key_file, out)
    if options.qdpx_offsets not in ("codepoints", "utf16"):
        raise UsageError(f"qdpx_offsets={options.qdpx_offsets!r}: use 'codepoints' (QualCoder, "
                         "ATLAS.ti) or 'utf16' (NVivo)")
    started = _start_time()
    timer = StageTimer(options.quiet)
    codebook = stages.load_codebook(options.codebook)  # a broken codebook stops the run first
    redactor = Redactor(operator=options.operator, use_ner=options.use_ner)
    sources, _ = discover(inputs, file_name_problem)  # refused files leave no trace in the work folder
    work = WorkDir(out, _fingerprint(sources, options))
    settings = ProcessSettings(IngestOptions(options.text_columns, options.max_file_mb),
                               options.embedder, options.batch_size)
    processes = options.processes or auto_processes(sum(s.path.stat().st_size for s in sources))
    engine = make_engine(options.engine, options.scheduler, options.workers, processes)
    try:
        processed = process(inputs, settings, redactor, codebook, engine, work, timer)
    finally:
        engine.close()
    imported = _imported_earlier(out, processed.sources)
    with staged_outputs(out) as staging:
        result = _analyse(processed, codebook, options, redactor, timer)
        with timer.stage("report"):
            _write_outputs(staging, processed, result, options, imported, started)
    work.remove()
    if options.key_file:
        redactor.key.to_json(options.key_file)
    return RunSummary(result, out, 1 if processed.rejected else 0, processed.batches, processed.resumed)


def _fingerprint(sources: Sequence[Source], options: RunOptions) -> dict:
    """What the checkpoints of a run depend on: settings, codebook, inputs, code and versions."""
    settings = {k: v for k, v in asdict(options).items() if k not in _EXECUTION_ONLY + _CORPUS_STAGE_ONLY}
    return {
        "settings": settings,
        "codebook": file_sha256(resolve_codebook(options.codebook)) if options.codebook else None,
        "inputs": [[s.id, file_sha256(s.path)] for s in sources],
        "versions": package_versions(),  # models and libraries that decide what is found
        "code": code_fingerprint(),
    }


def _analyse(processed: Processed, codebook: Codebook | None, options: RunOptions,
             redactor: Redactor, timer: StageTimer) -> RunResult:
    from qualcode.embed import get_embedder

    redacted = processed.redacted
    analysable = processed.analysable  # filler stays in: coders skip it, topics count it
    vectors = processed.vectors
    embedder = get_embedder(options.embedder)
    codings = list(processed.codings)
    if codebook is not None and options.train:
        codings = _with_supervised(analysable, codings, codebook, options.train, embedder, redactor, timer)
    human = _human_codings(analysable, codebook, options, machine_coders={c.coder for c in codings})
    agreement = _agreement(analysable, codings, human)
    topic_result = stages.topics(analysable, vectors, codings, embedder, timer, n_topics=options.n_topics)
    quote_result = stages.quotes(analysable, vectors, codings, topic_result, redacted,
                                 options.quotes_per_theme, options.min_group, timer)
    return RunResult(
        documents=redacted.documents, segments=redacted.segments, codebook=codebook,
        codings=tuple(codings), topics=tuple(topic_result.topics),
        topic_of_segment=dict(topic_result.assignments), topics_set_aside=topic_result.set_aside_counts,
        quotes=tuple(quote_result.quotes),
        quote_note=quote_result.suppression_note, redactions=dict(redacted.counts),
        stages=_stage_infos(timer, options, topic_result), versions=package_versions(),
        rejected=tuple((r.path, r.reason) for r in processed.rejected),
        warnings=tuple(_warnings(redacted, topic_result)), agreement=agreement,
        human_codings=tuple(human),
    )


def _with_supervised(segments, codings: list[Coding], codebook: Codebook, train: str, embedder,
                     redactor: Redactor, timer: StageTimer) -> list[Coding]:
    """Add the supervised coder's codings to the codebook coders' (a corpus-wide stage: the
    training file may name segments of any batch)."""
    from qualcode.coding import code_segments
    from qualcode.coding.combine import merge

    training = stages.redacted_training(train, redactor)
    with timer.stage("code", total=len(segments)):
        learned = code_segments(segments, codebook, coders=("model",), train=training, embedder=embedder)
    return merge([*codings, *learned], segments, codebook)


def _agreement(segments, codings: list[Coding], human: list[Coding]) -> tuple[dict, ...]:
    """qualcode's codings against each human coder's, and humans against each other."""
    if not human:
        return ()
    return tuple(agreement_on(segments, [*codings, *human]).to_dict("records"))


def _human_codings(segments, codebook: Codebook | None, options: RunOptions,
                   machine_coders: Iterable[str] = ()) -> list[Coding]:
    """The codes given with --codings: compared with qualcode's in the report, and those made
    by people kept in the project store under each coder's name."""
    human = [c for path in options.human_codes for c in read_human_codes(path, segments, codebook)]
    refuse_machine_names(human, machine_coders, "in this run (qualcode's own)", option="--codings")
    return human


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


def _start_time() -> datetime:
    """The one time the run's exports record as their creation (every source, selection and
    coding of project.qdpx): ``SOURCE_DATE_EPOCH`` if set, so that runs can be compared byte
    for byte, else when the run starts. The manifest records no start time to reuse."""
    from qualcode.export.write import creation_time

    return creation_time()


def _write_outputs(staging: Path, processed: Processed, result: RunResult, options: RunOptions,
                   imported: Sequence[Coding] = (), started: datetime | None = None) -> None:
    from qualcode.export import write_qdpx
    from qualcode.refi_codebook import write_qdc
    from qualcode.report import write_reports

    write_reports(result, staging)
    if result.codebook is not None:
        write_qdpx(staging / "project.qdpx", result.documents, result.codebook, result.codings,
                   segments=result.segments, texts={d.id: d.text for d in result.documents},
                   created=started, offsets=options.qdpx_offsets)
        write_qdc(result.codebook, staging / "codebook.qdc")
    _write_store(staging, processed.sources, processed.redacted, result.codebook,
                 result.codings, [*imported, *result.human_codings], options)
    _write_audit(staging, processed.redacted)
    write_manifest(staging, asdict(options), {s.id: s.sha256 for s in processed.sources}, result.versions)


def _write_store(folder: Path, sources: Iterable[SourceRecord], redacted: RedactedCorpus,
                 codebook: Codebook | None, codings: Iterable[Coding],
                 human_codings: Sequence[Coding], options: RunOptions) -> None:
    """The project database, holding redacted text only."""
    document_by_id = {d.id: d for d in redacted.documents}
    by_doc = segments_by_doc(redacted.segments)
    with Store.open(folder) as store:
        for source in sources:
            store.put_source(source.id, source.id, source.sha256, source.size,  # no full paths in outputs
                             [document_by_id[i] for i in source.doc_ids],
                             [seg for i in source.doc_ids for seg in by_doc.get(i, [])])
        if codebook is not None:
            store.put_codes(codebook.name or "codebook", codebook.codes)
        run_id = store.start_run("run", asdict(options), package_versions())
        # A --codings file may be an earlier `qualcode code` output: only human codes are kept.
        store.put_codings([*codings, *(c for c in human_codings if c.method == HUMAN)], run_id)
        store.finish_run(run_id, "ok")


def _write_audit(folder: Path, redacted: RedactedCorpus) -> None:
    """Offsets, labels, recognisers and scores of every replacement; no original text."""
    with (folder / "redaction_audit.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["segment_id", "start", "end", "label", "replacement", "recogniser", "score"])
        for e in redacted.audit:
            writer.writerow([e.record_id, e.start, e.end, e.label, e.replacement, e.source, f"{e.score:.3f}"])


def _stage_infos(timer: StageTimer, options: RunOptions, topics) -> tuple[StageInfo, ...]:
    described = {
        "ingest": ("Files read and split into documents (transcripts, survey rows, notes), and "
                   "documents into speaker turns, survey answers and note bullets."),
        "redact": ("Personal data replaced by consistent pseudonyms: UK identifier patterns with "
                   "checksums" + (", spaCy named-entity recognition (en_core_web_sm 3.8)" if options.use_ner else "")
                   + ", name lists and context rules."),
        RESWEEP: ("Batches redacted before a name was first recognised, redacted again knowing "
                  "every name found in the corpus; changed segments embedded and coded again."),
        "code": (f"Segments embedded with the '{options.embedder}' sentence model; codebook applied "
                 "by keyword rules and semantic similarity to code definitions and examples, "
                 "weighed, for codes with ten or more examples, with a classifier trained on "
                 "the codebook's own examples"
                 + (", and by a model trained on human codes." if options.train else ".")),
        "topics": f"Topics found by clustering embeddings ({getattr(topics.info, 'clusterer', 'BERTopic')}).",
        "quotes": f"Quotes chosen for representativeness and diversity; groups under {options.min_group} generalised.",
        "report": "Reports and exports written.",
    }
    # "process" is the bar over the per-segment stages, whose times are listed one by one.
    return tuple(StageInfo(name, described.get(name, name), round(seconds, 2))
                 for name, seconds in timer.seconds.items() if name != "process")


def _warnings(redacted: RedactedCorpus, topics) -> list[str]:
    warnings = list(getattr(topics.info, "warnings", ()) or ())
    if redacted.dropped_columns:
        warnings.append("identifying columns dropped from attributes: " + ", ".join(redacted.dropped_columns))
    return warnings
