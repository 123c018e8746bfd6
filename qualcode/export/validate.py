"""Check REFI-QDA files before another program imports them: ``.qdpx`` projects and ``.qdc``
codebooks, written by qualcode or by NVivo, ATLAS.ti, MAXQDA or QualCoder.

The reader (:mod:`qualcode.export.read`) is tolerant and reads what it can; this module is
strict and says what is wrong, so that a file can be mended or exported again before a program
quietly drops codings. It checks the XML against the QDA-XML 1.0 schema (shipped in
:mod:`qualcode.export.schemas`), then the rules a schema cannot express:

* every ``PlainTextSelection`` lies inside its source's text, ``0 <= start < end <= length``:
  positions fall between characters, the end is exclusive, and the length counts the code
  points of the text as stored (inline ``PlainTextContent``, or the UTF-8 file that
  ``plainTextPath="internal://NAME"`` names in the zip's ``sources/`` folder; CRLF is two),
  or its UTF-16 code units where the project's ``origin`` says its program counts those
  (NVivo; qualcode exports made with ``offsets="utf16"``), as :func:`read_qdpx` reads them;
* every GUID referred to is defined: ``CodeRef`` and ``MemberCode`` name a ``Code``,
  ``SourceRef`` and ``MemberSource`` a source, ``VariableRef`` a ``Variable``, ``NoteRef``
  and ``MemberNote`` a ``Note``, ``SelectionRef`` a selection, and ``creatingUser`` and
  ``modifyingUser`` a ``User`` (compared in any case, with or without braces);
* every ``internal://`` file is in the zip, and a text source keeps its text either inline or
  in a file, not both (the rule the schema states in a comment).
"""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import xmlschema
from lxml import etree

from qualcode.errors import QualcodeError
from qualcode.export.read import (_children, _counts_utf16, _guid, _open, _parse,
                                  _project_member, _read_member)
from qualcode.export.schemas import codebook_schema, project_schema
from qualcode.codebook.qdc import _parse as _parse_codebook

# Per kind of check: past this many, one line says how many more there are.
MAX_LISTED = 20
# The kinds of check, in the order their problems are listed: what stops a program reading
# the file first, what loses codings last.
_CHECKS = ("reading", "layout", "schema", "file", "text", "reference", "position")

_INTERNAL = "internal://"
_SOURCES = frozenset({"TextSource", "PictureSource", "PDFSource", "AudioSource", "VideoSource"})
_SELECTIONS = frozenset({"PlainTextSelection", "PictureSelection", "PDFSelection",
                         "AudioSelection", "VideoSelection", "TranscriptSelection"})
# Element -> the kind of thing its guid defines.
_DEFINES = {"Code": "code", "User": "user", "Variable": "variable", "Note": "note",
            **{name: "source" for name in _SOURCES},
            **{name: "selection" for name in _SELECTIONS}}
# Reference element -> (the attribute holding the GUID, the kind of thing it must name).
_PROJECT_REFERENCES = {
    "CodeRef": ("targetGUID", "code"), "MemberCode": ("targetGUID", "code"),
    "SourceRef": ("targetGUID", "source"), "MemberSource": ("targetGUID", "source"),
    "VariableRef": ("targetGUID", "variable"), "NoteRef": ("targetGUID", "note"),
    "MemberNote": ("targetGUID", "note"), "SelectionRef": ("targetGUID", "selection")}
_CODEBOOK_REFERENCES = {"MemberCode": ("guid", "code")}  # the .qdc schema names it guid
_USER_ATTRIBUTES = ("creatingUser", "modifyingUser", "creatingUserGUID", "modifyingUserGUID")
_FILE_ATTRIBUTES = ("plainTextPath", "richTextPath", "path")
_DEFINED_IN = {"code": "the codebook", "source": "the project's Sources",
               "variable": "the project's Variables", "note": "the project's Notes",
               "selection": "any source", "user": "the project's Users"}
_PATTERN_LIST = re.compile(r" of \[.*\]$")
# A value that is no GUID at all is the schema check's to report, once.
_GUID = re.compile(r"^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$", re.I)


@dataclass(frozen=True)
class RefiValidation:
    """What :func:`validate_refi` found in one file.

    ``problems`` holds one readable line per problem, each starting with the file's path; a
    kind of check that found more than :data:`MAX_LISTED` lists that many and ends with a line
    saying how many more. ``found`` counts them all.
    """

    path: str
    kind: str  # "project" (.qdpx) or "codebook" (.qdc)
    problems: tuple[str, ...]
    found: int

    @property
    def valid(self) -> bool:
        return self.found == 0


def validate_refi(path: str | Path) -> RefiValidation:
    """Check a REFI-QDA project (``.qdpx``) or codebook (``.qdc``) from any program.

    The kind is taken from the suffix: ``.qdc`` is a codebook, anything else a project. A file
    that cannot be read at all (missing, not a zip, no ``project.qde``, not well-formed XML) is
    one problem, never an exception.

    >>> result = validate_refi("nvivo.qdpx")  # doctest: +SKIP
    >>> result.valid, result.found  # doctest: +SKIP
    (False, 1)
    >>> print(*result.problems)  # doctest: +SKIP
    nvivo.qdpx: project.qde, line 812: PlainTextSelection 5d1e... runs from 4410 to 4502, ...
    """
    path = Path(path)
    problems = _Problems(str(path))
    kind = "codebook" if path.suffix.casefold() == ".qdc" else "project"
    try:
        if kind == "codebook":
            _check_codebook(path, problems)
        else:
            _check_project(path, problems)
    except QualcodeError as error:
        problems.unreadable(error)
    return problems.result(kind)


class _Problems:
    """The problems found in one file, grouped by kind of check so each can be capped."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.by_check: dict[str, list[str]] = {}

    def add(self, check: str, message: str) -> None:
        assert check in _CHECKS, check
        self.by_check.setdefault(check, []).append(message)

    def unreadable(self, error: QualcodeError) -> None:
        # The library's errors start with the path already; say it once.
        message = str(error)
        if message.startswith(self.display):
            message = message[len(self.display):].lstrip(":, ")
        self.add("reading", message)

    def result(self, kind: str) -> RefiValidation:
        lines, found = [], 0
        for check in _CHECKS:
            messages = self.by_check.get(check, [])
            found += len(messages)
            lines.extend(f"{self.display}: {message}" for message in messages[:MAX_LISTED])
            if len(messages) > MAX_LISTED:
                lines.append(f"{self.display}: ... and {len(messages) - MAX_LISTED} more "
                             f"{check} problems like those above")
        return RefiValidation(self.display, kind, tuple(lines), found)


# Projects -------------------------------------------------------------------------------------

def _check_project(path: Path, problems: _Problems) -> None:
    display = problems.display
    with _open(path, display) as archive:
        member = _project_member(archive, display)
        data = _read_member(archive, member, display)
        root = _parse(data, f"{display}: {member}")
        if member.casefold() != "project.qde":
            problems.add("layout", f"the project XML is {member}; the standard names it "
                         "project.qde, at the top of the zip, and some programs look for "
                         "nothing else")
        if data.startswith(codecs.BOM_UTF8):
            problems.add("layout", f"{member} starts with a byte-order mark, which some "
                         "importers refuse; write it without one")
        _schema_problems(project_schema(), root, f"{member}, ", problems)
        _reference_problems(root, f"{member}, ", _PROJECT_REFERENCES, _USER_ATTRIBUTES,
                            problems)
        _Texts(archive, member, problems, _counts_utf16(root.get("origin") or "")).check(root)


class _Texts:
    """The files a project names, and the selections in its texts."""

    def __init__(self, archive: zipfile.ZipFile, member: str, problems: _Problems,
                 utf16: bool) -> None:
        self.archive = archive
        self.member = member
        self.problems = problems
        self.utf16 = utf16
        # The standard's folder is "sources/"; NVivo writes "Sources/", which importers accept.
        self.sources = {}
        for name in archive.namelist():
            folder, _, rest = name.partition("/")
            if folder.casefold() == "sources" and rest:
                self.sources[rest] = name

    def check(self, root: etree._Element) -> None:
        for element in _elements(root):
            self._files(element)
            selections = list(_children(element, "PlainTextSelection"))
            if selections or _local(element) == "TextSource":
                text = self._text(element, len(selections))
                if text is not None:
                    length = len(text.encode("utf-16-le")) // 2 if self.utf16 else len(text)
                    for selection in selections:
                        self._position(selection, length)

    def _files(self, element: etree._Element) -> None:
        for attribute in _FILE_ATTRIBUTES:
            where = element.get(attribute) or ""
            if where.casefold().startswith(_INTERNAL) and self._file(where) is None:
                self.problems.add("file", f"{self._at(element)}: {_describe(element)}: its "
                                  f"{attribute} {where} names sources/{_file_name(where)}, which "
                                  "is not in the zip; export the project again with its sources")

    def _text(self, element: etree._Element, selections: int) -> str | None:
        """The plain text of a text source, None where it cannot be had (problem noted)."""
        content = next(_children(element, "PlainTextContent"), None)
        where = element.get("plainTextPath")
        if content is not None and where:
            self.problems.add("text", f"{self._at(element)}: {_describe(element)} has both "
                              "PlainTextContent and a plainTextPath; the standard allows one")
        if content is not None:
            return content.text or ""
        if not where:
            self.problems.add("text", f"{self._at(element)}: {_describe(element)} has no "
                              "text: give it PlainTextContent or a plainTextPath")
            return None
        if not selections:
            return None  # nothing to place in it
        if not where.casefold().startswith(_INTERNAL):
            self.problems.add("text", f"{self._at(element)}: {_describe(element)} keeps its "
                              f"text outside the project ({where}), so its {selections} "
                              "selections cannot be checked; export the project with its "
                              "sources included")
            return None
        member = self._file(where)
        if member is None:
            return None  # reported by _files
        data = _read_member(self.archive, member, self.problems.display)
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8):]  # not a character of the text
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            self.problems.add("text", f"{member}: not UTF-8 (byte {error.start}), the encoding "
                              "the standard requires; positions in it are checked as if it "
                              "were Windows-1252")
            return data.decode("cp1252", errors="replace")  # one byte, one character

    def _position(self, selection: etree._Element, length: int) -> None:
        try:
            start = int(selection.get("startPosition"))
            end = int(selection.get("endPosition"))
        except (TypeError, ValueError):
            return  # missing or not a number: the schema check reports it
        if 0 <= start < end <= length:
            return
        if start < 0:
            why = "but positions start at 0"
        elif end <= start:
            why = "but a selection must end after it starts"
        else:
            unit = "UTF-16 code units, as its program counts" if self.utf16 else "code points"
            why = (f"past the end of its text ({length} {unit}, end exclusive); was the text "
                   "changed after coding?")
        self.problems.add("position", f"{self._at(selection)}: {_describe(selection)} runs from "
                          f"{start} to {end}, {why}")

    def _file(self, where: str) -> str | None:
        return self.sources.get(_file_name(where))

    def _at(self, element: etree._Element) -> str:
        return f"{self.member}, line {element.sourceline}"


def _file_name(where: str) -> str:
    return where[len(_INTERNAL):].lstrip("/")


# Codebooks ------------------------------------------------------------------------------------

def _check_codebook(path: Path, problems: _Problems) -> None:
    root = _parse_codebook(path)
    with path.open("rb") as stream:
        if stream.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8:
            problems.add("layout", "starts with a byte-order mark, which some importers "
                         "refuse; write it without one")
    _schema_problems(codebook_schema(), root, "", problems)
    _reference_problems(root, "", _CODEBOOK_REFERENCES, (), problems)


# Both -----------------------------------------------------------------------------------------

def _schema_problems(schema: xmlschema.XMLSchema, root: etree._Element, member: str,
                     problems: _Problems) -> None:
    for error in schema.iter_errors(etree.ElementTree(root)):
        # "value doesn't match any pattern of ['([0-9a-fA-F]{8}-...']": the regex helps no one.
        reason = _PATTERN_LIST.sub("", error.reason or error.message)
        line = f"line {error.sourceline}" if error.sourceline else "line ?"
        problems.add("schema", f"{member}{line}: does not follow the QDA-XML schema at "
                     f"{error.path}: {reason}")


def _reference_problems(root: etree._Element, member: str,
                        references: Mapping[str, tuple[str, str]],
                        user_attributes: tuple[str, ...], problems: _Problems) -> None:
    defined: dict[str, set[str]] = {}
    for element in _elements(root):
        kind = _DEFINES.get(_local(element))
        guid = _guid(element.get("guid"))
        if kind and guid:
            defined.setdefault(kind, set()).add(guid)
    for element in _elements(root):
        at = f"{member}line {element.sourceline}"
        attribute, kind = references.get(_local(element), (None, None))
        target = element.get(attribute) if attribute else None
        if _is_guid(target) and _guid(target) not in defined.get(kind, set()):
            problems.add("reference", f"{at}: {_describe(_owner(element))}: its "
                         f"<{_local(element)}> refers to {kind} {target}, which is not in "
                         f"{_DEFINED_IN[kind]}")
        for attribute in user_attributes:
            user = element.get(attribute)
            if _is_guid(user) and _guid(user) not in defined.get("user", set()):
                problems.add("reference", f"{at}: {_describe(element)}: its {attribute} {user} "
                             "is not in the project's Users")


def _is_guid(value: str | None) -> bool:
    return bool(value and _GUID.match(value.strip()))


def _owner(reference: etree._Element) -> etree._Element:
    # What a reference belongs to, for messages: a CodeRef's Coding says little, its
    # selection (or source, or case) says where to look.
    for ancestor in reference.iterancestors():
        if isinstance(ancestor.tag, str) and ancestor.get("guid") and _local(ancestor) != "Coding":
            return ancestor
    return reference.getparent() if reference.getparent() is not None else reference


def _describe(element: etree._Element) -> str:
    # Sources and codes by name; anything else by GUID, since selections may be named after
    # the text they select, and messages never repeat the inputs' text.
    kind = _local(element)
    label = element.get("name") if kind in _SOURCES or kind == "Code" else None
    described = f"{kind} {label!r}" if label else f"{kind} {element.get('guid') or ''}".rstrip()
    source = next((ancestor for ancestor in element.iterancestors()
                   if isinstance(ancestor.tag, str) and _local(ancestor) in _SOURCES), None)
    if source is not None:
        described += f" in source {source.get('name') or source.get('guid')!r}"
    return described


def _elements(root: etree._Element) -> Iterator[etree._Element]:
    return (element for element in root.iter() if isinstance(element.tag, str))


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname
