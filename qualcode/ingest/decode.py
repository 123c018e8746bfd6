"""Turn the bytes of a text file into normalised text, or say clearly why not.

Survey exports and transcripts arrive as UTF-8 (with or without a byte-order mark), UTF-16
(Excel "Unicode text", Teams exports) or Windows-1252 (older Word and Excel on Windows).
Detection is deterministic and ordered from the most to the least specific evidence, so the
same bytes always decode the same way.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from qualcode.errors import InputError

# Control characters other than tab, newline, carriage return and form feed: a text file
# with more than a few of these is almost certainly binary data with a text suffix.
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\f"}
_MAX_CONTROL_SHARE = 0.01
_SNIFF_BYTES = 8192


def decode_bytes(data: bytes, path: str) -> str:
    """Decode ``data`` and normalise line endings to ``\\n``.

    >>> decode_bytes(b"\\xef\\xbb\\xbfcaf\\xc3\\xa9\\r\\n", "x.txt")
    'café\\n'
    """
    text = _decode(data, path)
    if text.startswith("\ufeff"):
        text = text[1:]
    _reject_binary(text, path)
    return normalise_newlines(text)


def normalise_newlines(text: str) -> str:
    """Windows (CRLF) and old Mac (CR) line endings become LF; offsets refer to the result."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, path: str) -> str:
    candidates = _candidates(data[:_SNIFF_BYTES], path)
    if candidates == ["utf-8-sig"]:
        return data.decode("utf-8-sig", errors="strict")
    if len(candidates) == 1:  # UTF-16, with or without a BOM
        return _strict(data, candidates[0], path)
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(path, "cannot be decoded as UTF-8, UTF-16 or Windows-1252",
                     "re-save it as UTF-8 text") from None


def _candidates(head: bytes, path: str) -> list[str]:
    """The encodings to try, most specific evidence first, judged from the file's first bytes.

    Without a BOM or a UTF-16 pattern, UTF-8 then Windows-1252: Windows-1252 leaves five byte
    values undefined; Python rejects them, which is how text in some other encoding is told
    apart from a Windows export.
    """
    if head.startswith(codecs.BOM_UTF8):
        return ["utf-8-sig"]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return ["utf-16"]
    utf16 = _utf16_without_bom(head)
    if utf16:
        return [utf16]
    if b"\x00" in head:
        raise InputError(path, "looks like a binary file, not text",
                         "check the file or give it the right suffix (.docx, .xlsx...)")
    return ["utf-8", "cp1252"]


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(path, f"is not valid {encoding.upper()} text",
                         "re-save it as UTF-8 text") from None


def _utf16_without_bom(head: bytes) -> str | None:
    """Spot UTF-16 without a BOM: mostly-ASCII text leaves a zero in every other byte."""
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    even_zeros = even.count(0) / len(even)
    odd_zeros = odd.count(0) / len(odd)
    if odd_zeros > 0.4 and even_zeros < 0.05:
        return "utf-16-le"
    if even_zeros > 0.4 and odd_zeros < 0.05:
        return "utf-16-be"
    return None


def _reject_binary(text: str, path: str) -> None:
    sample = text[:_SNIFF_BYTES]
    if not sample:
        return
    controls = sum(1 for ch in sample if ch in _CONTROL)
    if controls / len(sample) > _MAX_CONTROL_SHARE:
        raise InputError(path, "looks like a binary file, not text",
                         "check the file or give it the right suffix (.docx, .xlsx...)")


def file_encoding(path: Path, display: str, block_bytes: int = 1 << 20) -> str:
    """The encoding :func:`decode_bytes` would choose for a file, found without loading it whole.

    For files too large to hold in memory at once (survey exports of a million rows): the
    file is checked block by block with an incremental decoder, so a bad byte anywhere is
    found before any of the file is used.
    """
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    for encoding in _candidates(head, display):
        if _decodes(path, encoding, block_bytes):
            _reject_binary(head.decode(encoding, errors="ignore"), display)
            return encoding
    raise InputError(display, "cannot be decoded as UTF-8, UTF-16 or Windows-1252",
                     "re-save it as UTF-8 text")


def _decodes(path: Path, encoding: str, block_bytes: int) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(block_bytes), b""):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True
