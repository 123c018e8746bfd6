"""Ways to reach someone: phone numbers, emails, web addresses, social handles, postcodes.

Phone numbers are the hard case: transcripts are full of numbers. A candidate counts when it
is a valid UK number, has an international prefix, has a recognisable national layout
(``(020) 7946 0000``, ``541-714-1388``), or is grouped like a phone number and a cue word
("phone", "call me on", "fax") sits just before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Span
from .entities import EMAIL, HANDLE, PHONE, POSTCODE, URL

_DIGIT = re.compile(r"\d")
_DOTTED = re.compile(r"\w[.:]\w")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+%-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w@])")
_URL = re.compile(r"(?i)(?<![\w@])(?:https?://|www\.)[^\s<>\"'|]+")
# Bare domains only with top-level domains that are not also everyday words after a full stop.
_TLDS = (
    "com|org|net|edu|gov|info|biz|io|uk|co\\.uk|org\\.uk|ac\\.uk|gov\\.uk|nhs\\.uk|ltd\\.uk|"
    "de|fr|es|nl|se|dk|fi|pl|cz|hu|si|sk|ca|au|br|ch|ie|pt|ro|gr|ru|jp|cn|nz|za|eu|app|dev"
)
_DOMAIN = re.compile(
    rf"(?i)(?<![\w@.\-/])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLDS})(?:/[^\s<>\"']*)?(?![\w@\-])"
)
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@])")
_PHONE = re.compile(
    r"(?<![\w+\-./])(?:\+|00)?\(?\d[\d \t().\-]{4,22}\d(?:\s?(?:x|ext\.?|extension)\s?\d{1,5})?(?![\w]|-\d|\.\d)"
)
_PHONE_CUE = re.compile(
    r"(?i)(?:phone|tel|telephone|mobile|mob|cell|call|ring|rang|fax|desk|office|number|no\.|registered|"
    r"contact|text|whatsapp|reach|dial|answering|messages|home|work)\b[^\n\d]{0,25}$"
)
# "416 60 039 office", "085 175 7641-Office": the kind of line after the number.
_PHONE_CUE_AFTER = re.compile(r"(?i)[ \t]*-?[ \t]*(?:office|fax|mobile|home|work|cell|tel|phone|landline|desk)\b")
_DATE_LIKE = re.compile(r"^\d{1,4}([/.\-])\d{1,2}\1\d{1,4}$")
_YEAR_RANGE = re.compile(r"^(?:19|20)\d\d\s*[\-/]\s*(?:19|20)?\d\d$")
_UK_POSTCODE = re.compile(
    r"(?i)(?<![A-Za-z0-9])(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-HJKPSTUW\d]? ?\d[ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9])"
)
_ZIP_CUE = re.compile(
    r"(?i)\b(?:zip(?:\s*code)?|postal\s*code|post\s*code|postcode)\b\s*(?:is|:|-)?\s*"
    r"([A-Z0-9](?:[A-Z0-9 \-]{0,8}[A-Z0-9])?)(?![A-Za-z0-9])"
)


@dataclass(frozen=True)
class ContactRecogniser:
    """Phone numbers, emails, URLs and bare domains, @handles, UK postcodes and cued zip codes."""

    name: str = "contacts"

    def find(self, text: str) -> list[Span]:
        spans: list[Span] = []
        # Cheap checks first: most sentences have no "@", no "." inside a word, no digit.
        if "@" in text:
            for match in _EMAIL.finditer(text):
                spans.append(Span(match.start(), match.end(), EMAIL, self.name, 1.0))
            for match in _HANDLE.finditer(text):
                spans.append(Span(match.start(), match.end(), HANDLE, self.name, 0.8))
        if _DOTTED.search(text):
            for pattern, score in ((_URL, 0.95), (_DOMAIN, 0.75)):
                for match in pattern.finditer(text):
                    end = match.start() + len(match.group().rstrip(".,;:!?)]}"))
                    spans.append(Span(match.start(), end, URL, self.name, score))
        if not _DIGIT.search(text):
            return spans
        spans.extend(self._phones(text))
        for match in _UK_POSTCODE.finditer(text):
            raw = match.group()
            letters = [ch for ch in raw if ch.isalpha()]
            if all(ch.isupper() for ch in letters) or all(ch.islower() for ch in letters):
                spans.append(Span(match.start(), match.end(), POSTCODE, self.name, 0.9))
        for match in _ZIP_CUE.finditer(text):
            if any(ch.isdigit() for ch in match.group(1)):
                spans.append(Span(match.start(1), match.end(1), POSTCODE, self.name, 0.7))
        return spans

    def _phones(self, text: str) -> list[Span]:
        spans = []
        for match in _PHONE.finditer(text):
            raw = match.group().rstrip(" \t.-(")
            start = match.start()
            if raw.startswith("(") and ")" not in raw:
                raw, start = raw[1:], start + 1
            end = start + len(raw)
            score = _phone_score(raw, _cued(text, start, end))
            if score:
                spans.append(Span(start, end, PHONE, self.name, score))
        return spans


def _cued(text: str, start: int, end: int) -> bool:
    return bool(_PHONE_CUE.search(text, max(0, start - 40), start) or _PHONE_CUE_AFTER.match(text, end))


def _phone_score(raw: str, cued: bool) -> float:
    """How sure a digit run is a phone number; 0 when it is not one."""
    if "\n" in raw or _DATE_LIKE.match(raw) or _YEAR_RANGE.match(raw):
        return 0.0
    main = re.split(r"\s?(?:x|ext\.?|extension)\s?\d", raw)[0]
    digits = "".join(ch for ch in main if ch.isdigit())
    if not 7 <= len(digits) <= 15:
        return 0.0
    if "  " in main or "\t" in main:
        return 0.0  # columns of figures, not one number
    grouped = any(sep in main for sep in " .-()")
    national = _uk_national(main, digits)
    if national and re.fullmatch(r"0(?:1\d{8,9}|2\d{9}|3\d{9}|7\d{9}|8\d{8,9})", national):
        return 0.95
    if main.startswith(("+", "00")) and len(digits) >= 8:
        return 0.9
    if re.fullmatch(r"\(\d{3}\)\s?\d{3}[\s.\-]\d{4}|\d{3}([.\-])\d{3}\1\d{4}|1[\-.]\d{3}[\-.]\d{3}[\-.]\d{4}", main):
        return 0.85
    if re.fullmatch(r"\(0\d{2,4}\)\s?\d{3,4}[\s\-]?\d{3,4}", main):
        return 0.85
    if cued and (grouped or len(digits) >= 9):
        return 0.7
    if grouped and len(digits) >= 10 and main.startswith("0") and len(main.split()) <= 4:
        return 0.6
    return 0.0


def _uk_national(main: str, digits: str) -> str:
    """The national (0-prefixed) form of a UK number, or '' when it is not written as one."""
    compact = re.sub(r"\(0\)", "", main)
    compact_digits = "".join(ch for ch in compact if ch.isdigit())
    if compact.startswith("+44"):
        return "0" + compact_digits[2:]
    if compact.startswith("0044"):
        return "0" + compact_digits[4:]
    if digits.startswith("0") and not main.startswith("+"):
        return digits
    return ""
