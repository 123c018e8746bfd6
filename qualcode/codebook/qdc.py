"""REFI-QDA codebooks (``.qdc``): exchange codes with NVivo, ATLAS.ti, MAXQDA and QualCoder.

The format (QDA-XML 1.0, namespace ``urn:QDA-XML:codebook:1.0``, root ``CodeBook``) holds a
tree of ``Code`` elements with a ``guid``, a ``name``, ``isCodable``, an optional ``color`` and
an optional ``Description``. Sub-codes nest inside their parent's element. It has no fields for
inclusion rules or examples, so qualcode writes them into the Description as labelled
paragraphs that a researcher can read in any tool and that :func:`read_qdc` parses back::

    Feeling professionally alone in the role: no peers doing the same job nearby...

    Include: The worker's own sense of working alone...

    Exclude: Loneliness or isolation of clients or patients...

    Example: I'm the only one in the building who does what I do.
    Example: There's no one to bounce ideas off.

    Counterexample: A lot of my clients are lonely and isolated.

    Keywords: isolat*; on my own; <bounce> ideas off

    qualcode id: isolation

A line starting with one of the labels (any case) opens that section; the lines after it
belong to it until the next label. Text before the first label is the definition, so a plain
Description written in another tool becomes the definition. Codes from another tool get an id
made from their name (``"Work-life balance"`` -> ``work_life_balance``). GUIDs are derived from
the code id (uuid5 of a fixed namespace), so exporting the same codebook twice gives the same
GUIDs and re-imports update codes instead of duplicating them.

The helpers :func:`codes_element` and :func:`codes_from_element` take the namespace as an
argument so the ``.qdpx`` project export (whose ``CodeBook`` has the same ``Codes`` structure
in the ``urn:QDA-XML:project:1.0`` namespace) can reuse them.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from pathlib import Path
from typing import Iterable, Iterator

from lxml import etree

from qualcode.errors import CodebookError
from qualcode.model import Code, Codebook

NAMESPACE = "urn:QDA-XML:codebook:1.0"

# Never change this: every GUID qualcode has ever exported derives from it, and tools match
# codes across imports by GUID.
GUID_NAMESPACE = uuid.UUID("22a02979-7d63-5a5d-90cd-a3e634d70096")

# Description labels, in the order they are written. Keys are Code field names.
_LABELS = {"include": "Include", "exclude": "Exclude", "examples": "Example",
           "counterexamples": "Counterexample", "keywords": "Keywords", "id": "qualcode id"}
_LABEL_LINE = re.compile(
    r"^\s*(include|exclude|example|counterexample|keywords|qualcode id)\s*:[ \t]?(.*)$", re.I)
_FIELD_OF_LABEL = {label.lower(): field for field, label in _LABELS.items()}
_KEYWORD_SEPARATOR = "; "
_COLOUR = re.compile(r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
_XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def code_guid(code_id: str) -> str:
    """The stable REFI GUID of a code id.

    >>> code_guid("isolation") == code_guid("isolation")
    True
    """
    return str(uuid.uuid5(GUID_NAMESPACE, code_id))


def describe(code: Code) -> str:
    """The Description text of ``code``: its definition, then one labelled section per field."""
    paragraphs = [code.definition] if code.definition else []
    for text, label in ((code.include, "Include"), (code.exclude, "Exclude")):
        if text:
            paragraphs.append(f"{label}: {text}")
    for items, label in ((code.examples, "Example"), (code.counterexamples, "Counterexample")):
        if items:
            paragraphs.append("\n".join(f"{label}: {item}" for item in items))
    if code.keywords:
        paragraphs.append(f"Keywords: {_KEYWORD_SEPARATOR.join(code.keywords)}")
    paragraphs.append(f"qualcode id: {code.id}")
    return "\n\n".join(paragraphs)


def parse_description(text: str) -> dict[str, object]:
    """Split a Description back into Code fields (only those present).

    >>> parse_description("Feeling alone at work.\\n\\nExample: No one to ask.")
    {'definition': 'Feeling alone at work.', 'examples': ('No one to ask.',)}
    """
    sections: list[tuple[str, list[str]]] = [("definition", [])]
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        match = _LABEL_LINE.match(line)
        if match:
            sections.append((_FIELD_OF_LABEL[match.group(1).lower()], [match.group(2)]))
        else:
            sections[-1][1].append(line)
    fields: dict[str, object] = {}
    for field, lines in sections:
        value = "\n".join(lines).strip()
        if field in ("examples", "counterexamples"):
            fields[field] = fields.get(field, ()) + ((value,) if value else ())
        elif field == "keywords":
            fields[field] = tuple(k.strip() for k in value.split(";") if k.strip())
        elif value:
            fields[field] = value
    return {field: value for field, value in fields.items() if value}


def codes_element(codebook: Codebook, namespace: str = NAMESPACE) -> etree._Element:
    """The ``<Codes>`` element of ``codebook``, sub-codes nested in their parents.

    Raises :class:`CodebookError` for an empty codebook (the schema needs one code) or for
    parents that do not lead back to a top-level code.
    """
    if not codebook.codes:
        raise CodebookError("the codebook has no codes; REFI-QDA needs at least one code")
    children: dict[str | None, list[Code]] = {}
    for code in codebook.codes:
        children.setdefault(code.parent, []).append(code)
    codes = etree.Element(f"{{{namespace}}}Codes")
    written: set[str] = set()

    def add(parent_element: etree._Element, code: Code) -> None:
        element = etree.SubElement(parent_element, f"{{{namespace}}}Code", guid=code_guid(code.id),
                                   name=code.name or code.id, isCodable="true")
        if code.colour:
            element.set("color", code.colour)
        # Schema order: Description before any nested Code.
        etree.SubElement(element, f"{{{namespace}}}Description").text = describe(code)
        written.add(code.id)
        for child in children.get(code.id, ()):
            add(element, child)

    for code in children.get(None, ()):
        add(codes, code)
    lost = [code.id for code in codebook.codes if code.id not in written]
    if lost:
        raise CodebookError(f"codes {', '.join(lost)} have a parent that is missing or forms a "
                            "cycle, so they cannot be placed in the REFI code tree; fix their "
                            "'parent' fields (load_codebook reports where)")
    return codes


def write_qdc(codebook: Codebook, path: str | Path) -> None:
    """Write ``codebook`` as a REFI-QDA codebook file (UTF-8, no byte-order mark, LF).

    >>> write_qdc(load_codebook("codebooks/supervision.yaml"), "supervision.qdc")  # doctest: +SKIP
    """
    root = etree.Element(f"{{{NAMESPACE}}}CodeBook", nsmap={None: NAMESPACE}, origin="qualcode")
    root.append(codes_element(codebook))
    body = etree.tostring(root, encoding="UTF-8", pretty_print=True)
    Path(path).write_bytes(_XML_DECLARATION + body)


def read_qdc(path: str | Path) -> Codebook:
    """Read a REFI-QDA codebook written by qualcode or by another tool.

    Codes with no qualcode sections keep their Description as the definition and have no
    examples yet; add them (``save_codebook_yaml`` gives an editable file) before coding.
    Sets are ignored: they group codes for display and carry no coding guidance.
    """
    codebook, _ = read_qdc_with_lines(path)
    return codebook


def read_qdc_with_lines(path: str | Path) -> tuple[Codebook, dict[str, int]]:
    """:func:`read_qdc`, plus the line where each code id's element starts (for messages)."""
    path = Path(path)
    root = _parse(path)
    if etree.QName(root).localname != "CodeBook":
        raise CodebookError(f"{path}, line {root.sourceline}: the root element is "
                            f"<{etree.QName(root).localname}>, not <CodeBook>; give a REFI-QDA "
                            "codebook (.qdc), not a project or another XML file")
    codes_el = next(_children(root, "Codes"), None)
    if codes_el is None:
        raise CodebookError(f"{path}, line {root.sourceline}: <CodeBook> has no <Codes> element; "
                            "export the codebook again from your QDA tool")
    codes, lines = codes_from_element(codes_el, path)
    return Codebook(codes=codes, version="1", name=path.stem), lines


def codes_from_element(codes_el: etree._Element,
                       path: str | Path) -> tuple[tuple[Code, ...], dict[str, int]]:
    """Codes from a ``<Codes>`` element (any namespace), parents taken from the nesting."""
    codes: list[Code] = []
    lines: dict[str, int] = {}

    def visit(element: etree._Element, parent: str | None) -> None:
        name = (element.get("name") or "").strip()
        if not name:
            raise CodebookError(f"{path}, line {element.sourceline}: a <Code> has no name "
                                "attribute; name the code in your QDA tool and export again")
        description = next(_children(element, "Description"), None)
        fields = parse_description((description.text or "") if description is not None else "")
        code_id = _unique_id(str(fields.pop("id", "")) or _slug(name), lines)
        lines[code_id] = element.sourceline or 0
        codes.append(Code(id=code_id, name=name, definition=str(fields.pop("definition", "")),
                          parent=parent, colour=_colour(element.get("color")), **fields))
        for child in _children(element, "Code"):
            visit(child, code_id)

    for element in _children(codes_el, "Code"):
        visit(element, None)
    if not codes:
        raise CodebookError(f"{path}, line {codes_el.sourceline}: <Codes> holds no <Code>; "
                            "export a codebook that has codes")
    return tuple(codes), lines


def _parse(path: Path) -> etree._Element:
    # No entities, no network: a codebook from elsewhere must not make us read files or URLs.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True,
                             remove_pis=True)
    try:
        return etree.fromstring(path.read_bytes(), parser)
    except OSError as error:
        raise CodebookError(f"{path}: cannot read the codebook ({error.strerror}); check the "
                            "path") from None
    except etree.XMLSyntaxError as error:
        raise CodebookError(f"{path}, line {error.lineno}: not well-formed XML ({error.msg}); "
                            "export the codebook again or fix the XML") from None


def _children(element: etree._Element, localname: str) -> Iterator[etree._Element]:
    # Match on local names: some tools write the codebook without its namespace.
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).localname == localname:
            yield child


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_") or "code"


def _unique_id(candidate: str, taken: Iterable[str]) -> str:
    # Two codes named "Other" under different parents are common in real codebooks.
    taken = set(taken)
    code_id, n = candidate, 2
    while code_id in taken:
        code_id, n = f"{candidate}_{n}", n + 1
    return code_id


def _colour(value: str | None) -> str | None:
    # Other tools may write #RGB; qualcode codebooks use #RRGGBB. Invalid colours are dropped:
    # they are cosmetic and the schema forbids them anyway.
    if not value or not _COLOUR.match(value.strip()):
        return None
    digits = value.strip()[1:]
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)
