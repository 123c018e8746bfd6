"""The corpus-wide stages, on the redacted corpus that :func:`~qualcode.pipeline.process`
made: the supervised coder (trained on people's codes), agreement with human coders, topics
and quotes, gathered into one :class:`~qualcode.results.RunResult`.

>>> result = analyse(processed, RunOptions(codebook="supervision"))  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import pandas as pd

from qualcode.coding import SupervisedCoder
from qualcode.human.codes import read_human_codes, read_user_csv, refuse_machine_names
from qualcode.human.compare import agreement_on
from qualcode.human.project import training_from_project
from qualcode.model import Codebook, Coding, Segment
from qualcode.outputs import package_versions
from qualcode.pipeline.settings import RunOptions
from qualcode.progress import StageTimer
from qualcode.redact import Redactor
from qualcode.redact.corpus import RedactedCorpus
from qualcode.results import RunResult, StageInfo
from qualcode.stream import Processed
from qualcode.stream.process import RESWEEP


@dataclass(frozen=True)
class Coded:
    """The codings of the analysable segments, and the supervised coder when one was trained
    (its uncertainty chooses what a person should code next)."""

    codings: list[Coding]
    model: SupervisedCoder | None = None


def analyse(processed: Processed, options: RunOptions | None = None,
            timer: StageTimer | None = None) -> RunResult:
    """Code (with the supervised coder when ``options.train`` is set), compare with the
    human codes in ``options.human_codes``, find topics and choose quotes."""
    options = options or RunOptions()
    timer = timer or StageTimer(quiet=True)
    redacted = processed.redacted
    analysable = processed.analysable  # filler stays in: coders skip it, topics count it
    codings = code_corpus(processed, options, timer).codings
    human, agreement = compare_with_people(analysable, codings, processed.codebook, options)
    topic_result = find_topics(processed, codings, options, timer)
    quote_result = choose_quotes(processed, codings, topic_result, options, timer)
    return RunResult(
        documents=redacted.documents, segments=redacted.segments, codebook=processed.codebook,
        codings=tuple(codings), topics=tuple(topic_result.topics),
        topic_of_segment=dict(topic_result.assignments), topics_set_aside=topic_result.set_aside_counts,
        quotes=tuple(quote_result.quotes),
        quote_note=quote_result.suppression_note, redactions=dict(redacted.counts),
        stages=_stage_infos(timer, options, topic_result), versions=package_versions(),
        rejected=tuple((r.path, r.reason) for r in processed.rejected),
        warnings=tuple(_warnings(redacted, topic_result)),
        agreement=agreement, human_codings=tuple(human),
        sources=processed.sources, audit=redacted.audit,
    )


def code_corpus(processed: Processed, options: RunOptions,
                timer: StageTimer | None = None) -> Coded:
    """The codebook coders' codings from :func:`process`, with the supervised coder's merged
    in when ``options.train`` names human-coded examples (a corpus-wide stage: a training
    file may name segments of any batch)."""
    from qualcode.coding import code_segments, fit_model
    from qualcode.coding.combine import merge
    from qualcode.embed import get_embedder

    codings = list(processed.codings)
    if processed.codebook is None or not options.train:
        return Coded(codings)
    timer = timer or StageTimer(quiet=True)
    segments = processed.analysable
    training = redacted_training(options.train, processed.redactor)
    embedder = get_embedder(options.embedder)
    with timer.stage("code", total=len(segments)):
        model = fit_model(training, segments, processed.codebook, embedder=embedder)
        learned = code_segments(segments, processed.codebook, coders=("model",), train=model,
                                embedder=embedder)
    return Coded(merge([*codings, *learned], segments, processed.codebook), model)


def redacted_training(path: str | Path, redactor: Redactor | None) -> pd.DataFrame:
    """The training data with its ``text`` column redacted like the corpus: a CSV, or a
    project folder whose stored human codes are the examples.

    Training texts are matched to redacted segments and may be quoted as evidence (the
    nearest training example), so they must not carry identifiers either.
    """
    if Path(path).is_dir():
        frame = training_from_project(path)
    else:
        frame = read_user_csv(path, "training file")
        frame.attrs["name"] = str(path)
    if redactor is not None and "text" in frame.columns:
        frame["text"] = [r.text for r in redactor.redact_texts(frame["text"].tolist())]
    return frame


def find_topics(processed: Processed, codings: Sequence[Coding], options: RunOptions,
                timer: StageTimer | None = None):
    """Topics of the analysable segments; above 20,000 fitted on a sample and the rest
    assigned. ``options.n_topics`` fixes their number; by default it is chosen from the corpus."""
    from qualcode.embed import get_embedder
    from qualcode.topics import TopicSettings, fit_topics_sampled

    segments = processed.analysable
    with (timer or StageTimer(quiet=True)).stage("topics", total=len(segments)):
        return fit_topics_sampled(segments, processed.vectors, codings=list(codings),
                                  embedder=get_embedder(options.embedder),
                                  settings=TopicSettings(n_topics=options.n_topics))


def choose_quotes(processed: Processed, codings: Sequence[Coding], topic_result,
                  options: RunOptions, timer: StageTimer | None = None):
    """Quotes per code (ranked by coding confidence) and per topic (by closeness to its centre)."""
    from qualcode.quotes import code_groups, select_quotes, topic_groups

    groups, scores = code_groups(codings)
    if topic_result is not None:
        groups.update(topic_groups(topic_result.assignments))
    with (timer or StageTimer(quiet=True)).stage("quotes"):
        return select_quotes(processed.analysable, processed.vectors, groups, scores=scores,
                             documents=processed.redacted.documents,
                             per_theme=options.quotes_per_theme, min_group=options.min_group)


def compare_with_people(segments: Sequence[Segment], codings: Sequence[Coding],
                        codebook: Codebook | None, options: RunOptions
                        ) -> tuple[list[Coding], tuple[dict, ...]]:
    """The human codes given in ``options.human_codes`` (matched to ``segments``), and the
    agreement rows of qualcode's ``codings`` against each person's, and people against each
    other (none without human codes). A person may not carry a machine coder's name."""
    human = [c for path in options.human_codes for c in read_human_codes(path, segments, codebook)]
    refuse_machine_names(human, {c.coder for c in codings}, "in this run (qualcode's own)",
                         option="--codings")
    if not human:
        return human, ()
    return human, tuple(agreement_on(segments, [*codings, *human]).to_dict("records"))


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
