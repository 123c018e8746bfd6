"""People's names that a statistical NER model misses in interview material.

Transcripts are often lower case ("i spoke to sarah"), use titles ("Dr Patel", "Mrs K.",
"Nurse Jones"), put names in speaker labels ("Sarah: ..."), and use first names that are also
ordinary words ("Will and I", "spoke to Hope"). This recogniser covers those with a gazetteer
shipped in ``data/`` and a few context rules. A name that is also a word ("will", "hope",
"may", "brown") is only taken in name context: a title before it, a surname after it, a verb of
speaking or meeting before it ("spoke to", "called"), "and I" or "said" after it, or a speaker
label. So "I will", "I hope", "May was the worst month" and "Faith in the service" stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ..model import Span
from . import gazetteer
from .entities import PERSON

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_TITLE_INITIAL = re.compile(r"(?<![\w])(?P<title>[A-Z][a-z]{1,9}\.?)[ \t]+([A-Z]\.?)(?![\w])")

# Words before an ambiguous name that make it a name: speaking, meeting, naming.
_CUE_ONE = frozenset("called named rang phoned met emailed texted messaged contacted thanked dear".split())
# Weaker cues, trusted only before a capitalised word ("told Will", not "told will").
_CUE_ONE_CAPITALISED = frozenset("asked told saw visited meet meeting love with".split())
_CUE_TWO = frozenset(
    {
        ("spoke", "to"), ("spoke", "with"), ("speak", "to"), ("speak", "with"), ("speaking", "to"),
        ("speaking", "with"), ("talk", "to"), ("talked", "to"), ("talking", "to"), ("chatted", "to"),
        ("chatted", "with"), ("went", "with"), ("came", "with"), ("was", "with"), ("name", "is"),
        ("name", "was"), ("known", "as"), ("seen", "by"), ("referred", "to"), ("spoken", "to"),
        ("thanks", "to"), ("me", "and"), ("you", "to"),
    }
)
_RELATIONS = frozenset(
    """
    daughter son wife husband partner friend mum dad mother father sister brother neighbour
    neighbor carer nan gran grandson granddaughter niece nephew aunt auntie uncle cousin colleague
    boss manager worker coordinator gp nurse doctor consultant therapist counsellor keyworker
    """.split()
)
# Words after an ambiguous name that make it a name: it is the subject of speech or a visit.
_AFTER_VERBS = frozenset(
    """
    said says told asked rang phoned called texted emailed came comes visited explained mentioned
    suggested replied answered helped thinks reckons agreed laughed shouted arrived knows wrote
    """.split()
)
_DETERMINERS = frozenset("the a an this that these those every each no any".split())
_NAMING_CUE = re.compile(r"(?i)\b(?:my name is|my name's|i'm called|i am called|named|known as)\s+$")
_LINE_LABEL_END = re.compile(r"[ \t]*:")
_ROLE_AFTER_TITLE = frozenset(
    "practitioner manager lead who said came told asked nurse and or in at on the".split()
)


class _Token(NamedTuple):
    # A NamedTuple, not a dataclass: hundreds of thousands are made for a long transcript.
    start: int
    end: int
    text: str
    key: str  # lower case, possessive dropped, curly apostrophe straightened

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper() and not (len(self.text) > 1 and self.text.isupper())


@lru_cache(maxsize=None)
def _interesting_words() -> frozenset[str]:
    return gazetteer.first_names() | gazetteer.surnames() | gazetteer.ambiguous_names() | gazetteer.TITLES


def _tokens(text: str) -> list[_Token]:
    tokens = []
    append = tokens.append
    for match in _WORD.finditer(text):
        word = match.group()
        start, end = match.span()
        if word[-2:] in _POSSESSIVES and len(word) > 2:
            word, end = word[:-2], end - 2
        append(_Token(start, end, word, word.lower().replace("’", "'")))
    return tokens


_POSSESSIVES = frozenset({"'s", "’s", "'S", "’S"})


def _adjacent(text: str, left: _Token, right: _Token) -> bool:
    """Only spaces (or an initial's full stop) between two words: same name, same line."""
    gap = text[left.end:right.start]
    if gap.strip(" ") == "" and 0 < len(gap) <= 2:
        return True
    # An initial's or a title's full stop: "Vanessa P. Hertzog", "Mrs. Baker".
    abbreviated = (len(left.text) == 1 and left.text.isupper()) or left.key in gazetteer.TITLES
    return abbreviated and gap.strip(" ") == "." and len(gap) <= 3


def sentence_start(text: str, start: int, openers: str = ".!?\n:;") -> bool:
    """The word at ``start`` opens the text, a line or a sentence (after one of ``openers``):
    its capital says nothing about whether it is a name."""
    before = text[max(0, start - 12):start].rstrip(" \t\"'“‘(")  # a window: O(1) on long texts
    return (not before and start < 12) or (bool(before) and before[-1] in openers)


@dataclass(frozen=True)
class NameRecogniser:
    """Names from the shipped gazetteer, titles and speaker labels, with context for word-names."""

    name: str = "names"

    def find(self, text: str) -> list[Span]:
        tokens = _tokens(text)
        interesting = _interesting_words()
        spans: list[Span] = []
        index = 0
        while index < len(tokens):
            # Most words are neither names nor titles: one set lookup settles them.
            found = self._name_at(text, tokens, index) if tokens[index].key in interesting else None
            if found is None:
                index += 1
                continue
            start, end, last, score = found
            spans.append(Span(start, end, PERSON, self.name, score))
            index = last + 1
        spans.extend(self._initials_after_titles(text, tokens))
        spans.extend(self._dialogue_labels(text))
        return spans

    def _dialogue_labels(self, text: str) -> list[Span]:
        """In a dialogue where some speaker labels are known names, the others are names too."""
        if ":" not in text:
            return []
        labels = [m for m in _LABEL_LINE.finditer(text) if label_candidate(m.group("label"))]
        if len({m.group("label").lower() for m in labels}) < 2:
            return []
        names = gazetteer.first_names() | gazetteer.ambiguous_names() | gazetteer.surnames()
        known = [m for m in labels if m.group("label").split()[0].lower() in names]
        if not known:
            return []
        # Speaker labels of one transcript share their case; "role:" in a lower-case header
        # is not a speaker beside "Sarah:".
        capitalised = known[0].group("label")[:1].isupper()
        return [
            Span(m.start("label"), m.end("label"), PERSON, self.name, 0.7)
            for m in labels
            if m.group("label")[:1].isupper() == capitalised
        ]

    def _name_at(self, text: str, tokens: list[_Token], i: int) -> tuple[int, int, int, float] | None:
        token = tokens[i]
        key = token.key
        firsts, surs, ambiguous = gazetteer.first_names(), gazetteer.surnames(), gazetteer.ambiguous_names()
        known = key in firsts or key in surs or key in ambiguous
        if key in gazetteer.TITLES and i + 1 < len(tokens):
            nxt = tokens[i + 1]
            if _adjacent(text, token, nxt) and self._after_title_is_name(nxt, firsts, surs, ambiguous):
                last = self._extend(text, tokens, i + 1, capitalised=nxt.capitalised)
                return nxt.start, tokens[last].end, last, 0.85
        if not known:
            return None
        if _is_speaker_label(text, tokens, i):
            last = i + 1 if i + 1 < len(tokens) and _is_speaker_label(text, tokens, i, two_words=True) else i
            return token.start, tokens[last].end, last, 0.9
        if key in ambiguous:
            if not has_name_context(text, token.start, token.end):
                return None
            last = self._extend(text, tokens, i, capitalised=token.capitalised)
            return token.start, tokens[last].end, last, 0.75
        if key in firsts:
            last = self._extend(text, tokens, i, capitalised=token.capitalised)
            return token.start, tokens[last].end, last, 0.8 if token.capitalised else 0.7
        # A surname alone; take a capitalised word before it as the first name ("Xanthe Patel").
        first = i
        if i > 0 and token.capitalised:
            prev = tokens[i - 1]
            if prev.capitalised and _adjacent(text, prev, token) and prev.key not in gazetteer.NOT_NAME_WORDS:
                first = i - 1
        return tokens[first].start, token.end, i, 0.7

    @staticmethod
    def _after_title_is_name(nxt: _Token, firsts, surs, ambiguous) -> bool:
        if nxt.key in gazetteer.NOT_NAME_WORDS or nxt.key in _ROLE_AFTER_TITLE:
            return False
        if nxt.capitalised:
            return True
        return nxt.key in firsts or nxt.key in surs or nxt.key in ambiguous

    @staticmethod
    def _extend(text: str, tokens: list[_Token], i: int, capitalised: bool) -> int:
        """The last token of the name starting at ``i``: a following surname, if any."""
        last = i
        while last + 1 < len(tokens) and last - i < 2:
            nxt = tokens[last + 1]
            if not _adjacent(text, tokens[last], nxt) or nxt.key in gazetteer.NOT_NAME_WORDS:
                break
            single_initial = len(nxt.text) == 1 and nxt.text.isupper()
            if nxt.capitalised and (capitalised or nxt.key in gazetteer.surnames()):
                last += 1
            elif single_initial and capitalised:
                last += 1
            elif not nxt.capitalised and nxt.key in gazetteer.surnames() and nxt.key not in gazetteer.ambiguous_names():
                last += 1
            else:
                break
        return last

    def _initials_after_titles(self, text: str, tokens: list[_Token]) -> list[Span]:
        """"Mrs K." and "Dr J": a title, then a single capital letter."""
        return [
            Span(match.start(2), match.end(2), PERSON, self.name, 0.8)
            for match in _TITLE_INITIAL.finditer(text)
            if match.group("title").lower().rstrip(".") in gazetteer.TITLES
        ]


_LABEL_LINE = re.compile(
    r"(?m)^[ \t>]*(?P<label>[^\W\d_][^\W\d_'’\-]*(?:[ \t][^\W\d_][^\W\d_'’\-]*)?)[ \t]*:(?=[ \t]*\S)"
)


def label_candidate(label: str) -> bool:
    """A line label that may be a name: no role ("Interviewer"), form field or heading word."""
    words = label.lower().split()
    return not (
        gazetteer.ROLE_LABEL.match(label)
        or any(w in gazetteer.FIELD_LABELS or w in gazetteer.NOT_NAME_WORDS for w in words)
    )


def _is_speaker_label(text: str, tokens: list[_Token], i: int, two_words: bool = False) -> bool:
    """A name at the start of a line followed by a colon: "Sarah:" or "Sarah Jones:"."""
    token = tokens[i]
    line_start = text.rfind("\n", 0, token.start) + 1
    if text[line_start:token.start].strip():
        return False
    last = tokens[i + 1] if two_words else token
    if two_words and not (last.capitalised and _adjacent(text, token, last)):
        return False
    return bool(_LINE_LABEL_END.match(text, last.end))


def has_name_context(text: str, start: int, end: int) -> bool:
    """Whether the word at ``text[start:end]`` reads as a person's name in its sentence.

    Used for names that are also ordinary words. A capitalised word needs one cue; a lower
    case one needs a naming or speaking cue before it.
    """
    word = text[start:end]
    capitalised = word[:1].isupper()
    before_words = [w.lower() for w in _WORD.findall(text[max(0, start - 40):start])]
    after = text[end:end + 40]
    after_words = [w.lower() for w in _WORD.findall(after)]
    prev = before_words[-1] if before_words else ""
    prev2 = tuple(before_words[-2:]) if len(before_words) >= 2 else ()
    if _NAMING_CUE.search(text[max(0, start - 20):start]):
        return True
    if prev in _CUE_ONE or prev2 in _CUE_TWO or (capitalised and prev in _CUE_ONE_CAPITALISED):
        return True
    if prev in _RELATIONS and len(before_words) >= 2 and before_words[-2] in ("my", "our", "her", "his", "their", "your"):
        return True
    if not capitalised:
        return False
    if prev in _DETERMINERS:
        return False  # "the Silver Line", "a Mark of quality": a name rarely follows an article
    if after_words[:2] in (["and", "i"], ["and", "me"], ["and", "myself"]):
        return True
    if after_words[:1] and after_words[0] in _AFTER_VERBS and after[:1] == " ":
        return True
    mid_sentence = not sentence_start(text, start)
    if mid_sentence and after[:2] in ("'s", "’s"):
        return True
    follower = _WORD.match(after.lstrip(" ")) if after[:1] == " " else None
    if follower and follower.group()[:1].isupper() and after[:2] != "  ":
        key = follower.group().lower()
        if key in gazetteer.surnames() and key not in gazetteer.ambiguous_names():
            return True
        if mid_sentence and key not in gazetteer.NOT_NAME_WORDS and key not in gazetteer.ambiguous_names() \
                and key not in gazetteer.first_names():
            return True
    return False
