"""Topics of a large corpus: fitted on a sample, every other segment given the nearest topic."""

from __future__ import annotations

import numpy as np

from qualcode.model import Segment
from qualcode.topics import TopicSettings, fit_topics
from qualcode.topics.sampled import fit_topics_sampled

FAST = TopicSettings(reducer="pca")
THEMES = ["waiting list for the referral", "kind caring nurses on the ward", "parking charges too high"]


def corpus(per_theme: int = 60) -> tuple[list[Segment], np.ndarray]:
    rng = np.random.default_rng(0)
    centres = rng.normal(0, 1, (len(THEMES), 24))
    segments, vectors = [], []
    for t, theme in enumerate(THEMES):
        for i in range(per_theme):
            text = f"{theme} number {i}"
            segments.append(Segment(f"t{t}r{i:03d}:1", f"t{t}r{i:03d}", 0, len(text), text, role="respondent"))
            vectors.append(centres[t] + rng.normal(0, 0.3, 24))
    for i in range(10):
        segments.append(Segment(f"f{i}:1", f"f{i}", 0, 3, "N/A", role="respondent"))
        vectors.append(rng.normal(0, 1, 24))
    return segments, np.array(vectors, dtype=np.float32)


def test_every_segment_gets_the_topic_of_its_theme():
    segments, vectors = corpus()
    result = fit_topics_sampled(segments, vectors, sample_size=60, settings=FAST)
    assert set(result.assignments) == {s.id for s in segments}
    by_theme: dict[int, set[int]] = {}
    for seg in segments:
        if seg.text != "N/A":
            by_theme.setdefault(int(seg.id[1]), set()).add(result.assignments[seg.id])
    assert all(len(topics) == 1 for topics in by_theme.values())  # a theme is never split
    assert len({next(iter(t)) for t in by_theme.values()}) == 3  # and the three stay apart
    assert sum(t.size for t in result.topics) == 180
    assert sorted(i for t in result.topics for i in t.segment_ids) == sorted(
        s.id for s in segments if s.text != "N/A")
    assert {result.assignments[f"f{i}:1"] for i in range(10)} == {-1}
    assert result.info.filler_count == 10 and result.info.n_segments == 190
    assert "drawn at random of 190" in result.info.clusterer


def test_segments_outside_the_sample_are_set_aside_for_the_same_reasons():
    segments, vectors = corpus()
    said = [Segment(f"n{i}:1", f"n{i}", 0, 30, "Nothing, everything was great", role="respondent")
            for i in range(8)]
    vectors = np.vstack([vectors, np.random.default_rng(3).normal(0, 1, (8, 24)).astype(np.float32)])
    result = fit_topics_sampled(segments + said, vectors, sample_size=60, settings=FAST)
    assert result.info.filler_count == 10 and result.info.nothing_to_improve_count == 8
    assert result.info.n_clustered == 180
    assert {result.assignments[s.id] for s in said} == {-1}


def test_the_sample_does_not_depend_on_input_order():
    segments, vectors = corpus()
    first = fit_topics_sampled(segments, vectors, sample_size=60, settings=FAST)
    order = np.random.default_rng(3).permutation(len(segments))
    again = fit_topics_sampled([segments[i] for i in order], vectors[order], sample_size=60, settings=FAST)
    assert dict(again.assignments) == dict(first.assignments)
    assert again.topics == first.topics


def test_a_corpus_within_the_sample_size_is_fitted_whole():
    segments, vectors = corpus(per_theme=20)
    assert fit_topics_sampled(segments, vectors, settings=FAST) == fit_topics(segments, vectors, settings=FAST)
