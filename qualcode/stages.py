"""The analysis stages as plain functions, shared by ``qualcode run`` and the single-stage
commands (``code``, ``topics``, ``quotes``).

:func:`prepare` is the privacy boundary: it ingests, segments and redacts, and everything
after it works on the redacted corpus only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from qualcode.errors import UsageError
from qualcode.ingest import IngestOptions, IngestResult, ingest
from qualcode.model import Codebook, Coding, Segment
from qualcode.pipeline import codable
from qualcode.progress import StageTimer
from qualcode.redact import Redactor
from qualcode.redact.corpus import RedactedCorpus, redact_corpus
from qualcode.redact.file_names import file_name_problem
from qualcode.segment import segment


@dataclass(frozen=True)
class Prepared:
    """A corpus read and redacted: what every later stage starts from."""

    ingested: IngestResult
    redacted: RedactedCorpus
    redactor: Redactor

    @property
    def analysable(self) -> list[Segment]:
        """Redacted segments that may be coded, clustered and quoted (no interviewer turns)."""
        return codable(self.redacted.segments)


def prepare(inputs: Sequence[str | Path], ingest_options: IngestOptions, redactor: Redactor,
            timer: StageTimer) -> Prepared:
    with timer.stage("ingest", total=0, unit="file") as bar:
        def on_file(total: int) -> None:
            if total:
                bar.reset(total=total)  # the count is known once folders are expanded
            else:
                bar.update(1)

        ingested = ingest(inputs, ingest_options, on_file, screen=file_name_problem)
    if not ingested.sources:
        reasons = "; ".join(r.reason for r in ingested.rejected) or "no input files found"
        raise UsageError(f"nothing usable to analyse: {reasons}")
    with timer.stage("segment"):
        documents = ingested.documents
        segments = segment(documents)
    with timer.stage("redact", total=len(segments)):
        redacted = redact_corpus(documents, segments, redactor)
    return Prepared(ingested, redacted, redactor)


def embed(segments: Sequence[Segment], embedder_name: str, timer: StageTimer):
    """The embedder and one row per segment."""
    from qualcode.embed import get_embedder

    embedder = get_embedder(embedder_name)
    with timer.stage("embed", total=len(segments)):
        vectors = embedder.encode([s.text for s in segments]) if segments else np.zeros((0, 1))
    return embedder, vectors


def load_codebook(path: str | Path | None) -> Codebook | None:
    if path is None:
        return None
    from qualcode.codebook import load_codebook as load

    return load(path)


def code(segments: Sequence[Segment], codebook: Codebook, train, embedder,
         timer: StageTimer, redactor: Redactor | None = None) -> list[Coding]:
    """``train``: a training CSV path (redacted here), or a fitted supervised coder, or None."""
    from qualcode.coding import code_segments

    training = redacted_training(train, redactor) if isinstance(train, (str, Path)) else train
    with timer.stage("code", total=len(segments)):
        return code_segments(segments, codebook, train=training, embedder=embedder)


def redacted_training(path: str | Path, redactor: Redactor | None):
    """The training data with its ``text`` column redacted like the corpus: a CSV, or a
    project folder whose stored human codes are the examples.

    Training texts are matched to redacted segments and may be quoted as evidence (the
    nearest training example), so they must not carry identifiers either.
    """
    from qualcode.human_codes import read_user_csv
    from qualcode.project_codes import training_from_project

    if Path(path).is_dir():
        frame = training_from_project(path)
    else:
        frame = read_user_csv(path, "training file")
        frame.attrs["name"] = str(path)
    if redactor is not None and "text" in frame.columns:
        frame["text"] = [r.text for r in redactor.redact_texts(frame["text"].tolist())]
    return frame


def topics(segments: Sequence[Segment], vectors, codings: Sequence[Coding], embedder, timer: StageTimer,
           n_topics: int | None = None):
    """Topics of the segments; above 20,000 fitted on a sample and the rest assigned.
    ``n_topics`` fixes their number; by default it is chosen from the corpus."""
    from qualcode.topics import TopicSettings
    from qualcode.topics.sampled import fit_topics_sampled

    with timer.stage("topics", total=len(segments)):
        return fit_topics_sampled(segments, vectors, codings=list(codings), embedder=embedder,
                                  settings=TopicSettings(n_topics=n_topics))


def quotes(segments: Sequence[Segment], vectors, codings: Sequence[Coding], topic_result,
           redacted: RedactedCorpus, per_theme: int, min_group: int, timer: StageTimer):
    """Quotes per code (ranked by coding confidence) and per topic (by closeness to its centre)."""
    from qualcode.quotes import code_groups, select_quotes, topic_groups

    groups, scores = code_groups(codings)
    if topic_result is not None:
        groups.update(topic_groups(topic_result.assignments))
    with timer.stage("quotes"):
        return select_quotes(segments, vectors, groups, scores=scores, documents=redacted.documents,
                             per_theme=per_theme, k=min_group)
