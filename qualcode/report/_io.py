"""Atomic, reproducible file writing shared by the report writers."""

from __future__ import annotations

import datetime
import io
import os
import tempfile
import zipfile
from pathlib import Path

# ZIP's earliest representable time: the entries of DOCX and XLSX files carry it instead of
# the clock, so the same report gives the same bytes.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def atomic_write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    ``os.replace`` is atomic on POSIX and Windows, so ``path`` holds either its previous
    content or the new one, never a half-written file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp creates the file private (0600); a report is an ordinary file, readable by
    # whoever can read the folder, and a replaced file keeps the mode it had.
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def reproducible_zip(data: bytes) -> bytes:
    """``data`` (a ZIP: DOCX, XLSX) rewritten with fixed entry times and a stable layout."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()


def fixed_timestamp() -> datetime.datetime:
    """The date stamped into DOCX/XLSX properties: ``SOURCE_DATE_EPOCH`` if set, else 2000-01-01.

    A fixed date keeps the files byte-identical across runs (the reproducible-builds convention).
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = int(epoch) if epoch.isdigit() else 946_684_800
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc).replace(tzinfo=None)
