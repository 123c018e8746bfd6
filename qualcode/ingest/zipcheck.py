"""Safety checks for zip-based Office files (.docx, .xlsx) before a parser opens them."""

from __future__ import annotations

import zipfile
from pathlib import Path

from qualcode.errors import InputError

# Compound File Binary header: what Word/Excel write for password-protected files (and for
# the old .doc/.xls formats). Neither can be read without the password or a conversion.
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


def check_office_zip(path: Path, display: str, required_member: str) -> None:
    """Raise :class:`InputError` unless ``path`` is a sane Office zip holding ``required_member``."""
    kind = path.suffix.lower().lstrip(".")
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == _CFB_MAGIC:
        raise InputError(display, f"is password-protected or an old binary Office file, not .{kind}",
                         f"open it in Office, remove the password and save it as .{kind}")
    if not zipfile.is_zipfile(path):
        raise InputError(display, f"is not a valid .{kind} file (corrupt or not a zip)",
                         f"re-save it from Word/Excel as .{kind}")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise InputError(display, f"is a corrupt .{kind} file",
                         f"re-save it from Word/Excel as .{kind}") from None
    names = {member.filename for member in members}
    if required_member not in names:
        raise InputError(display, f"is a zip file but not a .{kind} document",
                         f"re-save it from Word/Excel as .{kind}")
    unpacked = sum(member.file_size for member in members)
    packed = max(1, sum(member.compress_size for member in members))
    if unpacked > MAX_UNCOMPRESSED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
        raise InputError(display, "unpacks to an implausible size (possible zip bomb)",
                         "check where the file came from; re-save it from Word/Excel")
