"""Turn the spans of several recognisers into one sorted, non-overlapping list.

Spans are trimmed of surrounding space and punctuation, dropped when they are protected
domain terms ("NHS", "GP", "Age UK"), and overlapping spans are merged into their union so
that no part of an identifier found by anyone is left showing. The union takes the label of
the most trustworthy span: a rule span that covers the whole union ("14 Fernbank Road,
Plymouth PL4 6AB" is an address that contains a postcode and a place), else the highest
priority (a validated pattern beats NER), then the longest.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..model import Span
from . import entities as e
from . import gazetteer

_PRIORITY = {
    e.EMAIL: 50, e.IBAN: 50, e.NHS_NUMBER: 49, e.NI_NUMBER: 49, e.CARD: 48, e.ID_NUMBER: 47,
    e.IP_ADDRESS: 47, e.PHONE: 46, e.URL: 45, e.ADDRESS: 44, e.HANDLE: 43, e.POSTCODE: 42,
    e.DATE: 40, e.AGE: 40, e.PERSON: 30, e.ORGANISATION: 29, e.LOCATION: 28,
}
_MODEL_SOURCES = frozenset({"ner"})
_TRIM = " \t\r\n\f\v,;:!?\"“”‘’'()[]{}<>*_|/\\-–—•·"
_LEADING_ARTICLE = re.compile(r"(?i)the\s+")
_JOIN_WORDS = frozenset({"and", "the", "of", "&", "or", "a", "an"})
_WORDS = re.compile(r"[\w][\w'’&.\-]*")


def _priority(span: Span) -> int:
    return _PRIORITY.get(span.label, 20) - (25 if span.source in _MODEL_SOURCES else 0)


def trim(text: str, span: Span) -> Span | None:
    """The span without surrounding space or punctuation (keeping an initial's full stop)."""
    start, end = span.start, span.end
    while start < end and text[start] in _TRIM:
        if text[start] == "(" and ")" in text[start:end]:
            break  # "(579)888-3058": the bracket is part of the number
        start += 1
    while end > start and (text[end - 1] in _TRIM or text[end - 1] == "."):
        if text[end - 1] == ")" and "(" in text[start:end]:
            break
        if text[end - 1] == "." and end - start >= 2 and text[end - 2].isupper() and (
            end - start == 2 or not text[end - 3].isalpha()
        ):
            break  # "K." in "Mrs K." is an initial, its stop belongs to it
        end -= 1
    if span.label in (e.ORGANISATION, e.LOCATION, e.PERSON):
        article = _LEADING_ARTICLE.match(text, start, end)
        if article and article.end() < end:
            start = article.end()
    if span.source in _MODEL_SOURCES:
        start = _drop_leading_lowercase(text, start, end)
    if span.label == e.PERSON:
        # Titles go whatever found the span; other edge words only from a single recogniser's
        # guess (a merged span such as "Lanherne Surgery" already had its parts trimmed).
        start, end = _trim_words(text, start, end, titles_only="+" in span.source)
    if start >= end:
        return None
    if start == span.start and end == span.end:
        return span
    return Span(start, end, span.label, span.source, span.score)


def _drop_leading_lowercase(text: str, start: int, end: int) -> int:
    """NER sometimes starts a name at the verb before it ("rang Lanherne Surgery")."""
    words = list(re.finditer(r"\S+", text[start:end]))
    for word in words[:-1]:
        if word.group()[:1].isupper() or not word.group()[:1].isalpha():
            return start + word.start()
    return start if not words or not words[-1].group()[:1].isupper() else start + words[-1].start()


def _trim_words(text: str, start: int, end: int, titles_only: bool = False) -> tuple[int, int]:
    """Drop titles and non-name words at the edges of a person span ("Dr Patel" -> "Patel").

    The title stays in the text ("Dr [PERSON_3]"): it identifies no one and keeps the sense.
    """
    words = list(re.finditer(r"[^\s]+", text[start:end]))
    while len(words) > 1 and (_is_title(words[0].group()) or not titles_only and _edge_word(words[0].group())):
        words.pop(0)
    while len(words) > 1 and not titles_only and _edge_word(words[-1].group()):
        words.pop()
    if not words:
        return start, start
    return start + words[0].start(), start + words[-1].end()


def _is_title(word: str) -> bool:
    return word.lower().strip(".,:;") in gazetteer.TITLES


def _edge_word(word: str) -> bool:
    key = word.lower().strip(".,:;")
    if key in gazetteer.TITLES:
        return True
    # "Will" and "May" are names too; keep them when they lead a name as capitals.
    return key in gazetteer.NOT_NAME_WORDS and not (word[:1].isupper() and key in gazetteer.ambiguous_names())


_CONDITION_AFTER = re.compile(r"(?:['’]s?|s['’])?(?:[ \t]+(?:disease|syndrome|palsy|lymphoma|chorea))?(?![\w])")


def _eponymous_condition(text: str, span: Span) -> bool:
    """"Parkinson's", "Crohn's disease": a condition named after someone, not a person."""
    word = text[span.start:span.end].lower()
    if word not in gazetteer.EPONYMOUS_CONDITIONS:
        return False
    after = _CONDITION_AFTER.match(text, span.end)
    return bool(after and after.group())


class ProtectedTerms:
    """Domain terms never redacted: a span that is nothing but protected terms is dropped."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.phrases = frozenset(_normalise(term) for term in terms if term.strip())
        self.words = frozenset(phrase for phrase in self.phrases if " " not in phrase)

    def covers(self, surface: str) -> bool:
        normal = _normalise(surface)
        if normal in self.phrases:
            return True
        if normal.startswith("the ") and normal[4:] in self.phrases:
            return True
        words = [w.lower() for w in _WORDS.findall(surface)]
        return bool(words) and all(w in self.words or w in _JOIN_WORDS for w in words) and any(
            w in self.words for w in words
        )


def _normalise(term: str) -> str:
    return " ".join(term.replace("’", "'").lower().split())


def resolve(text: str, spans: Iterable[Span], protected: ProtectedTerms) -> list[Span]:
    """Trimmed, unprotected, merged spans, sorted by start, none overlapping."""
    kept = []
    for span in (piece for found in spans for piece in _line_pieces(text, found)):
        trimmed = trim(text, span)
        if trimmed is None or trimmed.start >= trimmed.end:
            continue
        surface = text[trimmed.start:trimmed.end]
        if protected.covers(surface) or gazetteer.ROLE_LABEL.match(surface):
            continue
        if trimmed.label == e.PERSON and _eponymous_condition(text, trimmed):
            continue
        kept.append(trimmed)
    kept.sort(key=lambda s: (s.start, -s.end))
    merged: list[Span] = []
    group: list[Span] = []
    group_end = -1
    for span in kept:
        if group and span.start < group_end:
            group.append(span)
            group_end = max(group_end, span.end)
            continue
        if group:
            merged.append(_merge(group))
        group, group_end = [span], span.end
    if group:
        merged.append(_merge(group))
    return merged


def _line_pieces(text: str, span: Span) -> list[Span]:
    """A name, organisation or place never runs across a line break: one found so is cut into
    its lines, so it no longer swallows the next line or paragraph. A postal address is
    written over lines and stays one span."""
    if span.label == e.ADDRESS or "\n" not in text[span.start:span.end]:
        return [span]
    pieces, start = [], span.start
    for line in text[span.start:span.end].split("\n"):
        pieces.append(Span(start, start + len(line), span.label, span.source, span.score))
        start += len(line) + 1
    return pieces


def _merge(group: list[Span]) -> Span:
    if len(group) == 1:
        return group[0]
    start = min(s.start for s in group)
    end = max(s.end for s in group)

    def rank(span: Span) -> tuple[bool, bool, int, int, int]:
        is_rule = span.source not in _MODEL_SOURCES
        covers_all = span.start == start and span.end == end and is_rule
        validated = _priority(span) >= 40  # identifiers with formats and checksums
        # Among names, organisations and places the longest rule span knows best
        # ("Lanherne Surgery" over "Lanherne").
        return (covers_all, validated, is_rule, span.end - span.start, _priority(span))

    best = max(group, key=rank)
    # The winner first, then the rest in a fixed order (a set's order changes between processes).
    sources = "+".join(sorted({s.source for s in group}, key=lambda name: (name != best.source, name)))
    return Span(start, end, best.label, sources, max(s.score for s in group))
