"""Topics of a corpus too large to cluster whole: fit on a sample, assign the rest.

UMAP and HDBSCAN grow faster than linearly with the number of documents, and topics
found in 20,000 comments drawn at random describe the themes of a million as well (a
theme too rare to show in the sample is below what a report would name anyway). Every
other segment is given the topic whose centre (the mean of its sampled members' unit
embeddings) is nearest by cosine, so no segment is left unassigned for lack of a fit.

The sample is drawn with a fixed seed from the segments sorted by id, so the same corpus
gives the same topics whatever order it came in.
"""

from __future__ import annotations

import dataclasses
from typing import Iterable, Sequence

import numpy as np

from qualcode.model import Coding, Segment, frozen_mapping
from qualcode.topics._cluster import OUTLIER
from qualcode.topics._fit import TopicResult, _info_counts, _set_aside, fit_topics
from qualcode.topics._settings import TopicSettings

FIT_SAMPLE = 20_000  # segments the topics are fitted on when the corpus is larger


def fit_topics_sampled(segments: Sequence[Segment], embeddings: np.ndarray,
                       codings: Iterable[Coding] | None = None, *, embedder=None,
                       sample_size: int = FIT_SAMPLE, seed: int = 0,
                       settings: TopicSettings | None = None) -> TopicResult:
    """:func:`fit_topics` on at most ``sample_size`` segments; the rest to the nearest topic."""
    if len(segments) <= sample_size:
        return fit_topics(segments, embeddings, codings=codings, settings=settings, embedder=embedder)
    order = sorted(range(len(segments)), key=lambda i: segments[i].id)
    picked = np.sort(np.random.default_rng(seed).choice(len(order), size=sample_size, replace=False))
    rows = [order[i] for i in picked]
    fitted = fit_topics([segments[i] for i in rows], embeddings[rows], codings=codings,
                        settings=settings, embedder=embedder)
    return _assign_rest(fitted, segments, embeddings, set(rows))


def _assign_rest(fitted: TopicResult, segments: Sequence[Segment], embeddings: np.ndarray,
                 sampled: set[int]) -> TopicResult:
    unit = _unit(np.asarray(embeddings, dtype=np.float32))
    row_of = {seg.id: row for row, seg in enumerate(segments)}
    topics = fitted.topics
    rest = [row for row in range(len(segments)) if row not in sampled]
    set_aside = dict(fitted.set_aside)
    set_aside.update(_set_aside([segments[row] for row in rest], fitted.settings))
    assignments = dict(fitted.assignments)
    members: dict[int, list[str]] = {topic.id: list(topic.segment_ids) for topic in topics}
    to_assign = [row for row in rest if segments[row].id not in set_aside]
    if topics and to_assign:
        centres = _unit(np.vstack([unit[[row_of[i] for i in topic.segment_ids]].mean(axis=0)
                                   for topic in topics]))
        nearest = np.argmax(unit[to_assign] @ centres.T, axis=1)
        for row, index in zip(to_assign, nearest.tolist()):
            topic_id = topics[index].id
            assignments[segments[row].id] = topic_id
            members[topic_id].append(segments[row].id)
    for row in rest:
        assignments.setdefault(segments[row].id, OUTLIER)
    topics = tuple(dataclasses.replace(t, size=len(members[t.id]), segment_ids=tuple(sorted(members[t.id])))
                   for t in topics)
    clustered = [i for i in assignments if i not in set_aside]
    outliers = sum(1 for i in clustered if assignments[i] == OUTLIER)
    info = dataclasses.replace(
        fitted.info,
        clusterer=(f"{fitted.info.clusterer}; fitted on {fitted.info.n_segments:,} segments drawn at "
                   f"random of {len(segments):,}, the rest given the nearest topic centre"),
        n_segments=len(segments), n_clustered=len(clustered), **_info_counts(set_aside),
        outlier_share=outliers / len(clustered) if clustered else 0.0)
    return dataclasses.replace(fitted, topics=topics, assignments=frozen_mapping(assignments),
                               info=info, set_aside=frozen_mapping(set_aside))


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)
