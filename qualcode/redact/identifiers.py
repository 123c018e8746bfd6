"""Numbered identifiers with check digits: NHS number, NI number, cards, IBAN, SSN, IP address.

Every match is validated (modulus 11, prefix rules, Luhn, mod 97, address parsing), so the
formats can be loose (spaces, dashes, lower case) without flagging ordinary numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Span
from . import checksums
from .entities import CARD, IBAN, ID_NUMBER, IP_ADDRESS, NHS_NUMBER, NI_NUMBER

_DIGIT = re.compile(r"\d")
_NHS = re.compile(r"(?<![\d+\-/.])(\d{3})[ \-]?(\d{3})[ \-]?(\d{4})(?![\d\-/]|\.\d)")
# A cue that a number starting with 0 is an NHS/CHI number rather than a phone number.
_NHS_CUE = re.compile(r"(?i)\b(?:nhs|chi|patient)\b[^\n]{0,30}$")
_NI = re.compile(r"(?i)(?<![A-Za-z0-9])([A-Z]{2})[ \-]?(\d{2})[ \-]?(\d{2})[ \-]?(\d{2})[ \-]?([A-D])(?![A-Za-z0-9])")
_CARD = re.compile(
    r"(?<![\d+\-])(?:\d{13,19}"
    r"|\d{4}([ \-])\d{4}\1\d{4}\1\d{1,7}"
    r"|\d{4}([ \-])\d{6}\2\d{4,5})(?![\d\-])"
)
# Twelve digits pass Luhn one time in ten, so a short card number needs a card word before it.
_CARD_SHORT = re.compile(r"(?<![\d+\-])\d{12}(?![\d\-])")
_CARD_CUE = re.compile(r"(?i)\b(?:card|cc|credit|debit|visa|mastercard|amex|maestro)\b[^\n\d]{0,20}$")
_IBAN = re.compile(r"(?i)(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])")
_SSN = re.compile(r"(?<![\d\-])\d{3}([\- ])\d{2}\1\d{4}(?![\d\-])")
_SSN_CUE = re.compile(r"(?i)\b(?:ssn|social security)\b[^\n]{0,30}$")
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d]|\.\d)")
_IPV6 = re.compile(r"(?i)(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])")


@dataclass(frozen=True)
class IdentifierRecogniser:
    """NHS numbers, NI numbers, payment cards, IBANs, US SSNs and IP addresses."""

    name: str = "identifiers"

    def find(self, text: str) -> list[Span]:
        spans: list[Span] = []
        if not _DIGIT.search(text):
            return spans  # every identifier here has digits; most interview sentences have none
        for match in _NHS.finditer(text):
            if not checksums.nhs_number_valid(match.group()):
                continue
            cued = bool(_NHS_CUE.search(text, max(0, match.start() - 40), match.start()))
            # Phone numbers start with 0; an NHS number that does needs a cue to be believed.
            if match.group().startswith("0") and not cued:
                continue
            spans.append(Span(match.start(), match.end(), NHS_NUMBER, self.name, 1.0 if cued else 0.9))
        for match in _NI.finditer(text):
            raw = match.group()
            letters = "".join(ch for ch in raw if ch.isalpha())
            # Mixed case ("Ab123456C") is a product code or typo, not how NI numbers are written.
            if (letters.isupper() or letters.islower()) and checksums.ni_number_valid(raw):
                spans.append(Span(match.start(), match.end(), NI_NUMBER, self.name, 0.95))
        for match in _CARD.finditer(text):
            if checksums.luhn_valid(match.group()):
                spans.append(Span(match.start(), match.end(), CARD, self.name, 0.9))
        for match in _CARD_SHORT.finditer(text):
            cued = _CARD_CUE.search(text, max(0, match.start() - 30), match.start())
            if cued and checksums.luhn_valid(match.group()):
                spans.append(Span(match.start(), match.end(), CARD, self.name, 0.8))
        for match in _IBAN.finditer(text):
            if checksums.iban_valid(match.group()):
                spans.append(Span(match.start(), match.end(), IBAN, self.name, 1.0))
        for match in _SSN.finditer(text):
            cued = bool(_SSN_CUE.search(text, max(0, match.start() - 40), match.start()))
            if checksums.ssn_valid(match.group()) and (match.group(1) == "-" or cued):
                spans.append(Span(match.start(), match.end(), ID_NUMBER, self.name, 0.85))
        for pattern in (_IPV4, _IPV6):
            for match in pattern.finditer(text):
                raw = match.group()
                if pattern is _IPV6 and raw.count(":") < 3:
                    continue  # clock times and ratios
                if checksums.ip_valid(raw):
                    spans.append(Span(match.start(), match.end(), IP_ADDRESS, self.name, 0.95))
        return spans
