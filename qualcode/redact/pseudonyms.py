"""Consistent replacements across a corpus, and the re-identification key they imply.

The :class:`PseudonymMap` decides which mentions are the same entity and numbers entities per
label in order of first appearance, so a run over the same inputs in the same order always
gives the same tags. People are linked by name parts: after "Priya Patel", "Priya", "patel"
and "Dr Patel" are the same person; a first name seen alone is joined to the first full name
that starts with it. The :class:`RedactionKey` is the only object that holds original text;
it never prints it and is written to disk only when asked.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import gazetteer
from .entities import PERSON
from .operators import Operator

_NAME_TOKEN = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*")


@dataclass
class _Entity:
    """One real-world entity: its label, number, and (for people) the name parts seen."""

    label: str
    number: int
    first: str = ""
    last: str = ""


@dataclass
class RedactionKey:
    """The re-identification key: original surface form -> replacement, per label.

    Keep it apart from redacted outputs. ``repr`` shows counts only, so a key that ends up
    in a log or traceback does not leak what it holds.
    """

    operator: str = "tag"
    _entries: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    def add(self, label: str, original: str, replacement: str) -> None:
        self._entries.setdefault((label, original), replacement)

    def mapping(self, label: str) -> dict[str, str]:
        """original -> replacement for one label."""
        return {orig: rep for (lab, orig), rep in self._entries.items() if lab == label}

    def to_dict(self) -> dict:
        return {
            "format": "qualcode-redaction-key",
            "version": 1,
            "operator": self.operator,
            "entries": [
                {"label": label, "original": original, "replacement": replacement}
                for (label, original), replacement in self._entries.items()
            ],
        }

    def to_json(self, path: str | os.PathLike[str]) -> Path:
        """Write the key to ``path``, readable by its owner only."""
        target = Path(path)
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(self.to_dict(), handle, ensure_ascii=False, indent=1)
            handle.write("\n")
        return target

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        labels = sorted({label for label, _ in self._entries})
        return f"RedactionKey(operator={self.operator!r}, entries={len(self)}, labels={labels})"


class PseudonymMap:
    """Which mention is which entity, and what replaces it; owned by one Redactor."""

    def __init__(self, operator: Operator) -> None:
        self.operator = operator
        self.key = RedactionKey(operator=operator.name)
        self._counters: dict[str, int] = {}
        self._by_key: dict[tuple[str, str], tuple[_Entity, str]] = {}
        self._person_parts: dict[str, _Entity] = {}  # name part -> most recent full-name person
        self._people_by_name: dict[tuple[str, str], _Entity] = {}  # (first, last) -> person
        self._single_people: dict[str, _Entity] = {}  # one-word people not yet given a full name

    def replace(self, label: str, surface: str) -> str:
        """The replacement for one mention; records it in the key."""
        entity, part = self._entity(label, surface)
        replacement = self.operator.render(label, entity.number, part, surface)
        self.key.add(label, surface, replacement)
        return replacement

    def known_person_names(self) -> set[str]:
        """Every person name form seen so far, lower case (for the second sweep)."""
        return {key for (label, key) in self._by_key if label == PERSON}

    def _new(self, label: str) -> _Entity:
        self._counters[label] = self._counters.get(label, 0) + 1
        return _Entity(label, self._counters[label])

    def _entity(self, label: str, surface: str) -> tuple[_Entity, str]:
        key = normalise(label, surface)
        found = self._by_key.get((label, key))
        if found is None:
            found = self._person(key) if label == PERSON else (self._new(label), "full")
            self._by_key[(label, key)] = found
        return found

    def _person(self, key: str) -> tuple[_Entity, str]:
        parts = [part for part in key.split() if len(part) > 1] or key.split() or [key]
        if len(parts) == 1:
            part = parts[0]
            person = self._person_parts.get(part) or self._single_people.get(part)
            if person is None:
                person = self._new(PERSON)
                self._single_people[part] = person
                is_surname = part in gazetteer.surnames() and part not in gazetteer.first_names()
                if is_surname:
                    person.last = part
                else:
                    person.first = part
            role = "last" if part == person.last and part != person.first else "first"
            return person, role
        first, last = parts[0], parts[-1]
        person = self._people_by_name.get((first, last))
        if person is None:
            # "Sarah" seen alone earlier becomes "Sarah Jones": the same person, same number.
            person = self._single_people.pop(first, None) or self._single_people.pop(last, None) or self._new(PERSON)
            person.first, person.last = first, last
            self._people_by_name[(first, last)] = person
        self._person_parts[first] = person
        self._person_parts[last] = person
        return person, "full"


def normalise(label: str, surface: str) -> str:
    """The form under which two mentions count as the same entity."""
    text = " ".join(surface.replace("’", "'").split()).lower()
    if label == PERSON:
        words = [w for w in _NAME_TOKEN.findall(text)]
        while words and words[0] in gazetteer.TITLES:
            words = words[1:]
        return " ".join(w[:-2] if w.endswith("'s") else w for w in words) or text
    if label in ("PHONE", "NHS_NUMBER", "CARD", "ID_NUMBER"):
        digits = "".join(ch for ch in text if ch.isdigit())
        if label == "PHONE" and text.startswith("+44"):
            digits = "0" + digits[2:]
        return digits
    if label in ("POSTCODE", "NI_NUMBER", "IBAN"):
        return text.replace(" ", "").replace("-", "")
    if text.startswith("the "):
        text = text[4:]
    return text
