"""Specific dates and people's ages.

Dates finer than a year are redacted: a day ("3rd March 2023", "03/03/2023", "Tuesday 4
May"), a month of a year ("June 2022", "Sept '21"), as the ICO's anonymisation guidance and
HIPAA's Safe Harbor method treat them, and a named day of a year ("Christmas Eve 2020").
Bare months, years and relative phrases ("in March", "last week", "in 2019") carry the
timeline an analyst needs and identify no one. Ages are redacted where the text says it is an
age ("aged 67", "she's 84", "91 years old", "eighty-two years old", "68 yrs") or sets a
number beside a person as one ("Mrs Y, 79, lives alone", "my mum (84)"); the span is the
number alone.
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

# Named days, which a year makes as specific as a date.
_NAMED_DAY = (
    r"(?:Christmas(?:[ \t]+(?:Day|Eve))?|Boxing[ \t]+Day|New[ \t]+Year['’]?s?(?:[ \t]+(?:Day|Eve))?|"
    r"Easter(?:[ \t]+(?:Sunday|Monday|Day))?|Good[ \t]+Friday|Bonfire[ \t]+Night|Hogmanay|"
    r"Hallowe['’]?en|(?:St\.?|Saint)[ \t]+(?:Patrick|David|Andrew|George)['’]?s[ \t]+Day|"
    r"(?:Valentine|Mother|Father)['’]?s[ \t]+Day|Remembrance[ \t]+(?:Day|Sunday)|Eid(?:[ \t]+al-\w+)?|Diwali)"
)
# A month of a year, or a named day of a year ("in June 2022", "Sept '21", "Easter 2020").
# Case-sensitive: a month starts with a capital, so "may 2021 be better" is no date.
_MONTH_YEAR = re.compile(
    rf"(?<![\w])(?:{_MONTH}|{_NAMED_DAY})[ \t]+(?:of[ \t]+)?(?:\d{{4}}|['’]\d{{2}})(?![\w'’])"
)

_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
# An age in words, ten and over ("eighty-two", "ninety one", "a hundred and one"): below ten
# the words are too common ("she's one of the best").
_AGE_WORDS = (rf"(?:(?:{_TENS})(?:[- ](?:{_UNITS}))?|{_TEENS}|"
              rf"a[ \t]+hundred(?:[ \t]+and[ \t]+(?:(?:{_TENS})(?:[- ](?:{_UNITS}))?|{_TEENS}|{_UNITS}))?)")
_AGE_NUMBER = rf"(?:\d{{1,3}}|{_AGE_WORDS})"

_AGE_AFTER = re.compile(
    rf"(?i)(?<![\w.,£$])({_AGE_NUMBER})(?:\s*(?:-|\s)\s*(?:years?|yrs?)\s*(?:-|\s)\s*old|\s*(?:y/o|yo|y\.o\.)(?![\w/])"
    r"|\s*-\s*year\s*-\s*old)"
)
_AGE_BEFORE = re.compile(
    r"(?i)(?<![\w])(?:aged|age(?:\s+of)?|turned|turns|turn|turning|"
    r"(?:she|he|i|they|you|we|mum|dad|mom|husband|wife)(?:['’]s|['’]m|\s+is|\s+was|\s+am|\s+are|\s+were)"
    rf"(?:\s+now|\s+only|\s+just|\s+nearly|\s+almost)?)\s+(\d{{1,3}}|{_AGE_WORDS})(?![\w%/£$-]|[.,:]\d)"
)
# "68 yrs", "68yrs": an abbreviated age, counted only beside a person (see find).
_AGE_ABBREVIATED = re.compile(
    r"(?i)(?<![\w.,£$])(\d{1,3})[ \t]?(?:yrs?|y\.o\.?)(?![\w/])"
    r"(?![ \t]+(?:ago|of|in|at|on|with|as|experience|service|working|qualified|since|post|before|after))"
)
# A number set beside a person as an age: "Mrs Y, 79, lives alone", "my mum (84)". The word
# before is checked in find: a person word, a capitalised name or initial, or a redaction tag.
_AGE_APPOSED = re.compile(r"(?P<before>[\w.\]]+)(?:[ \t]*,[ \t]*(\d{1,3})[ \t]*,(?=[ \t]+[a-z])"
                          r"|[ \t]*\([ \t]*(\d{1,3})(?:[ \t]*(?:yrs?|years?))?[ \t]*\))")
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
    month_year: bool = True  # also a month or named day of a year ("June 2022")

    def find(self, text: str) -> list[Span]:
        spans: list[Span] = []
        if not _DIGIT.search(text):
            return spans  # a specific day always has a number in it
        patterns = (_DAY_MONTH, _MONTH_DAY, _WEEKDAY_DAY) + ((_MONTH_YEAR,) if self.month_year else ())
        for pattern in patterns:
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
        for match in _AGE_AFTER.finditer(text):
            if _plausible_age(match.group(1)):
                spans.append(Span(match.start(1), match.end(1), AGE, self.name, 0.9))
        for match in _AGE_BEFORE.finditer(text):
            if not _plausible_age(match.group(1)) or _NOT_AGE_UNIT.match(text, match.end()):
                continue
            spans.append(Span(match.start(1), match.end(1), AGE, self.name, 0.75))
        if not _DIGIT.search(text):
            return spans
        for match in _AGE_ABBREVIATED.finditer(text):
            if int(match.group(1)) <= 120 and _PERSON_WORD.search(text, max(0, match.start() - 40), match.start()):
                spans.append(Span(match.start(1), match.end(1), AGE, self.name, 0.6))
        for match in _AGE_APPOSED.finditer(text):
            group = 2 if match.group(2) else 3
            if int(match.group(group)) <= 110 and _beside_a_person(match.group("before")):
                spans.append(Span(match.start(group), match.end(group), AGE, self.name, 0.6))
        for match in _AGE_IS.finditer(text):
            if int(match.group(1)) <= 120 and _PERSON_WORD.search(text, max(0, match.start() - 40), match.start()):
                spans.append(Span(match.start(1), match.end(1), AGE, self.name, 0.6))
        return spans


def _plausible_age(number: str) -> bool:
    return not number[:1].isdigit() or int(number) <= 120


def _beside_a_person(word: str) -> bool:
    """The word before an apposed number names a person: a person word ("mum"), a capitalised
    name or an initial ("Mrs Y"), or a tag left by redaction ("[PERSON_2]")."""
    word = word.rstrip(".")
    if _PERSON_WORD.fullmatch(word) or word.endswith("]"):
        return True
    return word[:1].isupper() and word.isalpha() and word.lower() not in _NOT_PEOPLE


# Capitalised words that an apposed number follows without being an age ("Ward 5, ...").
_NOT_PEOPLE = frozenset("""
    ward room bed bay floor flat unit level page step stage year week day question section table
    figure band grade phase wave session module chapter item number no
""".split())
