"""Topic keywords and labels: BERTopic's c-TF-IDF with MMR diversity, fully offline.

We cluster ourselves, then hand BERTopic the finished labels (its documented "manual topic
modelling": ``BaseDimensionalityReduction``, ``BaseCluster`` and ``y=labels``) so it only does
what it is best at: class-based TF-IDF keywords, diversified with maximal marginal relevance.

MMR embeds candidate keywords, so BERTopic needs an embedding backend, and given none it
would load (and download) a sentence-transformers model. We always pass our own backend:
either the caller's embedder (anything with ``encode(texts) -> array``), or, when there is
none, :class:`_CorpusTermBackend`, which gives a word the mean embedding of the documents
that use it: no model, no network, and words that occur in the same answers come out close.
"""

from __future__ import annotations

import re
from typing import Any, Protocol, Sequence

import numpy as np

# Tokens of two or more letters: drops numbers and redaction placeholders like [PERSON_1].
_TOKEN = re.compile(r"(?u)\b[^\W\d_][^\W\d_]+\b")
_MASK = re.compile(r"^x{2,}$")
_PUNCTUATION = re.compile(r"[.,;:!?()\[\]\"\u2026\u2013\u2014]+|\s-\s")  # "xxxx": a mask some sources put where a name was
# Contraction stubs left by the tokenizer ("don't" -> "don") and fillers of spoken answers.
_EXTRA_STOP_WORDS = frozenset({
    "don", "didn", "doesn", "isn", "wasn", "weren", "aren", "couldn", "wouldn", "shouldn",
    "haven", "hasn", "hadn", "won", "ve", "ll", "re", "im", "ive", "dont", "didnt", "cant",
    "just", "really", "like", "got", "get", "getting", "bit", "lot", "lots", "think", "know",
    "yeah", "yes", "ok", "okay", "um", "erm", "er", "uh", "thing",
    "things", "quite", "actually", "basically", "maybe", "say", "said", "going",
})


class Encoder(Protocol):
    """What the keyword step needs from an embedder: unit-length vectors for texts."""

    def encode(self, texts: list[str]) -> np.ndarray: ...


def stop_words() -> list[str]:
    """scikit-learn's English stop words plus contraction stubs and spoken fillers."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return sorted(ENGLISH_STOP_WORDS | _EXTRA_STOP_WORDS)


class PhraseAnalyzer:
    """Words and phrases of adjacent words, none of them a stop word.

    scikit-learn removes stop words before it forms n-grams, so "absolutely nothing but
    blood" yields the phrase "absolutely blood", which nobody wrote; here a phrase is only
    ever words that stand together in the text.
    """

    def __init__(self, ngram_range: tuple[int, int]) -> None:
        self.low, self.high = ngram_range
        self.stop = frozenset(stop_words())

    def __call__(self, text: str) -> list[str]:
        grams = []
        for chunk in _PUNCTUATION.split(text.lower()):  # no phrase spans a comma or full stop
            tokens = [t for t in _TOKEN.findall(chunk) if not _MASK.match(t)]
            keep = [t not in self.stop for t in tokens]
            for n in range(self.low, self.high + 1):
                for i in range(len(tokens) - n + 1):
                    if all(keep[i:i + n]):
                        grams.append(" ".join(tokens[i:i + n]))
        return grams


def _vectorizer(ngram_range: tuple[int, int]) -> Any:
    from sklearn.feature_extraction.text import CountVectorizer

    # min_df stays 1: BERTopic fits the vectorizer on one joined document per topic, so a
    # higher min_df would drop exactly the words that are distinctive of a single topic.
    return CountVectorizer(analyzer=PhraseAnalyzer(ngram_range))


def _backend(docs: Sequence[str], embeddings: np.ndarray, ngram_range: tuple[int, int],
             encoder: Encoder | None) -> Any:
    """A BERTopic ``BaseEmbedder`` that never loads a model of its own."""
    from bertopic.backend import BaseEmbedder

    class _EncoderBackend(BaseEmbedder):
        def embed(self, documents: list[str], verbose: bool = False) -> np.ndarray:
            return np.asarray(encoder.encode(list(documents)), dtype=np.float32)

    class _CorpusTermBackend(BaseEmbedder):
        def __init__(self) -> None:
            super().__init__()
            self._vectors: dict[str, np.ndarray] | None = None

        def _fit(self) -> dict[str, np.ndarray]:
            vectorizer = _vectorizer(ngram_range)
            self._analyze = vectorizer.build_analyzer()
            counts = vectorizer.fit_transform(docs)
            sums = np.asarray((counts > 0).T.astype(np.float32) @ embeddings)
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            sums /= np.where(norms == 0, 1, norms)
            return dict(zip(vectorizer.get_feature_names_out(), sums))

        def embed(self, documents: list[str], verbose: bool = False) -> np.ndarray:
            if self._vectors is None:
                self._vectors = self._fit()
            zero = np.zeros(embeddings.shape[1], dtype=np.float32)
            rows = []
            for text in documents:
                # A known term has its own vector; any other text (BERTopic embeds the joined
                # keywords as the "topic") sums the vectors of the terms it contains.
                vector = self._vectors.get(text)
                if vector is None:
                    vector = sum((self._vectors.get(t, zero) for t in self._analyze(text)), zero)
                norm = np.linalg.norm(vector)
                rows.append(vector / norm if norm else vector)
            return np.vstack(rows) if rows else np.zeros((0, embeddings.shape[1]), np.float32)

    return _EncoderBackend() if encoder is not None else _CorpusTermBackend()


def extract_keywords(docs: Sequence[str], embeddings: np.ndarray, labels: np.ndarray, *,
                     top_n_words: int = 10, diversity: float = 0.3,
                     ngram_range: tuple[int, int] = (1, 2),
                     encoder: Encoder | None = None) -> dict[int, tuple[str, ...]]:
    """Keywords per topic label (outliers ``-1`` included in the c-TF-IDF, not returned).

    ``docs``, ``embeddings`` and ``labels`` are aligned. Topics whose documents hold no
    usable word get an empty tuple.
    """
    topics = sorted(set(labels.tolist()) - {-1})
    if not topics:
        return {}
    from bertopic import BERTopic
    from bertopic.cluster import BaseCluster
    from bertopic.dimensionality import BaseDimensionalityReduction
    from bertopic.representation import MaximalMarginalRelevance
    from bertopic.vectorizers import ClassTfidfTransformer

    model = BERTopic(
        embedding_model=_backend(docs, embeddings, ngram_range, encoder),
        umap_model=BaseDimensionalityReduction(), hdbscan_model=BaseCluster(),
        vectorizer_model=_vectorizer(ngram_range),
        # reduce_frequent_words damps words common to every topic ("staff", "care").
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
        representation_model=MaximalMarginalRelevance(diversity=diversity, top_n_words=top_n_words),
        top_n_words=top_n_words, calculate_probabilities=False, verbose=False)
    try:
        model.fit(list(docs), embeddings=embeddings, y=np.asarray(labels, dtype=int))
    except ValueError as error:
        if "empty vocabulary" not in str(error):
            raise
        return {topic: () for topic in topics}  # only stop words and numbers: nothing to say
    # BERTopic renumbers topics by frequency; map its ids back to ours through the documents.
    ours_to_theirs = dict(zip(np.asarray(labels).tolist(), model.topics_))
    keywords = {}
    for topic in topics:
        words = model.get_topic(ours_to_theirs[topic]) or []
        keywords[topic] = tuple(word for word, score in words if word and score > 0)
    return keywords


def make_label(keywords: Sequence[str], n_words: int = 3, fallback: str = "") -> str:
    """A short readable label: the first ``n_words`` keywords that add something new.

    A phrase replaces a single word it contains, and a word already covered by a chosen
    phrase is skipped, so ("waiting", "waiting time", "time", "phone") gives
    "waiting time, phone".
    """
    chosen: list[str] = []
    for keyword in keywords:
        words = set(keyword.split())
        if words <= {w for phrase in chosen for w in phrase.split()}:
            continue
        covered = [phrase for phrase in chosen if set(phrase.split()) < words]
        if covered:
            chosen[chosen.index(covered[0])] = keyword
            chosen = [phrase for phrase in chosen if phrase not in covered[1:]]
        elif len(chosen) < n_words:
            chosen.append(keyword)
    return ", ".join(chosen) or fallback


def central_phrase(texts: Sequence[str], max_words: int = 8) -> str:
    """The first short sentence of ``texts`` (given most central first), for labelless topics."""
    for text in texts:
        sentence = re.split(r"(?<=[.!?])\s+", text.strip())[0]
        if 0 < len(sentence.split()) <= max_words:
            return sentence.rstrip(".!?")
    return ""
