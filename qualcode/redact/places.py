"""Places named where places are named, and zip codes written after a place.

NER misses place names it has not seen, especially in capitals ("flew to LEPPEN") or in
foreign spellings. A capitalised name after a verb of moving, living or coming from ("moved
here from Fortaleza", "lives in Tavistock") is taken as a place. A 4-5 digit number right
after a capitalised place name ("Bjert 6091", "ARENDAL 4844") is taken as its postal code,
unless it looks like a year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Span
from . import gazetteer
from .entities import LOCATION, ORGANISATION, POSTCODE

_CAP = r"[^\W\d_a-z][^\W\d_]*(?:['’\-][^\W\d_]+)*"
_JOIN = r"(?:de|la|del|do|da|dos|das|upon|on|en|sur|am|im|an|der|den|di|y|i)"
_PLACE = rf"{_CAP}(?:[ \t]+(?:{_JOIN}[ \t]+)?{_CAP}){{0,3}}"
_CUE = re.compile(
    r"(?i:\b(?:moved|moving|move|flew|fly|flying|travelled|traveled|went|go|going|came|come|coming|born|"
    r"live|lives|living|lived|grew[ \t]+up|originally|based|visiting|visited|relocated|emigrated|stayed|"
    r"staying|holiday|holidays|raised|settled|arrived|arriving|located|am|i['’]m|are|is|was|were)"
    r"(?:[ \t]+(?:here|back|up|down|over|out|away|there|home|currently|now))?"
    r"[ \t]+(?:to|from|in|at|near)|\bfrom|\bhome[ \t]+(?:city|town)|\bcity[ \t]+of|\btown[ \t]+of|"
    r"\b(?:locality|location|town|city|village|area|region|county|borough|site|place[ \t]+of[ \t]+birth)[ \t]*:)"
    rf"[ \t]+(?P<place>{_PLACE})"
)
_ZIP_AFTER_PLACE = re.compile(rf"(?<![\w])(?P<place>{_CAP})[ \t]+(?P<zip>\d{{4,5}}|\d{{3}} \d{{2}})(?![\w\-]|[.,]\d)")
# Words that a number follows without being a postcode ("Suite 5012", "Windows 2000").
_NOT_PLACE_BEFORE_NUMBER = frozenset(
    """
    apt apartment suite unit room ward flat box bed bay gate platform level floor page chapter
    section version model windows office pin code number no card year class route bus flight
    extension ext order ref reference account invoice ticket item step phase week day
    """.split()
)


# Organisations named after a cue of employment ("I work for Socrata", "a year at Weeks-Rivas").
_EMPLOYER = re.compile(
    r"(?i:\b(?:work|works|worked|working|employed|job|jobs|year|years|months|internship|placement|"
    r"volunteer|volunteered|volunteering)[ \t]+(?:for|at|with|by))"
    rf"[ \t]+(?P<org>{_PLACE})"
)


@dataclass(frozen=True)
class PlaceRecogniser:
    """Places after moving/living cues; postal codes after place names."""

    name: str = "places"

    def find(self, text: str) -> list[Span]:
        spans: list[Span] = []
        for match in _CUE.finditer(text):
            start, end = match.start("place"), _place_end(text, match.start("place"), match.end("place"))
            if start < end:
                spans.append(Span(start, end, LOCATION, self.name, 0.55))
        for match in _EMPLOYER.finditer(text):
            start, end = match.start("org"), _place_end(text, match.start("org"), match.end("org"))
            if start < end:
                spans.append(Span(start, end, ORGANISATION, self.name, 0.55))
        for match in _ZIP_AFTER_PLACE.finditer(text):
            place, code = match.group("place"), match.group("zip")
            if place.lower() in _NOT_PLACE_BEFORE_NUMBER or place.lower() in gazetteer.NOT_NAME_WORDS:
                continue
            if re.fullmatch(r"(?:19|20)\d\d", code):
                continue
            spans.append(Span(match.start("zip"), match.end("zip"), POSTCODE, self.name, 0.5))
        return spans


def _place_end(text: str, start: int, end: int) -> int:
    """Stop the place at a word that cannot be part of it ("Plymouth On Monday")."""
    kept = start
    for word in re.finditer(r"\S+", text[start:end]):
        if word.group().lower().strip(".,") in gazetteer.NOT_NAME_WORDS:
            break
        kept = start + word.end()
    return kept
