"""Names the gazetteer cannot know, found by the words around them.

A capitalised word is a person's name, whatever the name, when it stands where names stand:
after "my son" or "my neighbour", after "spoke to" or "shouted at", after "Name:" or "Dear",
after a meeting role ("Facilitator:", "chaired by"), after a kinship word used as a title
("Uncle Ray"), addressed at the end of thanks or a sign-off ("Cheers, Niamh."), as a line's
label when the label is no English word or role ("Bronwen: ..."), or as a first name, middle
initial and surname ("Ravil G Yefimov"). Protected terms are
removed later by the resolver, so "called Mind" stays "Mind".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Span
from ..lexicon.words import is_english_word
from . import gazetteer
from .entities import PERSON
from .names import label_candidate

_CAP = r"[^\W\d_a-z][^\W\d_]*(?:['’\-][^\W\d_]+)*"
_NAME = rf"{_CAP}(?:[ \t]+{_CAP}){{0,2}}"
_RELATIONS = (
    r"son|daughter|wife|husband|partner|friend|mum|mom|dad|mother|father|sister|brother|neighbour|"
    r"neighbor|carer|nan|gran|grandma|grandad|grandson|granddaughter|grandchild|niece|nephew|aunt|"
    r"auntie|uncle|cousin|colleague|boss|kid|child|baby|boy|girl|fiance|fiancée|stepson|stepdaughter"
)
_RELATION = re.compile(rf"(?i:\b(?:my|our|his|her|their|your)[ \t]+(?:{_RELATIONS})),?[ \t]+(?P<name>{_NAME})")
_SPEECH = re.compile(
    r"(?i:\b(?:said|says|say|shouted|yelled|screamed|waved|smiled|talked|talking|spoke|speak|speaking|"
    r"chatted|wrote|written|went)[ \t]+(?:to|at|with)|\b(?:asked|told|thanked|named|met|emailed|texted|"
    r"messaged|rang|phoned|married|visited|called|dear|hi|hello|attn)|\b(?:first|last|full|sur|maiden)"
    r"[ \t]?name(?:[ \t]+is)?[ \t]*[:?]?|\bname[ \t]*(?::|is)|\b(?:directed|written|produced|signed)[ \t]+by[ \t]*:?)"
    rf"[ \t]+(?P<name>{_NAME})"
)
# Meeting and notes roles: "Facilitator: Rhodri Baines", "chaired by Amira Khan". Conference
# notes name their facilitators this way, and their names are rarely in any list.
_ROLE = re.compile(
    r"(?i:\b(?:co-?facilitator|facilitator|chair|note-?taker|scribe|presenter|host|lead|contact)"
    r"[ \t]*:|\b(?:facilitated|co-facilitated|chaired|led|run|hosted|presented|organised|organized|"
    r"supervised)[ \t]+by[ \t]*:?)"
    rf"[ \t]+(?P<name>{_NAME})"
)
# Strong naming phrases take the next word whatever its case ("my name is vitoria").
_NAMING = re.compile(
    r"(?i:\bmy[ \t]+name[ \t]+is|\bmy[ \t]+name['’]s|\b(?:call|calls|called|named|name)[ \t]+(?:me|him|her|them|it)|"
    r"\bpeople[ \t]+call[ \t]+me)[ \t]+(?P<name>[^\W\d_][^\W\d_'’\-]*(?:[ \t]+[^\W\d_][^\W\d_'’\-]*)?)"
)
# A name as the subject of a verb only people do ("Timotea lives on Via dei Fiorentini").
_SUBJECT = re.compile(
    rf"(?<![\w'’])(?P<name>{_CAP}(?:[ \t]+{_CAP})?)[ \t]+(?:lives|lived|began|was[ \t]+born|died|says|explained|"
    r"wrote|shouted|replied|whispered|laughed|smiled)\b"
)
_INITIALLED = re.compile(rf"(?<![\w])(?P<name>{_CAP}[ \t]+[A-Z]\.?[ \t]+{_CAP})(?![\w])")
# A kinship word used as a title, capitalised as one: "Uncle Ray", "Auntie Grace", "Nana Joyce".
_KIN_TITLE = re.compile(
    r"(?<![\w'’])(?:Uncle|Auntie|Aunty|Aunt|Nana|Nanna|Nan|Nanny|Gran|Granny|Grandma|Grandad|Grandpa|"
    rf"Grampa|Cousin)[ \t]+(?P<name>{_CAP})"
)
# A name addressed at the end of a greeting, thanks or sign-off: "Cheers, Niamh." "Thanks Jo!"
_VOCATIVE = re.compile(
    r"(?i:\b(?:cheers|thanks|thank[ \t]+you|many[ \t]+thanks|ta|bye|goodbye|see[ \t]+you|love|"
    r"regards|best[ \t]+wishes|kind[ \t]+regards|hiya|hey|morning|afternoon|evening|night|welcome)),?"
    rf"[ \t]+(?P<name>{_CAP}(?:[ \t]+{_CAP})?)(?=[ \t]*(?:[.!?,;)]|$|\n))",
    re.MULTILINE,
)
# A speaker or writer label at the start of a line ("Bronwen: I think...") whose words are
# no English words (so not a heading such as "Summary:") and no role ("Interviewer:").
_LINE_LABEL = re.compile(rf"(?m)^[ \t>*\-]*(?P<name>{_CAP}(?:[ \t]+{_CAP})?)[ \t]*:(?=[ \t]*\S)")


@dataclass(frozen=True)
class NameCueRecogniser:
    """Capitalised names in name positions: relations, speech verbs, form fields, initials."""

    name: str = "name-cues"

    def find(self, text: str) -> list[Span]:
        spans: list[Span] = []
        patterns = ((_RELATION, 0.7), (_SPEECH, 0.65), (_ROLE, 0.7), (_INITIALLED, 0.7), (_NAMING, 0.7),
                    (_SUBJECT, 0.6), (_KIN_TITLE, 0.7), (_VOCATIVE, 0.6))
        for pattern, score in patterns:
            for match in pattern.finditer(text):
                start, end = _name_words(text, match.start("name"), match.end("name"))
                if start < end and (pattern is not _VOCATIVE or _could_be_addressed(text[start:end])):
                    spans.append(Span(start, end, PERSON, self.name, score))
        for match in _LINE_LABEL.finditer(text):
            if _unknown_label(match.group("name")):
                spans.append(Span(match.start("name"), match.end("name"), PERSON, self.name, 0.6))
        return spans


def _could_be_addressed(name: str) -> bool:
    """After "thanks" a capitalised word may be a name or just a word ("many thanks Indeed"):
    a known first name, or a word that is no English word."""
    first = name.split()[0].lower()
    return first in gazetteer.first_names() or not is_english_word(first)


def _unknown_label(label: str) -> bool:
    """A line label that can only be a name: a label that may be one (no role, form field or
    heading word), with no title or English word in it either."""
    return label_candidate(label) and not any(
        word in gazetteer.TITLES or is_english_word(word) for word in label.lower().split())


def _name_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Keep the leading run of words that can be part of a name (stop at "Monday", "And")."""
    kept_end = start
    for index, word in enumerate(re.finditer(r"\S+", text[start:end])):
        key = word.group().lower().strip(".,'’")
        if key in gazetteer.NOT_NAME_WORDS or key in gazetteer.TITLES:
            break
        if index and not word.group()[:1].isupper() and key not in gazetteer.surnames():
            break  # a lower-case second word is a name only when it is a known surname
        kept_end = start + word.end()
    return start, kept_end
