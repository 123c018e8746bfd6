"""Check digits that turn "looks like a number" into "is an identifier".

Validation is what lets the pattern recognisers be aggressive about formats (spaces, dashes,
lower case) without flagging every long number in a transcript.
"""

from __future__ import annotations

import ipaddress
import string

_NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
# NI prefixes HMRC never issues (and the administrative ones).
_NI_BAD_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
_NI_BAD_FIRST = frozenset("DFIQUV")
_NI_BAD_SECOND = frozenset("DFIQUVO")


def digits_of(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def nhs_number_valid(text: str) -> bool:
    """Modulus 11 check of a 10-digit NHS number (spaces and dashes ignored).

    >>> nhs_number_valid("943 476 5919")
    True
    """
    digits = digits_of(text)
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], _NHS_WEIGHTS))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None where no valid number exists (remainder 10)."""
    total = sum(int(d) * w for d, w in zip(first_nine, _NHS_WEIGHTS))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def luhn_valid(text: str) -> bool:
    """The Luhn check used by payment card numbers."""
    digits = digits_of(text)
    if not 12 <= len(digits) <= 19 or len(set(digits)) == 1:
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def iban_valid(text: str) -> bool:
    """ISO 13616 mod-97 check of an IBAN (spaces ignored, any case)."""
    compact = "".join(text.split()).upper()
    if not 15 <= len(compact) <= 34 or not compact[:2].isalpha() or not compact[2:4].isdigit():
        return False
    if any(ch not in string.ascii_uppercase + string.digits for ch in compact):
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def ni_number_valid(text: str) -> bool:
    """Prefix rules of a UK National Insurance number (format already matched)."""
    compact = "".join(text.split()).upper()
    prefix = compact[:2]
    return (
        prefix not in _NI_BAD_PREFIXES
        and prefix[0] not in _NI_BAD_FIRST
        and prefix[1] not in _NI_BAD_SECOND
    )


def ssn_valid(text: str) -> bool:
    """US Social Security number structure (area, group, serial never all zero; no 666/9xx)."""
    digits = digits_of(text)
    if len(digits) != 9:
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def ip_valid(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
