"""Every option of the topics stage, in one frozen value that the stage's modules share."""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.model import NOT_ANALYSED


@dataclass(frozen=True)
class TopicSettings:
    """Every option of the topics stage, with its default in one place."""

    clusterer: str = "auto"  # auto | kmeans | agglomerative | hdbscan
    reducer: str = "umap"  # umap | pca | none
    n_components: int = 5  # reduced dimensions, as BERTopic
    small_corpus: int = 1000  # "auto" uses k-means below this many documents, HDBSCAN from it
    min_topics: int = 3  # k-means/agglomerative try k in min_topics..min(max_topics, n/8)
    max_topics: int = 12
    n_topics: int | None = None  # fix the number of topics: k-means with this k, at any size
    min_cluster_size: int | None = None  # HDBSCAN; None: 1% of documents, at least 10
    min_samples: int = 5  # HDBSCAN; lower than min_cluster_size so fewer points are noise
    hdbscan_selection: str = "leaf"  # HDBSCAN's cluster_selection_method: leaf | eom
    outlier_threshold: float = 0.0  # least cosine to a centroid for an outlier to join it
    merge_similarity: float = 0.4  # merge topics whose c-TF-IDF cosine is this or more; 1: never
    seeds: tuple[int, ...] = (0, 1, 2)  # the first seed's run is returned
    stability_warning: float = 0.6  # warn when mean pairwise ARI between seeds is lower
    broad_topic_warning: float = 0.5  # warn when one topic holds more than this share
    min_documents: int = 10  # fewer clusterable segments: one topic, with a warning
    top_n_words: int = 10
    keyword_diversity: float = 0.3  # MMR: 0 = most relevant keywords, 1 = most diverse
    ngram_range: tuple[int, int] = (1, 2)
    label_words: int = 3
    code_share: float = 0.5  # a topic falls under a code if this share of it carries the code
    exclude_roles: tuple[str, ...] = tuple(sorted(NOT_ANALYSED))
    extra_filler: tuple[str, ...] = ()  # more stock non-answers, lower case
    # Set aside survey answers such as "Nothing, everything was great" (counted as 'nothing to
    # improve'); turn off when the question did not ask what could be better. Interview turns
    # are never taken: "No, not really" there answers whatever was asked.
    set_aside_nothing_to_improve: bool = True
