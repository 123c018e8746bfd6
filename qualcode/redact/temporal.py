"""Specific dates and people's ages.

Only dates that pin down a day are redacted ("3rd March 2023", "03/03/2023", "Tuesday 4 May"):
bare months, years and relative phrases ("last week", "in 2019") carry the timeline an analyst
needs and identify no one. Ages are redacted where the text says it is an age ("aged 67",
"she's 84", "91 years old"); the span is the number alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Span
from .entities import AGE, DATE

_DIGIT = re.compile(r"\d")
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_ORD = r"(?:st|nd|rd|th)"
_YEAR = r"(?:\d{4}|['’]\d{2})"
_TIME = r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s?[ap]\.?m\.?)?)?"

_DAY_MONTH = re.compile(
    rf"(?i)(?<![\w])(?:{_WEEKDAY},?\s+)?(?:the\s+)?{_DAY}{_ORD}?\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?{_TIME}(?![\w])"
)
# Month first ("March 3rd, 2023"): case-sensitive, or "may 2 people" would be a date.
_MONTH_DAY = re.compile(
    rf"(?<![\w])(?:{_WEEKDAY},?\s+)?{_MONTH}\s+(?:the\s+)?{_DAY}{_ORD}?(?:,?\s+{_YEAR})?{_TIME}(?![\w:/])"
)
_WEEKDAY_DAY = re.compile(rf"(?i)(?<![\w]){_WEEKDAY}\s+(?:the\s+)?{_DAY}{_ORD}(?![\w])")
_NUMERIC = re.compile(r"(?<![\w/.\-])(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?![\w/\-]|\.\d)" + _TIME)
_ISO = re.compile(r"(?<![\w/.\-])(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?Z?)?(?![\w/\-])")

_AGE_AFTER = re.compile(
    r"(?i)(?<![\w.,£$])(\d{1,3})(?:\s*(?:-|\s)\s*(?:years?|yrs?)\s*(?:-|\s)\s*old|\s*(?:y/o|yo|y\.o\.)(?![\w/])"
    r"|\s*-\s*year\s*-\s*old)"
)
_AGE_BEFORE = re.compile(
    r"(?i)(?<![\w])(?:aged|age(?:\s+of)?|turned|turns|turn|turning|"
    r"(?:she|he|i|they|you|we|mum|dad|mom|husband|wife)(?:['’]s|['’]m|\s+is|\s+was|\s+am|\s+are|\s+were)"
    r"(?:\s+now|\s+only|\s+just|\s+nearly|\s+almost)?)\s+(\d{1,3})(?![\w%/£$]|[.,:]\d)"
)
# "my son callum is 19", "Doreen, is 88.": "is N" closing a clause about a person.
_AGE_IS = re.compile(
    r"(?i)\b(?:is|was|who['’]s|turned)[ \t]+(\d{1,3})(?=[ \t]*(?:[.,;!?)]|$|and\b|now\b|next\b|this\b|in\b|but\b))",
    re.MULTILINE,
)
_PERSON_WORD = re.compile(
    r"(?i)\b(?:he|she|son|daughter|wife|husband|partner|mum|mom|dad|mother|father|sister|brother|"
    r"grandson|granddaughter|gran|nan|grandma|grandad|aunt|uncle|niece|nephew|friend|neighbour|"
    r"child|baby|boy|girl|patient|client|man|woman|lady|gentleman)\b"
)
# Quantities that follow "I'm 5 ..." and are not ages.
_NOT_AGE_UNIT = re.compile(
    r"(?i)\s*(?:%|per|percent|pounds|quid|p\b|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|times|"
    r"o['’]clock|am\b|pm\b|foot|feet|ft|stone|st\b|kg|kilos?|lbs?|inches|cm|miles?|km|out of|"
    r"of (?:us|them|you)|people|patients|pages|steps|things)"
)


@dataclass(frozen=True)
class DateRecogniser:
    """Calendar dates that name a specific day, in words or figures (UK, US and ISO order)."""

    name: str = "dates"

    def find(self, text: str) -> list[Span]:
        spans: list[Span] = []
        if not _DIGIT.search(text):
            return spans  # a specific day always has a number in it
        for pattern in (_DAY_MONTH, _MONTH_DAY, _WEEKDAY_DAY):
            for match in pattern.finditer(text):
                spans.append(Span(match.start(), match.end(), DATE, self.name, 0.85))
        for match in _NUMERIC.finditer(text):
            first, second = int(match.group(1)), int(match.group(3))
            if _valid_day_month(first, second) or _valid_day_month(second, first):
                spans.append(Span(match.start(), match.end(), DATE, self.name, 0.85))
        for match in _ISO.finditer(text):
            if 1 <= int(match.group(2)) <= 12 and 1 <= int(match.group(3)) <= 31:
                spans.append(Span(match.start(), match.end(), DATE, self.name, 0.9))
        return spans


def _valid_day_month(day: int, month: int) -> bool:
    return 1 <= day <= 31 and 1 <= month <= 12


@dataclass(frozen=True)
class AgeRecogniser:
    """A person's age stated as an age; the span is the number."""

    name: str = "ages"

    def find(self, text: str) -> list[Span]:
        spans: list[Span] = []
        if not _DIGIT.search(text):
            return spans
        for match in _AGE_AFTER.finditer(text):
            if int(match.group(1)) <= 120:
                spans.append(Span(match.start(1), match.end(1), AGE, self.name, 0.9))
        for match in _AGE_BEFORE.finditer(text):
            if int(match.group(1)) > 120 or _NOT_AGE_UNIT.match(text, match.end()):
                continue
            spans.append(Span(match.start(1), match.end(1), AGE, self.name, 0.75))
        for match in _AGE_IS.finditer(text):
            if int(match.group(1)) <= 120 and _PERSON_WORD.search(text, max(0, match.start() - 40), match.start()):
                spans.append(Span(match.start(1), match.end(1), AGE, self.name, 0.6))
        return spans
