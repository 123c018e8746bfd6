"""Reader for Word documents: paragraphs (and table cells) in document order."""

from __future__ import annotations

import zipfile

from qualcode.errors import InputError
from qualcode.ingest.source import Source
from qualcode.ingest.text import document_from_text
from qualcode.ingest.zipcheck import check_office_zip
from qualcode.model import Document

# Paragraphs are separated by a blank line so notes split into one segment per paragraph,
# while an unlabelled paragraph after a speaker's turn still continues that turn.
_PARAGRAPH_BREAK = "\n\n"


def read_docx(source: Source) -> list[Document]:
    check_office_zip(source.path, source.display, "word/document.xml")
    try:
        import docx  # python-docx; imported here so plain-text ingest does not pay for it
        from docx.opc.exceptions import PackageNotFoundError

        document = docx.Document(str(source.path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise InputError(source.display, f"is a corrupt .docx file ({type(error).__name__})",
                         "re-save it from Word as .docx") from None
    paragraphs = [text for text in _paragraphs(document) if text.strip()]
    text = _PARAGRAPH_BREAK.join(paragraphs)
    return [document_from_text(source, text, {})]


def _paragraphs(document) -> list[str]:
    """Body paragraphs and table cells, in the order they appear in the document."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(_clean(Paragraph(child, document).text))
        elif tag == "tbl":
            for row in Table(child, document).rows:
                for cell in row.cells:
                    out.extend(_clean(p.text) for p in cell.paragraphs)
    return out


def _clean(text: str) -> str:
    # Soft line breaks inside a paragraph come through as "\n"; vertical tabs likewise.
    return text.replace("\r", "\n").replace("\v", "\n").strip()
