"""The whole job in one call: process (read, segment, redact, embed, code), analyse
(supervised coding, agreement, topics, quotes), write every output.

>>> summary = run(["corpora/sample"], "out/sample", RunOptions(codebook="supervision"))  # doctest: +SKIP

The per-segment stages stream over the inputs batch by batch (:mod:`qualcode.stream`), on
this process or on Dask workers, and checkpoint every batch in ``out/.qualcode-work``: a
killed run started again with the same command continues where it stopped. Then the
corpus-wide stages run on the driver. Everything after redaction sees redacted text only.
Every output lands in ``out`` together, or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from qualcode.outputs import check_key_location
from qualcode.pipeline.analyse import analyse
from qualcode.pipeline.process import process
from qualcode.pipeline.settings import RunOptions
from qualcode.pipeline.write import write_outputs
from qualcode.progress import StageTimer
from qualcode.results import RunResult
from qualcode.stream.workdir import remove_work


@dataclass(frozen=True)
class RunSummary:
    result: RunResult
    out: Path
    exit_code: int  # 0, or 1 when some inputs were rejected (the rest done)
    batches: int = 1
    resumed: int = 0  # batches taken from the checkpoints of an interrupted run


def run(inputs: Sequence[str | Path], out: str | Path, options: RunOptions | None = None) -> RunSummary:
    """Run every stage on ``inputs`` and write the outputs into ``out``; progress on stderr
    unless ``options.quiet``."""
    from qualcode.export.write import creation_time

    options = options or RunOptions()
    out = Path(out)
    check_key_location(options.key_file, out)
    # One time for every source, selection and coding of the project export, taken at the
    # start (SOURCE_DATE_EPOCH if set, so runs can be compared byte for byte).
    started = creation_time()
    timer = StageTimer(options.quiet)
    processed = process(inputs, options, out=out, timer=timer)
    result = analyse(processed, options, timer)
    write_outputs(result, out, options, timer, created=started)
    remove_work(out)
    if options.key_file:
        processed.redactor.key.to_json(options.key_file)
    return RunSummary(result, out, 1 if processed.rejected else 0, processed.batches,
                      processed.resumed)
