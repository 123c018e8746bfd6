"""What replaces a redacted span: a numbered tag, a plausible fake, a mask, or nothing.

* ``tag`` (default): ``[PERSON_3]``, ``[PHONE_1]``: numbered per label, consistent per entity.
* ``pseudonym``: a fake value of the same type that reads naturally and cannot be real:
  invented names, Ofcom's drama numbers (07700 900xxx, 01632 960xxx), the unused postcode
  area ``ZZ``, NHS test numbers (999...), ``example.com`` addresses, documentation IP ranges;
  ages become their decade band ("84" -> "80-89"). Deterministic per entity.
* ``mask``: ``[REDACTED]`` whatever the type or length. A mask of one ``*`` per character would
  leak the length of names, which helps re-identification in small samples.
* ``remove``: the empty string.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import UsageError
from . import entities as e
from . import gazetteer
from .checksums import nhs_check_digit

OPERATORS = ("tag", "pseudonym", "mask", "remove")
MASK = "[REDACTED]"


@dataclass(frozen=True)
class Operator:
    """Renders the replacement for entity ``number`` of ``label``."""

    name: str = "tag"

    def __post_init__(self) -> None:
        if self.name not in OPERATORS:
            raise UsageError(f"unknown redaction operator {self.name!r}; choose one of: {', '.join(OPERATORS)}")

    def render(self, label: str, number: int, part: str, surface: str) -> str:
        """``part`` is "first", "last" or "full" for people (which name part was mentioned)."""
        if self.name == "tag":
            return f"[{label}_{number}]"
        if self.name == "mask":
            return MASK
        if self.name == "remove":
            return ""
        return fake_value(label, number, part, surface)


def fake_value(label: str, number: int, part: str, surface: str) -> str:
    """A deterministic, obviously-invented value of the same type as the original."""
    n = number - 1
    if label == e.PERSON:
        firsts, lasts = gazetteer.pseudonym_names()
        first = firsts[n % len(firsts)]
        last = lasts[(n + n // len(firsts)) % len(lasts)]
        return {"first": first, "last": last}.get(part, f"{first} {last}")
    if label == e.PHONE:
        ranges = ("07700 900", "01632 960", "020 7946 0")
        return f"{ranges[(n // 1000) % 3]}{n % 1000:03d}"
    if label == e.EMAIL:
        return f"person{number}@example.com"
    if label == e.URL:
        return f"https://example.org/page{number}"
    if label == e.POSTCODE:
        return f"ZZ{n // 260 % 99 + 1} {n // 26 % 10}{chr(65 + n % 26)}Z"
    if label == e.NHS_NUMBER:
        return _fake_nhs_number(n)
    if label == e.NI_NUMBER:
        return f"QQ {n // 10000 % 100:02d} {n // 100 % 100:02d} {n % 100:02d} A"
    if label == e.AGE:
        digits = "".join(ch for ch in surface if ch.isdigit())
        decade = int(digits) // 10 * 10 if digits else 0
        return f"{decade}-{decade + 9}"
    if label == e.DATE:
        return f"{n % 28 + 1} January 1900"
    if label == e.ADDRESS:
        return f"{number} Example Street"
    if label in (e.LOCATION, e.ORGANISATION):
        places = gazetteer.pseudonym_places()
        place = places[n % len(places)] + (f" {n // len(places) + 1}" if n >= len(places) else "")
        return place if label == e.LOCATION else f"{place} {_organisation_kind(surface)}".strip()
    if label == e.IP_ADDRESS:
        return f"192.0.2.{n % 254 + 1}"
    if label == e.HANDLE:
        return f"@user{number}"
    if label == e.CARD:
        return f"0000 0000 0000 {number % 10000:04d}"
    if label == e.IBAN:
        return f"GB00 TEST 0000 {number % 10000:04d} 00"
    return f"[{label}_{number}]"


def _fake_nhs_number(n: int) -> str:
    # 999 numbers are reserved for testing; the ninth digit is chosen so a check digit exists.
    for pad in range(10):
        nine = f"999{n % 100_000:05d}{pad}"
        check = nhs_check_digit(nine)
        if check is not None:
            return f"{nine[:3]} {nine[3:6]} {nine[6:]}{check}"
    raise AssertionError("unreachable: some ninth digit always gives a valid check digit")


_ORG_KINDS = (
    "Medical Centre", "Health Centre", "Surgery", "Practice", "PCN", "Hospital", "Clinic",
    "Hospice", "Trust", "Care Home", "Pharmacy", "Council", "School", "Ltd",
)


def _organisation_kind(surface: str) -> str:
    """Keep what kind of organisation it was ("... Surgery") so the text still reads."""
    lowered = surface.lower()
    for kind in _ORG_KINDS:
        if lowered.endswith(kind.lower()):
            return kind
    return "Services"
