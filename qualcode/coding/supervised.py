"""Supervised coding: learn the codes from segments that people have already coded.

The model (see ``_stack.py``) stacks a linear model on sentence embeddings with linear SVMs
on word and character TF-IDF; it is tuned by cross-validation inside the training data only.
Training data with one code per text is treated as single-label (each segment gets its most
likely code); as soon as one text has several codes (or none), each code is decided on its
own, with a threshold tuned per code, and a segment may get several codes or none.

With single-label data of ``FINE_TUNE_MIN_TEXTS`` texts or more (or ``fine_tune=True``), a
MiniLM encoder fine-tuned on the training codes (``_finetune.py``) joins the stack: the
coder's probabilities are the average of the stack's and the fine-tuned model's (weight
``FINE_TUNED_WEIGHT``, fixed, not tuned on any test data). It costs about a minute of CPU per
thousand training texts instead of seconds, so it is left out for smaller training sets
(where it did not help), with the static embedder of fast mode, and with ``fine_tune=False``.

Evidence for a coding: the words that pushed the TF-IDF model towards the code (its largest
positive weight x tf-idf contributions, word features only, as character n-grams mean little
to a reader), or, failing that, the nearest training example with that code.

``suggest`` supports active learning: it proposes the uncoded segments whose coding by a
person would help the model most (least certain first, spread over different content).

>>> coder = SupervisedCoder(embedder="minilm").fit(texts, labels)  # doctest: +SKIP
>>> coder.predict_codings(segments)[:1]  # doctest: +SKIP
[Coding(segment_id='s:4', code_id='burnout', method='model', confidence=0.81,
        evidence="features: 'exhausted', 'burnt', 'no energy'", coder='qualcode')]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import KFold, StratifiedKFold

from qualcode.coding._finetune import FineTunedClassifier
from qualcode.coding._stack import StackedClassifier
from qualcode.embed import Embedder, get_embedder
from qualcode.errors import UsageError
from qualcode.model import Coding, Segment

MODEL = "model"
_EVIDENCE_CHARS = 80
FINE_TUNED_WEIGHT = 0.5  # the fine-tuned model's share of the probabilities, when there is one
# Fine-tuning pays from about this many single-label training texts: on stratified subsets of
# the NHS benchmark's first training fold (same test part), the average with the stack scored
# macro-F1 -0.002 at 1,000 texts, +0.012 at 2,000, +0.024 at 3,000 and +0.040 at 8,240 over
# the stack alone, at about a minute of one CPU core per 1,000 short texts.
FINE_TUNE_MIN_TEXTS = 2000


@dataclass(frozen=True)
class Suggestion:
    """A segment worth coding by hand next, with why (the model's uncertainty)."""

    segment_id: str
    uncertainty: float  # 0 = the model is sure, 1 = a coin toss
    likely_codes: tuple[str, ...]  # the model's two best guesses


@dataclass(frozen=True)
class CrossValidation:
    """Scores from K-fold cross-validation; ``per_code`` holds each code's F1."""

    macro_f1: float
    micro_f1: float
    accuracy: float  # exact match of the whole code set
    per_code: tuple[tuple[str, float], ...]
    folds: int


def _one_blas_thread():
    """Run the linear models on one BLAS thread.

    The problems are small (a few hundred columns), so threads gain little, and on a busy
    2-core machine OpenBLAS threads fighting other processes made one logistic regression
    fit take 25 s instead of 2.5 s (measured on the NHS benchmark). Only BLAS is limited:
    the embedder (torch) keeps its own threads.
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def as_label_sets(labels: Iterable[object]) -> list[tuple[str, ...]]:
    """One tuple of codes per text, from codes given as strings or as collections of strings."""
    sets = []
    for label in labels:
        if isinstance(label, str):
            sets.append((label,) if label else ())
        else:
            sets.append(tuple(sorted({str(code) for code in label})))
    return sets


class SupervisedCoder:
    """A classifier trained on human-coded texts; see the module docstring.

    ``min_confidence`` applies to single-label models, which always have a favourite code:
    a segment whose favourite has a lower probability is left uncoded by ``predict_codings``.
    Multi-label models decide each code by its own tuned threshold instead.

    ``fine_tune`` adds the fine-tuned encoder (single-label data only; see the module
    docstring): None decides by the size of the training data and the embedder, True and
    False force it. It needs the MiniLM weights whatever ``embedder`` is.
    """

    method = MODEL

    def __init__(self, embedder: Embedder | str = "minilm", inner_folds: int = 5,
                 grids: dict[str, tuple[float, ...]] | None = None, min_confidence: float = 0.0,
                 random_state: int = 0, coder: str = "qualcode", fine_tune: bool | None = None) -> None:
        self.embedder = embedder
        self.inner_folds = inner_folds
        self.grids = grids
        self.min_confidence = min_confidence
        self.random_state = random_state
        self.coder = coder
        self.fine_tune = fine_tune

    def fit(self, texts: Sequence[str], labels: Iterable[object]) -> "SupervisedCoder":
        """Learn from ``texts`` and their codes (a code per text, or a collection of codes)."""
        label_sets = as_label_sets(labels)
        texts = [str(text) for text in texts]
        if len(label_sets) != len(texts):
            raise UsageError(f"{len(texts)} texts but {len(label_sets)} labels; give one each")
        self.classes_ = tuple(sorted({code for codes in label_sets for code in codes}))
        if len(self.classes_) < 2:
            raise UsageError("supervised coding needs human-coded examples of at least two "
                             f"codes; found {len(self.classes_)}: code more segments")
        self.multilabel_ = any(len(codes) != 1 for codes in label_sets)
        _check_enough_examples(label_sets, self.classes_, self.multilabel_)
        self.embedder_ = get_embedder(self.embedder) if isinstance(self.embedder, str) \
            else self.embedder
        Y = self._binarise(label_sets)
        embeddings = self.embedder_.encode(texts)
        self.model_ = StackedClassifier(self.multilabel_, grids=self.grids,
                                        inner_folds=self.inner_folds,
                                        random_state=self.random_state)
        with _one_blas_thread():
            self.model_.fit(texts, embeddings, Y)
        self.fine_tuned_ = None
        if self._fine_tunes(len(texts)) and not self.multilabel_:
            self.fine_tuned_ = FineTunedClassifier(random_state=self.random_state).fit(
                texts, Y.argmax(axis=1), len(self.classes_))
        self.train_texts_ = tuple(texts)
        self.train_embeddings_ = embeddings
        self.train_labels_ = Y
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities (texts x ``classes_``)."""
        self._check_fitted()
        texts = [str(text) for text in texts]
        if not texts:
            return np.zeros((0, len(self.classes_)))
        embeddings = self.embedder_.encode(texts)
        with _one_blas_thread():
            probabilities = self.model_.predict_proba(texts, embeddings)
        if self.fine_tuned_ is not None:
            probabilities = ((1 - FINE_TUNED_WEIGHT) * probabilities
                             + FINE_TUNED_WEIGHT * self.fine_tuned_.predict_proba(texts))
        return probabilities

    def predict(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        """The codes of each text (one when single-label; any number when multi-label)."""
        chosen = self.model_.predict(self.predict_proba(texts))
        return [tuple(self.classes_[k] for k in np.flatnonzero(row)) for row in chosen]

    def predict_codings(self, segments: Sequence[Segment]) -> list[Coding]:
        """One Coding per (segment, predicted code), with evidence."""
        texts = [s.text for s in segments]
        probabilities = self.predict_proba(texts)
        chosen = self.model_.predict(probabilities)
        codings = []
        for row, segment in enumerate(segments):
            for k in np.flatnonzero(chosen[row]):
                confidence = float(probabilities[row, k])
                if not self.multilabel_ and confidence < self.min_confidence:
                    continue
                codings.append(Coding(segment.id, self.classes_[k], MODEL, round(confidence, 4),
                                      self._evidence(texts[row], k), self.coder))
        return codings

    def cross_validate(self, texts: Sequence[str], labels: Iterable[object],
                       n_splits: int = 5) -> CrossValidation:
        """K-fold scores of this configuration on ``texts`` (the coder itself stays as it is)."""
        label_sets = as_label_sets(labels)
        texts = [str(t) for t in texts]
        classes = sorted({code for codes in label_sets for code in codes})
        truth = np.array([[code in codes for code in classes] for codes in label_sets], dtype=int)
        single = all(len(codes) == 1 for codes in label_sets)
        splitter = (StratifiedKFold(n_splits, shuffle=True, random_state=self.random_state)
                    if single else KFold(n_splits, shuffle=True, random_state=self.random_state))
        predicted = np.zeros_like(truth)
        for train, test in splitter.split(texts, truth.argmax(axis=1) if single else None):
            fold = self._clone().fit([texts[i] for i in train], [label_sets[i] for i in train])
            for row, codes in zip(test, fold.predict([texts[i] for i in test])):
                predicted[row] = [code in codes for code in classes]
        per_code = f1_score(truth, predicted, average=None, zero_division=0)
        return CrossValidation(
            macro_f1=float(f1_score(truth, predicted, average="macro", zero_division=0)),
            micro_f1=float(f1_score(truth, predicted, average="micro", zero_division=0)),
            accuracy=float(accuracy_score(truth, predicted)),
            per_code=tuple((code, round(float(f), 4)) for code, f in zip(classes, per_code)),
            folds=n_splits)

    def suggest(self, segments: Sequence[Segment], n: int = 10,
                diversity: float = 0.5) -> list[Suggestion]:
        """The ``n`` segments whose human coding would most help, most useful first.

        Uncertainty: single-label, 1 - (best probability - second best), so a near tie is 1;
        multi-label, for the code closest to its threshold, 1 - the distance in units of the
        room on that side. Picks are greedy by uncertainty minus ``diversity`` times the
        greatest cosine similarity to a segment already picked, so five near-identical
        comments do not fill the list. Segments whose text is in the training data are skipped.
        """
        self._check_fitted()
        seen = set(self.train_texts_)
        pool = [s for s in segments if s.text not in seen]
        if not pool or n <= 0:
            return []
        texts = [s.text for s in pool]
        probabilities = self.predict_proba(texts)
        uncertainty = self._uncertainty(probabilities)
        vectors = self.embedder_.encode(texts)
        picked: list[int] = []
        closeness = np.zeros(len(pool))
        for _ in range(min(n, len(pool))):
            value = uncertainty - diversity * closeness
            value[picked] = -np.inf
            best = int(np.argmax(value))  # argmax takes the first of ties: deterministic
            picked.append(best)
            closeness = np.maximum(closeness, vectors @ vectors[best])
        return [Suggestion(pool[i].id, round(float(uncertainty[i]), 4),
                           tuple(self.classes_[k] for k in np.argsort(-probabilities[i])[:2]))
                for i in picked]

    # -- internals -------------------------------------------------------------------------

    def _binarise(self, label_sets: list[tuple[str, ...]]) -> np.ndarray:
        index = {code: k for k, code in enumerate(self.classes_)}
        Y = np.zeros((len(label_sets), len(self.classes_)), dtype=int)
        for row, codes in enumerate(label_sets):
            Y[row, [index[c] for c in codes if c in index]] = 1
        return Y

    def _uncertainty(self, probabilities: np.ndarray) -> np.ndarray:
        if not self.multilabel_:
            top = np.sort(probabilities, axis=1)[:, ::-1]
            second = top[:, 1] if top.shape[1] > 1 else 0.0
            return 1.0 - (top[:, 0] - second)
        cut = np.clip(self.model_.thresholds_, 1e-6, 1 - 1e-6)
        room = np.where(probabilities >= cut, 1 - cut, cut)
        return (1.0 - np.abs(probabilities - cut) / room).max(axis=1)

    def _evidence(self, text: str, k: int) -> str:
        features = self._top_features(text, k)
        if features:
            return "features: " + ", ".join(repr(f) for f in features)
        members = np.flatnonzero(self.train_labels_[:, k])
        vector = self.embedder_.encode([text])[0]
        nearest = members[int(np.argmax(self.train_embeddings_[members] @ vector))]
        example = self.train_texts_[nearest]
        if len(example) > _EVIDENCE_CHARS:
            example = example[:_EVIDENCE_CHARS - 1].rstrip() + "…"
        return f"nearest training example: {example!r}"

    def _top_features(self, text: str, k: int, top: int = 3) -> list[str]:
        """Word n-grams of ``text`` with the largest positive pull towards code ``k``."""
        models = self.model_.models_.get("tfidf")
        if not models:
            return []
        model = models[0] if len(models) == 1 else models[k]
        if model is None:
            return []
        row = list(model.classes_).index(k) if len(models) == 1 else 0
        if len(models) == 1 and model.coef_.shape[0] == 1:  # two codes: one row, for classes_[1]
            weights = model.coef_[0] * (1 if row == 1 else -1)
        else:
            weights = model.coef_[row]
        word = self.model_.vectorizer_.transformer_list[0][1]
        x = self.model_.vectorizer_.transform([text]).tocsr()
        n_word = len(word.vocabulary_)
        names = word.get_feature_names_out()
        contributions = [(x[0, j] * weights[j], names[j]) for j in x.indices if j < n_word]
        return [name for value, name in sorted(contributions, key=lambda c: (-c[0], c[1]))[:top]
                if value > 0]

    def _check_fitted(self) -> None:
        if not hasattr(self, "model_"):
            raise UsageError("the supervised coder is not trained yet; call fit() with "
                             "human-coded examples first")

    def _fine_tunes(self, n_texts: int) -> bool:
        if self.fine_tune is not None:
            return self.fine_tune
        embedder = self.embedder if isinstance(self.embedder, str) else getattr(self.embedder, "name", "")
        return n_texts >= FINE_TUNE_MIN_TEXTS and embedder != "static"  # fast mode stays fast

    def _clone(self) -> "SupervisedCoder":
        return SupervisedCoder(self.embedder, self.inner_folds, self.grids, self.min_confidence,
                               self.random_state, self.coder, self.fine_tune)


def _check_enough_examples(label_sets: Sequence[tuple[str, ...]], classes: Sequence[str],
                           multilabel: bool) -> None:
    """The inner cross-validation needs a few examples: say what to code when there are too few."""
    if multilabel:
        if len(label_sets) < 5:
            raise UsageError("supervised coding needs five or more human-coded segments when a "
                             f"segment may have several codes; found {len(label_sets)}: "
                             "code more segments")
        return
    counts = {code: sum(code in codes for codes in label_sets) for code in classes}
    if sum(count >= 2 for count in counts.values()) < 2:
        raise UsageError("supervised coding needs two or more human-coded examples of at least two "
                         f"codes; found {', '.join(f'{code} {n}' for code, n in counts.items())}: "
                         "code more segments")
