"""Quotes: representative, diverse, quotable excerpts per theme, attributed safely.

:func:`select_quotes` takes the (already redacted) segments, their embeddings and the themes
(a code id or ``"topic:<n>"`` -> segment ids) and, for each theme:

1. keeps candidates a report may quote: never interviewer turns or preamble, and only
   texts of ``min_words`` words or more, trimmed to ``max_words`` at a sentence boundary
   (then a clause, then a word; never mid-word) with an ellipsis "…";
2. ranks them by representativeness: the coding confidence when ``scores`` are given
   (closeness to the theme's centre breaks ties), otherwise cosine to the theme's centre;
3. picks ``per_theme`` with maximal marginal relevance, preferring speakers not yet quoted
   for the theme, and never two quotes at cosine >= ``max_similarity`` or with the same text.

Attributions are a pseudonymous id plus chosen attributes ("P02, SPLW, 2+ years, wave 2").
Small groups are suppressed: an attribute combination held by fewer than ``min_group`` respondents
(distinct documents) is generalised by dropping attributes, most specific first, and the
rule applied is stated in ``QuoteResult.suppression_note``.

BERTopic's ``get_representative_docs`` is not used: it repeats quotes in about a third of
topics and knows nothing of speakers, length or attribution.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from qualcode.errors import UsageError
from qualcode.model import (MIN_GROUP, NOTES, SURVEY, TRANSCRIPT, Coding, Document, Quote, Segment,
                            analysable, frozen_mapping)

ELLIPSIS = "\u2026"
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])[\"'\u201d\u2019)\]]*\s+")
_CLAUSE_END = re.compile(r"[,;:\u2013\u2014]\s")
_KEY = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class QuoteResult:
    """The chosen quotes (theme by theme, best first) and how attributions were protected."""

    quotes: tuple[Quote, ...]
    suppression_note: str
    shortfalls: Mapping[str, str] = field(default_factory=frozen_mapping)  # theme -> why fewer


def select_quotes(segments: Sequence[Segment], embeddings: np.ndarray,
                  groups: Mapping[str, Sequence[str]],
                  scores: Mapping[str, Mapping[str, float]] | None = None,
                  attributes: Sequence[str] = ("role", "time_in_role", "wave"),
                  per_theme: int = 3, min_group: int = MIN_GROUP, *, documents: Iterable[Document] = (),
                  min_words: int = 8, max_words: int = 60, max_similarity: float = 0.9,
                  diversity: float = 0.3, drop_order: Sequence[str] | None = None,
                  id_attribute: str = "case", reuse_across_themes: bool = False) -> QuoteResult:
    """Up to ``per_theme`` quotes for each theme of ``groups``.

    ``embeddings`` has one row per segment. ``scores`` (theme -> segment id -> confidence)
    ranks by coding confidence instead of closeness to the theme's centre. Attributes are
    looked up on the segment, then on its document (``documents``), by name with case,
    spaces and punctuation ignored ("Time in role" matches ``time_in_role``). The id shown
    is the respondent's ``id_attribute`` (a case id the user gave, such as "P02"), else a label
    of this run: documents numbered in order within their kind, "R07" a survey respondent,
    "I2" an interviewee, "N3" a set of notes. Never a file name or the survey's own row id,
    which the survey's owner could match to the export that holds the email.
    ``drop_order`` fixes which attribute small-group suppression drops first; by default the
    one with the most distinct values (the most specific), ties going to the later-listed.
    A segment quoted for one theme is not quoted for another unless ``reuse_across_themes``.

    >>> result = select_quotes(segments, vectors, {"topic:0": ["int1:4", "int2:6"]})  # doctest: +SKIP
    >>> result.quotes[0].attribution                                                  # doctest: +SKIP
    'P02, Health and wellbeing coach, 2+ years'
    """
    vectors = np.asarray(embeddings, dtype=np.float32)
    if vectors.ndim != 2 or len(vectors) != len(segments):
        raise UsageError(f"embeddings must have one row per segment: got shape {vectors.shape} "
                         f"for {len(segments)} segments")
    if min_words < 1 or max_words < min_words:
        raise UsageError(f"quote length needs 1 <= min_words <= max_words, got {min_words}..{max_words}")
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.where(norms == 0, 1, norms)
    row_of = {seg.id: row for row, seg in enumerate(segments)}
    quotable = analysable(segments)
    people = _Respondents(quotable, documents, attributes, id_attribute, min_group, drop_order)

    quotes: list[Quote] = []
    shortfalls: dict[str, str] = {}
    used: set[str] = set()
    for theme in sorted(groups):
        members = [segments[row_of[i]] for i in dict.fromkeys(groups[theme]) if i in row_of]
        theme_scores = (scores or {}).get(theme)
        chosen, why = _choose(members, vectors, row_of, theme_scores, per_theme, used,
                              min_words, max_words, max_similarity, diversity)
        if why:
            shortfalls[theme] = why
        for seg, text, score in chosen:
            pseudonym, shown = people.attribution(seg)
            quotes.append(Quote(segment_id=seg.id, text=text,
                                attribution=", ".join([pseudonym, *shown.values()]), theme=theme,
                                score=round(score, 4), pseudonym=pseudonym,
                                shown=frozen_mapping(shown)))
            if not reuse_across_themes:
                used.add(seg.id)
    return QuoteResult(quotes=tuple(quotes), suppression_note=people.note(),
                       shortfalls=frozen_mapping(shortfalls))


def _choose(members: list[Segment], vectors: np.ndarray, row_of: Mapping[str, int],
            theme_scores: Mapping[str, float] | None, per_theme: int, used: set[str],
            min_words: int, max_words: int, max_similarity: float,
            diversity: float) -> tuple[list[tuple[Segment, str, float]], str]:
    """The theme's quotes as (segment, trimmed text, relevance), and why there are fewer."""
    voices = analysable(members)
    if not voices:
        return [], "no participant segments (interviewer turns and preamble are never quoted)"
    rows = np.array([row_of[seg.id] for seg in voices])
    centre = vectors[rows].mean(axis=0)
    centre /= np.linalg.norm(centre) or 1.0
    candidates = []
    for seg, row in zip(voices, rows):
        text = trim_quote(seg.text, min_words, max_words)
        if text is None or seg.id in used:
            continue
        closeness = float(vectors[row] @ centre)
        # Confidence first when given; closeness then only breaks ties between equal scores.
        relevance = (theme_scores.get(seg.id, 0.0) + 1e-3 * closeness) if theme_scores else closeness
        candidates.append((relevance, seg.id, seg, text, row))
    candidates.sort(key=lambda c: (-c[0], c[1]))  # segment id breaks exact ties: deterministic
    chosen: list[tuple[float, str, Segment, str, int]] = []
    while len(chosen) < per_theme:
        pick = _next_pick(candidates, chosen, vectors, max_similarity, diversity)
        if pick is None:
            break
        chosen.append(pick)
        candidates.remove(pick)
    why = ""
    if len(chosen) < per_theme:
        why = (f"{len(chosen)} of {per_theme}: the other segments are too short "
               f"(< {min_words} words), already quoted, or near-duplicates of a chosen quote")
    return [(seg, text, relevance) for relevance, _, seg, text, _ in chosen], why


def _next_pick(candidates: list, chosen: list, vectors: np.ndarray, max_similarity: float,
               diversity: float):
    """The best MMR candidate, from a speaker not yet quoted if any such is eligible."""
    quoted_voices = {_voice(c[2]) for c in chosen}
    quoted_texts = {_normal(c[3]) for c in chosen}
    chosen_rows = [c[4] for c in chosen]
    eligible = []
    for candidate in candidates:
        nearest = float(max(vectors[chosen_rows] @ vectors[candidate[4]])) if chosen_rows else 0.0
        if nearest >= max_similarity or _normal(candidate[3]) in quoted_texts:
            continue
        mmr = (1 - diversity) * candidate[0] - diversity * nearest
        eligible.append((_voice(candidate[2]) in quoted_voices, -mmr, candidate))
    if not eligible:
        return None
    # min() keeps the first of equal keys, and candidates are in a fixed order.
    return min(eligible, key=lambda e: (e[0], e[1]))[2]


def _voice(seg: Segment) -> tuple[str, str]:
    """One person: the document, and the speaker within it (focus groups have several)."""
    return seg.doc_id, seg.speaker or ""


def _normal(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def trim_quote(text: str, min_words: int = 8, max_words: int = 60) -> str | None:
    """``text`` as a quote of ``min_words``..``max_words`` words, or None if too short.

    Longer texts keep their leading sentences up to ``max_words`` words; if the first
    sentence alone is longer, it is cut at the last clause break (comma, semicolon, dash)
    that fits, else at a word boundary. A cut text ends with " …". Words are never split.

    >>> trim_quote("Too short.") is None
    True
    >>> trim_quote("One two three four. Five six seven eight nine.", 4, 6)
    'One two three four. …'
    """
    text = " ".join(text.split())
    words = text.split(" ")
    if len(words) < min_words or not text:
        return None
    if len(words) <= max_words:
        return text
    kept: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        if len(" ".join([*kept, sentence]).split()) > max_words:
            break
        kept.append(sentence)
    if kept and len(" ".join(kept).split()) >= min_words:
        return f"{' '.join(kept)} {ELLIPSIS}"
    head = " ".join(words[:max_words])
    breaks = [m.start() for m in _CLAUSE_END.finditer(head) if len(head[:m.start()].split()) >= min_words]
    cut = head[:breaks[-1]] if breaks else head
    return f"{cut.rstrip(' ,;:-')} {ELLIPSIS}"


def _key(name: str) -> str:
    return _KEY.sub("_", name.lower()).strip("_")


class _Respondents:
    """Who said what, and how much of their attributes may be shown (small-group suppression)."""

    def __init__(self, segments: Sequence[Segment], documents: Iterable[Document],
                 attributes: Sequence[str], id_attribute: str, k: int,
                 drop_order: Sequence[str] | None) -> None:
        self.k = k
        self.attributes = [_key(a) for a in attributes]
        self.id_key = _key(id_attribute)
        documents = list(documents)
        doc_attributes = {doc.id: doc.attributes for doc in documents}
        self.labels = _run_labels(documents, {seg.doc_id for seg in segments})
        self.values: dict[str, dict[str, str]] = {}  # doc id -> attribute key -> value
        for seg in sorted(segments, key=lambda s: s.id):
            merged = {_key(name): value for name, value in doc_attributes.get(seg.doc_id, {}).items()}
            merged |= {_key(name): value for name, value in seg.attributes.items()}
            held = self.values.setdefault(seg.doc_id, {})
            for name, value in merged.items():
                if str(value).strip():
                    held.setdefault(name, str(value).strip())
        if drop_order is not None:
            unknown = [a for a in drop_order if _key(a) not in self.attributes]
            if unknown:
                raise UsageError(f"drop_order names {unknown} not among attributes {list(attributes)}")
            self.drop_order = [_key(a) for a in drop_order]
            self.order_reason = "as configured"
        else:
            distinct = {a: len({v[a] for v in self.values.values() if a in v}) for a in self.attributes}
            self.drop_order = sorted(self.attributes, key=lambda a: (-distinct[a], -self.attributes.index(a)))
            self.order_reason = "most distinct values first"
        self.generalised = 0
        self.id_only = 0
        self.shown = 0

    def _count(self, combination: Mapping[str, str]) -> int:
        return sum(all(v.get(a) == value for a, value in combination.items()) for v in self.values.values())

    def attribution(self, seg: Segment) -> tuple[str, dict[str, str]]:
        """The pseudonym of the segment's respondent, and the attributes that may be shown."""
        held = self.values.get(seg.doc_id, {})
        shown = {a: held[a] for a in self.attributes if a in held}
        full = len(shown)
        for attribute in self.drop_order:
            if not shown or self._count(shown) >= self.k:
                break
            shown.pop(attribute, None)
        if shown and self._count(shown) < self.k:
            shown = {}  # attributes outside drop_order cannot be generalised: show none
        self.shown += 1
        if len(shown) < full:
            self.generalised += 1
            self.id_only += not shown
        pseudonym = held.get(self.id_key) or self.labels.get(seg.doc_id, "?")
        return pseudonym, {a: shown[a] for a in self.attributes if a in shown}

    def note(self) -> str:
        if not self.attributes:
            return "Attributions show the pseudonymous id only; no attributes were requested."
        order = ", ".join(self.drop_order)
        return (f"Small-group suppression (k={self.k}): an attribute combination held by fewer than "
                f"{self.k} respondents (distinct documents) is generalised by dropping attributes in "
                f"this order ({self.order_reason}): {order}; if no combination reaches {self.k}, "
                f"only the pseudonymous id is shown. {self.generalised} of {self.shown} attributions "
                f"were generalised, {self.id_only} of them to the id alone.")


# Letters apart from the "P07" case ids interviews are often given, so the two never mix.
_KIND_LETTER = {SURVEY: "R", TRANSCRIPT: "I", NOTES: "N"}


def _run_labels(documents: Sequence[Document], quoted_docs: set[str]) -> dict[str, str]:
    """A label per document for this run: its kind's letter and its number in id order
    within that kind ("R07"), zero-padded to the kind's count; documents not given (only
    their segments) are numbered after them."""
    kinds = {doc.id: doc.kind for doc in documents}
    by_kind: dict[str, list[str]] = {}
    for doc_id in sorted(set(kinds) | quoted_docs):
        by_kind.setdefault(_KIND_LETTER.get(kinds.get(doc_id, ""), "D"), []).append(doc_id)
    labels = {}
    for letter, ids in by_kind.items():
        width = len(str(len(ids)))
        labels.update({doc_id: f"{letter}{n:0{width}d}" for n, doc_id in enumerate(ids, start=1)})
    return labels


def topic_groups(assignments: Mapping[str, int]) -> dict[str, list[str]]:
    """Themes for :func:`select_quotes` from topic assignments: ``"topic:<n>"`` -> segment ids."""
    groups: dict[str, list[str]] = {}
    for segment_id, topic in sorted(assignments.items()):
        if topic >= 0:
            groups.setdefault(f"topic:{topic}", []).append(segment_id)
    return groups


def code_groups(codings: Iterable[Coding]) -> tuple[dict[str, list[str]], dict[str, dict[str, float]]]:
    """Themes and scores for :func:`select_quotes` from codings: code id -> segment ids, confidences."""
    groups: dict[str, list[str]] = {}
    scores: dict[str, dict[str, float]] = {}
    for coding in sorted(codings, key=lambda c: (c.code_id, c.segment_id)):
        groups.setdefault(coding.code_id, []).append(coding.segment_id)
        best = scores.setdefault(coding.code_id, {})
        best[coding.segment_id] = max(best.get(coding.segment_id, 0.0), coding.confidence)
    return groups, scores


def quotes_frame(result: QuoteResult) -> pd.DataFrame:
    """One row per quote: theme, rank within the theme, segment_id, text, attribution, score."""
    ranks = Counter()
    rows = []
    for quote in result.quotes:
        ranks[quote.theme] += 1
        rows.append({"theme": quote.theme, "rank": ranks[quote.theme], "segment_id": quote.segment_id,
                     "text": quote.text, "attribution": quote.attribution, "score": quote.score})
    return pd.DataFrame(rows, columns=["theme", "rank", "segment_id", "text", "attribution", "score"])
