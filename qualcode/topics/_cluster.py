"""Clusterers: reduced embeddings -> topic labels (``-1`` for outliers).

Each clusterer is a function ``(reduced, settings, seed) -> Clustering`` registered by name
in :data:`CLUSTERERS`. ``"auto"`` picks by corpus size (:func:`choose_clusterer`): HDBSCAN is
what BERTopic uses and finds a natural number of topics in thousands of documents, but below
about a thousand it either collapses to two topics or shatters into dozens, and its answer
changes with the seed. There, k-means with k chosen by silhouette gives a stable, readable
number of topics. Above, HDBSCAN's leaves are fine-grained and some read alike;
``fit_topics`` then merges those whose keywords match (``_merge``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from qualcode.errors import UsageError
from qualcode.topics._settings import TopicSettings

OUTLIER = -1
_SILHOUETTE_SAMPLE = 2000  # silhouette is O(n^2); a fixed, seeded sample keeps it cheap


@dataclass(frozen=True)
class Clustering:
    """Labels per row (``-1`` = outlier) and a one-line account of how they were found."""

    labels: np.ndarray
    description: str


Clusterer = Callable[[np.ndarray, "TopicSettings", int], Clustering]


def k_range(n: int, settings: TopicSettings) -> range:
    """Candidate topic counts for ``n`` documents: min_topics .. min(max_topics, n / 8).

    About eight documents per topic is the least that gives a theme worth reading; the
    range never goes below two topics or above ``n - 1``.
    """
    high = max(2, min(settings.max_topics, n // 8, n - 1))
    low = max(2, min(settings.min_topics, high))
    return range(low, high + 1)


def _silhouette(reduced: np.ndarray, labels: np.ndarray, seed: int) -> float:
    from sklearn.metrics import silhouette_score

    return float(silhouette_score(reduced, labels, sample_size=min(len(reduced), _SILHOUETTE_SAMPLE),
                                  random_state=seed))


def _best_k(reduced: np.ndarray, settings: TopicSettings, seed: int, fit: Callable[[int], np.ndarray],
            name: str) -> Clustering:
    if settings.n_topics:
        labels = fit(min(settings.n_topics, len(reduced)))
        return Clustering(labels, f"{name} (k={settings.n_topics}, fixed)")
    best: tuple[float, int, np.ndarray] | None = None
    for k in k_range(len(reduced), settings):
        labels = fit(k)
        if len(np.unique(labels)) < 2:
            continue
        score = _silhouette(reduced, labels, seed)
        if best is None or score > best[0] + 1e-9:  # ties keep the smaller k
            best = (score, k, labels)
    if best is None:
        return Clustering(np.zeros(len(reduced), dtype=int), f"{name} (one topic: no separable groups)")
    score, k, labels = best
    return Clustering(labels, f"{name} (k={k} by silhouette {score:.2f} over k={k_range(len(reduced), settings).start}"
                              f"..{k_range(len(reduced), settings).stop - 1})")


def _kmeans(reduced: np.ndarray, settings: TopicSettings, seed: int) -> Clustering:
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    def fit(k: int) -> np.ndarray:
        # One thread: on a few hundred points OpenMP start-up costs more than it saves, and
        # on a busy machine idle threads spin (a 60-point fit took 240 ms instead of 5).
        with threadpool_limits(limits=1):
            return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(reduced)

    return _best_k(reduced, settings, seed, fit, "kmeans")


def _agglomerative(reduced: np.ndarray, settings: TopicSettings, seed: int) -> Clustering:
    from sklearn.cluster import AgglomerativeClustering

    def fit(k: int) -> np.ndarray:
        return AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(reduced)

    return _best_k(reduced, settings, seed, fit, "agglomerative")


def min_cluster_size(n: int, settings: TopicSettings) -> int:
    """HDBSCAN's smallest topic: ``settings.min_cluster_size`` or 1% of documents, at least 10.

    BERTopic's fixed 10 gave 187 topics (30% outliers) on 10,000 NHS comments; 1% gave about
    20, as close to the human categories (NMI) as 0.5% gave with twice as many topics.
    """
    return settings.min_cluster_size or max(10, round(n * 0.01))


def _hdbscan(reduced: np.ndarray, settings: TopicSettings, seed: int) -> Clustering:
    from hdbscan import HDBSCAN

    size = min_cluster_size(len(reduced), settings)
    # min_samples below min_cluster_size: fewer points declared noise, same topics.
    samples = max(1, min(size, settings.min_samples))
    # "leaf" takes the finest dense regions; "eom" (BERTopic's) prefers the most persistent
    # ones and can swallow most of a corpus into one (5 topics, one of 80%, on 7,400 NHS
    # comments with static embeddings). Leaves near-duplicate each other instead, which
    # fit_topics then merges by keywords.
    model = HDBSCAN(min_cluster_size=size, min_samples=samples, metric="euclidean",
                    cluster_selection_method=settings.hdbscan_selection, core_dist_n_jobs=1)
    labels = model.fit_predict(reduced)
    return Clustering(labels, f"hdbscan ({settings.hdbscan_selection}, min_cluster_size={size}, "
                              f"min_samples={samples})")


CLUSTERERS: dict[str, Clusterer] = {"kmeans": _kmeans, "agglomerative": _agglomerative, "hdbscan": _hdbscan}


def choose_clusterer(n: int, settings: TopicSettings) -> str:
    """The clusterer's name: ``settings.clusterer``, or for "auto" one that suits ``n`` documents
    (k-means whatever the size when the number of topics is fixed: HDBSCAN cannot be told it)."""
    name = settings.clusterer
    if name == "auto":
        name = "kmeans" if n < settings.small_corpus or settings.n_topics else "hdbscan"
    if name not in CLUSTERERS:
        raise UsageError(f"unknown clusterer {name!r}; choose auto or one of {', '.join(CLUSTERERS)}")
    return name


def centroids(embeddings: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Topic ids (sorted, outliers excluded) and their unit-length mean embeddings."""
    ids = np.array(sorted(set(labels.tolist()) - {OUTLIER}), dtype=int)
    if not len(ids):
        return ids, np.zeros((0, embeddings.shape[1]), dtype=np.float32)
    means = np.vstack([embeddings[labels == topic].mean(axis=0) for topic in ids])
    norms = np.linalg.norm(means, axis=1, keepdims=True)
    return ids, means / np.where(norms == 0, 1, norms)


def reduce_outliers(embeddings: np.ndarray, labels: np.ndarray, threshold: float) -> np.ndarray:
    """Give each outlier the topic whose centroid is nearest (cosine), if at least ``threshold``.

    The same rule as BERTopic's ``reduce_outliers(strategy="embeddings")``, computed on the
    original embeddings so it does not depend on the reduction's seed.
    """
    outliers = labels == OUTLIER
    ids, means = centroids(embeddings, labels)
    if not outliers.any() or not len(ids):
        return labels
    similarity = embeddings[outliers] @ means.T
    nearest = similarity.argmax(axis=1)  # argmax takes the first of ties: deterministic
    best = similarity[np.arange(len(nearest)), nearest]
    reduced = labels.copy()
    reduced[outliers] = np.where(best >= threshold, ids[nearest], OUTLIER)
    return reduced
