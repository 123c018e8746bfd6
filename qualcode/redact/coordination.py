"""Lists of names: "Eklund, Michael and Hodge", "Demystdata, Reed Elsevier and T Rowe Price".

When one member of a list is known to be a person (or an organisation), the other capitalised
members of the same list are taken to be of the same kind. NER and the gazetteer often find
only the familiar names in a list; the unfamiliar ones beside them are no less identifying.
"""

from __future__ import annotations

import bisect
import re

from ..model import Span
from . import gazetteer
from .entities import ORGANISATION, PERSON

SOURCE = "lists"
_ITEM = r"[^\W\d_a-z][^\W\d_]*(?:['’\-][^\W\d_]+)*(?:[ \t]+[^\W\d_a-z][^\W\d_]*(?:['’\-][^\W\d_]+)*){0,2}"
# "A and B", "A, B and C", "A, B, & C": a list needs its conjunction ("Sorry, Gareth" is not one).
_LIST = re.compile(rf"(?:{_ITEM},[ \t]*)*{_ITEM},?[ \t]+(?:and|&)[ \t]+{_ITEM}")
_LIST_ITEM = re.compile(_ITEM)


def spread_over_lists(text: str, spans: list[Span]) -> list[Span]:
    """New spans for the other members of a list that has a PERSON or ORGANISATION in it."""
    if " and " not in text and "&" not in text:
        return []
    index = _SpanIndex(spans)
    found: list[Span] = []
    for listing in _LIST.finditer(text):
        items = [m for m in _LIST_ITEM.finditer(text, listing.start(), listing.end()) if m.group() not in ("and",)]
        kinds = {s.label for item in items for s in index.overlapping(item.start(), item.end())}
        label = PERSON if PERSON in kinds else ORGANISATION if ORGANISATION in kinds else None
        if label is None:
            continue
        for item in items:
            if not index.overlapping(item.start(), item.end()) and _plausible(item.group()):
                new = Span(item.start(), item.end(), label, SOURCE, 0.5)
                found.append(new)
                index.add(new)
    return found


class _SpanIndex:
    """Spans sorted by start, for overlap queries in O(log n) on long transcripts."""

    def __init__(self, spans: list[Span]) -> None:
        self.spans = sorted(spans, key=lambda s: s.start)
        self.starts = [s.start for s in self.spans]
        self.longest = max((s.end - s.start for s in spans), default=0)

    def overlapping(self, start: int, end: int) -> list[Span]:
        low = bisect.bisect_left(self.starts, start - self.longest)
        high = bisect.bisect_left(self.starts, end)
        return [s for s in self.spans[low:high] if s.start < end and start < s.end]

    def add(self, span: Span) -> None:
        position = bisect.bisect_left(self.starts, span.start)
        self.starts.insert(position, span.start)
        self.spans.insert(position, span)
        self.longest = max(self.longest, span.end - span.start)


_LINE = re.compile(r"[^\n]+")
_JOINERS = frozenset({"and", "&", "of", "de", "la", "du", "van", "von", "der", "den", "y", "e"})


def spread_in_address_blocks(text: str, spans: list[Span]) -> list[Span]:
    """A short capitalised line between a person's name line and an address (or the name again)
    is the organisation of a postal address block: "Esat Jeknić / Marshall, Hernandez and Simpson
    / 3378 217 Lovers Lane"."""
    if "\n" not in text:
        return []
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text)]
    index = _SpanIndex(spans)
    found = []
    for previous, line, following in zip(lines, lines[1:], lines[2:]):
        start, end = _content(text, *line)
        words = text[start:end].split()
        if not words or len(words) > 6 or index.overlapping(start, end):
            continue
        if not words[0][:1].isupper() or words[0].lower() in gazetteer.NOT_NAME_WORDS:
            continue
        if _line_is(text, previous, index, {PERSON}) and _line_is(text, following, index, {PERSON, "ADDRESS"}):
            found.append(Span(start, end, ORGANISATION, SOURCE, 0.5))
    return found


def recipient_lines(text: str, spans: list[Span]) -> list[Span]:
    """The lines above a street in a postal block: "Gyala Antall / Google Public Data Explorer /
    3369 24 Clarke Avenue". The top line is the addressee, the lines between are their
    organisation; a line repeating the top line is the addressee again."""
    if "\n" not in text:
        return []
    index = _SpanIndex(spans)
    found: list[Span] = []
    for address in (s for s in spans if s.label == "ADDRESS"):
        line_start = text.rfind("\n", 0, address.start) + 1
        if text[line_start:address.start].strip(" \t>?*-"):
            continue  # the address does not start its line
        block = []
        cursor = line_start - 1
        while cursor > 0 and len(block) < 3:
            previous = text.rfind("\n", 0, cursor) + 1
            start, end = _content(text, previous, cursor)
            words = text[start:end].split()
            if not words or len(words) > 6 or text[start:end].endswith((".", "?", "!", ":")):
                break
            block.insert(0, (start, end))
            cursor = previous - 1
        if not block:
            continue
        top = text[block[0][0]:block[0][1]]
        for position, (start, end) in enumerate(block):
            words = text[start:end].split()
            if index.overlapping(start, end) or not all(w[:1].isupper() or w in _JOINERS for w in words):
                continue
            label = PERSON if position == 0 or text[start:end] == top else ORGANISATION
            found.append(Span(start, end, label, SOURCE, 0.5))
    return found


def _content(text: str, start: int, end: int) -> tuple[int, int]:
    """A line without quote marks (">", "???") and surrounding space."""
    while start < end and text[start] in " \t>?*-":
        start += 1
    while end > start and text[end - 1] in " \t":
        end -= 1
    return start, end


def _line_is(text: str, line: tuple[int, int], index: _SpanIndex, labels: set[str]) -> bool:
    """Whether a span of one of ``labels`` covers most of the line's content."""
    start, end = _content(text, *line)
    size = sum(1 for ch in text[start:end] if not ch.isspace())
    if not size:
        return False
    covered = sum(min(end, s.end) - max(start, s.start) for s in index.overlapping(start, end) if s.label in labels)
    return covered >= 0.8 * size


def _plausible(item: str) -> bool:
    words = item.split()
    keys = [w.lower().strip(".,'’") for w in words]
    if keys[0] in gazetteer.NOT_NAME_WORDS or keys[0] in gazetteer.TITLES:
        return False
    return not any(k in gazetteer.NOT_NAME_WORDS for k in keys)
