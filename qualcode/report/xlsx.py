"""The XLSX quote bank: quotes, a segments-by-codes 0/1 matrix, and the codebook.

``Quotes`` is what gets pasted into reports, so its attribute columns follow the small-group
rule: a value shared by fewer than ``min_group`` people is withheld. ``Segments x codes`` is
the analysis matrix other tools ask for (one row per segment, one 0/1 column per code, named by
the code's name). Workbook properties and ZIP entry times are fixed, so the bytes reproduce.

Sheets are written in openpyxl's write-only mode, row by row: held as ordinary cells, 200,000
rows of nine values took 650 MB (write-only: 50 MB), growing with the rows. An Excel sheet
holds at most 1,048,576 rows; a larger matrix is left out with a note, and the ``segments``
and ``codings`` tables hold the same data.
"""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from qualcode.report._io import fixed_timestamp, reproducible_zip
from qualcode.report.figures import Figures, compute_figures
from qualcode.report.tables import segment_rows
from qualcode.results import RunResult

QUOTE_COLUMNS = ("theme_type", "theme", "theme_id", "text", "pseudonymous_id", "attribution",
                 "attributes", "segment_id", "score", "confidence")
CODEBOOK_COLUMNS = ("code_id", "name", "definition", "include", "exclude", "examples",
                    "counterexamples", "keywords", "parent")
_WRAP = Alignment(wrap_text=True, vertical="top")
EXCEL_MAX_ROWS = 1_048_576  # rows in one sheet, the header included
_NOT_IN_MATRIX = ("text", "start", "end")  # the matrix is for counting, not for reading


def render_xlsx(result: RunResult, figures: Figures | None = None) -> bytes:
    """The quote bank as XLSX bytes."""
    figures = figures or compute_figures(result)
    workbook = Workbook(write_only=True)
    _quotes_sheet(workbook.create_sheet("Quotes"), result, figures)
    _matrix_sheet(workbook.create_sheet("Segments x codes"), result, figures)
    _codebook_sheet(workbook.create_sheet("Codebook"), result)
    props = workbook.properties
    props.creator = props.lastModifiedBy = "qualcode"
    props.title = f"{result.title}: quote bank"
    props.created = props.modified = fixed_timestamp()
    buffer = io.BytesIO()
    # ExcelWriter directly: openpyxl's save() would stamp the current time as "modified".
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    return reproducible_zip(buffer.getvalue())


def code_column_names(figures: Figures, taken: set[str]) -> dict[str, str]:
    """Code id -> column header in ``Segments x codes``: the code's name, made unique."""
    headers = {}
    for code_id, name in figures.code_names.items():
        header = name if name not in taken else f"{name} (code)"
        taken.add(header)
        headers[code_id] = header
    return headers


def _quotes_sheet(sheet, result: RunResult, figures: Figures) -> None:
    topics = {f"topic:{t.id}": t.label for t in result.topics}
    confidence = {}
    for coding in result.codings:
        key = (coding.segment_id, coding.code_id)
        confidence[key] = max(confidence.get(key, 0.0), float(coding.confidence))
    rows = []
    for quote in sorted(result.quotes, key=lambda q: (q.theme, -q.score, q.segment_id)):
        is_topic = quote.theme.startswith("topic:")
        theme = topics.get(quote.theme, quote.theme) if is_topic \
            else figures.code_names.get(quote.theme, quote.theme)
        # The pseudonym and the attributes of the attribution, no more: a fuller set of a
        # respondent's attributes beside it would undo the small-group suppression.
        pseudonym = quote.pseudonym or quote.attribution.split(",")[0].strip()
        rows.append(("topic" if is_topic else "code", theme, quote.theme, quote.text, pseudonym,
                     quote.attribution, "; ".join(f"{k}: {v}" for k, v in quote.shown.items()),
                     quote.segment_id, round(float(quote.score), 4),
                     confidence.get((quote.segment_id, quote.theme), "")))
    _fill(sheet, QUOTE_COLUMNS, rows, widths={"text": 80, "attribution": 30, "attributes": 40})


def _matrix_sheet(sheet, result: RunResult, figures: Figures) -> None:
    if len(result.segments) >= EXCEL_MAX_ROWS:
        sheet.append([f"{len(result.segments):,} segments are more rows than an Excel sheet holds "
                      f"({EXCEL_MAX_ROWS - 1:,} under a header): the segments x codes matrix is left "
                      f"out here; segments.csv and codings.csv (or .parquet) hold the same data."])
        return
    columns, rows = segment_rows(result)
    columns = [c for c in columns if c not in _NOT_IN_MATRIX]
    headers = code_column_names(figures, set(columns))
    applied = {(c.segment_id, c.code_id) for c in result.codings}

    def matrix_rows():  # one at a time: the matrix of a large run is never held whole
        for row in rows:
            if row["topic_id"] is None:
                row["topic_id"] = ""  # no topic: an empty cell
            codes = [int((row["segment_id"], code_id) in applied) for code_id in headers]
            yield [row[c] for c in columns] + codes

    _fill(sheet, (*columns, *headers.values()), matrix_rows())


def _codebook_sheet(sheet, result: RunResult) -> None:
    codes = result.codebook.codes if result.codebook else ()
    rows = [(c.id, c.name, c.definition, c.include, c.exclude, "\n".join(c.examples),
             "\n".join(c.counterexamples), ", ".join(c.keywords), c.parent or "")
            for c in codes]
    _fill(sheet, CODEBOOK_COLUMNS, rows, widths={"definition": 60, "include": 40,
                                                 "exclude": 40, "examples": 60})


def _fill(sheet, header, rows, widths: dict[str, int] | None = None) -> None:
    """Header and rows into a write-only ``sheet``: widths and panes first, as it streams."""
    wrapped = set()
    for index, name in enumerate(header, start=1):
        width = (widths or {}).get(name)
        fitted = min(max(len(str(name)) + 2, 10), 30)
        sheet.column_dimensions[get_column_letter(index)].width = width or fitted
        if width:
            wrapped.add(index)
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, name, font=Font(bold=True)) for name in header])
    count = 1
    for row in rows:
        values = [v.item() if hasattr(v, "item") else v for v in row]
        sheet.append([_cell(sheet, value, wrap=column in wrapped)
                      for column, value in enumerate(values, start=1)])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count}"


def _cell(sheet, value, font: Font | None = None, wrap: bool = False):
    """A plain value, or a styled write-only cell; text that starts with '=' stays text."""
    formula_like = isinstance(value, str) and value.startswith("=")
    if not (font or wrap or formula_like):
        return value
    cell = WriteOnlyCell(sheet, value)
    if font:
        cell.font = font
    if wrap:
        cell.alignment = _WRAP
    if formula_like:
        cell.data_type = "s"  # data, never a formula
    return cell
