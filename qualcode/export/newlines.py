"""Line endings and character offsets, the main cause of misplaced codings between QDA tools.

REFI-QDA positions count characters (Unicode code points) in a source's plain text, but the
tools disagree on what a Windows line break is: NVivo and MAXQDA count CRLF as two characters,
ATLAS.ti (and QualCoder, whose offsets refer to its LF-only text) as one. qualcode therefore
exports LF only, where everyone agrees, and on import turns every text into LF with the
offsets moved to match.
"""

from __future__ import annotations

import bisect
from typing import Callable

BOM = "\ufeff"


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
