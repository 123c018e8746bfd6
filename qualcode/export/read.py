"""Read REFI-QDA projects (``.qdpx``) from NVivo, ATLAS.ti, MAXQDA, QualCoder or qualcode,
typically to compare a person's coding with qualcode's.

Real exports differ from the standard and from each other; this reader accepts what they
write rather than what the schema says, and documents each tolerance where it is applied:
the project XML may have another name than ``project.qde``; the sources folder may be
``Sources`` or ``sources``; text may sit inline (``PlainTextContent``) or in a file, with or
without a byte-order mark, with LF or CRLF; positions may count code points or, from NVivo,
UTF-16 code units; element names are matched without regard to the namespace version. What
cannot be used (a selection outside its text, a source whose text lives outside the file) is
listed in :attr:`QdpxProject.problems`, and the rest is read.
"""

from __future__ import annotations

import codecs
import zipfile
import zlib
from dataclasses import replace
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Literal

from lxml import etree

from qualcode.errors import InputError, UsageError
from qualcode.export.newlines import BOM, UTF16_ORIGIN, code_points, to_lf
from qualcode.export.project import QdpxCode, QdpxProject, QdpxSelection, QdpxSource, QdpxUser
from qualcode.model import Code, Codebook
from qualcode.codebook.qdc import codes_from_element

# A project XML or a transcript far beyond this is not a real project (or is a zip bomb).
MAX_MEMBER_BYTES = 512 * 1024 * 1024
_INTERNAL = "internal://"
_FIX_EXPORT = "export it again from your QDA program as a REFI-QDA project (.qdpx)"


def read_qdpx(path: str | Path, *, crlf_as_two: bool | None = None,
              offsets: Literal["codepoints", "utf16"] | None = None) -> QdpxProject:
    """Read the users, codes, text sources and coded text selections of a ``.qdpx`` file.

    Source texts come back LF-only and selection offsets are moved to match, counted in
    code points. Whether the exporting program counted a CRLF as two characters (NVivo,
    MAXQDA) or one (ATLAS.ti; QualCoder counts on its LF text) is read from the project's
    ``origin``; pass ``crlf_as_two`` to override it. So is what a character is:
    ``offsets="utf16"`` for positions in UTF-16 code units, where an emoji is two (NVivo,
    and qualcode exports made with ``offsets="utf16"``), ``"codepoints"`` for the others;
    pass ``offsets`` to override it. Raises :class:`InputError` for a file that is not a
    readable REFI-QDA project.

    >>> project = read_qdpx("coded_in_qualcoder.qdpx")  # doctest: +SKIP
    >>> project.codings_for({"int_01.txt": segments})  # doctest: +SKIP
    """
    if offsets not in (None, "codepoints", "utf16"):
        raise UsageError(f"offsets={offsets!r} is not a way of counting positions; use "
                         "'codepoints', 'utf16' (NVivo) or None to tell from the project")
    path = Path(path)
    display = str(path)
    with _open(path, display) as archive:
        qde = _project_member(archive, display)
        root = _parse(_read_member(archive, qde, display), f"{display} ({qde})")
        origin = root.get("origin") or ""
        if crlf_as_two is None:
            crlf_as_two = _counts_crlf_as_two(origin)
        utf16 = _counts_utf16(origin) if offsets is None else offsets == "utf16"
        reader = _Reader(archive, display, crlf_as_two, utf16)
        return reader.project(root, origin, path.stem)


def _counts_crlf_as_two(origin: str) -> bool:
    # ATLAS.ti counts CRLF as one character; QualCoder (and qualcode) compute offsets on LF
    # text even when QualCoder writes CRLF files "for MAXQDA". NVivo and MAXQDA count two,
    # which is also what the bare text means, so it is the default for unknown programs.
    folded = origin.casefold()
    return not ("atlas" in folded or "qualcode" in folded)


def _counts_utf16(origin: str) -> bool:
    # NVivo (.NET strings) counts UTF-16 code units; qualcode says so in the origin when it
    # was asked to. QualCoder and ATLAS.ti count code points, and so does anything unknown:
    # the two agree on every text without emoji.
    folded = origin.casefold()
    return "nvivo" in folded or UTF16_ORIGIN.casefold() in folded


class _Reader:
    """One read of one project: the archive, where problems go, how characters count."""

    def __init__(self, archive: zipfile.ZipFile, display: str, crlf_as_two: bool,
                 utf16: bool = False) -> None:
        self.archive = archive
        self.display = display
        self.crlf_as_two = crlf_as_two
        self.utf16 = utf16
        self.problems: list[str] = []
        self.members = {name.casefold(): name for name in archive.namelist()}

    def project(self, root: etree._Element, origin: str, stem: str) -> QdpxProject:
        name = root.get("name") or stem
        users = {}
        for users_el in _children(root, "Users"):
            for user in _children(users_el, "User"):
                guid = _guid(user.get("guid"))
                if guid:
                    users[guid] = user.get("name") or guid
        case_guids = {_guid(case.get("guid")) for cases in _children(root, "Cases")
                      for case in _children(cases, "Case")}
        codes, parsed = self._codes(root, case_guids)
        sources, selections = [], []
        for sources_el in _children(root, "Sources"):
            self._sources(sources_el, users, {code.guid for code in codes}, case_guids,
                          sources, selections)
        codebook = Codebook(codes=parsed, name=name)
        return QdpxProject(path=self.display, name=name, origin=origin,
                           users=tuple(QdpxUser(g, n) for g, n in users.items()),
                           codes=tuple(codes), sources=tuple(sources),
                           selections=tuple(selections), codebook=codebook,
                           problems=tuple(self.problems))

    def _codes(self, root: etree._Element,
               case_guids: set[str | None]) -> tuple[list[QdpxCode], tuple[Code, ...]]:
        codes_el = next((codes for book in _children(root, "CodeBook")
                         for codes in _children(book, "Codes")), None)
        if codes_el is None:
            return [], ()
        # Same traversal (pre-order over nested Code elements) as codes_from_element, which
        # gives each code its qualcode id; the two lists therefore pair up one to one.
        parsed, _ = codes_from_element(codes_el, self.display)
        codes, kept, cases = [], [], set()
        for code, (element, parent) in zip(parsed, _walk_codes(codes_el, None)):
            if _guid(element.get("guid")) in case_guids:
                # NVivo also writes each case as a code with the case's GUID; it is no theme.
                cases.add(code.id)
                continue
            if code.parent in cases:
                code, parent = replace(code, parent=None), None
            kept.append(code)
            description = next(_children(element, "Description"), None)
            codes.append(QdpxCode(guid=_guid(element.get("guid")) or f"no-guid:{code.id}",
                                  code_id=code.id, name=code.name, parent_guid=parent,
                                  colour=code.colour,
                                  description="" if description is None else description.text or "",
                                  codable=element.get("isCodable", "true").strip() != "false"))
        return codes, tuple(kept)

    def _sources(self, sources_el: etree._Element, users: Mapping[str, str], code_guids: set[str],
                 case_guids: set[str | None], sources: list[QdpxSource],
                 selections: list[QdpxSelection]) -> None:
        skipped = 0
        for element in sources_el:
            kind = etree.QName(element).localname if isinstance(element.tag, str) else ""
            if kind == "TextSource":
                text_el, name = element, element.get("name")
            elif kind == "PDFSource":
                # A PDF's codable text is its plain-text Representation.
                text_el = next(_children(element, "Representation"), None)
                name = element.get("name")
                if text_el is None:
                    skipped += 1
                    continue
            else:
                skipped += 1 if kind else 0
                continue
            guid = _guid(text_el.get("guid"))
            name = name or text_el.get("name") or guid or "unnamed"
            if not guid:
                self._problem(f"source {name!r} has no guid; skipped")
                continue
            text, move = self._text(text_el, name)
            sources.append(QdpxSource(guid=guid, name=name, text=text))
            for selection_el in _children(text_el, "PlainTextSelection"):
                selections.extend(self._selections(selection_el, guid, name, text, move, users,
                                                   code_guids, case_guids))
        if skipped:
            self._problem(f"{skipped} picture, audio or video source(s) skipped; qualcode reads "
                          "text sources only")

    def _text(self, element: etree._Element, name: str) -> tuple[str | None, Callable[[int], int]]:
        content = next(_children(element, "PlainTextContent"), None)
        if content is not None:
            raw = content.text or ""
        else:
            raw = self._text_file(element.get("plainTextPath") or "", name)
        if raw is None:
            return None, lambda offset: offset
        text, move = to_lf(raw, crlf_as_two=self.crlf_as_two, bom_counted=False)
        if not self.utf16:
            return text, move
        # Code units to code points first, on the text as the tool counted it (CRs in, no
        # byte-order mark); then to the LF text.
        points = code_points(raw[1:] if raw.startswith(BOM) else raw)
        return text, lambda offset: move(points(offset))

    def _text_file(self, where: str, name: str) -> str | None:
        if not where:
            self._problem(f"source {name!r} has no plain text (plainTextPath or "
                          "PlainTextContent); its codings cannot be checked or placed")
            return None
        if not where.startswith(_INTERNAL):
            self._problem(f"source {name!r} keeps its text outside the project ({where}); "
                          "export the project with its sources included")
            return None
        file_name = where[len(_INTERNAL):].lstrip("/")
        member = self._source_member(file_name)
        if member is None:
            self._problem(f"source {name!r}: its text file {file_name} is missing from the "
                          "project; " + _FIX_EXPORT)
            return None
        return self._decode(_read_member(self.archive, member, self.display), name)

    def _source_member(self, file_name: str) -> str | None:
        # The standard says "sources/", NVivo writes "Sources/"; some tools add subfolders.
        for candidate in (f"sources/{file_name}", file_name):
            if candidate.casefold() in self.members:
                return self.members[candidate.casefold()]
        wanted = PurePosixPath(file_name).name.casefold()
        matches = sorted(name for folded, name in self.members.items()
                         if PurePosixPath(folded).name == wanted)
        return matches[0] if matches else None

    def _decode(self, data: bytes, name: str) -> str:
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8):]
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16", errors="replace")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            # Older Windows tools write the ANSI code page; one byte is one character there,
            # so offsets still line up.
            self._problem(f"source {name!r}: text is not UTF-8; read as Windows-1252")
            return data.decode("cp1252", errors="replace")

    def _selections(self, element: etree._Element, source_guid: str, name: str,
                    text: str | None, move: Callable[[int], int], users: Mapping[str, str],
                    code_guids: set[str], case_guids: set[str | None]) -> list[QdpxSelection]:
        guid = _guid(element.get("guid")) or "?"
        by_coder: dict[str, list[str]] = {}
        selection_user = _guid(element.get("creatingUser")) or _guid(element.get("modifyingUser"))
        for coding in _children(element, "Coding"):
            ref = next(_children(coding, "CodeRef"), None)
            target = _guid(ref.get("targetGUID")) if ref is not None else None
            if target in case_guids:
                continue  # NVivo codes case membership like a code; it is no thematic code
            if target not in code_guids:
                self._problem(f"selection {guid} in source {name!r} refers to code {target}, "
                              "which is not in the codebook; that coding is ignored")
                continue
            user = _guid(coding.get("creatingUser")) or selection_user
            coder = users.get(user, user) if user else "unknown"
            if target not in by_coder.setdefault(coder, []):
                by_coder[coder].append(target)
        if not by_coder:
            return []  # an annotation (a memo on text) codes nothing
        try:
            start = int(element.get("startPosition"))
            end = int(element.get("endPosition"))
        except (TypeError, ValueError):
            self._problem(f"selection {guid} in source {name!r} has no valid startPosition and "
                          "endPosition; ignored")
            return []
        moved_start, moved_end = move(start), move(end)
        limit = len(text) if text is not None else None
        if not (0 <= moved_start < moved_end and (limit is None or moved_end <= limit)):
            size = f"its text has {limit} characters" if limit is not None else "no text"
            self._problem(f"selection {guid} in source {name!r} runs from {start} to {end}, but "
                          f"{size}; ignored (was the text edited after coding?)")
            return []
        return [QdpxSelection(guid=guid, source_guid=source_guid, start=moved_start,
                              end=moved_end, code_guids=tuple(targets), coder=coder)
                for coder, targets in by_coder.items()]

    def _problem(self, message: str) -> None:
        self.problems.append(f"{self.display}: {message}")


# Archive and XML --------------------------------------------------------------------------

def _open(path: Path, display: str) -> zipfile.ZipFile:
    if not path.is_file():
        raise InputError(display, "no such file", "check the path")
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise InputError(display, "is not a REFI-QDA project: a .qdpx file is a zip archive and "
                         "this is not one, or it is damaged", _FIX_EXPORT) from None


def _project_member(archive: zipfile.ZipFile, display: str) -> str:
    names = archive.namelist()
    for name in names:
        if name.casefold() == "project.qde":
            return name
    # Some tools name the XML after the project; accept exactly one .qde anywhere.
    others = [name for name in names if name.casefold().endswith(".qde")]
    if len(others) == 1:
        return others[0]
    problem = ("holds several .qde files and none is project.qde" if others
               else "holds no project.qde, so it is not a REFI-QDA project")
    raise InputError(display, problem, _FIX_EXPORT + " (a codebook alone is a .qdc file: "
                     "read it with read_qdc)")


def _read_member(archive: zipfile.ZipFile, member: str, display: str) -> bytes:
    info = archive.getinfo(member)
    if info.file_size > MAX_MEMBER_BYTES:
        raise InputError(display, f"{member} unpacks to {info.file_size} bytes, far beyond any "
                         "real project (possible zip bomb)", "check where the file came from")
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError,
            RuntimeError) as error:
        # RuntimeError: encrypted member; NotImplementedError: unknown compression.
        raise InputError(display, f"cannot unpack {member} ({type(error).__name__}: the file "
                         "is damaged or encrypted)", _FIX_EXPORT) from None


def _parse(data: bytes, display: str) -> etree._Element:
    # No entities, no DTDs, no network: a project from elsewhere must not make us read
    # local files or URLs.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise InputError(display, f"line {error.lineno}: not well-formed XML ({error.msg})",
                         _FIX_EXPORT) from None
    if etree.QName(root).localname != "Project":
        raise InputError(display, f"the root element is <{etree.QName(root).localname}>, not "
                         "<Project>", _FIX_EXPORT)
    return root


def _children(element: etree._Element, localname: str) -> Iterator[etree._Element]:
    # Local names only: tools write namespace versions other than 1.0, or none.
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).localname == localname:
            yield child


def _walk_codes(element: etree._Element,
                parent: str | None) -> Iterator[tuple[etree._Element, str | None]]:
    for child in _children(element, "Code"):
        yield child, parent
        yield from _walk_codes(child, _guid(child.get("guid")))


def _guid(value: str | None) -> str | None:
    # The schema allows {braces} and either case; references may differ from definitions.
    if not value:
        return None
    return value.strip().strip("{}").lower() or None
