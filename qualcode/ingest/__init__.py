"""Ingest: read every supported input into :class:`~qualcode.model.Document` values.

One reader per format, chosen by file suffix from :data:`READERS`. A file that cannot be
used is rejected with one line saying what is wrong and what to do; the other files are
still read. Nothing here writes anywhere.

>>> result = ingest(["corpora/sample"])          # doctest: +SKIP
>>> len(result.documents), len(result.rejected)  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from qualcode.errors import InputError, QualcodeError
from qualcode.ingest.docx import read_docx
from qualcode.ingest.source import Source
from qualcode.ingest.subtitles import read_subtitles
from qualcode.ingest.tables import read_csv, read_jsonl, read_xlsx
from qualcode.ingest.text import read_text
from qualcode.model import Document

__all__ = ["IngestOptions", "IngestResult", "IngestedSource", "Rejection", "READERS",
           "discover", "ingest", "read_source"]


@dataclass(frozen=True)
class IngestOptions:
    text_columns: tuple[str, ...] = ()  # survey columns holding free text; detected if empty
    max_file_mb: float = 100.0  # one file larger than this is refused before it is read


Reader = Callable[[Source, IngestOptions], list[Document]]

READERS: dict[str, Reader] = {
    ".txt": lambda source, options: read_text(source),
    ".md": lambda source, options: read_text(source),
    ".markdown": lambda source, options: read_text(source),
    ".docx": lambda source, options: read_docx(source),
    ".vtt": lambda source, options: read_subtitles(source),
    ".srt": lambda source, options: read_subtitles(source),
    ".csv": lambda source, options: read_csv(source, options.text_columns),
    ".xlsx": lambda source, options: read_xlsx(source, options.text_columns),
    ".jsonl": lambda source, options: read_jsonl(source, options.text_columns),
}


@dataclass(frozen=True)
class Rejection:
    """An input that could not be used, with the one line the user sees."""

    path: str
    reason: str


@dataclass(frozen=True)
class IngestedSource:
    source: Source
    sha256: str
    size: int
    documents: tuple[Document, ...]


@dataclass(frozen=True)
class IngestResult:
    sources: tuple[IngestedSource, ...] = ()
    rejected: tuple[Rejection, ...] = ()

    @property
    def documents(self) -> list[Document]:
        return [document for source in self.sources for document in source.documents]


def ingest(paths: Iterable[str | Path], options: IngestOptions | None = None,
           on_file: Callable[[int], None] | None = None, screen: Screen | None = None) -> IngestResult:
    """Read every file under ``paths``; bad files are rejected, the rest still read.

    ``on_file(total)`` is called once the files are known, then ``on_file(0)`` after each one,
    so a caller can show progress over a folder of hundreds of notes. ``screen``: see
    :func:`discover`.
    """
    options = options or IngestOptions()
    sources, rejected = discover(paths, screen)
    if on_file:
        on_file(len(sources))
    ingested = []
    for source in sources:
        if on_file:
            on_file(0)
        try:
            ingested.append(read_source(source, options))
        except InputError as error:
            rejected.append(Rejection(source.display, str(error)))
    return IngestResult(tuple(ingested), tuple(sorted(rejected, key=lambda r: r.path)))


def read_source(source: Source, options: IngestOptions) -> IngestedSource:
    """Read one file; raises :class:`InputError` with a one-line reason when it is unusable."""
    size = source.path.stat().st_size
    if size == 0:
        raise InputError(source.display, "is empty", "check that the export finished")
    if size > options.max_file_mb * 1024 * 1024:
        raise InputError(source.display, f"is {size / 1024 / 1024:.0f} MB, over the "
                         f"{options.max_file_mb:g} MB limit for one file",
                         "split it, or raise the limit with --max-file-mb")
    data = source.read_bytes()
    try:
        documents = READERS[source.suffix](source, options)
    except QualcodeError:
        raise
    except Exception as error:  # a reader bug must not lose the other inputs
        # Only the type is shown: the message of a parser error can quote the file's text.
        raise InputError(source.display, f"could not be read ({type(error).__name__})",
                         "check the file opens in its own program; if it does, report a bug") from None
    if not any(document.text.strip() for document in documents):
        raise InputError(source.display, "holds no text", "check that the export finished")
    return IngestedSource(source, hashlib.sha256(data).hexdigest(), size, tuple(documents))


# Given a file's id, the reason to refuse it before reading (or None): redacting commands
# refuse file names that hold a person's name (qualcode.redact.file_names).
Screen = Callable[[str], "str | None"]


def discover(paths: Iterable[str | Path], screen: Screen | None = None) -> tuple[list[Source], list[Rejection]]:
    """Expand folders into files in a stable order; each file gets a stable id.

    The id is the file's path relative to the folder given (or its name, for a file given
    directly), so re-running on the same folder gives the same ids. A file for which
    ``screen`` gives a reason is rejected with it.
    """
    sources: list[Source] = []
    rejected: list[Rejection] = []
    for given in map(Path, paths):
        if given.is_dir():
            for path in sorted(p for p in given.rglob("*") if p.is_file()):
                relative = path.relative_to(given)
                if _is_hidden(relative):
                    continue
                _add(sources, rejected, path, relative.as_posix())
        elif given.is_file():
            _add(sources, rejected, given, given.name)
        else:
            rejected.append(Rejection(str(given), f"{given}: does not exist; check the path"))
    kept = []
    for source in _unique(sources):  # screened by final id: _unique may add a folder's name
        problem = screen(source.id) if screen else None
        if problem:
            rejected.append(Rejection(str(source.path), problem))
        else:
            kept.append(source)
    return kept, rejected


def _add(sources: list[Source], rejected: list[Rejection], path: Path, source_id: str) -> None:
    if path.suffix.lower() not in READERS:
        supported = " ".join(sorted(READERS))
        rejected.append(Rejection(str(path), f"{path}: unsupported file type "
                                  f"'{path.suffix or '(none)'}'; convert it to one of {supported}"))
        return
    sources.append(Source(path, source_id))


def _unique(sources: Sequence[Source]) -> list[Source]:
    """Two inputs with the same id (same file name in two folders): qualify the later ones."""
    seen: dict[str, int] = {}
    out = []
    for source in sources:
        count = seen.get(source.id, 0)
        seen[source.id] = count + 1
        if count:
            parent = source.path.resolve().parent.name
            source = Source(source.path, f"{parent}/{source.id}")
        out.append(source)
    return out


def _is_hidden(relative: Path) -> bool:
    # Dot files and Office lock files ("~$report.docx") are not inputs anyone meant to give.
    return any(part.startswith((".", "~$")) for part in relative.parts)
