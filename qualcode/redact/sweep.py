"""A second pass for names already known to be people.

Once a name has been recognised anywhere in the corpus (or given as a speaker label), its
other mentions are redacted too, even where no recogniser would fire on them alone: "sarah"
in lower case after "Sarah Okonkwo" was found by NER, or "Okonkwo" on its own. Names that are
also ordinary words ("will", "hope") are not swept; only the context rules may take them.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..model import Span
from . import gazetteer

SOURCE = "known-names"
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
# "Thandiwe Ncube", "Dr O'Brien", "Mary-Jane K. Smith": titles, capitalised words, initials.
_CLEAN_NAME = re.compile(r"(?:[^\W\d_a-z][^\W\d_]*(?:['’\-][^\W\d_]+)*\.?)(?:[ \t]+[^\W\d_a-z][^\W\d_]*(?:['’\-][^\W\d_]+)*\.?)*")


class KnownNames:
    """Person names seen so far: single words, and full names indexed by their first word."""

    def __init__(self) -> None:
        self._words: set[str] = set()
        self._any_case: set[str] = set()  # words from rule-found names: swept in lower case too
        self._full: dict[str, set[tuple[str, ...]]] = {}

    def add(self, surface: str, any_case: bool = True) -> None:
        """Remember a person name; ``any_case=False`` for a model's guesses (capitalised only).

        Single words spread only from names that look like names: one to three capitalised
        words of letters. A model's single-word guess spreads nothing (it may be "Sorry" or
        "Health"), and neither does a stray span such as "Email from Rachel".
        """
        raw = [w for w in _WORD.findall(surface) if _key(w) not in gazetteer.TITLES]
        words = [_key(w) for w in raw]
        if len(words) > 1 and any(_sweepable_word(w) for w in words):
            # "sarah jones" anywhere; not "very good", which no word of makes a name
            self._full.setdefault(words[0], set()).add(tuple(words))
        clean = _CLEAN_NAME.fullmatch(surface.strip()) is not None and 0 < len(raw) <= 3
        listed = [w for w in words if w in gazetteer.first_names() or w in gazetteer.surnames()]
        if clean and (any_case or len(raw) > 1):
            kept = [w for w in words if _sweepable_word(w)]
        else:
            kept = [w for w in listed if _sweepable_word(w)]
        self._words.update(kept)
        if any_case and clean:
            self._any_case.update(kept)

    def __len__(self) -> int:
        """How many names are known: grows whenever a name is learned, and only then."""
        return len(self._words) + len(self._any_case) + sum(map(len, self._full.values()))

    def update(self, surfaces: Iterable[tuple[str, bool]]) -> None:
        for surface, any_case in surfaces:
            self.add(surface, any_case)

    def find(self, text: str) -> list[Span]:
        if not self._words and not self._full:
            return []
        tokens = list(_WORD.finditer(text))
        keys = [_key(t.group()) for t in tokens]
        spans = []
        index = 0
        while index < len(tokens):
            key = keys[index]
            length = self._full_name_at(keys, index)
            if length:
                last = tokens[index + length - 1]
                spans.append(Span(tokens[index].start(), _name_end(last), "PERSON", SOURCE, 0.6))
                index += length
                continue
            if key in self._words and (key in self._any_case or _case_ok(tokens[index].group())):
                spans.append(Span(tokens[index].start(), _name_end(tokens[index]), "PERSON", SOURCE, 0.6))
            index += 1
        return spans

    def _full_name_at(self, keys: list[str], index: int) -> int:
        for name in sorted(self._full.get(keys[index], ()), key=len, reverse=True):
            if tuple(keys[index:index + len(name)]) == name:
                return len(name)
        return 0


def _key(word: str) -> str:
    key = word.lower().replace("’", "'")
    return key[:-2] if key.endswith("'s") and len(key) > 3 else key


def _name_end(token: re.Match[str]) -> int:
    word = token.group()
    return token.end() - 2 if word[-2:].lower() in ("'s", "’s") and len(word) > 3 else token.end()


def _sweepable_word(word: str) -> bool:
    """Whether a word of a found name may be swept for on its own, anywhere in the corpus.

    A listed first name or surname may ("sarah", "jones"); any other word only if it is not
    ordinary English ("okonkwo" may, "service" may not). One false positive such as "Very Friendly & Good
    Service" taken for a name would otherwise replace "very" and "service" in every comment
    of a large survey. A full name is swept as a sequence when one of its words passes this.
    """
    return (
        len(word) >= 3
        and word not in gazetteer.ambiguous_names()
        and word not in gazetteer.NOT_NAME_WORDS
        and not gazetteer.ordinary_word(word)
    )


def _case_ok(surface: str) -> bool:
    """A single word not in the gazetteer must be capitalised to be taken as the known name."""
    key = surface.lower()
    if key in gazetteer.first_names() or key in gazetteer.surnames():
        return True
    return surface[:1].isupper()
