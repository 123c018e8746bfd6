"""Dimension reducers: embeddings -> a few dense dimensions that cluster well.

A reducer is prepared once per corpus and then run once per seed: ``get_reducer(name)(
embeddings, n_components)`` returns ``reduce(seed) -> array``, so work that does not depend
on the seed (UMAP's nearest-neighbour graph) is done once for the three stability runs.
"umap" is what BERTopic uses and clusters real text best; "pca" is exact, fast and needs no
JIT compilation (numba makes the first UMAP fit in a process take about 10 s), so tests and
very large runs can choose it; "none" passes embeddings through.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from qualcode.errors import UsageError

Reduce = Callable[[int], np.ndarray]  # seed -> reduced embeddings
Reducer = Callable[[np.ndarray, int], Reduce]  # (unit embeddings, n_components) -> Reduce

_EXACT_KNN_LIMIT = 20_000  # above this, exact neighbours cost more than UMAP's own search
_N_NEIGHBORS = 15  # as BERTopic


def exact_neighbours(unit: np.ndarray, k: int, block: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest rows of each row by cosine (itself first): indices and distances.

    Exact, and the same whatever the seed, unlike UMAP's approximate search; blocks keep
    memory at ``block x n`` floats.
    """
    n = len(unit)
    indices = np.empty((n, k), dtype=np.int64)
    distances = np.empty((n, k), dtype=np.float32)
    for start in range(0, n, block):
        similarity = unit[start:start + block] @ unit.T
        rows = np.arange(len(similarity))
        similarity[rows, rows + start] = 2.0  # itself first, even among exact duplicates
        top = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        values = np.take_along_axis(similarity, top, axis=1)
        order = np.lexsort((top, -values), axis=1)  # by similarity, ties by index: stable
        indices[start:start + block] = np.take_along_axis(top, order, axis=1)
        distances[start:start + block] = np.clip(1 - np.take_along_axis(values, order, axis=1), 0, 2)
    distances[:, 0] = 0.0
    return indices, distances


def _epochs(n: int) -> int | None:
    """UMAP's own choice (500 epochs up to 10,000 points, 200 above) with the step at 5,000.

    Each epoch touches every edge, so larger corpora converge in fewer; 500 epochs on 9,000
    points took 2.5 times as long as 200 for the same topics.
    """
    return 200 if n > 5000 else None


def _umap(embeddings: np.ndarray, n_components: int) -> Reduce:
    n = len(embeddings)
    # The neighbourhood narrows for tiny corpora where 15 would be most of the data.
    n_neighbors = max(2, min(_N_NEIGHBORS, n - 1))
    knn = exact_neighbours(embeddings, n_neighbors) if n <= _EXACT_KNN_LIMIT else (None, None, None)

    def reduce(seed: int) -> np.ndarray:
        import warnings

        from umap import UMAP  # imported here: heavy (numba), and only this backend needs it

        # min_dist 0 packs clusters tightly, which is what a clusterer wants; n_jobs=1 is what
        # a random_state implies anyway (UMAP warns otherwise).
        model = UMAP(n_neighbors=n_neighbors, n_components=min(n_components, n - 2), min_dist=0.0,
                     metric="cosine", random_state=seed, n_jobs=1, precomputed_knn=knn,
                     init="spectral" if n > 50 else "random", n_epochs=_epochs(n))
        with warnings.catch_warnings():
            # "no knn_search_index": we never call transform(), so it is not needed.
            warnings.filterwarnings("ignore", message=".*knn_search_index.*")
            return np.nan_to_num(model.fit_transform(embeddings)).astype(np.float32)

    return reduce


def _pca(embeddings: np.ndarray, n_components: int) -> Reduce:
    from sklearn.decomposition import PCA

    n_components = min(n_components, embeddings.shape[1], len(embeddings))
    return lambda seed: PCA(n_components=n_components, random_state=seed).fit_transform(embeddings)


def _none(embeddings: np.ndarray, n_components: int) -> Reduce:
    return lambda seed: embeddings


REDUCERS: dict[str, Reducer] = {"umap": _umap, "pca": _pca, "none": _none}


def get_reducer(name: str) -> Reducer:
    """The reducer registered as ``name`` ("umap", "pca" or "none")."""
    try:
        return REDUCERS[name]
    except KeyError:
        raise UsageError(f"unknown reducer {name!r}; choose one of {', '.join(REDUCERS)}") from None
