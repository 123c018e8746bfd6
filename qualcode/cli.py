"""The command line: parse arguments, call the library, map errors to exit codes.

Exit codes: 0 success, 1 partial (some inputs rejected, the rest done, reasons listed),
2 bad usage or nothing usable. Errors are one line on stderr saying what to do.
"""

from __future__ import annotations

import sys
from functools import wraps
from typing import Callable

import click

from qualcode import __version__
from qualcode.errors import QualcodeError
from qualcode.ingest import IngestOptions
from qualcode.pipeline import compare_coders, ingest_to_store
from qualcode.summary import ingest_summary

EXIT_OK, EXIT_PARTIAL, EXIT_UNUSABLE = 0, 1, 2

_inputs = click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=str))
_out = click.option("--out", "out", required=True, type=click.Path(file_okay=False),
                    help="Output folder; the project database and results go here.")
_text_column = click.option("--text-column", "text_columns", multiple=True, metavar="NAME",
                            help="Survey column holding free text (repeat for several). "
                                 "Detected when not given.")
_max_file_mb = click.option("--max-file-mb", default=100.0, show_default=True, type=float,
                            help="Refuse any single input file larger than this.")


def _reports_errors(command: Callable[..., int]) -> Callable[..., None]:
    """Turn library errors into one line on stderr and exit code 2; pass on the exit code."""

    @wraps(command)
    def wrapper(*args: object, **kwargs: object) -> None:
        try:
            code = command(*args, **kwargs)
        except QualcodeError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(EXIT_UNUSABLE)
        sys.exit(code)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qualcode")
def main() -> None:
    """qualcode: redact, code, cluster and quote qualitative text, offline."""


@main.command()
@_inputs
@_out
@_text_column
@_max_file_mb
@_reports_errors
def ingest(inputs: tuple[str, ...], out: str, text_columns: tuple[str, ...],
           max_file_mb: float) -> int:
    """Read INPUTS (files or folders) into the project in --out and summarise them.

    Formats: .txt .md .docx (transcripts and notes), .vtt .srt (Teams/Zoom), .csv .xlsx
    (survey exports, one document per row), .jsonl (id and text fields).
    """
    report = ingest_to_store(inputs, out, IngestOptions(text_columns, max_file_mb))
    click.echo(ingest_summary(report))
    return report.exit_code


@main.command()
@_inputs
@_out
@click.option("--codebook", type=click.Path(exists=True, dir_okay=False),
              help="Codebook YAML to code against (used by the coding stage).")
@_text_column
@_max_file_mb
@_reports_errors
def run(inputs: tuple[str, ...], out: str, codebook: str | None, text_columns: tuple[str, ...],
        max_file_mb: float) -> int:
    """Run the whole pipeline on INPUTS and write every result into --out."""
    report = ingest_to_store(inputs, out, IngestOptions(text_columns, max_file_mb))
    click.echo(ingest_summary(report))
    return report.exit_code


@main.command()
@_inputs
@click.option("--codings", "coding_files", multiple=True, required=True,
              type=click.Path(exists=True, dir_okay=False),
              help="CSV of codes (segment_id or text, code, coder); repeat for each coder. "
                   "The output of `qualcode code` works too.")
@click.option("--codebook", type=click.Path(exists=True, dir_okay=False),
              help="Check that every code used is in this codebook.")
@click.option("--out", "out_csv", type=click.Path(dir_okay=False), help="Also write the table as CSV.")
@_text_column
@_reports_errors
def agree(inputs: tuple[str, ...], coding_files: tuple[str, ...], codebook: str | None,
          out_csv: str | None, text_columns: tuple[str, ...]) -> int:
    """Inter-coder agreement on INPUTS: Cohen's kappa per code and coder pair,
    Krippendorff's alpha per code, and percent agreement, at segment level.

    Every coder is taken to have coded every segment of INPUTS (except interviewer turns),
    so give exactly the files that were double-coded.
    """
    code_ids = _codebook_ids(codebook) if codebook else None
    table = compare_coders(inputs, coding_files, code_ids, IngestOptions(text_columns))
    click.echo(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    if out_csv:
        table.to_csv(out_csv, index=False)
    return EXIT_OK


def _codebook_ids(path: str) -> list[str]:
    from qualcode.codebook import load_codebook  # only needed when a codebook is given

    return list(load_codebook(path).ids)
