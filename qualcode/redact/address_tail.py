"""Where an address ends: the parts that follow a street line.

"14 Fernbank Road, Plymouth PL4 6AB", "1234 Elm St, Springfield, IL 62704", and the multi-line
blocks of letters and forms ("20789 Allika 46 / Suite 501 / Riisa / Estonia 62488") continue
past the street with a flat or suite number, a town, a region or state code, a country and a
postal code, separated by commas, spaces or line breaks (with e-mail quote marks). Each part
is taken only when it reads as one: capitalised or upper-case words, known joiners ("de",
"upon"), a postcode or zip. A sentence going on ("..., and then I went") stops it.
"""

from __future__ import annotations

import re

from . import gazetteer

_UNIT = r"(?:flat|apartment|apt|unit|suite|ste|room|studio|floor|fl|no|#)\.?"
_TAIL_UNIT = re.compile(rf"(?i){_UNIT}[ \t]*\d+[A-Za-z]?(?![\w])")
# Between parts of an address: a comma, a line break (with e-mail quote marks), or spaces.
_TAIL_SEP = re.compile(r"[ \t\r]*(?:,[ \t\r]*(?:\n[ \t\r>?*]*)?|\n[ \t\r>?*]*(?:\n[ \t\r>?*]*)?)[ \t\r]*,?[ \t\r]*|[ \t\r]+")
_JOINER = r"(?:de|la|le|les|del|do|da|dos|das|na|u|v|di|van|von|der|den|ter|ten|am|im|an|sur|upon|on|y|i)"
_TAIL_PART = re.compile(
    r"(?P<postcode>[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}(?![\w])|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d(?![\w]))"
    r"|(?P<zip>(?:\d{3,6}(?:[- ]\d{2,4})?|\d{2}-\d{3})(?![\w\-]))"
    r"|(?P<words>(?:[^\W\d_]|[∆(])(?:[^\W\d]|['’.\-∆()])*(?:[ \t]+(?:[^\W\d_]|[∆(])(?:[^\W\d]|['’.\-∆()])*){0,4}(?![\w]))"
)
_NOT_TAIL = frozenset(
    "i and but so the a an my our your he she we they it this that then which who when where "
    "if or because there here yes no ok okay is are was were be for to of with at in on by from "
    "please thanks thank can could would will have has had do does did not".split()
)


def extend_tail(text: str, end: int, limit: int = 7) -> int:
    """Extend an address end over flat/suite numbers, towns, regions, countries and postcodes."""
    after_unit = bool(re.search(r"(?i)(?:apt|suite|unit|flat)\.?[ \t]*\d+[A-Za-z]?$", text[max(0, end - 16):end]))
    for _ in range(limit):
        sep = _TAIL_SEP.match(text, end)
        if not sep:
            break
        separator = sep.group()
        unit = _TAIL_UNIT.match(text, sep.end())
        if unit:
            end, after_unit = unit.end(), True
            continue
        part = _TAIL_PART.match(text, sep.end())
        if not part:
            break
        if separator.count("\n") > 1 and not _has_zip(_line_from(text, sep.end())):
            break  # a blank line ends the address unless a country-and-zip line follows
        loose = "," not in separator and "\n" not in separator
        caps = bool(part.group("words")) and part.group("words").upper() == part.group("words")
        if part.group("words") and not caps:
            words = part.group("words").split()
            lowered = [w.lower() for w in words]
            if (loose and not after_unit) or lowered[0] in _NOT_TAIL or any(w in _NOT_TAIL for w in lowered):
                break
            zip_follows = re.match(r"[ \t]+\d{3,6}(?![\w])", text[part.end():part.end() + 12])
            if not all(w[:1].isupper() or re.fullmatch(_JOINER, w) or w[:1] == "(" for w in words) \
                    and "\n" not in separator and not zip_follows:
                break
            if lowered[0] in gazetteer.first_names():
                break
        if loose and not (part.group("postcode") or part.group("zip") or caps or after_unit):
            break
        end, after_unit = part.end(), False
    return end


def _line_from(text: str, start: int) -> str:
    end = text.find("\n", start, start + 120)
    return text[start:end if end >= 0 else start + 120]


def _has_zip(part: str) -> bool:
    return bool(re.search(r"\d{3,}", part))
