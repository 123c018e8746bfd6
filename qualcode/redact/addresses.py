"""Street addresses: "14 Fernbank Road", "Flat 2, 7 Victoria Street", "1234 Elm St, Springfield,
IL 62704", "Hammarvägen 15", and address blocks after a cue ("lives at", "Address:").

A core street match (number + words + street type, or a continental street word + number) is
extended over what follows it on the same or next lines when that reads as the rest of an
address: flat or suite, town, county or state, country, postcode or zip code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Span
from . import gazetteer
from .address_tail import extend_tail
from .entities import ADDRESS

# Street types that are unambiguous even in lower case ("14 fernbank road").
_STRONG_TYPES = (
    "road|rd|street|st|avenue|ave|av|lane|ln|crescent|cres|terrace|tce|gardens|gdns|grove|mews|"
    "boulevard|blvd|highway|hwy|parkway|pkwy|drive|dr|close|square|sq|cottages|villas|wynd|"
    "expressway|expy|freeway|fwy|turnpike|tpke|plaza|alley|calle|strasse|straße"
)
# Types that are also everyday words ("walk", "view", "park"): capitalised only.
_WEAK_TYPES = (
    "way|place|pl|court|ct|hill|row|park|parade|walk|view|rise|green|circle|cir|trail|loop|path|"
    "pike|point|ridge|run|wharf|quay|yard|vale|meadow|meadows|fields|brow|bank|broadway|causeway|"
    "chase|end|gate|hollow|junction|manor|mount|orchard|passage|spur|heights|crossing|creek|"
    "harbor|harbour|landing|mall|mill|pass|port|shore|springs|summit|track|trace|valley|vista|"
    "village|walkway|fork|forks|glen|grange|gate|lodge|croft|dale|bridge|brae"
)
_UNIT = r"(?:flat|apartment|apt|unit|suite|ste|room|studio|floor|fl|no|#)\.?"
_NUM = r"\d{1,5}[A-Za-z]?(?:[\-/]\d{1,5}[A-Za-z]?)?"
_CORE_NUMBER_FIRST = re.compile(
    rf"(?i)(?<![\w\-/.])(?:{_UNIT}[ \t]*\d+[A-Za-z]?,?[ \t]+)?(?:{_NUM}[ \t]+)?{_NUM},?[ \t]+"
    rf"(?P<words>(?:[^\W\d_][\w'’.\-]*[ \t]+){{0,4}}?)(?P<type>{_STRONG_TYPES}|{_WEAK_TYPES})\.?(?![\w])"
)
# Street names that carry their type in the word, then the number ("Hammarvägen 15").
_SUFFIXES = tuple(
    "straße strasse str. weg gasse allee platz vej vejen gade gaden gatan vägen vagen gränd torget "
    "veien vegen gata katu tie kuja polku laan straat plein gracht kade utca ulica vegur stræde stien "
    "veg braut straeti stræti stigur tún plads torv".split()
)
# Type words written apart, after the name ("Erzsébet tér 19", "Trenerys gate 232").
_TYPE_AFTER = frozenset(
    "u. utca út tér rkp. krt. körút gate gata vei vej terrasse ring ulica ul. aleja al. trg cesta "
    "ulice nám. street road st st. rd rd. ave ave. lane strasse straße weg allee platz".split()
)
# Type words written before the name ("Rua Igreja 25", "Avda. Generalísimo 6").
_TYPE_BEFORE = frozenset(
    "rua avenida avda. av. calle carrer via viale piazza corso largo rue boulevard chemin allée "
    "plaza paseo camino travessa praça trg ulica ul. rruga calea strada bulevardul odos".split()
)
_DIGIT = re.compile(r"\d")
# A UK postcode vouches for the street before it even without a street type ("5 Gwel an Mor,
# Newquay TR7 1QX"): house number, capitalised street words, comma, town, postcode.
_BEFORE_POSTCODE = re.compile(
    r"(?<![\w\-/.])\d{1,4}[A-Za-z]?,?[ \t]+[^\W\d_a-z][\w'’\-]*(?:[ \t]+[^\W\d_][\w'’\-]*){0,4},[ \t]*"
    r"(?:[^\W\d_a-z][\w'’\-]*[ \t]+){1,3},?[ \t]*"
    r"[A-PR-UWYZ][A-HK-Y]?\d[A-HJKPSTUW\d]?[ \t]?\d[ABD-HJLNP-UW-Z]{2}(?![\w])"
)
_WORD_THEN_NUMBER = re.compile(r"(?<![\w\-])([^\W\d_][\w\-.]*)[ \t]+(\d{1,5}[A-Za-z]?(?:[\-/]\d{1,4})?)\.?(?![\w\-])")


def _name_first_streets(text: str) -> list[tuple[int, int]]:
    """(start, end) of streets written name first: "Hammarvägen 15", "Victor Hugo u. 49"."""
    found = []
    for match in _WORD_THEN_NUMBER.finditer(text):
        word = match.group(1).lower()
        window = text[max(0, match.start() - 50):match.start()]
        before = window.split()[-4:] if window[-1:] in (" ", "\t") else []
        if word.endswith(_SUFFIXES) and len(word) > 4 or word in _TYPE_AFTER and before:
            names = _capitalised_tail(before[-2:])
        else:
            typed = [i for i, w in enumerate(before) if w.lower() in _TYPE_BEFORE]
            if not typed and word not in _TYPE_BEFORE:
                continue
            names = before[typed[0]:] if typed else []
        if word in _TYPE_AFTER and not names:
            continue
        start = match.start(1) - sum(len(n) + 1 for n in names)
        number = re.search(r"(?<![\w\-/.])\d{1,5}[A-Za-z]?[ \t]+$", text[max(0, start - 8):start])
        if number:
            start -= len(number.group())
        found.append((start, match.end()))
    return found


def _street_suffix_start(line: str) -> int:
    """Where the street starts in a line that ends with it: the trailing run of (at most six)
    words that begin with a capital or a digit ("It's in Λεωφόρος Συγγρού 119 Nino Point")."""
    start = len(line.rstrip())
    for word in reversed(list(re.finditer(r"\S+", line))[-6:]):
        first = word.group()[:1]
        if not (first.isupper() or first.isdigit() or first in "∆("):
            break
        start = word.start()
    return start


def _capitalised_tail(words: list[str]) -> list[str]:
    """The capitalised words at the end of ``words`` that can be part of a street name."""
    tail: list[str] = []
    for word in reversed(words):
        if not word[:1].isupper() or word.lower() in _NOT_STREET_WORDS or word.lower() in gazetteer.NOT_NAME_WORDS:
            break
        tail.insert(0, word)
    return tail


_MILITARY = re.compile(
    r"(?<![\w])(?:(?:PSC|Unit|CMR)[ \t]+\d{3,5},?[ \t]+Box[ \t]+\d{3,5}|US[NCA][SV]?[ \t]+[A-Z][a-z]+"
    r"|P\.?[ \t]?O\.?[ \t]?Box[ \t]+\d{1,6}|Post(?:office)?box[ \t]+\d{1,6})(?![\w])",
    re.IGNORECASE,
)
_MILITARY_TAIL = re.compile(r"(?i)[, \t\n]+(?:FPO|APO|DPO)[ \t]+(?:AA|AE|AP)[ \t]+\d{5}")
_CUE = re.compile(
    r"(?i)\b(?:(?:lives?|living|located|resides?|residing)\s+at|address(?:es)?\s*(?::|is|was)(?:\s+it\s+is)?)[ \t]*\n?[ \t]*"
)
# The address after a cue: up to a comma, a sentence end or a word that starts a new clause;
# the tail rules then decide whether what follows a comma is still the address.
_CUE_BODY = re.compile(
    r"[^\W_](?:[^\n;!?.]|\.(?=[ \t]*[a-z0-9]))*?(?=[ \t]+(?:for|and|but|if|so|because|which|who|it|after|before|"
    r"last|next|on|since|until|when|where)\b|[,;!?]|\.(?:[ \t]+[A-Z]|[ \t]*$|\n)|\n\n|$)",
    re.MULTILINE,
)
# "email address", "IP address", "web address" are not postal addresses.
_NOT_POSTAL = re.compile(r"(?i)(?:mail|ip|web|mac|wallet|server)[ \t]*$")

_STREETY_LINE = re.compile(
    r"(?m)(?<![\w\-/.])\d{1,6}(?:[ \t]+\d{1,6})?[ \t]+[^\W\d_][^\n\d]{0,40}?[ \t]\d{1,5}[A-Za-z]?\.?(?=[ \t\r]*\n)"
)
# "9721 Dalmatinova 43 Apt. 678", "87818 Dalmatinova 68 St.": number, name, number, then a unit
# or a street type: a street written the continental way inside a sentence.
_INLINE_STREET = re.compile(
    r"(?i)(?<![\w\-/.])\d{1,6}[ \t]+(?:[^\W\d_][\w'’.\-/]*[ \t]+){1,3}\d{1,5}[A-Za-z]?\.?"
    r"[ \t]+(?:(?:apt|apartment|suite|unit)\.?[ \t]*\d+[A-Za-z]?|(?:st|street|rd|road|ave|avenue)\b\.?)"
)
_CORNER = re.compile(
    r"(?i)\bthe[ \t]+corner[ \t]+of[ \t]+(?:[\w'’.\-/]+[ \t]+){1,6}?and[ \t]+[\w'’.\-]+(?:[ \t]+[\w'’.\-]+){0,3}?"
    r"(?=[ \t]*(?:[,.;?!\n]|$)|[ \t]+(?:for|in|on|at|and|but|please)\b)"
)
_UNIT_LINE = re.compile(rf"(?im)^[ \t>?*]*{_UNIT}[ \t]*\d+[A-Za-z]?[ \t\r]*$")


@dataclass(frozen=True)
class AddressRecogniser:
    """Street addresses with their town, region and postcode tails."""

    name: str = "addresses"

    def find(self, text: str) -> list[Span]:
        spans: list[Span] = []
        if not _DIGIT.search(text):
            return self._corners(text)  # every other address form has a number
        for match in _CORE_NUMBER_FIRST.finditer(text):
            if _plausible_street(match):
                end = _more_street_types(text, match.end())
                spans.append(Span(match.start(), extend_tail(text, end), ADDRESS, self.name, 0.85))
        for match in _BEFORE_POSTCODE.finditer(text):
            spans.append(Span(match.start(), match.end(), ADDRESS, self.name, 0.75))
        for match in _INLINE_STREET.finditer(text):
            spans.append(Span(match.start(), extend_tail(text, match.end()), ADDRESS, self.name, 0.75))
        spans.extend(self._corners(text))
        for start, end in _name_first_streets(text):
            spans.append(Span(start, extend_tail(text, end), ADDRESS, self.name, 0.75))
        for match in _STREETY_LINE.finditer(text):
            # "20789 Allika 46" alone on a line counts when address lines follow it.
            end = extend_tail(text, match.end())
            if end > match.end() + 2:
                spans.append(Span(match.start(), end, ADDRESS, self.name, 0.65))
        for match in _UNIT_LINE.finditer(text):
            start = match.start() + len(match.group()) - len(match.group().lstrip(" \t>?*"))
            previous = text.rfind("\n", 0, max(0, match.start() - 1)) + 1
            line_before = text[previous:match.start()]
            if any(ch.isdigit() for ch in line_before):
                start = previous + _street_suffix_start(line_before)
            spans.append(Span(start, extend_tail(text, match.end()), ADDRESS, self.name, 0.7))
        for match in _MILITARY.finditer(text):
            end = match.end()
            tail = _MILITARY_TAIL.match(text, end)
            spans.append(Span(match.start(), extend_tail(text, tail.end() if tail else end), ADDRESS, self.name, 0.7))
        for match in _CUE.finditer(text):
            if _NOT_POSTAL.search(text, max(0, match.start() - 10), match.start()):
                continue
            body = _CUE_BODY.match(text, match.end(), min(len(text), match.end() + 160))
            if body and any(ch.isdigit() for ch in body.group()):
                end = match.end() + len(body.group().rstrip(" \t\n,?"))
                spans.append(Span(match.end(), extend_tail(text, end), ADDRESS, self.name, 0.6))
        return spans

    def _corners(self, text: str) -> list[Span]:
        """"the corner of Dalbraut 99 and Frederikke Coves"."""
        return _corners_of(text, self.name)


_NEXT_TYPE = re.compile(rf"[ \t]+(?:{_STRONG_TYPES}|{_WEAK_TYPES})\.?(?![\w])", re.IGNORECASE)


def _more_street_types(text: str, end: int) -> int:
    """"22 Moor View Terrace": the match stops at "View"; take the real street type too."""
    while (nxt := _NEXT_TYPE.match(text, end)) and nxt.group().strip()[:1].isupper():
        end = nxt.end()
    return end


def _corners_of(text: str, source: str) -> list[Span]:
    spans = []
    if "corner" not in text.lower():
        return spans
    for match in _CORNER.finditer(text):
        streets = match.group()[len("the corner of"):]
        if any(ch.isdigit() for ch in streets) or any(w[:1].isupper() for w in streets.split()):
            spans.append(Span(match.start(), match.end(), ADDRESS, source, 0.7))
    return spans


def _plausible_street(match: re.Match[str]) -> bool:
    words = match.group("words").split()
    street_type = match.group("type")
    if any(w.lower().strip(".") in _NOT_STREET_WORDS for w in words):
        return False
    if street_type.lower() in _WEAK_SET or street_type.lower() in ("st", "dr", "ct", "pl", "av"):
        # "5 minutes walk", "2 main st" -> weak types need a capitalised street name.
        return bool(words) and street_type[:1].isupper() and all(w[:1].isupper() for w in words)
    if not words:
        return False
    return True


_WEAK_SET = frozenset(_WEAK_TYPES.split("|"))
# Words that show "3 miles down the road" is a distance, not an address.
_NOT_STREET_WORDS = frozenset(
    """
    the a an up down to from of in on at off along across round around into onto my our your his
    her their this that and or by for with but is was are were as it minutes mins minute miles mile yards metres meters km times people
    days weeks years months hours steps doors houses bus buses stops walk drive ride away
    """.split()
)
