"""The values the redaction stage hands out: entities found, and one result per text.

Nothing here holds original identifying text. An :class:`Entity` records where something was
(offsets into the ORIGINAL text), what it was (label), what replaced it and why (recogniser,
score), which is exactly what the audit trail needs and no more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PERSON = "PERSON"
ORGANISATION = "ORGANISATION"
LOCATION = "LOCATION"
ADDRESS = "ADDRESS"
POSTCODE = "POSTCODE"
PHONE = "PHONE"
EMAIL = "EMAIL"
NHS_NUMBER = "NHS_NUMBER"
NI_NUMBER = "NI_NUMBER"
ID_NUMBER = "ID_NUMBER"  # other national identifiers (US SSN); not in the UK core set
DATE = "DATE"
AGE = "AGE"
URL = "URL"
IP_ADDRESS = "IP_ADDRESS"
HANDLE = "HANDLE"
CARD = "CARD"
IBAN = "IBAN"

LABELS: tuple[str, ...] = (
    PERSON, ORGANISATION, LOCATION, ADDRESS, POSTCODE, PHONE, EMAIL, NHS_NUMBER, NI_NUMBER,
    ID_NUMBER, DATE, AGE, URL, IP_ADDRESS, HANDLE, CARD, IBAN,
)

# Identifiers that point at one person directly; the benchmark holds these to a higher bar.
DIRECT_IDENTIFIERS = frozenset({PERSON, PHONE, EMAIL, NHS_NUMBER, NI_NUMBER, POSTCODE, ADDRESS})


@dataclass(frozen=True)
class Entity:
    """One replaced stretch of a text: offsets into the original, never its content."""

    start: int
    end: int
    label: str
    replacement: str
    source: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "replacement": self.replacement,
            "source": self.source,
            "score": round(self.score, 3),
        }


@dataclass(frozen=True)
class RedactionResult:
    """The redacted version of one input text, with the audit trail of what was replaced.

    ``entities`` are sorted and non-overlapping; their offsets refer to the ORIGINAL text, so
    ``text`` is the original with each ``original[e.start:e.end]`` swapped for
    ``e.replacement``. ``speaker`` is the redacted speaker label when one was given.
    """

    id: str
    text: str
    entities: tuple[Entity, ...]
    speaker: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON Lines record of the CLI contract: id, redacted text, entities."""
        record: dict[str, Any] = {
            "id": self.id,
            "text": self.text,
            "entities": [entity.to_dict() for entity in self.entities],
        }
        if self.speaker is not None:
            record["speaker"] = self.speaker
        return record

    def audit_rows(self) -> list[dict[str, Any]]:
        """One row per replacement: record id, offsets, label, recogniser, score, replacement."""
        return [{"record_id": self.id, **entity.to_dict()} for entity in self.entities]
