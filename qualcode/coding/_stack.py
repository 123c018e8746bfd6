"""The classifier behind SupervisedCoder: three linear models, stacked.

Bases, each giving one decision score per code:

- ``emb``: a linear model on sentence embeddings (meaning, paraphrase): multinomial logistic
  regression for single-label data, ridge regression on all codes at once for multi-label
  data (one solve instead of one model per code; the meta-model calibrates it anyway).
- ``tfidf``: a linear SVM on TF-IDF of word 1-2 grams and in-word character 2-5 grams (exact
  wording, spelling variants, rare terms that the embedding blurs), class_weight="balanced".
- ``joint``: a linear SVM on both feature sets side by side, so one model can trade them off.

Training, on the training data only (never on the data it will score):

1. Inner K-fold: for each C of each base's grid, out-of-fold decision scores. The C with the
   best out-of-fold macro-F1 is kept, and its out-of-fold scores train the meta-model, so the
   meta-model learns how far to trust each base from its scores on text it did not see.
2. Meta-model. Single-label data (every text one code): multinomial logistic regression on
   all bases' scores for all codes, each code weighted by (largest code count / its count)
   ** power, with the power chosen from ``META_WEIGHT_POWERS`` by macro-F1 in a second K-fold
   over the out-of-fold scores. Power 0 is no weighting (most accurate), 1 is "balanced",
   which over-predicts rare codes because the bases are balanced already (macro-F1 0.56
   against 0.61 on a held-out part of the NHS training data); a mild power in between trades
   a little accuracy for recall of rare codes (NHS benchmark: 0.647 against 0.638).
   Multi-label data: per code, a logistic regression on that code's base scores and the
   probability threshold that maximises the code's out-of-fold F1.
3. Every base is refitted on all the training data with its chosen C.

The TF-IDF vocabulary and idf are fitted once on all training texts before the inner folds:
that uses no labels, so it leaks none, and it saves refitting the vectoriser in every fold.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import f1_score
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

DEFAULT_GRIDS = {"emb": (4.0,), "tfidf": (0.1, 0.3), "joint": (0.1,)}
META_WEIGHT_POWERS = (0.0, 0.15, 0.3, 0.45)
_ABSENT = -10.0  # decision score of a code with no positive training example


def tfidf_features(n_texts: int = 1_000) -> FeatureUnion:
    """Word 1-2 grams and in-word character 2-5 grams, sublinear tf, accents stripped.

    Terms must occur twice, except in a handful of training texts, where that can leave
    no word at all (and the vectorizer refuses to fit).
    """
    min_df = 2 if n_texts >= 20 else 1
    return FeatureUnion([
        ("word", TfidfVectorizer(ngram_range=(1, 2), min_df=min_df, sublinear_tf=True,
                                 strip_accents="unicode", token_pattern=r"(?u)\b\w+\b")),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=min_df,
                                 sublinear_tf=True, strip_accents="unicode",
                                 max_features=150_000)),
    ])


class StackedClassifier:
    """Stacked linear models over embeddings and TF-IDF; ``Y`` is binary (texts x codes)."""

    def __init__(self, multilabel: bool, bases: tuple[str, ...] = ("emb", "tfidf", "joint"),
                 grids: dict[str, tuple[float, ...]] | None = None, inner_folds: int = 5,
                 random_state: int = 0) -> None:
        self.multilabel = multilabel
        self.bases = bases
        self.grids = grids
        self.inner_folds = inner_folds
        self.random_state = random_state

    def fit(self, texts: list[str], embeddings: np.ndarray, Y: np.ndarray) -> "StackedClassifier":
        Y = np.asarray(Y, dtype=int)
        self.n_codes_ = Y.shape[1]
        if {"tfidf", "joint"} & set(self.bases):
            self.vectorizer_ = tfidf_features(len(texts)).fit(texts)
        features = self._features(texts, embeddings)
        grids = {**DEFAULT_GRIDS, **(self.grids or {})}
        folds = self._folds(Y)
        self.C_: dict[str, float] = {}
        self.models_: dict[str, list] = {}
        out_of_fold = []
        for name in self.bases:
            X, best = features[name], None
            for C in grids[name]:
                scores = np.zeros(Y.shape, dtype=float)
                for train, test in folds:
                    scores[test] = self._decide(self._fit_base(name, C, X[train], Y[train]), X[test])
                quality = self._quality(scores, Y)
                if best is None or quality > best[0]:
                    best = (quality, C, scores)
            self.C_[name] = best[1]
            out_of_fold.append(best[2])
            self.models_[name] = self._fit_base(name, best[1], X, Y)
        self._fit_meta(out_of_fold, Y)
        return self

    def decision_parts(self, texts: list[str], embeddings: np.ndarray) -> list[np.ndarray]:
        """Each base's decision scores (texts x codes), in ``bases`` order."""
        features = self._features(texts, embeddings)
        return [self._decide(self.models_[name], features[name]) for name in self.bases]

    def predict_proba(self, texts: list[str], embeddings: np.ndarray) -> np.ndarray:
        """Probabilities (texts x codes): a softmax row when single-label, else per code."""
        parts = self.decision_parts(texts, embeddings)
        if not self.multilabel:
            # columns follow the meta-model's classes_, which miss codes absent from training
            probabilities = np.zeros((len(texts), self.n_codes_))
            probabilities[:, self.meta_.classes_] = self.meta_.predict_proba(np.hstack(parts))
            return probabilities
        return np.column_stack([meta.predict_proba(np.column_stack([p[:, k] for p in parts]))[:, 1]
                                for k, meta in enumerate(self.meta_)])

    def predict(self, probabilities: np.ndarray) -> np.ndarray:
        """Binary (texts x codes): the most likely code, or each code over its threshold."""
        if self.multilabel:
            return (probabilities >= self.thresholds_).astype(int)
        chosen = np.zeros(probabilities.shape, dtype=int)
        chosen[np.arange(len(probabilities)), probabilities.argmax(axis=1)] = 1
        return chosen

    # -- internals -------------------------------------------------------------------------

    def _features(self, texts: list[str], embeddings: np.ndarray) -> dict:
        features = {"emb": np.asarray(embeddings, dtype=np.float64)}
        if hasattr(self, "vectorizer_"):
            tfidf = self.vectorizer_.transform(texts).tocsr()
            features["tfidf"] = tfidf
            features["joint"] = sparse.hstack([tfidf, sparse.csr_matrix(embeddings)]).tocsr()
        return features

    def _folds(self, Y: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        if self.multilabel:  # no more folds than examples
            return list(KFold(min(self.inner_folds, len(Y)), shuffle=True,
                              random_state=self.random_state).split(Y))
        labels = Y.argmax(axis=1)
        counts = np.bincount(labels)
        # stratified folds need every code at least once per fold: fewer folds for rare codes
        n_splits = int(max(2, min(self.inner_folds, counts[counts > 0].min())))
        splitter = StratifiedKFold(n_splits, shuffle=True, random_state=self.random_state)
        return list(splitter.split(labels, labels))

    def _fit_base(self, name: str, C: float, X, Y: np.ndarray) -> list:
        """Fitted models, one per code where the base is one-vs-rest (None: code constant)."""
        if name == "emb" and self.multilabel:
            # ridge: alpha = 1/C so a larger C means less regularisation, as for the others
            return [Ridge(alpha=1.0 / C).fit(X, 2 * Y - 1)]
        if name == "emb":
            return [LogisticRegression(C=C, tol=1e-3, max_iter=3000).fit(X, Y.argmax(axis=1))]
        if not self.multilabel:  # LinearSVC does one-vs-rest itself
            return [LinearSVC(C=C, class_weight="balanced", random_state=self.random_state)
                    .fit(X, Y.argmax(axis=1))]
        return [None if Y[:, k].min() == Y[:, k].max() else
                LinearSVC(C=C, class_weight="balanced", random_state=self.random_state)
                .fit(X, Y[:, k]) for k in range(Y.shape[1])]

    def _decide(self, models: list, X) -> np.ndarray:
        if len(models) == 1 and not isinstance(models[0], Ridge) and not self.multilabel:
            model = models[0]
            scores = np.full((X.shape[0], self.n_codes_), _ABSENT)
            decision = model.decision_function(X)
            if decision.ndim == 1:  # two codes only: sklearn gives one column for classes_[1]
                decision = np.column_stack([-decision, decision])
            scores[:, model.classes_] = decision
            return scores
        if len(models) == 1 and isinstance(models[0], Ridge):
            return np.asarray(models[0].predict(X)).reshape(X.shape[0], -1)
        return np.column_stack([m.decision_function(X) if m is not None
                                else np.full(X.shape[0], _ABSENT) for m in models])

    def _quality(self, scores: np.ndarray, Y: np.ndarray) -> float:
        if self.multilabel:
            return f1_score(Y, (scores > 0).astype(int), average="macro", zero_division=0)
        return f1_score(Y.argmax(axis=1), scores.argmax(axis=1), average="macro")

    def _fit_meta(self, parts: list[np.ndarray], Y: np.ndarray) -> None:
        if not self.multilabel:
            X, y = np.hstack(parts), Y.argmax(axis=1)
            self.meta_power_ = self._best_meta_power(X, y, self._folds(Y))
            self.meta_ = _weighted_meta(y, self.meta_power_).fit(X, y)
            return
        self.meta_, thresholds = [], []
        for k in range(Y.shape[1]):
            X = np.column_stack([p[:, k] for p in parts])
            meta = (_Constant(Y[:, k].mean()) if Y[:, k].min() == Y[:, k].max()
                    else LogisticRegression(C=1.0, class_weight="balanced").fit(X, Y[:, k]))
            self.meta_.append(meta)
            thresholds.append(_best_threshold(meta.predict_proba(X)[:, 1], Y[:, k]))
        self.thresholds_ = np.array(thresholds)

    @staticmethod
    def _best_meta_power(X: np.ndarray, y: np.ndarray,
                         folds: list[tuple[np.ndarray, np.ndarray]]) -> float:
        """The class-weight power whose meta-model scores the best K-fold macro-F1 on ``X``.

        ``X`` holds out-of-fold base scores already, so this second K-fold only judges the
        meta-model: it never sees the scores of the rows it predicts.
        """
        best, best_f1 = 0.0, -1.0
        for power in META_WEIGHT_POWERS:
            predicted = np.empty_like(y)
            for train, test in folds:
                predicted[test] = _weighted_meta(y[train], power).fit(X[train], y[train]) \
                    .predict(X[test])
            quality = f1_score(y, predicted, average="macro")
            if quality > best_f1:  # strict: ties keep the smaller power, the plainer model
                best, best_f1 = power, quality
        return best


def _weighted_meta(y: np.ndarray, power: float) -> LogisticRegression:
    """An unfitted meta-model weighting each code by (largest count / its count) ** power."""
    codes, counts = np.unique(y, return_counts=True)
    weights = (counts.max() / counts) ** power
    return LogisticRegression(C=1.0, max_iter=5000,
                              class_weight=dict(zip(codes.tolist(), weights.tolist())))


class _Constant:
    """Stands in for a meta-model when a code never (or always) occurs in training."""

    def __init__(self, rate: float) -> None:
        self.rate = rate

    def predict_proba(self, X) -> np.ndarray:
        return np.tile([1 - self.rate, self.rate], (X.shape[0], 1))


def _best_threshold(probabilities: np.ndarray, y: np.ndarray) -> float:
    """The probability cut maximising F1 for one code (never predicted if it has no positives)."""
    if y.max() == 0:
        return 1.01
    best, best_f1 = 0.5, -1.0
    for cut in np.unique(np.round(probabilities, 3)):
        predicted = probabilities >= cut
        tp = np.sum(predicted & (y == 1))
        f1 = 2 * tp / (predicted.sum() + y.sum())
        if f1 > best_f1:
            best, best_f1 = float(cut), f1
    return best
