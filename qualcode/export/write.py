"""Write a qualcode project as a REFI-QDA project (``.qdpx``) for NVivo, ATLAS.ti, MAXQDA and
QualCoder.

A ``.qdpx`` is a zip holding ``project.qde`` (QDA-XML, namespace ``urn:QDA-XML:project:1.0``)
and a lowercase ``sources/`` folder with one plain-text file per source. What real importers
need, and why this module does what it does:

* Plain text is UTF-8 without a byte-order mark and with LF line endings only: the tools
  disagree on whether CRLF is one character or two, so CR would shift every later coding.
* Positions count characters (code points) from 0 and ``endPosition`` is exclusive: a
  segment ``text[start:end]`` is written as ``startPosition=start endPosition=end``.
* Elements follow the schema's sequence (Users, CodeBook, Variables, Cases, Sources), which
  ATLAS.ti and NVivo enforce.
* Every GUID derives from an id (see :mod:`qualcode.export.guids`) and the zip entries have a
  fixed date and order, so the same project always gives the same bytes.

One ``PlainTextSelection`` is written per (segment, coder), with one ``Coding`` per code that
coder applied; machine coders (``"qualcode:semantic"``) are users like any person, and their
method, confidence and evidence go into the selection's Description, where the tools show it
as a memo.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable

from lxml import etree

import qualcode
from qualcode.errors import UsageError
from qualcode.export.guids import (case_guid, code_guid, coding_guid, selection_guid, source_guid,
                                   user_guid, variable_guid)
from qualcode.export.newlines import to_lf
from qualcode.model import Codebook, Coding, Document, Segment
from qualcode.refi_codebook import codes_element

NAMESPACE = "urn:QDA-XML:project:1.0"
_XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
# The earliest date a zip entry can hold: any fixed date keeps exports byte-identical.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_UNIX = 3  # zip "made by" system: fixed, or the same export differs between machines
# XML 1.0 forbids these characters anywhere, even escaped; lxml refuses them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_INTEGER = re.compile(r"^[+-]?(0|[1-9][0-9]*)$")
_DECIMAL = re.compile(r"^[+-]?(0|[1-9][0-9]*)(\.[0-9]+)?$")
_COPY_CHUNK = 1 << 20


def write_qdpx(path: str | Path, documents: Iterable[Document], codebook: Codebook,
               codings: Iterable[Coding], *, segments: Iterable[Segment],
               texts: Mapping[str, str] | None = None, project_name: str = "qualcode project",
               cases_from: str | None = "doc", variables: Iterable[str] | None = None) -> Path:
    """Export documents, codebook and codings as a REFI-QDA project at ``path``.

    ``segments`` gives each coding's offsets (into the exported text). ``texts`` maps every
    document id to the text to export, normally the redacted text; without it each
    document's own text is exported. ``cases_from`` makes the cases: ``"doc"`` one case per
    document (a survey respondent's row is a document, so each respondent is a case), the
    name of an attribute (e.g. ``"case"``) one case per value of it, or None no cases.
    Document attributes become case variables (a grouped case keeps the values its
    documents agree on); ``variables`` limits them to the attributes named, e.g. to leave out
    a survey's contact columns, which redaction of the text does not touch.

    The file is built beside ``path`` and moved into place only when complete, so a failure
    never leaves a half-written project. Returns ``path``.

    >>> write_qdpx("project.qdpx", documents, codebook, codings, segments=segments,
    ...            texts=redacted_texts)  # doctest: +SKIP
    """
    path = Path(path)
    documents = sorted(documents, key=lambda d: d.id)
    codings = list(codings)  # read twice: once to place them, once to group them
    exported = _exported_texts(documents, texts)
    positions = _positions(documents, exported, segments, codings, codebook)
    project = _Project(name=project_name, documents=documents, codebook=codebook,
                       by_source=_selections(codings, positions),
                       cases=_cases(documents, cases_from, variables))
    sources = ((f"sources/{source_guid(d.id)}.txt", exported[d.id][0].encode("utf-8")) for d in documents)
    _write_atomically(path, lambda handle: _write_zip(handle, project.write, sources, scratch=path.parent))
    return path


# Offsets and selections -------------------------------------------------------------------

_Moved = tuple[str, Callable[[int], int]]  # LF text and the offset mover into it


def _exported_texts(documents: Sequence[Document],
                    texts: Mapping[str, str] | None) -> dict[str, _Moved]:
    exported: dict[str, _Moved] = {}
    for document in documents:
        if document.id in exported:
            raise UsageError(f"two documents have the id {document.id!r}; ids name the sources "
                             "and their GUIDs, so give each document once")
        if texts is None:
            text = document.text
        elif document.id in texts:
            text = texts[document.id]
        else:
            # Never fall back to document.text here: it is the unredacted original.
            raise UsageError(f"no text to export for document {document.id!r}; pass the "
                             "(redacted) text of every exported document in texts=")
        exported[document.id] = to_lf(text)
    return exported


def _positions(documents: Sequence[Document], exported: Mapping[str, _Moved],
               segments: Iterable[Segment], codings: Iterable[Coding],
               codebook: Codebook) -> dict[str, tuple[str, int, int]]:
    """(document id, start, end) in the exported LF text of every coded segment."""
    by_id = {segment.id: segment for segment in segments}
    known_codes = set(codebook.ids)
    positions: dict[str, tuple[str, int, int]] = {}
    for coding in codings:
        if coding.code_id not in known_codes:
            raise UsageError(f"coding of segment {coding.segment_id!r} uses code "
                             f"{coding.code_id!r}, which is not in the codebook; export with the "
                             "codebook the codings were made with")
        if coding.segment_id in positions:
            continue
        segment = by_id.get(coding.segment_id)
        if segment is None:
            raise UsageError(f"coding names segment {coding.segment_id!r}, which is not among the "
                             "segments given; pass segments= for every coded segment")
        if segment.doc_id not in exported:
            raise UsageError(f"segment {segment.id!r} belongs to document {segment.doc_id!r}, "
                             "which is not among the documents given; export its document too")
        text, move = exported[segment.doc_id]
        start, end = move(segment.start), move(segment.end)
        if not 0 <= start <= end <= len(text):
            raise UsageError(f"segment {segment.id!r} runs from {segment.start} to {segment.end}, "
                             f"outside the {len(text)} characters of the text exported for "
                             f"{segment.doc_id!r}; pass segments whose offsets refer to texts=")
        positions[coding.segment_id] = (segment.doc_id, start, end)
    return positions


# {document id: {(start, end, segment id, coder): [codings]}}
_Selections = dict[str, dict[tuple[int, int, str, str], list[Coding]]]


def _selections(codings: Iterable[Coding],
                positions: Mapping[str, tuple[str, int, int]]) -> _Selections:
    grouped: _Selections = defaultdict(lambda: defaultdict(list))
    seen = set()
    for coding in codings:
        key = (coding.segment_id, coding.code_id, coding.coder)
        if key in seen:
            continue  # the same code applied twice by one coder is one coding
        seen.add(key)
        doc_id, start, end = positions[coding.segment_id]
        grouped[doc_id][(start, end, coding.segment_id, coding.coder)].append(coding)
    return grouped


def _codings_of(by_source: _Selections) -> Iterable[Coding]:
    for selections in by_source.values():
        for codings in selections.values():
            yield from codings


# XML --------------------------------------------------------------------------------------
#
# project.qde is streamed: the root and its two long lists (Cases, Sources) are opened with
# lxml's incremental writer, and each case and source is built as a small tree and written at
# once, so memory holds one at a time (the whole tree took about 6 KB a survey answer: 6 GB
# for a million). The small trees are built WITHOUT a namespace on purpose: written inside
# <Project xmlns="urn:QDA-XML:project:1.0"> they are in that default namespace when read,
# and the file does not repeat an xmlns declaration on every case and source.

# (case name, its documents, its variable values)
_Case = tuple[str, list[Document], dict[str, str]]


@dataclass(frozen=True)
class _Project:
    """Everything project.qde is written from, computed before a byte is written."""

    name: str
    documents: list[Document]
    codebook: Codebook
    by_source: _Selections
    cases: list[_Case] | None  # None: no cases

    def write(self, stream: BinaryIO) -> None:
        coders = sorted({coding.coder for coding in _codings_of(self.by_source)})
        types = _variable_types(self.cases or [])
        order = {code_id: n for n, code_id in enumerate(self.codebook.ids)}
        stream.write(_XML_DECLARATION)
        with etree.xmlfile(stream, encoding="UTF-8") as xf:
            with xf.element(_qualified("Project"), nsmap={None: NAMESPACE},
                            name=_xml_safe(self.name), origin=f"qualcode {qualcode.__version__}"):
                xf.write("\n")
                # Children in the schema's sequence: Users, CodeBook, Variables, Cases, Sources.
                if coders:
                    _write_part(xf, _users_element(coders))
                if self.codebook.codes:
                    book = etree.Element("CodeBook")
                    book.append(codes_element(self.codebook, namespace=""))
                    _write_part(xf, book)
                if self.cases:
                    if types:
                        _write_part(xf, _variables_element(types))
                    with _open_list(xf, "Cases"):
                        for case in self.cases:
                            _write_part(xf, _case_element(case, types))
                if self.documents:
                    with _open_list(xf, "Sources"):
                        for document in self.documents:
                            selections = self.by_source.get(document.id, {})
                            _write_part(xf, _source_element(document, selections, order))
        stream.write(b"\n")


def _qualified(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


@contextmanager
def _open_list(xf, name: str) -> Iterator[None]:
    """A long list's element, its items written one by one inside, each on its own lines."""
    with xf.element(_qualified(name)):
        xf.write("\n")
        yield
    xf.write("\n")


def _write_part(xf, element: etree._Element) -> None:
    xf.write(element, pretty_print=True)  # ends with a newline


def _xml_safe(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def _users_element(coders: Sequence[str]) -> etree._Element:
    users = etree.Element("Users")
    for coder in coders:
        etree.SubElement(users, "User", guid=user_guid(coder), name=_xml_safe(coder))
    return users


def _source_element(document: Document, selections: Mapping[tuple[int, int, str, str], list[Coding]],
                    order: Mapping[str, int]) -> etree._Element:
    guid = source_guid(document.id)
    source = etree.Element("TextSource", guid=guid, name=_xml_safe(document.id),
                           plainTextPath=f"internal://{guid}.txt")
    for (start, end, segment_id, coder) in sorted(selections):
        codings = sorted(selections[(start, end, segment_id, coder)],
                         key=lambda c: order[c.code_id])
        selection = etree.SubElement(source, "PlainTextSelection",
                                     guid=selection_guid(segment_id, coder),
                                     startPosition=str(start), endPosition=str(end),
                                     creatingUser=user_guid(coder))
        memo = _memo(codings)
        if memo:
            etree.SubElement(selection, "Description").text = _xml_safe(memo)
        for coding in codings:
            element = etree.SubElement(selection, "Coding",
                                       guid=coding_guid(segment_id, coder, coding.code_id),
                                       creatingUser=user_guid(coder))
            etree.SubElement(element, "CodeRef", targetGUID=code_guid(coding.code_id))
    return source


def _memo(codings: Sequence[Coding]) -> str:
    # A plain human coding has nothing to explain; automatic ones say how and why.
    lines = []
    for coding in codings:
        if coding.method == "human" and not coding.evidence:
            continue
        line = f"{coding.code_id}: {coding.method}, confidence {coding.confidence:.2f}"
        lines.append(f"{line}; {coding.evidence}" if coding.evidence else line)
    return "\n".join(lines)


def _cases(documents: Sequence[Document], cases_from: str | None,
           wanted: Iterable[str] | None) -> list[_Case] | None:
    if cases_from is None or not documents:
        return None
    cases = _group_cases(documents, cases_from)
    if wanted is not None:
        wanted = set(wanted)
        cases = [(key, members, {n: v for n, v in values.items() if n in wanted})
                 for key, members, values in cases]
    return cases


def _variable_types(cases: Sequence[_Case]) -> dict[str, str]:
    values_by_name: dict[str, list[str]] = defaultdict(list)
    for _, _, values in cases:
        for name, value in values.items():
            values_by_name[name].append(value)
    return {name: _variable_type(values) for name, values in values_by_name.items()}


def _variables_element(types: Mapping[str, str]) -> etree._Element:
    variables = etree.Element("Variables")
    for name in sorted(types):
        etree.SubElement(variables, "Variable", guid=variable_guid(name), name=_xml_safe(name),
                         typeOfVariable=types[name])
    return variables


def _case_element(case: _Case, types: Mapping[str, str]) -> etree._Element:
    key, members, values = case
    element = etree.Element("Case", guid=case_guid(key), name=_xml_safe(key))
    for name in sorted(values):
        value = etree.SubElement(element, "VariableValue")
        etree.SubElement(value, "VariableRef", targetGUID=variable_guid(name))
        etree.SubElement(value, f"{types[name]}Value").text = _xml_safe(values[name])
    for document in members:
        etree.SubElement(element, "SourceRef", targetGUID=source_guid(document.id))
    return element


def _group_cases(documents: Sequence[Document], cases_from: str) -> list[_Case]:
    """(case name, its documents, its variable values), sorted by name."""
    groups: dict[str, list[Document]] = defaultdict(list)
    for document in documents:
        value = "" if cases_from == "doc" else document.attributes.get(cases_from, "").strip()
        # A document without the attribute is a case of its own rather than lost.
        groups[value or document.id].append(document)
    cases = []
    for key in sorted(groups):
        members = groups[key]
        shared = {name: value.strip() for name, value in members[0].attributes.items()
                  if value.strip()}
        for other in members[1:]:
            # A case variable has one value: keep only what every document of the case says.
            shared = {name: value for name, value in shared.items()
                      if other.attributes.get(name, "").strip() == value}
        cases.append((key, members, shared))
    return cases


def _variable_type(values: Sequence[str]) -> str:
    # Numeric only when every value is; a leading zero ("007") marks an identifier, which
    # tools would otherwise turn into 7.
    if all(_INTEGER.match(value) for value in values):
        return "Integer"
    if all(_DECIMAL.match(value) for value in values):
        return "Float"
    return "Text"


# Files ------------------------------------------------------------------------------------

def _write_zip(handle: BinaryIO, write_project: Callable[[BinaryIO], None],
               sources: Iterable[tuple[str, bytes]], scratch: Path) -> None:
    """project.qde, streamed through a temporary file in ``scratch`` (the output's folder, so
    on the disk that must hold the project anyway) so its size is known before it is stored
    (a zip entry of unknown size would need ZIP64 headers), then the sources."""
    with zipfile.ZipFile(handle, "w") as archive:
        with tempfile.TemporaryFile(dir=scratch) as project:
            write_project(project)
            info = _entry("project.qde")
            info.file_size = project.tell()
            project.seek(0)
            with archive.open(info, "w") as stored:
                shutil.copyfileobj(project, stored, _COPY_CHUNK)
        for name, data in sources:
            archive.writestr(_entry(name), data)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = _UNIX
    info.external_attr = 0o644 << 16
    return info


def _write_atomically(path: Path, write: Callable[[BinaryIO], None]) -> None:
    # Same folder, so os.replace is a rename on one file system: readers see the old file or
    # the complete new one, never a partial zip.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        raise UsageError(f"{path}: cannot write the project ({error.strerror}); choose a folder "
                         "that exists and that you can write to") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise UsageError(f"{path}: cannot write the project ({error.strerror or error}); "
                             "check the disk has space and the folder is writable") from None
        raise
