"""``fit_topics``: inductive themes from precomputed embeddings, deterministic and explained.

The steps, each traceable in :class:`TopicModelInfo`:

1. Set aside interviewer turns, preamble, filler answers ("n/a", "nothing", blank) and
   answers that say only that nothing needs to change ("Nothing, all great"), counting each
   reason (nothing lost: they appear in ``assignments`` as ``-1`` and in ``set_aside``).
2. For each seed: reduce (UMAP by default), cluster with a method suited to the corpus size
   (k-means with k by silhouette below ``small_corpus`` documents, HDBSCAN above), then give
   outliers their nearest topic centroid, then merge topics whose keywords (c-TF-IDF) are
   too alike to tell apart. The first seed's run is the result; agreement between the
   seeds' runs (mean pairwise ARI) is reported as ``stability_ari``.
3. Renumber topics by size, then by their first segment, so ids do not depend on the
   clusterer's arbitrary numbering.
4. Keywords with BERTopic's c-TF-IDF and MMR; a short label from the top keywords.
5. With codings, tie each topic to the code most of its segments carry (share >= 0.5);
   the others are emergent themes outside the codebook.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from typing import Iterable, Mapping, Sequence

import numpy as np
from scipy import sparse

from qualcode.errors import UsageError
from qualcode.model import RESPONDENT, Coding, Segment, Topic, frozen_mapping
from qualcode.topics._cluster import OUTLIER, CLUSTERERS, choose_clusterer, reduce_outliers
from qualcode.lexicon.filler import FILLER, NOTHING_TO_IMPROVE, describe_set_aside, set_aside_reason
from qualcode.topics._keywords import Encoder, central_phrase, extract_keywords, make_label
from qualcode.topics._merge import document_terms, merge_similar_topics
from qualcode.topics._reduce import Reduce, get_reducer
from qualcode.topics._settings import TopicSettings

FIX_NUMBER = "n_topics; --n-topics N on the command line"  # how a warning says to fix the count


@dataclass(frozen=True)
class TopicModelInfo:
    """The run summary: what was done, and how far to trust it."""

    clusterer: str  # e.g. "kmeans (k=4 by silhouette 0.71 over k=3..7)"
    reducer: str
    n_segments: int  # every input segment
    n_clustered: int  # after setting aside the counts below
    filler_count: int
    excluded_count: int  # interviewer turns and preamble
    n_topics: int
    outlier_share: float  # of clustered segments, after outlier reduction
    outlier_share_before: float  # as the clusterer left them
    stability_ari: float | None  # mean pairwise ARI between the seeds' runs; None with one seed
    seeds: tuple[int, ...]
    emergent_topic_ids: tuple[int, ...] = ()  # topics under no code (only with codings)
    warnings: tuple[str, ...] = ()
    nothing_to_improve_count: int = 0  # "Nothing, all great": no topic beyond that

    @property
    def set_aside_note(self) -> str:
        """What was not clustered and why, e.g. "970 empty or filler, 704 'nothing to improve'"."""
        return describe_set_aside({FILLER: self.filler_count, NOTHING_TO_IMPROVE: self.nothing_to_improve_count,
                                   "interviewer turns or preamble": self.excluded_count})


@dataclass(frozen=True)
class TopicResult:
    """Topics, every segment's topic (``-1``: outlier or set aside), and the run summary."""

    topics: tuple[Topic, ...]
    assignments: Mapping[str, int]
    info: TopicModelInfo
    set_aside: Mapping[str, str] = field(default_factory=frozen_mapping)  # segment id -> reason
    settings: TopicSettings = TopicSettings()

    @property
    def set_aside_counts(self) -> dict[str, int]:
        """Segments not clustered, by reason (sorted): ``{"filler": 970, "nothing_to_improve": 704}``."""
        return dict(sorted(Counter(self.set_aside.values()).items()))


def fit_topics(segments: Sequence[Segment], embeddings: np.ndarray,
               codings: Mapping[str, Iterable[str]] | Iterable[Coding] | None = None,
               settings: TopicSettings | None = None, *, embedder: Encoder | None = None,
               **overrides: object) -> TopicResult:
    """Find topics in ``segments`` from their precomputed ``embeddings`` (one row each).

    ``codings`` (segment id -> code ids, or ``Coding`` values) make the result codebook-aware.
    ``embedder`` (anything with ``encode(texts)``) embeds candidate keywords for MMR; without
    it keywords are embedded from the corpus itself. Keyword ``overrides`` replace fields of
    ``settings``: ``fit_topics(segs, emb, clusterer="hdbscan")``.

    >>> result = fit_topics(segments, embeddings)                    # doctest: +SKIP
    >>> result.info.clusterer, result.info.n_topics, result.topics[0].label  # doctest: +SKIP
    ('kmeans (k=4 by silhouette 0.71 over k=3..7)', 4, 'waiting list, referral')
    """
    settings = _settings(settings, overrides)
    segments, embeddings = _canonical(segments, embeddings)
    set_aside = _set_aside(segments, settings)
    keep = np.array([seg.id not in set_aside for seg in segments], dtype=bool)
    docs = [seg.text for seg, kept in zip(segments, keep) if kept]
    vectors = embeddings[keep]
    warnings: list[str] = []

    reduce = terms = None  # seed-independent work, shared by the seeds' runs
    if len(docs) >= settings.min_documents:
        reduce = get_reducer(settings.reducer)(vectors, settings.n_components)
        terms = document_terms(docs) if settings.merge_similarity < 1 else None
    runs = [_cluster_once(vectors, reduce, terms, settings, seed, warnings) for seed in settings.seeds]
    labels, description, before = runs[0]
    stability = _stability([run[0] for run in runs])
    labels = _renumber(labels)
    keywords = extract_keywords(docs, vectors, labels, top_n_words=settings.top_n_words,
                                diversity=settings.keyword_diversity,
                                ngram_range=settings.ngram_range, encoder=embedder)
    kept_ids = [seg.id for seg, kept in zip(segments, keep) if kept]
    code_sets = _code_sets(codings)
    topics = tuple(_topic(topic, labels, kept_ids, docs, vectors, keywords.get(topic, ()), code_sets,
                          settings) for topic in sorted(set(labels.tolist()) - {OUTLIER}))

    assignments = {seg.id: OUTLIER for seg in segments}
    assignments.update(zip(kept_ids, labels.tolist()))
    outlier_share = float(np.mean(labels == OUTLIER)) if len(labels) else 0.0
    _warn(warnings, settings, stability, outlier_share)
    _warn_broad(warnings, settings, topics, len(docs))
    info = TopicModelInfo(
        clusterer=description, reducer=settings.reducer, n_segments=len(segments),
        n_clustered=len(docs), **_info_counts(set_aside), n_topics=len(topics),
        outlier_share=outlier_share, outlier_share_before=before, stability_ari=stability,
        seeds=settings.seeds,
        emergent_topic_ids=tuple(t.id for t in topics if t.code_id is None) if code_sets else (),
        warnings=tuple(warnings))
    return TopicResult(topics=topics, assignments=frozen_mapping(assignments), info=info,
                       set_aside=frozen_mapping(set_aside), settings=settings)


def _settings(settings: TopicSettings | None, overrides: Mapping[str, object]) -> TopicSettings:
    settings = settings or TopicSettings()
    unknown = set(overrides) - {f.name for f in dataclasses.fields(TopicSettings)}
    if unknown:
        raise UsageError(f"unknown topic setting(s) {', '.join(sorted(unknown))}; "
                         f"see qualcode.topics.TopicSettings for the options")
    settings = dataclasses.replace(settings, **overrides)
    if not settings.seeds:
        raise UsageError("topic settings need at least one seed, e.g. seeds=(0, 1, 2)")
    if settings.clusterer != "auto" and settings.clusterer not in CLUSTERERS:
        raise UsageError(f"unknown clusterer {settings.clusterer!r}; "
                         f"choose auto or one of {', '.join(CLUSTERERS)}")
    if settings.hdbscan_selection not in ("leaf", "eom"):
        raise UsageError(f"unknown hdbscan_selection {settings.hdbscan_selection!r}; choose leaf or eom")
    if settings.n_topics is not None and settings.n_topics < 2:
        raise UsageError(f"n_topics must be 2 or more, got {settings.n_topics}; leave it unset to "
                         f"choose the number of topics automatically")
    if settings.n_topics and settings.clusterer == "hdbscan":
        raise UsageError("n_topics fixes k for kmeans or agglomerative clustering; hdbscan finds its "
                         "own number of topics: use clusterer='auto' or 'kmeans'")
    if not 0 < settings.merge_similarity <= 1:
        raise UsageError(f"merge_similarity must be in (0, 1], got {settings.merge_similarity}; "
                         f"1 keeps every topic the clusterer found")
    get_reducer(settings.reducer)  # fail before any work on a misspelt reducer
    return settings


def _canonical(segments: Sequence[Segment], embeddings: np.ndarray) -> tuple[list[Segment], np.ndarray]:
    """Segments sorted by id with their unit-length embeddings: input order cannot matter."""
    embeddings = np.asarray(embeddings, dtype=np.float32)
    if embeddings.ndim != 2 or len(embeddings) != len(segments):
        raise UsageError(f"embeddings must have one row per segment: got shape {embeddings.shape} "
                         f"for {len(segments)} segments; embed the same segments you pass")
    ids = [seg.id for seg in segments]
    if len(set(ids)) != len(ids):
        raise UsageError("segment ids must be unique; segment the documents once and pass each once")
    order = sorted(range(len(segments)), key=lambda i: ids[i])
    norms = np.linalg.norm(embeddings, axis=1, keepdims=True)
    unit = embeddings / np.where(norms == 0, 1, norms)
    return [segments[i] for i in order], unit[order]


def _set_aside(segments: Sequence[Segment], settings: TopicSettings) -> dict[str, str]:
    extra = frozenset(settings.extra_filler)
    reasons = {}
    for seg in segments:
        answer = settings.set_aside_nothing_to_improve and seg.role == RESPONDENT
        if seg.role in settings.exclude_roles:
            reasons[seg.id] = seg.role
        elif reason := set_aside_reason(seg.text, extra, nothing_to_improve=answer):
            reasons[seg.id] = reason
    return reasons


def _info_counts(set_aside: Mapping[str, str]) -> dict[str, int]:
    """The :class:`TopicModelInfo` counts of set-aside segments, from segment id -> reason."""
    reasons = Counter(set_aside.values())
    filler, nothing = reasons.pop(FILLER, 0), reasons.pop(NOTHING_TO_IMPROVE, 0)
    return {"filler_count": filler, "nothing_to_improve_count": nothing,
            "excluded_count": sum(reasons.values())}


def _cluster_once(vectors: np.ndarray, reduce: Reduce | None, terms: sparse.csr_matrix | None,
                  settings: TopicSettings, seed: int, warnings: list[str]) -> tuple[np.ndarray, str, float]:
    """One seed's labels, the clusterer's account, and the outlier share before reduction."""
    n = len(vectors)
    if reduce is None:
        if seed == settings.seeds[0]:
            warnings.append(f"only {n} segments to cluster (fewer than {settings.min_documents}): "
                            f"{'one topic' if n else 'no topics'}, not clustered")
        return np.zeros(n, dtype=int), "none (too few segments)", 0.0
    reduced = reduce(seed)
    name = choose_clusterer(n, settings)
    clustering = CLUSTERERS[name](reduced, settings, seed)
    before = float(np.mean(clustering.labels == OUTLIER))
    labels = reduce_outliers(vectors, clustering.labels, settings.outlier_threshold)
    description = clustering.description
    if terms is not None and not settings.n_topics:  # a fixed k is the user's choice: kept
        found = len(set(labels.tolist()) - {OUTLIER})
        labels = merge_similar_topics(labels, terms, settings.merge_similarity, settings.min_topics)
        merged = len(set(labels.tolist()) - {OUTLIER})
        if merged < found:
            description += (f"; {found} -> {merged} topics, merging those with keyword "
                            f"(c-TF-IDF) cosine >= {settings.merge_similarity}")
    return labels, description, before


def _stability(runs: list[np.ndarray]) -> float | None:
    from sklearn.metrics import adjusted_rand_score

    if len(runs) < 2 or not len(runs[0]):
        return None
    return float(np.mean([adjusted_rand_score(a, b) for a, b in combinations(runs, 2)]))


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Topic 0 is the largest; ties go to the topic whose first segment comes first."""
    topics = [t for t in dict.fromkeys(labels.tolist()) if t != OUTLIER]  # first-seen order
    sizes = Counter(labels.tolist())
    order = sorted(topics, key=lambda t: -sizes[t])  # stable sort keeps first-seen for ties
    mapping = {old: new for new, old in enumerate(order)} | {OUTLIER: OUTLIER}
    return np.array([mapping[t] for t in labels.tolist()], dtype=int)


def _code_sets(codings: Mapping[str, Iterable[str]] | Iterable[Coding] | None) -> dict[str, set[str]]:
    if codings is None:
        return {}
    if isinstance(codings, Mapping):  # a lone code id is one code, not a set of characters
        return {seg_id: {codes} if isinstance(codes, str) else set(codes) for seg_id, codes in codings.items()}
    sets: dict[str, set[str]] = {}
    for coding in codings:
        sets.setdefault(coding.segment_id, set()).add(coding.code_id)
    return sets


def _topic(topic: int, labels: np.ndarray, ids: list[str], docs: list[str], vectors: np.ndarray,
           keywords: tuple[str, ...], code_sets: dict[str, set[str]], settings: TopicSettings) -> Topic:
    rows = np.flatnonzero(labels == topic)
    segment_ids = tuple(ids[i] for i in rows)
    label = make_label(keywords, settings.label_words)
    if not label:  # no usable words: fall back to the most central short sentence
        centre = vectors[rows].mean(axis=0)
        central = rows[np.argsort(-(vectors[rows] @ centre), kind="stable")]
        label = central_phrase([docs[i] for i in central]) or f"topic {topic}"
    return Topic(id=topic, label=label, keywords=keywords, size=len(rows), segment_ids=segment_ids,
                 code_id=_dominant_code(segment_ids, code_sets, settings.code_share))


def _dominant_code(segment_ids: tuple[str, ...], code_sets: dict[str, set[str]], share: float) -> str | None:
    counts = Counter(code for seg_id in segment_ids for code in code_sets.get(seg_id, ()))
    if not counts:
        return None
    code, count = min(counts.items(), key=lambda item: (-item[1], item[0]))  # ties: code id
    return code if count >= share * len(segment_ids) else None


def _warn(warnings: list[str], settings: TopicSettings, stability: float | None,
          outlier_share: float) -> None:
    if stability is not None and stability < settings.stability_warning:
        warnings.append(f"topics are unstable: runs with seeds {settings.seeds} agree at ARI "
                        f"{stability:.2f} (< {settings.stability_warning}); read them as tentative"
                        + ("" if settings.n_topics else f", or fix the number of topics ({FIX_NUMBER})"))
    if outlier_share > 0.1:
        warnings.append(f"{outlier_share:.0%} of segments fit no topic; lower outlier_threshold "
                        f"to assign more of them")


def _warn_broad(warnings: list[str], settings: TopicSettings, topics: Sequence[Topic],
                n_clustered: int) -> None:
    """One topic with most of the corpus is a broad theme that may hide several (on 10,000 NHS
    comments with static embeddings, one topic held 53%, every human category mixed in it)."""
    if len(topics) < 2 or settings.n_topics:  # a fixed number is the user's own choice
        return
    largest = max(topics, key=lambda topic: topic.size)
    share = largest.size / n_clustered
    if share > settings.broad_topic_warning:
        warnings.append(f"topic {largest.id} ('{largest.label}') holds {share:.0%} of the clustered "
                        f"segments, a broad theme that may hide several; read its quotes, or fix "
                        f"the number of topics ({FIX_NUMBER}) to split it")
