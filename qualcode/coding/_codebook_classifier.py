"""A second opinion for the semantic coder: one linear classifier per code, trained on the codebook.

The semantic margin (:mod:`qualcode.coding.semantic`) asks whether a text is nearer a code's
few best examples than anything else: a nearest-neighbour judgement. A logistic regression
over the same embeddings weighs every example and every near miss at once and finds the
directions that tell them apart. Neither is reliable alone on text the codebook's author did
not foresee; added together they are (``bench/RESULTS.md``, zero-shot: every benchmark file
gained, blind invented quotes 0.575 -> 0.644 macro-F1, real quotes 0.533 -> 0.589).

Training data is the codebook and nothing else. For code *k*:

- positives: *k*'s examples and the sentences of its ``include`` guidance;
- negatives: *k*'s counterexamples and ``exclude`` sentences, every other code's examples and
  counterexamples, and the ordinary in-domain background sentences.

The decision threshold of each code, and the spread of its logits, come from repeated
stratified cross-validation over those same texts (out-of-fold probabilities, threshold with
the best F1), so a codebook with other codes gets its own. The regularisation ``C`` (10) was
chosen the same way, by cross-validation over ``codebooks/supervision.yaml`` alone; no
benchmark text set any number here.

A code with fewer than :data:`MIN_TEXTS` positive texts (examples and include sentences)
or negatives gets no classifier: the semantic coder then decides on its margin alone. A
linear model over 384 dimensions learns little from a handful of examples: on the Plymouth
pathway codebook (4 to 6 examples a code) the classifiers' out-of-fold F1 was 0.19-0.59,
and with the same weight as the margin they would have decided its codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

C = 10.0  # by 20x repeated 10-fold CV over the shipped codebook's texts (grid 0.3-100)
MIN_TEXTS = 10  # per side, to fit and cross-validate a code's classifier
_FOLDS = 10
_REPEATS = 10  # repeated CV steadies the threshold of a code with ~30 positives
_THRESHOLDS = np.round(np.arange(0.05, 0.96, 0.01), 2)


@dataclass(frozen=True, eq=False)  # holds arrays: compare fields, not objects
class CodeClassifier:
    """One code's fitted model, its threshold and the spread of its out-of-fold logits."""

    weights: np.ndarray
    bias: float
    threshold: float  # probability with the best out-of-fold F1
    spread: float  # standard deviation of out-of-fold logits: one unit of evidence
    f1: float  # out-of-fold F1 at the threshold, over the codebook's own texts

    def standardised(self, vectors: np.ndarray) -> np.ndarray:
        """Logit above the threshold's logit, in units of ``spread``: >= 0 means the code."""
        logits = vectors @ self.weights + self.bias
        return (logits - _logit(self.threshold)) / self.spread


def fit_code_classifier(vectors: np.ndarray, positive: np.ndarray,
                        seed: int = 0) -> CodeClassifier | None:
    """A classifier telling ``positive`` rows of ``vectors`` from the rest; None if too few."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    positive = np.asarray(positive, dtype=bool)
    if min(positive.sum(), (~positive).sum()) < MIN_TEXTS:
        return None
    y = positive.astype(int)
    folds = min(_FOLDS, int(positive.sum()), int((~positive).sum()))

    def model():
        return LogisticRegression(C=C, class_weight="balanced", max_iter=2000)

    probabilities = []
    for repeat in range(_REPEATS):
        out_of_fold = np.zeros(len(y))
        for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed + repeat).split(vectors, y):
            out_of_fold[test] = model().fit(vectors[train], y[train]).predict_proba(vectors[test])[:, 1]
        probabilities.append(out_of_fold)
    pooled, truth = np.concatenate(probabilities), np.tile(positive, _REPEATS)
    f1, threshold = max((_f1(pooled >= t, truth), t) for t in _THRESHOLDS)
    spread = float(np.std(_logit(pooled))) or 1.0
    fitted = model().fit(vectors, y)
    return CodeClassifier(weights=fitted.coef_[0].astype(np.float64), bias=float(fitted.intercept_[0]),
                          threshold=float(threshold), spread=spread, f1=round(float(f1), 4))


def training_sets(n_codes: int, owners: Sequence[int], roles: Sequence[str],
                  texts: Sequence[str]) -> list[np.ndarray]:
    """Per code, which texts are its positives and negatives.

    ``owners`` gives each text's code index (-1 for background); ``roles`` its kind: "example",
    "include", "counterexample", "exclude" or "background". Returns, per code, an array with
    1 (positive), 0 (negative) or -1 (not used: another code's include/exclude guidance, or a
    text that is also one of this code's positives, such as an example filed under two codes).
    """
    owners, roles = np.asarray(owners), np.asarray(roles)
    sets = []
    for k in range(n_codes):
        own, others = owners == k, (owners != k) & (owners >= 0)
        label = np.full(len(owners), -1)
        label[own & np.isin(roles, ("counterexample", "exclude"))] = 0
        label[others & np.isin(roles, ("example", "counterexample"))] = 0
        label[roles == "background"] = 0
        positive = own & np.isin(roles, ("example", "include"))
        label[np.isin(np.asarray(texts, dtype=object), np.asarray(texts, dtype=object)[positive])] = -1
        label[positive] = 1
        sets.append(label)
    return sets


def _f1(predicted: np.ndarray, truth: np.ndarray) -> float:
    hits = int(np.sum(predicted & truth))
    return 2 * hits / (int(predicted.sum()) + int(truth.sum())) if hits else 0.0


def _logit(p: np.ndarray | float) -> np.ndarray | float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))
