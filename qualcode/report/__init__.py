"""Report writers: HTML, DOCX, an XLSX quote bank, and CSV/Parquet tables from a RunResult.

>>> from qualcode.report import write_reports
>>> paths = write_reports(result, "out/")  # doctest: +SKIP

Everything is rendered in memory first and only then written, each file through a temporary
file and an atomic rename: a run that fails leaves the output folder as it was, and a file is
never half-written.
"""

from __future__ import annotations

from pathlib import Path

from qualcode.report._io import atomic_write
from qualcode.report.content import ReportContent, build_content
from qualcode.report.docx import render_docx
from qualcode.report.figures import Figures, compute_figures
from qualcode.report.html import render_html
from qualcode.report.tables import render_tables
from qualcode.report.xlsx import render_xlsx
from qualcode.results import RunResult

__all__ = ["Figures", "ReportContent", "build_content", "compute_figures", "render_docx",
           "render_html", "render_outputs", "render_tables", "render_xlsx", "write_reports"]

REPORT_FILES = ("report.html", "report.docx", "quotes.xlsx")


def render_outputs(result: RunResult) -> dict[str, bytes]:
    """File name -> bytes of every report file, computed once from shared figures."""
    figures = compute_figures(result)
    content = build_content(result, figures)
    files = {"report.html": render_html(content).encode("utf-8"),
             "report.docx": render_docx(content),
             "quotes.xlsx": render_xlsx(result, figures)}
    files.update(render_tables(result))
    return files


def write_reports(result: RunResult, out_dir: str | Path) -> list[Path]:
    """Write ``report.html``, ``report.docx``, ``quotes.xlsx`` and the ``segments``, ``codings``
    and ``topics`` tables (``.csv`` and ``.parquet``) into ``out_dir``; return their paths."""
    out = Path(out_dir)
    files = render_outputs(result)
    return [atomic_write(out / name, data) for name, data in files.items()]
