"""Named health and care organisations: practices, surgeries, PCNs, trusts, hospitals, clinics.

Interviewees name their practice ("Riverside Surgery", "Tamar Valley PCN", "St Mary's Medical
Centre"), and a named practice can identify a participant in a small place. A name is one to
five capitalised words ending in an organisation word. Generic phrases ("the GP Surgery",
"Local Hospital", "Mental Health Trust") are left alone: at least one word of the name must be
distinctive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Span
from . import gazetteer
from .entities import ORGANISATION

_KINDS = (
    r"Surgery|Medical\s+Centre|Medical\s+Center|Health\s+Centre|Health\s+Center|Medical\s+Practice|"
    r"Group\s+Practice|Family\s+Practice|Practice|PCN|Primary\s+Care\s+Network|Clinic|Hospital|"
    # Wales: GP clusters play the part of PCNs, and health boards that of trusts.
    r"Cluster|Health\s+Board|"
    r"Hospitals|Hospice|Infirmary|(?:NHS\s+)?(?:Foundation\s+)?Trust|Care\s+Home|Nursing\s+Home|"
    r"Residential\s+Home|Pharmacy|Chemist|Healthcare|Health\s+Care|Partnership|ICB|CCG|"
    r"Integrated\s+Care\s+Board|Clinical\s+Commissioning\s+Group|Council|Housing\s+Association|"
    r"Community\s+Centre|Day\s+Centre|Children['’]s\s+Centre|Family\s+Centre|Leisure\s+Centre|"
    r"Food\s*bank|Primary\s+School|School|Academy|College|University|Church|Chapel|Mosque|Temple|"
    r"Gurdwara|Synagogue|Library|Ltd\.?|Limited|PLC|plc|LLP|LLC|Inc\.?|Corp\.?|Corporation|"
    r"Group|Associates|Foundation|Charity|Trust\s+Fund|Society|Services|Solutions|Consulting|"
    r"Partners|Holdings|Industries|Enterprises|Company|Co\.|& Co\.?|and\s+Sons|& Sons"
)
_NAME_WORD = r"(?:St\.?|Saint|[A-Z][\w’'\-]*|[A-Z]{2,}|&|and|of|on|upon|the|de|la|\d+)"
_ORG = re.compile(
    rf"(?<![\w])(?P<name>(?:St\.?\s+|Saint\s+)?[A-Z][\w’'\-]*(?:[ \t]+{_NAME_WORD}){{0,5}}?)[ \t]+(?P<kind>{_KINDS})(?![\w])"
)
# Words that on their own do not make a name distinctive.
_GENERIC = frozenset(
    """
    the a an my our your his her their this that local main new old general district community
    primary secondary private specialist mental health nhs gp gps university royal county city
    central national regional care medical family group practice children's childrens child
    adult adults older day and of on upon & st st. saint de la services service social council
    hospital surgery clinic trust foundation partnership network the village town high
    support walking carers carer parish borough sunday grammar infant junior nursery senior
    dementia cancer diabetes memory pain fracture falls eye dental heart stroke sexual maternity
    outpatient outpatients a&e walk-in urgent emergency minor injuries injury respiratory
    physiotherapy physio podiatry weight management wellbeing well-being recovery addiction drug
    alcohol smoking fertility sleep skin renal kidney liver lung breast memory hearing vision
    teaching research peer men's women's young youth elderly disability disabilities learning
    """.split()
)
# Lower case words allowed inside a name ("Bishop of Exeter Academy", "Newton upon Derwent").
_JOINERS = frozenset({"&", "and", "of", "on", "upon", "the", "de", "la"})


_CAPS = r"[^\W\d_a-z][\w’'&.\-]*(?:[ \t]+(?:and[ \t]+|&[ \t]+|of[ \t]+)?[^\W\d_a-z][\w’'&.\-]*){0,3}"
# "Transunion is a 501(c)3", "Persint is an German multinational": what the sentence says it is.
_IS_AN_ORG = re.compile(
    rf"(?<![\w])(?P<name>{_CAPS})[ \t]+(?:is|was|are|were)[ \t]+(?:a|an|the)[ \t]+(?:[\w\-]+[ \t]+){{0,2}}?"
    r"(?:company|firm|agency|start-?up|multinational|charity|non-?profit|organi[sz]ation|business|brand|"
    r"brainchild|501\(c\)\(?3\)?|corporation|provider|supplier|retailer|bank|employer|consultancy)\b"
)
# "the Roadify Transit website", "The Propublica office".
_THE_ORG_THING = re.compile(
    rf"(?i:\bthe)[ \t]+(?P<name>{_CAPS})[ \t]+(?:website|web[ \t]?site|app|office|offices|headquarters|hq|helpline)\b"
)


@dataclass(frozen=True)
class OrganisationRecogniser:
    """Capitalised organisation names ending in a kind word: "Riverside Surgery", "Tamar Valley PCN"."""

    name: str = "organisations"

    def find(self, text: str) -> list[Span]:
        spans: list[Span] = []
        for match in _ORG.finditer(text):
            start = self._trim_leading(text, match.start("name"), match.end("name"))
            start = self._after_listed_people(text, start, match.end("name"))
            words = text[start:match.end("name")].split()
            if not words or words[-1].lower() in _JOINERS:
                continue
            distinctive = [w for w in words if w.lower().strip(".,") not in _GENERIC]
            if not distinctive:
                continue
            spans.append(Span(start, match.end(), ORGANISATION, self.name, 0.8))
        for pattern in (_IS_AN_ORG, _THE_ORG_THING):
            for match in pattern.finditer(text):
                name = match.group("name")
                if name.split()[0].lower() in gazetteer.NOT_NAME_WORDS:
                    continue
                spans.append(Span(match.start("name"), match.end("name"), ORGANISATION, self.name, 0.6))
        return spans

    @staticmethod
    def _after_listed_people(text: str, start: int, end: int) -> int:
        """"Nurse Jones and Tamar Valley PCN": a name joined by "and" to a person is two things."""
        joiners = list(re.finditer(r"[ \t](?:and|&)[ \t]", text[start:end]))
        if not joiners:
            return start
        before = text[start:start + joiners[-1].start()].split()
        looks_personal = any(
            w.lower().rstrip(".") in gazetteer.TITLES or w.lower() in gazetteer.first_names() for w in before
        )
        return start + joiners[-1].end() if looks_personal or len(before) > 2 else start

    @staticmethod
    def _trim_leading(text: str, start: int, end: int) -> int:
        """Drop leading generic words ("The", "Our", "Local") that the pattern swept up."""
        for word in re.finditer(r"\S+", text[start:end]):
            token = word.group().lower()
            if token in ("the", "a", "an", "my", "our", "your", "his", "her", "their", "this", "that", "at", "to"):
                continue
            return start + word.start()
        return end
