"""The per-segment stages of a run, batch by batch: read, segment, redact, embed, code.

>>> processed = process(["corpora/sample"], ProcessSettings(), Redactor(), codebook)  # doctest: +SKIP

Each batch is redacted on the driver (pseudonyms are numbered in input order, so this part
is sequential) with detection mapped over the engine, then embedded and coded on the
engine, then checkpointed in the work folder. A run started again with the same inputs and
settings takes finished batches from the work folder: it reads their inputs again and
replays the stored detections through the redactor (cheap: no recogniser runs), which
brings the pseudonym map and the known names to exactly the state the interrupted run had,
then goes on with the first unfinished batch. So the outputs are the same as those of a run
that was never interrupted, and no original text was stored to make that possible.

Names found in one batch are swept from that batch and every later one while the batches
go by; once all are done, the batches read before a name was learned are read again and
redacted again with the stored detections and every name known (cheap: no recogniser runs),
and the segments whose text changed are embedded and coded again. So a lower-case "okonkwo"
in the first batch is redacted even when "Dr Okonkwo" only appears in the last, as when the
corpus is redacted as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from qualcode.errors import UsageError
from qualcode.ingest import IngestOptions, Rejection
from qualcode.model import Codebook, Coding, Segment, SourceRecord, analysable
from qualcode.progress import StageTimer
from qualcode.redact import Redactor
from qualcode.redact.corpus import Detect, RedactedCorpus, redact_corpus
from qualcode.redact.file_names import file_name_problem
from qualcode.stream.batches import DEFAULT_BATCH_SIZE, BatchReader
from qualcode.stream.engine import Engine, LocalEngine, detect_on, embed_and_code
from qualcode.stream.workdir import BatchCheckpoint, Detections, WorkDir


# The stage that redacts earlier batches again once every name is known (see above).
RESWEEP = "resweep"


@dataclass(frozen=True)
class ProcessSettings:
    ingest: IngestOptions = IngestOptions()
    embedder: str = "minilm"
    batch_size: int = DEFAULT_BATCH_SIZE  # segments per batch (whole documents)


@dataclass(frozen=True)
class Processed:
    """The corpus redacted, with embeddings and codebook codings of its analysable segments."""

    redacted: RedactedCorpus
    vectors: np.ndarray  # one row per segment of ``analysable``, in that order
    codings: tuple[Coding, ...]
    sources: tuple[SourceRecord, ...]
    rejected: tuple[Rejection, ...]
    batches: int
    resumed: int  # batches taken from an interrupted run's checkpoints
    codebook: Codebook | None = None  # what the codings were made with
    # The redactor that made the text: it holds the pseudonym map and every name learned, so
    # text met later (a training file) is redacted with the same pseudonyms.
    redactor: Redactor | None = field(default=None, repr=False, compare=False)

    @property
    def analysable(self) -> list[Segment]:
        """Redacted segments that may be coded, clustered and quoted (no interviewer turns)."""
        return analysable(self.redacted.segments)


def process(inputs: Sequence[str | Path], settings: ProcessSettings, redactor: Redactor,
            codebook: Codebook | None, engine: Engine | None = None, work: WorkDir | None = None,
            timer: StageTimer | None = None) -> Processed:
    engine = engine or LocalEngine()
    timer = timer or StageTimer(quiet=True)
    if work is not None:
        work.open()
    detect = detect_on(engine, redactor.detection_settings())
    parts: list[_Part] = []
    resumed = 0
    with timer.stage("process", total=0, unit="file") as bar:
        reader = BatchReader(inputs, settings.ingest, settings.batch_size,
                             on_file=lambda total: bar.reset(total=total) if total else bar.update(1),
                             screen=file_name_problem)
        batches = iter(reader)
        while True:
            with timer.timed("ingest"):
                batch = next(batches, None)
            if batch is None:
                break
            stored = _checkpoint(work, batch.number)
            if stored is not None:
                with timer.timed("redact"):
                    redacted = redact_corpus(batch.documents, batch.segments, redactor, _replay(stored.detections))
                parts.append(_Part(redacted, stored.vectors, stored.codings, stored.detections,
                                   redactor.known_name_count))
                resumed += 1
                continue
            recorder = _Recorder(detect)
            with timer.timed("redact"):
                redacted = redact_corpus(batch.documents, batch.segments, redactor, recorder)
            with timer.timed("code"):
                vectors, codings = embed_and_code(engine, analysable(redacted.segments), codebook, settings.embedder)
            if work is not None:
                work.write(batch.number, BatchCheckpoint(recorder.calls, tuple(codings), vectors))
            parts.append(_Part(redacted, vectors, tuple(codings), recorder.calls, redactor.known_name_count))
            bar.set_postfix(batches=batch.number, refresh=False)
    if not reader.sources:
        reasons = "; ".join(r.reason for r in reader.rejected) or "no input files found"
        raise UsageError(f"nothing usable to analyse: {reasons}")
    parts = _swept_again(parts, reader.sources, inputs, settings, redactor, codebook, engine, timer)
    return Processed(_joined([p.redacted for p in parts]), _stacked([p.vectors for p in parts]),
                     tuple(c for p in parts for c in p.codings), tuple(reader.sources),
                     tuple(reader.rejected), len(parts), resumed, codebook, redactor)


@dataclass(frozen=True)
class _Part:
    """One finished batch, and what redacting it again needs."""

    redacted: RedactedCorpus
    vectors: np.ndarray  # one row per codable segment, in order
    codings: tuple[Coding, ...]
    detections: Detections
    known_names: int  # how many names the sweep knew when the batch was redacted


def _swept_again(parts: list[_Part], sources: Sequence[SourceRecord], inputs: Sequence[str | Path],
                 settings: ProcessSettings, redactor: Redactor, codebook: Codebook | None,
                 engine: Engine, timer: StageTimer) -> list[_Part]:
    """Batches redacted before the last name was learned, redacted again knowing every name.

    The stored detections are replayed (the pseudonym map already holds every value, so no
    number changes), and only segments whose redacted text changed are embedded and coded again.
    The inputs must be those read the first time: the detections are offsets into them.
    """
    stale = {number for number, part in enumerate(parts, start=1) if part.known_names < redactor.known_name_count}
    if not stale:
        return parts
    parts = list(parts)
    reader = BatchReader(inputs, settings.ingest, settings.batch_size, screen=file_name_problem)
    with timer.stage(RESWEEP, total=len(stale), unit="batch") as bar:
        for batch in reader:
            if batch.number not in stale:
                continue
            old = parts[batch.number - 1]
            if [s.id for s in batch.segments] != [s.id for s in old.redacted.segments]:
                raise _changed_inputs()
            redacted = redact_corpus(batch.documents, batch.segments, redactor, _replay(old.detections))
            parts[batch.number - 1] = _recoded(old, redacted, codebook, settings.embedder, engine)
            bar.update(1)
    if reader.sources != list(sources):  # nothing is written yet: stop before any output
        raise _changed_inputs()
    return parts


def _changed_inputs() -> UsageError:
    return UsageError("an input file changed while the run was reading it; run again once the "
                      "inputs are final")


def _recoded(old: _Part, redacted: RedactedCorpus, codebook: Codebook | None, embedder: str,
             engine: Engine) -> _Part:
    """``old`` with ``redacted`` in its place, and the segments whose text changed embedded and coded again."""
    before = {s.id: s.text for s in old.redacted.segments}
    segments = analysable(redacted.segments)
    changed = [s for s in segments if s.text != before[s.id]]
    if not changed:
        return _Part(redacted, old.vectors, old.codings, old.detections, old.known_names)
    vectors, codings = embed_and_code(engine, changed, codebook, embedder)
    row = {s.id: index for index, s in enumerate(segments)}
    merged = old.vectors.copy()
    merged[[row[s.id] for s in changed]] = vectors
    again = {s.id for s in changed}
    codings_of: dict[str, list[Coding]] = {}
    for coding in (*(c for c in old.codings if c.segment_id not in again), *codings):
        codings_of.setdefault(coding.segment_id, []).append(coding)
    ordered = tuple(c for s in segments for c in codings_of.get(s.id, ()))
    return _Part(redacted, merged, ordered, old.detections, old.known_names)


def _checkpoint(work: WorkDir | None, number: int) -> BatchCheckpoint | None:
    """The batch's checkpoint, or None when there is none or it cannot be read (a power cut
    while it was written): then the batch is computed again, which gives the same result."""
    if work is None or not work.has(number):
        return None
    try:
        return work.read(number)
    except (OSError, ValueError, KeyError):
        work.forget(number)
        return None


class _Recorder:
    """Detects through ``detect`` and keeps what it found, call by call, for the checkpoint."""

    def __init__(self, detect: Detect) -> None:
        self._detect = detect
        self.calls: Detections = []

    def __call__(self, texts: Sequence[str]) -> list:
        found = self._detect(texts)
        self.calls.append(found)
        return found


def _replay(calls: Detections) -> Detect:
    """A ``detect`` that gives back the stored detections, in the order they were made."""
    remaining = iter(calls)

    def detect(texts: Sequence[str]) -> list:
        found = next(remaining, None)
        if found is None or len(found) != len(texts):
            raise UsageError("the work folder does not match these inputs; delete "
                             ".qualcode-work in the output folder and run again")
        return found
    return detect


def _joined(parts: list[RedactedCorpus]) -> RedactedCorpus:
    counts: dict[str, int] = {}
    for part in parts:
        for label, count in part.counts.items():
            counts[label] = counts.get(label, 0) + count
    return RedactedCorpus(
        documents=tuple(d for p in parts for d in p.documents),
        segments=tuple(s for p in parts for s in p.segments),
        audit=tuple(e for p in parts for e in p.audit),
        counts=dict(sorted(counts.items())),
        dropped_columns=tuple(sorted({c for p in parts for c in p.dropped_columns})))


def _stacked(blocks: list[np.ndarray]) -> np.ndarray:
    blocks = [b for b in blocks if len(b)]
    return np.vstack(blocks) if blocks else np.zeros((0, 1), dtype=np.float32)
