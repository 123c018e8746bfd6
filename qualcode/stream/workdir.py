"""The checkpoints of a run in progress, so that a killed run can continue where it stopped.

Each finished batch leaves a folder ``<out>/.qualcode-work/batch-000001/`` with what is costly
to compute again:

- ``detections.json``: where the recognisers found identifiers (offsets, labels, recognisers,
  scores; never the text found), one list per redaction call of the batch;
- ``codings.parquet``: the batch's codings;
- ``vectors.npy``: the embeddings of its analysable segments.

A batch folder is written under a temporary name and renamed when complete, so a run killed
while writing leaves either a whole batch or nothing. Nothing here holds original text: on
resume the inputs are read again and the stored detections replayed through the redactor,
which rebuilds the pseudonym numbering exactly as the first run made it (see
:mod:`qualcode.stream.process`). The folder is removed when the run's outputs are in place.

``fingerprint.json`` holds the settings and input hashes; a run with other settings or
other inputs starts afresh rather than mixing batches of two runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from qualcode.model import Coding, Span

WORK = ".qualcode-work"
_FINGERPRINT = "fingerprint.json"
_CODING_COLUMNS = ["segment_id", "code_id", "method", "confidence", "evidence", "coder"]

# Spans found per text, for each redaction call made while redacting one batch.
Detections = list[list[list[Span]]]


@dataclass(frozen=True)
class BatchCheckpoint:
    detections: Detections
    codings: tuple[Coding, ...]
    vectors: np.ndarray


class WorkDir:
    """``<out>/.qualcode-work``: finished batches of the run with ``fingerprint``."""

    def __init__(self, out: str | Path, fingerprint: Mapping[str, object]) -> None:
        self.path = Path(out) / WORK
        self.fingerprint = json.loads(json.dumps(fingerprint, sort_keys=True, default=str))

    def open(self) -> int:
        """Prepare the folder; the number of finished batches a previous run left (0 if none)."""
        stored = self.path / _FINGERPRINT
        if stored.exists() and _read_json(stored) != self.fingerprint:
            # Another run's batches (other inputs, settings or versions), or a fingerprint a
            # crash left unreadable: never mix them into this run.
            print(f"starting afresh: {self.path} holds checkpoints of another run", file=sys.stderr)
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True, exist_ok=True)
        for partial in self.path.glob("*.tmp"):
            shutil.rmtree(partial)  # a batch being written when the run was killed
        if not stored.exists():
            _write_atomic(stored, json.dumps(self.fingerprint, indent=1, sort_keys=True))
        return len(list(self.path.glob("batch-*")))

    def has(self, number: int) -> bool:
        return self._folder(number).is_dir()

    def forget(self, number: int) -> None:
        """Drop a batch whose checkpoint cannot be read; it will be computed again."""
        shutil.rmtree(self._folder(number), ignore_errors=True)

    def write(self, number: int, checkpoint: BatchCheckpoint) -> None:
        final = self._folder(number)
        partial = final.with_name(final.name + ".tmp")
        partial.mkdir(parents=True)
        (partial / "detections.json").write_text(json.dumps(
            [[[_span_row(span) for span in spans] for spans in call] for call in checkpoint.detections]),
            encoding="utf-8")
        frame = pd.DataFrame([[getattr(c, column) for column in _CODING_COLUMNS] for c in checkpoint.codings],
                             columns=_CODING_COLUMNS)
        frame.to_parquet(partial / "codings.parquet", index=False)
        np.save(partial / "vectors.npy", np.asarray(checkpoint.vectors, dtype=np.float32))
        _fsync_folder(partial)
        os.replace(partial, final)
        _fsync(self.path)  # the rename itself

    def read(self, number: int) -> BatchCheckpoint:
        folder = self._folder(number)
        calls = json.loads((folder / "detections.json").read_text(encoding="utf-8"))
        detections = [[[Span(*row) for row in spans] for spans in call] for call in calls]
        frame = pd.read_parquet(folder / "codings.parquet")
        codings = tuple(Coding(str(r.segment_id), str(r.code_id), str(r.method), float(r.confidence),
                               str(r.evidence), str(r.coder)) for r in frame.itertuples(index=False))
        return BatchCheckpoint(detections, codings, np.load(folder / "vectors.npy"))

    def remove(self) -> None:
        remove_work(self.path.parent)

    def _folder(self, number: int) -> Path:
        return self.path / f"batch-{number:06d}"


def remove_work(out: str | Path) -> None:
    """Drop the checkpoints in ``out``, once the outputs they were kept for are in place."""
    shutil.rmtree(Path(out) / WORK, ignore_errors=True)


def _span_row(span: Span) -> Sequence[object]:
    return [span.start, span.end, span.label, span.source, span.score]


def code_fingerprint() -> str:
    """sha256 of qualcode's own code and data files: checkpoints made by other code (an
    upgrade between the kill and the rerun) must not be mixed with this code's results."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_atomic(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".part")
    partial.write_text(text + "\n", encoding="utf-8")
    _fsync(partial)
    os.replace(partial, path)
    _fsync(path.parent)


def _fsync_folder(folder: Path) -> None:
    """Flush the batch's files to disk before the rename makes the batch count as finished."""
    for path in folder.iterdir():
        _fsync(path)
    _fsync(folder)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
