"""Empty and filler answers ("n/a", "nothing", "-"): one definition for every stage.

Survey free text is full of answers that say nothing. They are kept as segments (nothing is
lost), but never make a column look like free text, are never coded, and are set aside
before clustering (with the rest they form a large, meaningless topic) and counted. Only
answers that are *entirely* filler count: "Nothing, the staff were lovely" is a real answer,
and is coded; topics set such survey answers aside under a reason of their own, "nothing to
improve" (see :mod:`qualcode.lexicon.nothing_to_improve`).
"""

from __future__ import annotations

import re
from typing import Mapping

from qualcode.lexicon.nothing_to_improve import is_nothing_to_improve

# Why topics set an answer aside (besides its speaker role), and how counts of each read.
FILLER = "filler"
NOTHING_TO_IMPROVE = "nothing_to_improve"
_REASON_NAMES = {FILLER: "empty or filler", NOTHING_TO_IMPROVE: "'nothing to improve'",
                 "interviewer": "interviewer turns", "preamble": "preamble"}

# Compared after lower-casing, straightening apostrophes and dropping punctuation and spaces
# at the ends, so "N/A.", " none " and "No comment!" all match.
FILLER_ANSWERS = frozenset({
    "", "n/a", "na", "n.a", "n a", "nil", "none", "no", "nope", "nothing", "nothing really",
    "nothing at all", "nothing else", "nothing to add", "nothing to say", "nothing to report",
    "no comment", "no comments", "no further comments", "no further comment", "not applicable",
    "not sure", "unsure", "don't know", "dont know", "do not know", "dk", "idk", "no idea",
    "i don't know", "i dont know", "i do not know", "i'm not sure", "im not sure", "not really sure",
    "i don't think so", "i dont think so", "no idea really", "don't know really",
    "none really", "none at all", "no answer", "pass", "same", "same as above", "as above",
    "see above", "ditto", "x", "?", "...", "tbc", "null",
})

# An answer made only of these words, with at least one of _NON_ANSWER_CORE, says nothing
# more than "nothing": "No, nothing else to add", "Nothing at all, thank you", "Nothing I
# can think of". Words that carry a judgement ("good", "fine", "staff") keep an answer in.
_NON_ANSWER_CORE = frozenset({"nothing", "none", "nil", "nope", "n/a", "na"})
_NON_ANSWER_WORDS = _NON_ANSWER_CORE | frozenset({
    "no", "really", "at", "all", "absolutely", "else", "whatsoever", "thank", "thanks", "you",
    "to", "add", "say", "report", "comment", "comments", "further", "more", "much", "i", "can",
    "can't", "cant", "cannot", "could", "think", "of", "so", "far", "as", "yet", "that", "comes",
    "mind", "springs", "in", "this", "time", "for", "now", "the", "moment", "present", "sorry",
})
_WORD = re.compile(r"[a-z/']+")
_EDGE_PUNCTUATION = re.compile(r"^[\s\W_]+|[\s\W_]+$")
_SPACES = re.compile(r"\s+")
_HAS_WORD = re.compile(r"[^\W_]")


def is_filler(text: str, extra: frozenset[str] = frozenset()) -> bool:
    """True when ``text`` is blank, punctuation only, or a stock non-answer.

    >>> is_filler(" N/A. "), is_filler("No, nothing else to add"), is_filler("Nothing, all good")
    (True, True, False)
    """
    if not _HAS_WORD.search(text):
        return True  # blank, "-", "...", "?": nothing to cluster
    normal = _SPACES.sub(" ", text.replace("\u2019", "'").lower())
    if normal.strip() in FILLER_ANSWERS or normal.strip() in extra:
        return True  # kept before trimming so "n/a" and "..." match as written
    normal = _EDGE_PUNCTUATION.sub("", normal)
    if normal in FILLER_ANSWERS or normal in extra:
        return True
    words = set(_WORD.findall(normal))
    return bool(words & _NON_ANSWER_CORE) and words <= _NON_ANSWER_WORDS


def set_aside_reason(text: str, extra: frozenset[str] = frozenset(),
                     nothing_to_improve: bool = True) -> str | None:
    """Why topics should not cluster ``text``: :data:`FILLER`, :data:`NOTHING_TO_IMPROVE` or None.

    >>> set_aside_reason("N/A"), set_aside_reason("Nothing, all great"), set_aside_reason("Nothing, it was cold")
    ('filler', 'nothing_to_improve', None)
    """
    if is_filler(text, extra):
        return FILLER
    if nothing_to_improve and is_nothing_to_improve(text):
        return NOTHING_TO_IMPROVE
    return None


def set_aside_name(reason: str) -> str:
    """How a set-aside reason reads in a report: "filler" -> "empty or filler"."""
    return _REASON_NAMES.get(reason, reason.replace("_", " "))


def describe_set_aside(counts: Mapping[str, int]) -> str:
    """Counts of set-aside segments by reason, in words; "" when there are none.

    >>> describe_set_aside({"filler": 970, "nothing_to_improve": 704})
    "970 empty or filler, 704 'nothing to improve'"
    """
    known = list(_REASON_NAMES)
    order = sorted(counts, key=lambda r: (known.index(r) if r in known else len(known), r))
    return ", ".join(f"{counts[reason]:,} {set_aside_name(reason)}" for reason in order if counts[reason])
