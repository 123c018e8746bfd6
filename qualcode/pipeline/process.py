"""The per-segment stages of every command: read, segment, redact, embed, code.

This is the privacy boundary and the only path to redacted text: ``qualcode run``, ``code``,
``topics`` and ``quotes`` all start here, so each gets the same batching, the same sweep of
names learned in later batches, and (given an output folder) checkpoints to resume from.
Everything after it sees redacted text only.

>>> processed = process(["corpora/sample"], RunOptions(codebook="supervision"))  # doctest: +SKIP
>>> processed.redacted.counts["PERSON"]  # doctest: +SKIP
67
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from qualcode.codebook import load_codebook, resolve_codebook
from qualcode.ingest import discover
from qualcode.ingest.source import Source
from qualcode.outputs import file_sha256, package_versions
from qualcode.pipeline.settings import RunOptions
from qualcode.progress import StageTimer
from qualcode.redact import Redactor
from qualcode.redact.file_names import file_name_problem
from qualcode.stream import ProcessSettings, Processed, WorkDir, make_engine
from qualcode.stream import process as process_batches
from qualcode.stream.engine import auto_processes
from qualcode.stream.workdir import code_fingerprint


def process(inputs: Sequence[str | Path], options: RunOptions | None = None, *,
            out: str | Path | None = None, timer: StageTimer | None = None) -> Processed:
    """Read, segment, redact, embed and code ``inputs`` in batches of whole documents.

    With ``out``, each finished batch is checkpointed in ``out/.qualcode-work`` and a call
    with the same inputs and settings after an interruption goes on from the first
    unfinished batch (the caller removes the folder once its outputs are written, see
    :func:`~qualcode.pipeline.run`). ``timer`` shows progress and keeps stage times; without
    it nothing is shown.
    """
    options = options or RunOptions()
    codebook = load_codebook(options.codebook) if options.codebook else None  # fails first
    redactor = Redactor(operator=options.operator, use_ner=options.use_ner,
                        month_year_dates=options.month_year_dates)
    sources, _ = discover(inputs, file_name_problem)  # refused files leave no trace in the work folder
    work = WorkDir(out, _fingerprint(sources, options)) if out is not None else None
    settings = ProcessSettings(options.ingest, options.embedder, options.batch_size)
    processes = options.processes or auto_processes(sum(s.path.stat().st_size for s in sources))
    engine = make_engine(options.engine, options.scheduler, options.workers, processes)
    try:
        return process_batches(inputs, settings, redactor, codebook, engine, work, timer)
    finally:
        engine.close()


def _fingerprint(sources: Sequence[Source], options: RunOptions) -> dict:
    """What the checkpoints of a run depend on: settings, codebook, inputs, code and versions."""
    return {
        "settings": options.results_settings(),
        "codebook": file_sha256(resolve_codebook(options.codebook)) if options.codebook else None,
        "inputs": [[s.id, file_sha256(s.path)] for s in sources],
        "versions": package_versions(),  # models and libraries that decide what is found
        "code": code_fingerprint(),
    }
