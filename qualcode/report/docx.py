"""The DOCX report: the HTML report's content as a Word document.

Headings, prose, tables and charts (with alt text) in the same order as the HTML report;
quotes are indented italic paragraphs followed by their attribution. Core properties carry a
fixed date and author ``qualcode`` and ZIP entries a fixed time, so the bytes are reproducible.
"""

from __future__ import annotations

import io

import docx
from docx.shared import Cm, Pt, RGBColor

from qualcode.report._io import fixed_timestamp, reproducible_zip
from qualcode.report.charts import Chart
from qualcode.report.content import QuoteView, ReportContent, Table

_MUTED = RGBColor(0x55, 0x55, 0x55)
_CHART_WIDTH = Cm(16)


def render_docx(content: ReportContent) -> bytes:
    """The report as DOCX bytes."""
    document = docx.Document()
    _properties(document, content.title)
    document.add_heading(content.title, level=0)
    _muted(document, "Qualitative analysis report produced by qualcode. All text has been "
                     "redacted; people are identified only by pseudonymous ids.")
    titles = dict(content.sections)
    for section, write in (("overview", _overview), ("methods", _methods), ("codes", _codes),
                           ("cooccurrence", _cooccurrence), ("topics", _topics),
                           ("appendix-codebook", _codebook)):
        document.add_heading(titles[section], level=1)
        write(document, content)
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible_zip(buffer.getvalue())


def _overview(document, content: ReportContent) -> None:
    _table(document, content.overview)
    if content.rejected:
        document.add_heading("Rejected inputs", level=2)
        for source, reason in content.rejected:
            document.add_paragraph(f"{source}: {reason}", style="List Bullet")
    if content.warnings:
        document.add_heading("Warnings", level=2)
        for warning in content.warnings:
            document.add_paragraph(warning, style="List Bullet")


def _methods(document, content: ReportContent) -> None:
    for paragraph in content.methods:
        document.add_paragraph(paragraph)
    for table in (content.stages, content.redactions, content.agreement, content.versions):
        if table is not None and table.rows:
            _table(document, table)


def _codes(document, content: ReportContent) -> None:
    document.add_paragraph(" ".join(filter(None, [content.suppression_note, content.quote_note])))
    _chart(document, content.charts.get("prevalence"))
    _table(document, content.prevalence)
    for key, table in content.breakdowns:
        _chart(document, content.charts.get(key))
        _table(document, table)
    if content.change is not None:
        _table(document, content.change)
    for code in content.codes:
        document.add_heading(code.name, level=2)
        if code.definition:
            _labelled(document, "Definition: ", code.definition)
        document.add_paragraph(code.summary)
        if code.change:
            _labelled(document, "Change: ", code.change)
        if code.breakdown is not None:
            _table(document, code.breakdown)
        _quotes(document, code.quotes)


def _cooccurrence(document, content: ReportContent) -> None:
    document.add_paragraph("How often two codes were applied to the same segment. Frequent "
                           "pairs suggest themes that are discussed together.")
    _chart(document, content.charts.get("cooccurrence"))
    _table(document, content.cooccurrence)


def _topics(document, content: ReportContent) -> None:
    if not content.topics:
        document.add_paragraph("No topics were modelled in this run.")
        return
    document.add_paragraph("Topics were found in the segments without the codebook. Those "
                           "marked emergent match no code: themes the codebook does not cover.")
    _chart(document, content.charts.get("topics"))
    _table(document, content.topic_table)
    for topic in content.topics:
        document.add_heading(topic.label + (" (emergent)" if topic.emergent else ""), level=2)
        _labelled(document, "Keywords: ", topic.keywords)
        document.add_paragraph(topic.summary)
        _quotes(document, topic.quotes)


def _codebook(document, content: ReportContent) -> None:
    for code in content.codes:
        document.add_heading(f"{code.name} ({code.id})", level=2)
        document.add_paragraph(code.definition or "No definition given.")
        for label, value in (("Include: ", code.include), ("Exclude: ", code.exclude),
                             ("Keywords: ", ", ".join(code.keywords))):
            if value:
                _labelled(document, label, value)
        for label, examples in (("Examples", code.examples),
                                ("Counter-examples", code.counterexamples)):
            if examples:
                _labelled(document, label, "")
                for example in examples:
                    document.add_paragraph(example, style="List Bullet")


def _properties(document, title: str) -> None:
    props = document.core_properties
    when = fixed_timestamp()
    props.author = props.last_modified_by = "qualcode"
    props.title = title
    props.created = props.modified = props.last_printed = when
    props.revision = 1
    props.comments = "Generated by qualcode"


def _table(document, table: Table) -> None:
    caption = document.add_paragraph()
    caption.add_run(table.caption).bold = True
    grid = document.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.header):
        cell.text = ""
        cell.paragraphs[0].add_run(str(text)).bold = True
    for row in table.rows:
        for cell, text in zip(grid.add_row().cells, row):
            cell.text = str(text)
    if table.note:
        _muted(document, table.note)


def _chart(document, chart: Chart | None) -> None:
    if chart is None:
        return
    shape = document.add_picture(io.BytesIO(chart.png), width=_CHART_WIDTH)
    shape._inline.docPr.set("descr", chart.alt)  # alt text for screen readers
    shape._inline.docPr.set("title", chart.title)
    _muted(document, chart.title)


def _quotes(document, quotes: tuple[QuoteView, ...]) -> None:
    if not quotes:
        return
    document.add_heading("Quotes", level=3)
    for quote in quotes:
        text = document.add_paragraph()
        text.paragraph_format.left_indent = Cm(1)
        text.paragraph_format.space_after = Pt(0)
        text.add_run(f"\u201c{quote.text}\u201d").italic = True
        source = document.add_paragraph()
        source.paragraph_format.left_indent = Cm(1)
        # The attribution alone: a segment id holds the file name, which may name a place.
        run = source.add_run(f"\u2014 {quote.attribution}")
        run.font.size = Pt(9)
        run.font.color.rgb = _MUTED


def _labelled(document, label: str, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(label).bold = True
    if text:
        paragraph.add_run(text)


def _muted(document, text: str) -> None:
    run = document.add_paragraph().add_run(text)
    run.font.size = Pt(9)
    run.font.color.rgb = _MUTED
