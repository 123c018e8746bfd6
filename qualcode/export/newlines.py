"""Line endings and character offsets, the main cause of misplaced codings between QDA tools.

REFI-QDA positions count characters (Unicode code points) in a source's plain text, but the
tools disagree on what a Windows line break is: NVivo and MAXQDA count CRLF as two characters,
ATLAS.ti (and QualCoder, whose offsets refer to its LF-only text) as one. qualcode therefore
exports LF only, where everyone agrees, and on import turns every text into LF with the
offsets moved to match.

The tools also disagree on what a character is. Python, QualCoder and ATLAS.ti count code
points; NVivo (a .NET program) counts UTF-16 code units, in which a character outside the
Basic Multilingual Plane, such as an emoji, is two. :func:`utf16_units` and
:func:`code_points` move offsets between the two counts.
"""

from __future__ import annotations

import bisect
import re
from typing import Callable

BOM = "\ufeff"
# What a qualcode export's origin says when its positions count UTF-16 code units, so that
# a reader (qualcode's own included) counts them back the same way.
UTF16_ORIGIN = "positions in UTF-16 code units"
# Characters that UTF-16 writes as a surrogate pair: two code units each.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def to_lf(text: str, *, crlf_as_two: bool = True,
          bom_counted: bool = True) -> tuple[str, Callable[[int], int]]:
    """``text`` with CRLF and lone CR turned into LF and a leading byte-order mark dropped,
    and a function moving an offset into ``text`` to the same place in the result.

    The defaults fit offsets that are Python string indices (qualcode's own): every
    character counts. On import, ``crlf_as_two`` says whether the exporting tool counted the
    CR of a CRLF (NVivo, MAXQDA) or counted on LF text (ATLAS.ti, QualCoder), and
    ``bom_counted=False`` because no tool counts a byte-order mark as content.

    >>> text, move = to_lf("a\\r\\nb")
    >>> text, move(3), move(4)
    ('a\\nb', 2, 3)
    """
    dropped: list[int] = []
    if text.startswith(BOM):
        if bom_counted:
            dropped.append(0)
        result = text[1:]
    else:
        result = text
    if crlf_as_two:
        # Positions in the offsets' own coordinates: with the mark when it is counted.
        counted = text if bom_counted else result
        position = counted.find("\r\n")
        while position != -1:
            dropped.append(position)
            position = counted.find("\r\n", position + 2)
    result = result.replace("\r\n", "\n").replace("\r", "\n")
    if not dropped:
        return result, lambda offset: offset
    # An offset moves back by the number of dropped characters before it; one that pointed
    # between a CR and its LF lands on the LF, which is where the line break now starts.
    return result, lambda offset: offset - bisect.bisect_left(dropped, offset)


def utf16_units(text: str) -> Callable[[int], int]:
    """A function moving a code-point offset into ``text`` to the same place counted in
    UTF-16 code units, as NVivo counts.

    >>> to_units = utf16_units("a😀b")
    >>> to_units(1), to_units(2), to_units(3)
    (1, 3, 4)
    """
    astral = [match.start() for match in _ASTRAL.finditer(text)]
    if not astral:
        return lambda offset: offset
    # Each astral character before the offset adds one unit.
    return lambda offset: offset + bisect.bisect_left(astral, offset)


def code_points(text: str) -> Callable[[int], int]:
    """A function moving an offset counted in UTF-16 code units into ``text`` to the same
    place counted in code points: the inverse of :func:`utf16_units`. An offset between the
    two halves of a surrogate pair (which no tool should write) lands before the character.

    >>> to_points = code_points("a😀b")
    >>> to_points(1), to_points(3), to_points(4)
    (1, 2, 3)
    """
    # Where each astral character starts, counted in code units.
    starts = [match.start() + n for n, match in enumerate(_ASTRAL.finditer(text))]
    if not starts:
        return lambda offset: offset
    # Each astral character that starts before the offset took one unit more than a point.
    return lambda offset: offset - bisect.bisect_left(starts, offset)
