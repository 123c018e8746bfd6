"""Semantic coding: a segment gets a code when it reads more like the code than like anything else.

Each code is represented by its examples (and its definition with its "include" guidance);
on the other side stands one shared "none" reference: every code's counterexamples plus a
fixed set of ordinary in-domain sentences (``BACKGROUND``). A segment is split into sentences
(plus the whole segment, when it has several) and each piece is compared with every prototype
by cosine similarity. For one piece and one code:

    pos   = mean of the top 3 similarities to the code's examples and definition
    none  = mean of the top 3 similarities to the none reference
    other = the highest ``pos`` among the other codes
    score = pos - max(none, other - tie)

so a code applies (``score >= margin``, default 0) only when the piece is nearer to that
code than to uncodable talk, to near misses, and to every other code (or within ``tie`` of
the best other code; 0 by default, see below). Why this shape:

- A single nearest example rewards one lucky match; the mean of the top 3 asks for support
  from several examples.
- Raw similarity thresholds do not transfer: all texts of one domain are similar to each
  other, and thresholds calibrated by leave-one-out over a codebook's examples sat at about
  0.28, which ordinary talk about referrals reaches. A margin over a reference is relative,
  so it needs no calibration, and its zero has a plain meaning.
- Competition with the other codes keeps "the practice treats me like admin" from taking
  every code it brushes against; a text truly about two codes is near both, loses little,
  and a keyword cue (below) can still carry the second.
- ``tie`` (0 by default) lets a near tie give both codes instead of whichever happens to be
  ahead, since a difference of 0.01 in mean similarity is hardly evidence for one over the
  other. At 0.01 it raised macro-F1 on the blind benchmark file from 0.575 to 0.625
  (boundaries and validation gain their second codes) but lowered the held-out file from
  0.685 to 0.663 and left the real quotes unchanged, so it is not the default
  (``bench/RESULTS.md``); beside the codebook classifier (below) it still lowers held-out
  (0.689 -> 0.684).

The segment's score is the best of its pieces: one clearly isolating sentence in a long turn
is enough, as it would be for a human coder, and precision comes from the margin, not from
averaging the sentence away.

Keyword cues (from :class:`~qualcode.coding.rules.RuleCoder`) may be passed to
:meth:`SemanticCoder.predict_codings`: a cued pair is also kept when the text is not nearer
to the none reference than to the code by more than ``cue_slack`` (0.05), whatever the other
codes score. So "I felt really isolated in that job" keeps its cue, and "she felt so
isolated in her flat" (nearer the counterexamples about clients) loses it.

With ``worker_check`` on (the default for a codebook with ``subject: speaker``, whose codes
describe the speaker's own experience, as the shipped supervision codebook's do; off for
``subject: any``, such as the Plymouth pathway codebook, whose codes are about patients), a
segment that names someone else (a client, a
patient, "she") and has no word for the worker (no first person, no generic "you", no
"role", "team", "link workers"...) gets no code on similarity alone: "the patient wrote to
thank her consultant" reads like validation to an embedding that does not see who the
sentence is about. It costs a quote whose subject is elided ("covering the evening calls
solo, if a client collapses there's no second pair of hands"). With the margin alone it
traded blind 0.575 -> 0.574 for held-out 0.685 -> 0.696 and was off; beside the codebook
classifier it lowers no benchmark file (held-out 0.689 -> 0.702, real quotes 0.589 -> 0.632,
blind 0.644 -> 0.647), so such codebooks have it (``bench/RESULTS.md``). Keyword cues are
checked for clients where they are found (:mod:`qualcode.coding.rules`).

A second opinion decides with the margin (``classifier=True``, the default): per code, a
logistic regression trained on the codebook alone (its examples and include sentences against
near misses, the other codes' examples and the background; :mod:`._codebook_classifier`).
The code applies when ``(score - margin) / spread + opinion >= 0``, where ``spread`` is the
standard deviation of the margin over the codebook's own texts (leave-one-out) and
``opinion`` is the classifier's logit above its cross-validated threshold in units of its
own spread, each taken at the text's best piece: the two weigh the same, and either can carry
a code the other doubts only by being surer. Nearest examples judge by a few look-alikes; the
classifier weighs every example and near miss at once. Together they scored higher than
the margin alone on every zero-shot benchmark file (blind invented quotes 0.575 -> 0.644
macro-F1, real quotes from the seed reports 0.533 -> 0.589; ``bench/RESULTS.md``). A code
with fewer than ten positive texts (examples and include sentences) gets no classifier and is
decided by its margin alone.

A codebook's ``setting_terms`` (its words for roles, workplaces and colleagues, which every
code's examples share) are read as their generic words in the codebook's texts and in the
segments before anything is embedded (:mod:`._setting_terms`): without that, "the only care
coordinator in the network" sits nearest a boundaries example about care coordinators. For
``supervision.yaml`` it raised zero-shot macro-F1 on every benchmark file (blind 0.647 ->
0.687, held-out 0.702 -> 0.718, real quotes 0.632 -> 0.667; ``bench/RESULTS.md``).

Confidence is the logistic of that sum: 0.5 at the decision boundary, capped at 0.01 and
0.99, and below 0.5 for cued pairs under it. Evidence names the nearest example (or the
definition), the margin score, and the sum when a classifier took part.

``calibration_`` reports, per code, how well the codebook's own texts separate at the margin
by leave-one-out (each example, counterexample and background sentence scored with itself
left out): a low F1 tells the codebook's author that a code needs more, or more varied,
examples. It does not set thresholds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Collection, Sequence, Sized

import numpy as np

from qualcode.coding._background import BACKGROUND
from qualcode.coding._codebook_classifier import CodeClassifier, fit_code_classifier, training_sets
from qualcode.coding._setting_terms import SettingTerms
from qualcode.coding.rules import FIRST_PERSON, OTHER_PEOPLE
from qualcode.embed import Embedder, get_embedder
from qualcode.model import Codebook, Coding, Segment

__all__ = ["BACKGROUND", "Calibration", "SEMANTIC", "SemanticCoder", "split_sentences"]

SEMANTIC = "semantic"
_DEFINITION, _EXAMPLE, _COUNTER, _BACKGROUND = 0, 1, 2, 3
_NONE = -1  # owner of the none reference (counterexamples and background)
# A full stop after a common abbreviation ("e.g. more tasks") does not end a sentence.
_SENTENCE_END = re.compile(r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)(?<!\bDr\.)"
                           r"(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<=[.!?])\s+|\n+")
_EVIDENCE_CHARS = 80
_WORDS = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")
# Words that put the worker in a segment besides the first person: generic "you", the role,
# the workforce ("link workers are working in isolation").
_WORKER = FIRST_PERSON | frozenset({
    "i'm", "i've", "i'd", "i'll", "im", "ive", "we're", "we've", "you", "your", "you're",
    "youre", "you've", "yourself", "role", "roles", "job", "jobs", "worker", "workers",
    "coordinator", "coordinators", "coord", "coords", "coach", "coaches", "counsellor",
    "counsellors", "staff", "colleague", "colleagues", "team", "peer", "peers", "supervisor",
    "supervision", "manager", "workload", "caseload"})


@dataclass(frozen=True)
class Calibration:
    """How well one code's examples separate from the rest at the margin (leave-one-out)."""

    code_id: str
    threshold: float  # the margin a segment's score must reach
    f1: float | None  # None when the code had no examples or nothing to tell them from
    positives: int
    negatives: int
    classifier_f1: float | None = None  # its classifier's, out of fold; None: no classifier


def about_someone_else(text: str) -> bool:
    """Whether ``text`` names a client or other person and has no word for the worker."""
    words = {word.lower().replace("\u2019", "'") for word in _WORDS.findall(text)}
    return bool(words & OTHER_PEOPLE) and not words & _WORKER


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` split at . ! ? and line breaks; fragments without letters dropped."""
    return [part.strip() for part in _SENTENCE_END.split(text) if re.search(r"[^\W\d_]", part)]


class SemanticCoder:
    """Codes segments by embedding similarity to each code's examples, against a none reference.

    >>> coder = SemanticCoder(codebook, "minilm").fit()  # doctest: +SKIP
    >>> coder.predict_codings(segments)[0].evidence  # doctest: +SKIP
    "nearest example: 'Nobody to talk to after a bad shift.' (score +0.06)"
    """

    method = SEMANTIC

    def __init__(self, codebook: Codebook, embedder: Embedder | str = "minilm",
                 margin: float = 0.0, top_k: int = 3, competition: bool = True,
                 background: bool = True, cue_slack: float = 0.05, tie: float = 0.0,
                 worker_check: bool | None = None, classifier: bool = True,
                 coder: str = "qualcode") -> None:
        self.codebook = codebook
        self.embedder = embedder
        self.margin = margin
        self.top_k = top_k
        self.competition = competition
        self.background = background
        self.cue_slack = cue_slack
        self.tie = tie
        # None: as the codebook says (on when its codes describe the speaker's own experience)
        self.worker_check = codebook.subject == "speaker" if worker_check is None else worker_check
        self.classifier = classifier
        self.coder = coder

    def fit(self, segments: Sequence[Segment] | None = None, y: object = None) -> "SemanticCoder":
        """Embed the codebook's prototypes and the none reference; report the calibration."""
        self.embedder_ = get_embedder(self.embedder) if isinstance(self.embedder, str) \
            else self.embedder
        texts, owners, kinds, sources = [], [], [], []
        for index, code in enumerate(self.codebook.codes):
            definition = " ".join(part for part in (code.definition, code.include) if part)
            for kind, owner, items in ((_DEFINITION, index, [definition] if definition else []),
                                       (_EXAMPLE, index, code.examples),
                                       (_COUNTER, _NONE, code.counterexamples)):
                for text in items:
                    texts.append(text)
                    owners.append(owner)
                    kinds.append(kind)
                    sources.append(index)
        for text in BACKGROUND if self.background else ():
            texts.append(text)
            owners.append(_NONE)
            kinds.append(_BACKGROUND)
            sources.append(_NONE)
        self.prototype_texts_ = tuple(texts)
        self.owners_ = np.array(owners, dtype=int)  # whose side a prototype is on
        self.kinds_ = np.array(kinds, dtype=int)
        self.sources_ = np.array(sources, dtype=int)  # the code it was written for (-1: background)
        self.setting_ = SettingTerms(self.codebook.setting_terms)
        self.prototypes_ = self._encode(texts)
        self.thresholds_ = {code.id: self.margin for code in self.codebook.codes}  # of the margin term
        loo_scores = self._leave_one_out_scores()
        self.spreads_ = _spreads(loo_scores[self.kinds_ != _DEFINITION])
        self.classifiers_ = self._fit_classifiers() if self.classifier \
            else (None,) * len(self.codebook.codes)
        self.calibration_ = self._calibrate(loo_scores)
        return self

    def _fit_classifiers(self) -> tuple[CodeClassifier | None, ...]:
        """One classifier per code over the codebook's texts (:mod:`._codebook_classifier`)."""
        role = {_EXAMPLE: "example", _COUNTER: "counterexample", _BACKGROUND: "background"}
        used = np.isin(self.kinds_, list(role))  # the definition prototypes are not training texts
        sources = self.sources_[used].tolist()
        roles = [role[kind] for kind in self.kinds_[used]]
        guidance = [(index, field, sentence) for index, code in enumerate(self.codebook.codes)
                    for field in ("include", "exclude")
                    for sentence in split_sentences(getattr(code, field) or "")]
        texts = [text for text, keep in zip(self.prototype_texts_, used) if keep]
        vectors = self.prototypes_[used]
        for index, field, sentence in guidance:
            sources.append(index)
            roles.append(field)
            texts.append(sentence)
        if guidance:
            vectors = np.vstack([vectors, self._encode(texts[len(vectors):])])
        labels = training_sets(len(self.codebook.codes), sources, roles, texts)
        return tuple(fit_code_classifier(vectors[label >= 0], label[label >= 0] == 1) for label in labels)

    def score(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Evidence (texts x codes; >= 0 gives the code) and the nearest positive prototype."""
        _, _, nearest, evidence = self._segment_scores(texts)
        return evidence, nearest

    def predict_codings(self, segments: Sequence[Segment], cues: Collection[tuple[str, str]] = (),
                        vectors: np.ndarray | None = None) -> list[Coding]:
        """Every (segment, code) whose evidence (margin and classifier) is >= 0, and every cued
        pair not refuted.

        ``cues`` holds (segment id, code id) pairs another coder found, such as keyword
        matches; such a pair is kept unless the segment reads more like the none reference
        (counterexamples, ordinary talk) than like the code, by more than ``cue_slack``.
        ``vectors`` (one row per segment, by this coder's embedder) save embedding each
        segment's whole text again.
        """
        if not hasattr(self, "prototypes_"):
            self.fit()
        cues = set(cues)
        scores, versus_none, nearest, evidence = self._segment_scores([s.text for s in segments], vectors)
        codings = []
        for row, segment in enumerate(segments):
            for k, code in enumerate(self.codebook.codes):
                cued = (segment.id, code.id) in cues and versus_none[row, k] >= -self.cue_slack
                if evidence[row, k] < 0 and not cued:
                    continue
                if self.worker_check and not cued and about_someone_else(segment.text):
                    continue
                confidence = float(np.clip(1 / (1 + np.exp(-evidence[row, k])), 0.01, 0.99))
                codings.append(Coding(segment.id, code.id, SEMANTIC, round(confidence, 4),
                                      self._evidence(nearest[row, k], scores[row, k], k, evidence[row, k]),
                                      self.coder))
        return codings

    def _segment_scores(self, texts: Sequence[str], whole: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
        """Per text and code: margin score, margin over the none reference alone, nearest
        prototype, and the evidence the code is decided on.

        Each is taken from the text's best piece (a sentence, or the whole text) for that code.
        The evidence is the margin above ``margin`` in units of its spread over the codebook's
        texts, plus the code's classifier's logit above its threshold in units of its spread
        (:mod:`._codebook_classifier`): the two opinions weigh the same, and >= 0 gives the code.
        """
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
        scores = np.full((len(texts), n_codes), -np.inf)
        versus_none = np.full((len(texts), n_codes), -np.inf)
        nearest = np.zeros((len(texts), n_codes), dtype=int)
        opinion = np.full((len(texts), n_codes), -np.inf)  # the classifiers' (0: no classifier)
        if not pieces:
            return scores, versus_none, nearest, scores.copy()
        vectors = self._embed(pieces, owner, texts, whole)
        piece_scores, piece_versus_none, piece_nearest = self._scores(vectors @ self.prototypes_.T)
        piece_opinion = np.zeros((len(pieces), n_codes))
        for k, classifier in enumerate(self.classifiers_):
            if classifier:
                piece_opinion[:, k] = classifier.standardised(vectors)
        for piece, row in enumerate(owner):  # the best piece of a segment, per code
            better = piece_scores[piece] > scores[row]
            scores[row, better] = piece_scores[piece, better]
            nearest[row, better] = piece_nearest[piece, better]
        np.maximum.at(versus_none, owner, piece_versus_none)
        np.maximum.at(opinion, owner, piece_opinion)
        with np.errstate(invalid="ignore"):
            evidence = np.nan_to_num((scores - self.margin) / self.spreads_ + opinion,
                                     nan=-np.inf, posinf=np.inf, neginf=-np.inf)
        return scores, versus_none, nearest, evidence

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of ``texts`` read with the codebook's setting terms as generic words."""
        return self.embedder_.encode([self.setting_.apply(text) for text in texts])

    def _embed(self, pieces: list[str], owner: list[int], texts: Sequence[str],
               whole: np.ndarray | None) -> np.ndarray:
        """The pieces' embeddings, taking a text's own (``whole``) where the piece is the text
        and no setting term changes it."""
        if whole is None:
            return self._encode(pieces)
        check_vector_rows(whole, texts)
        whole = np.asarray(whole)
        read = [self.setting_.apply(piece) for piece in pieces]
        known = np.array([piece == texts[row] and as_read == piece
                          for piece, row, as_read in zip(pieces, owner, read)], dtype=bool)
        vectors = np.empty((len(pieces), whole.shape[1]), dtype=whole.dtype)
        vectors[known] = whole[np.asarray(owner)[known]]
        if not known.all():
            vectors[~known] = self.embedder_.encode([r for r, done in zip(read, known) if not done])
        return vectors

    def _scores(self, similarity: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per row of ``similarity`` (pieces x prototypes; -inf marks a left-out prototype)
        and code: score, ``pos - none``, and the nearest positive prototype."""
        n_codes = len(self.codebook.codes)
        positive = np.full((len(similarity), n_codes), -np.inf)
        nearest = np.zeros((len(similarity), n_codes), dtype=int)
        for k in range(n_codes):
            columns = np.flatnonzero(self.owners_ == k)
            if columns.size:
                positive[:, k] = _top_mean(similarity[:, columns], self.top_k)
                nearest[:, k] = columns[similarity[:, columns].argmax(axis=1)]
        none_columns = np.flatnonzero(self.owners_ == _NONE)
        none = _top_mean(similarity[:, none_columns], self.top_k)[:, None] if none_columns.size \
            else np.full((len(similarity), 1), -np.inf)
        rival = none
        if self.competition and n_codes > 1:
            ranked = np.sort(positive, axis=1)
            top, runner_up = ranked[:, -1:], ranked[:, -2:-1]
            other = np.where(positive >= top, runner_up, top)  # best of the OTHER codes
            rival = np.maximum(none, other - self.tie)
        with np.errstate(invalid="ignore"):  # -inf - -inf: nothing on either side
            scores = np.nan_to_num(positive - rival, nan=-np.inf, posinf=np.inf, neginf=-np.inf)
            versus_none = np.nan_to_num(positive - none, nan=-np.inf, posinf=np.inf, neginf=-np.inf)
        return scores, versus_none, nearest

    def _leave_one_out_scores(self) -> np.ndarray:
        """Margin scores (prototypes x codes) of the codebook's own texts, each left out."""
        gram = self.prototypes_ @ self.prototypes_.T
        np.fill_diagonal(gram, -np.inf)  # each text scored with itself left out
        return self._scores(gram)[0]

    def _calibrate(self, scores: np.ndarray) -> tuple[Calibration, ...]:
        """Leave-one-out F1 at the margin of each code over the codebook's own texts."""
        calibration = []
        for k, code in enumerate(self.codebook.codes):
            truth = (self.owners_ == k) & (self.kinds_ == _EXAMPLE)
            scored = truth | (self.kinds_ != _DEFINITION) & (self.owners_ != k)
            positives, negatives = int(truth.sum()), int((scored & ~truth).sum())
            f1 = None
            if positives and negatives:
                predicted = scores[scored, k] >= self.margin
                hits = int(np.sum(predicted & truth[scored]))
                f1 = round(2 * hits / float(predicted.sum() + positives), 4)
            classifier = self.classifiers_[k]
            calibration.append(Calibration(code.id, self.margin, f1, positives, negatives,
                                           classifier.f1 if classifier else None))
        return tuple(calibration)

    def _evidence(self, prototype: int, score: float, code_index: int, combined: float) -> str:
        text = self.prototype_texts_[prototype]
        weighed = f", with the codebook classifier {combined:+.1f}" if self.classifiers_[code_index] else ""
        if self.kinds_[prototype] == _DEFINITION:
            return f"nearest: the code's definition (score {score:+.2f}{weighed})"
        if len(text) > _EVIDENCE_CHARS:
            text = text[:_EVIDENCE_CHARS - 1].rstrip() + "…"
        return f"nearest example: {text!r} (score {score:+.2f}{weighed})"


def check_vector_rows(vectors: np.ndarray, segments: Sized) -> None:
    """Stop unless ``vectors`` (passed in to be reused) has one row per segment."""
    if len(vectors) != len(segments):
        raise ValueError(f"vectors has {len(vectors)} rows for {len(segments)} segments; "
                         "pass one row per segment, in the same order")


def _spreads(scores: np.ndarray) -> np.ndarray:
    """Per code, the standard deviation of finite margin scores (1 where there is none)."""
    spreads = []
    for column in scores.T:
        finite = column[np.isfinite(column)]
        spread = float(np.std(finite)) if len(finite) > 1 else 0.0
        spreads.append(spread if spread > 0 else 1.0)
    return np.array(spreads)


def _top_mean(similarity: np.ndarray, k: int) -> np.ndarray:
    """Row means of the ``k`` highest finite values (-inf where a row has none)."""
    top = np.sort(similarity, axis=1)[:, -k:]
    finite = np.isfinite(top)
    count = finite.sum(axis=1)
    total = np.where(finite, top, 0.0).sum(axis=1)
    return np.where(count > 0, total / np.maximum(count, 1), -np.inf)
