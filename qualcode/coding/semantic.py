"""Semantic coding: a segment gets a code when it reads like the code's examples.

Each code is represented by prototypes: its definition (with its "include" guidance) and its
examples, and, on the other side, its counterexamples. A segment is split into sentences
(plus the whole segment, when it has several) and each is compared with every prototype by
cosine similarity. For one piece of text and one code:

    pos   = max similarity to the definition or an example
    neg   = max similarity to a counterexample (none: no penalty)
    other = the highest ``pos`` among the other codes
    score = pos - max(0, neg - pos) - competition * max(0, other - pos)

so text nearer a counterexample than to anything positive is pushed down by the gap, and so
is text that reads clearly more like another code. All codes of a codebook share a domain, so
raw similarity is high everywhere; the competition term raised the leave-one-out F1 (below)
of the supervision codebook with MiniLM from 0.50 to 0.55, averaged over its four codes.
Text close to two codes loses little, so it can still take both. The segment's score is the
maximum over its sentences: one clearly isolating sentence in a long turn is enough, as it
would be for a human coder.

Thresholds are calibrated per code from the codebook itself, by leave-one-out: each example
of the code (scored against the code with itself removed) is a positive; the code's
counterexamples, the other codes' examples and a fixed set of off-topic sentences
(``BACKGROUND``) are negatives. The threshold is the one that maximises F1 on that set
(midway between the two scores where it splits), kept within ``[min_threshold, 0.95]``
because a handful of examples can suggest an absurdly low cut. A code without examples uses
``default_threshold``. Codes are multi-label and a segment may get none.

Confidence is 0.5 at the threshold, rising by 2.5 per unit of score above it (0.2 above the
threshold gives 1.0), capped at 0.99. Evidence names the nearest example (or the definition).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from qualcode.embed import Embedder, get_embedder
from qualcode.model import Codebook, Coding, Segment

SEMANTIC = "semantic"
_DEFINITION, _EXAMPLE, _COUNTER = 0, 1, 2
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_EVIDENCE_CHARS = 80

# Off-topic talk that no code of a health and care codebook should take. Calibration counts
# them as negatives of every code: a codebook's own texts are all on one topic, so without
# them the threshold only separates codes from each other and sits below the similarity that
# any in-domain small talk reaches (measured with MiniLM: "The car park is always full on
# Mondays." scored 0.34 for burnout against a threshold of 0.32).
BACKGROUND = (
    "The car park is always full on Mondays.",
    "We moved offices in the spring.",
    "I usually have lunch at about half twelve.",
    "The IT system was updated last month.",
    "I started in this post about two years ago.",
    "The meeting is on the second Tuesday of every month.",
    "I drive between the two surgeries.",
    "We use Teams for most things now.",
    "The building has a small kitchen on the first floor.",
    "I work four days a week.",
    "It was a sunny day so we went for a walk.",
    "The form has three sections and a signature box.",
    "Our team covers the north of the city.",
    "I did my training at the local college.",
    "The printer on our floor is often out of paper.",
    "Can you hear me all right?",
    "Yes, that's right.",
    "I think that's everything, thank you.",
)


@dataclass(frozen=True)
class Calibration:
    """How one code's threshold was chosen: leave-one-out F1 over the codebook's own texts."""

    code_id: str
    threshold: float
    f1: float | None  # None when the code had no positives or no negatives to calibrate on
    positives: int
    negatives: int


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` split at . ! ? and line breaks; fragments without letters dropped."""
    return [part.strip() for part in _SENTENCE_END.split(text) if re.search(r"[^\W\d_]", part)]


class SemanticCoder:
    """Codes segments by embedding similarity to each code's definition and examples.

    >>> coder = SemanticCoder(codebook, "minilm").fit()  # doctest: +SKIP
    >>> coder.predict_codings(segments)[0].evidence  # doctest: +SKIP
    "nearest example: 'Nobody to talk to after a bad shift.' (score 0.71)"
    """

    method = SEMANTIC

    def __init__(self, codebook: Codebook, embedder: Embedder | str = "minilm",
                 min_threshold: float = 0.25, default_threshold: float = 0.5,
                 competition: float = 1.0, background: bool = True,
                 coder: str = "qualcode") -> None:
        self.codebook = codebook
        self.embedder = embedder
        self.competition = competition
        self.background = background
        self.min_threshold = min_threshold
        self.default_threshold = default_threshold
        self.coder = coder

    def fit(self, segments: Sequence[Segment] | None = None, y: object = None) -> "SemanticCoder":
        """Embed the codebook's prototypes and calibrate one threshold per code."""
        self.embedder_ = get_embedder(self.embedder) if isinstance(self.embedder, str) \
            else self.embedder
        texts, owners, kinds = [], [], []
        for index, code in enumerate(self.codebook.codes):
            definition = " ".join(part for part in (code.definition, code.include) if part)
            for kind, items in ((_DEFINITION, [definition] if definition else []),
                                (_EXAMPLE, code.examples), (_COUNTER, code.counterexamples)):
                for text in items:
                    texts.append(text)
                    owners.append(index)
                    kinds.append(kind)
        self.prototype_texts_ = tuple(texts)
        self.owners_ = np.array(owners, dtype=int)
        self.kinds_ = np.array(kinds, dtype=int)
        self.prototypes_ = self.embedder_.encode(texts)
        self.background_ = self.embedder_.encode(list(BACKGROUND)) if self.background else \
            np.zeros((0, self.prototypes_.shape[1]), dtype=np.float32)
        self.calibration_ = tuple(self._calibrate(k) for k in range(len(self.codebook.codes)))
        self.thresholds_ = {c.code_id: c.threshold for c in self.calibration_}
        return self

    def score(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Scores (texts x codes) and, per cell, the index of the nearest positive prototype."""
        if not hasattr(self, "prototypes_"):
            self.fit()
        pieces, owner = [], []
        for row, text in enumerate(texts):
            sentences = split_sentences(text) or [text]
            if len(sentences) > 1:
                sentences.append(text)
            pieces.extend(sentences)
            owner.extend([row] * len(sentences))
        n_codes = len(self.codebook.codes)
        if not pieces:
            return np.zeros((0, n_codes)), np.zeros((0, n_codes), dtype=int)
        similarity = self.embedder_.encode(pieces) @ self.prototypes_.T
        piece_scores, piece_nearest = self._scores(similarity)
        owner = np.array(owner)
        scores = np.full((len(texts), n_codes), -np.inf)
        nearest = np.zeros((len(texts), n_codes), dtype=int)
        for piece in range(len(pieces)):  # max over a segment's sentences
            row = owner[piece]
            better = piece_scores[piece] > scores[row]
            scores[row, better] = piece_scores[piece, better]
            nearest[row, better] = piece_nearest[piece, better]
        return scores, nearest

    def predict_codings(self, segments: Sequence[Segment]) -> list[Coding]:
        """Every (segment, code) whose score reaches the code's threshold."""
        scores, nearest = self.score([s.text for s in segments])
        codings = []
        for row, segment in enumerate(segments):
            for k, code in enumerate(self.codebook.codes):
                threshold = self.thresholds_[code.id]
                if scores[row, k] < threshold:
                    continue
                confidence = min(0.99, 0.5 + 2.5 * (scores[row, k] - threshold))
                codings.append(Coding(segment.id, code.id, SEMANTIC, round(float(confidence), 4),
                                      self._evidence(nearest[row, k], scores[row, k]), self.coder))
        return codings

    def _scores(self, similarity: np.ndarray, exclude: int | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
        """Per text and code: score and nearest positive prototype (``exclude`` left out)."""
        similarity = similarity.copy()
        if exclude is not None:
            similarity[:, exclude] = -np.inf
        n_codes = len(self.codebook.codes)
        positive_sim = np.full((similarity.shape[0], n_codes), -np.inf)
        counter_sim = np.full((similarity.shape[0], n_codes), -np.inf)
        nearest = np.zeros((similarity.shape[0], n_codes), dtype=int)
        rows = np.arange(len(similarity))
        for k in range(n_codes):
            positive = np.flatnonzero((self.owners_ == k) & (self.kinds_ != _COUNTER))
            counter = np.flatnonzero((self.owners_ == k) & (self.kinds_ == _COUNTER))
            if positive.size:
                best = similarity[:, positive].argmax(axis=1)
                nearest[:, k] = positive[best]
                positive_sim[:, k] = similarity[rows, positive[best]]
            if counter.size:
                counter_sim[:, k] = similarity[:, counter].max(axis=1)
        scores = positive_sim - np.maximum(0.0, counter_sim - positive_sim)
        if n_codes > 1 and self.competition:
            # the closest other code: the text reads more like that code than like this one
            ranked = np.sort(positive_sim, axis=1)
            top, runner_up = ranked[:, -1:], ranked[:, -2:-1]
            other = np.where(positive_sim >= top, runner_up, top)
            gap = np.nan_to_num(np.maximum(0.0, other - positive_sim), posinf=0.0, nan=0.0)
            scores = scores - self.competition * gap
        return scores, nearest

    def _calibrate(self, k: int) -> Calibration:
        code = self.codebook.codes[k]
        gram = self.prototypes_ @ self.prototypes_.T
        own_examples = np.flatnonzero((self.owners_ == k) & (self.kinds_ == _EXAMPLE))
        negatives = np.flatnonzero(((self.owners_ == k) & (self.kinds_ == _COUNTER))
                                   | ((self.owners_ != k) & (self.kinds_ == _EXAMPLE)))
        if own_examples.size == 0 or negatives.size + len(self.background_) == 0:
            return Calibration(code.id, self.default_threshold, None, own_examples.size,
                               negatives.size)
        items = np.concatenate([own_examples, negatives])
        scores = [self._scores(gram[[j]], exclude=j)[0][0, k] for j in items]
        if len(self.background_):
            scores.extend(self._scores(self.background_ @ self.prototypes_.T)[0][:, k])
        scores = np.array(scores)
        truth = np.zeros(len(scores), bool)
        truth[:own_examples.size] = True
        threshold, f1 = best_f1_threshold(scores, truth)
        threshold = float(np.clip(threshold, self.min_threshold, 0.95))
        return Calibration(code.id, round(threshold, 4), round(f1, 4), own_examples.size,
                           len(scores) - own_examples.size)

    def _evidence(self, prototype: int, score: float) -> str:
        text = self.prototype_texts_[prototype]
        if self.kinds_[prototype] == _DEFINITION:
            return f"nearest: the code's definition (score {score:.2f})"
        if len(text) > _EVIDENCE_CHARS:
            text = text[:_EVIDENCE_CHARS - 1].rstrip() + "…"
        return f"nearest example: {text!r} (score {score:.2f})"


def best_f1_threshold(scores: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """The cut maximising F1 of ``scores >= cut`` against ``truth``, and that F1.

    Candidate cuts lie midway between consecutive distinct scores; among equal F1 the higher
    cut wins (fewer false positives for the same F1). -inf scores (no prototype) never pass.
    """
    finite = np.where(np.isfinite(scores), scores, -1.0)
    values = np.unique(finite)
    cuts = np.r_[values[0] - 1e-3, (values[:-1] + values[1:]) / 2, values[-1] + 1e-3]
    best_cut, best_f1 = float(cuts[-1]), 0.0
    for cut in cuts:
        predicted = finite >= cut
        tp = np.sum(predicted & truth)
        f1 = 2 * tp / (predicted.sum() + truth.sum()) if tp else 0.0
        if f1 >= best_f1:
            best_cut, best_f1 = float(cut), float(f1)
    return best_cut, best_f1
