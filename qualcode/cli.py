"""The command line: parse arguments, call the library, map errors to exit codes.

Exit codes: 0 success, 1 partial (some inputs rejected, the rest done, reasons listed),
2 bad usage or nothing usable. Errors are one line on stderr saying what to do.
"""

from __future__ import annotations

import sys
from functools import wraps
from typing import Callable

import click

from qualcode._version import __version__
from qualcode.errors import QualcodeError
from qualcode.ingest import IngestOptions
from qualcode.outputs import check_key_location
from qualcode.pipeline.settings import (ACCURATE_EMBEDDER, DEFAULT_BATCH_SIZE, FAST_EMBEDDER, QDPX_OFFSETS,
                                       RunOptions)

EXIT_OK, EXIT_PARTIAL, EXIT_UNUSABLE = 0, 1, 2

_inputs = click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=str))
_out = click.option("--out", "out", required=True, type=click.Path(file_okay=False),
                    help="Output folder; the project database and results go here.")
_text_column = click.option("--text-column", "text_columns", multiple=True, metavar="NAME",
                            help="Survey column holding free text (repeat for several). "
                                 "Detected when not given.")
_max_file_mb = click.option("--max-file-mb", default=100.0, show_default=True, type=float,
                            help="Refuse any single input file larger than this.")

_n_topics = click.option("--n-topics", type=click.IntRange(min=2), default=None, metavar="N",
                         help="Fix the number of topics (k-means); default: chosen from the corpus.")

_fast = click.option("--fast", is_flag=True, help="Static embeddings (model2vec) for large batches.")
_quiet = click.option("--quiet", is_flag=True, help="No progress bars on stderr.")
_batch_size = click.option("--batch-size", type=click.IntRange(min=1), default=DEFAULT_BATCH_SIZE,
                           show_default=True,
                           help="Segments per batch: the unit of streaming and of checkpoints.")

_train = click.option("--train", type=click.Path(exists=True),
                      help="Human-coded examples for the supervised coder: a CSV (text or "
                           "segment_id, code), or a project folder with imported human codes.")


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


def _options(*, fast: bool = False, no_ner: bool = False, keep_month_year: bool = False,
             **settings: object) -> RunOptions:
    """The run's settings from command-line flags: the one place a flag becomes a setting."""
    return RunOptions(embedder=FAST_EMBEDDER if fast else ACCURATE_EMBEDDER, use_ner=not no_ner,
                      month_year_dates=not keep_month_year, **settings)


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
    from qualcode.pipeline.ingest import ingest_to_store
    from qualcode.summary import ingest_summary

    report = ingest_to_store(inputs, out, IngestOptions(text_columns, max_file_mb))
    click.echo(ingest_summary(report))
    return report.exit_code


_operator = click.option("--operator", type=click.Choice(["tag", "pseudonym", "mask", "remove"]),
                         default="tag", show_default=True,
                         help="How personal data is replaced: [PERSON_1] tags, realistic pseudonyms, "
                              "masks, or nothing.")
_key = click.option("--key", "key_file", type=click.Path(dir_okay=False),
                    help="Write the re-identification key (original -> replacement) here. Keep it "
                         "apart from the outputs; it is never written unless asked for.")
_keep_month_year = click.option(
    "--keep-month-year", is_flag=True,
    help="Keep a month of a year (\"June 2022\") in the text; by default it is redacted, as a "
         "date finer than a year (days are always redacted).")
_no_ner = click.option("--no-ner", is_flag=True,
                       help="Rules and name lists only, without spaCy NER (faster, finds fewer names).")


@main.command()
@_inputs
@_out
@click.option("--format", "fmt", type=click.Choice(["jsonl", "txt", "same"]), default="jsonl",
              show_default=True, help="jsonl: id, redacted text and entities per record; txt: plain "
                                      "text; same: the input's own format.")
@_key
@_operator
@_no_ner
@_keep_month_year
@_text_column
@_max_file_mb
@_reports_errors
def redact(inputs: tuple[str, ...], out: str, fmt: str, key_file: str | None, operator: str,
           no_ner: bool, keep_month_year: bool, text_columns: tuple[str, ...],
           max_file_mb: float) -> int:
    """Replace personal data in INPUTS with consistent pseudonyms, writing copies to --out.

    The same person gets the same replacement in every file. Entity offsets in the JSON Lines
    output refer to the original text; the original identifiers are written nowhere except
    the --key file, and only when asked.
    """
    from qualcode.redact import Redactor
    from qualcode.redact.files import redact_inputs

    check_key_location(key_file, out)
    redactor = Redactor(operator=operator, use_ner=not no_ner,
                        month_year_dates=not keep_month_year)
    report = redact_inputs(inputs, out, fmt, redactor, IngestOptions(text_columns, max_file_mb))
    if key_file:
        redactor.key.to_json(key_file)
    labels = ", ".join(f"{label} {n}" for label, n in report.counts.items()) or "none"
    click.echo(f"{report.records} records redacted into {len(report.written)} files in {out}")
    click.echo(f"replacements: {labels}")
    for rejection in report.rejected:
        click.echo(f"rejected: {rejection.reason}")
    return report.exit_code


@main.command()
@_inputs
@_out
@click.option("--codebook", metavar="NAME|FILE",
              help="Codebook to code against: a bundled one by name (qualcode codebooks lists them) or a "
                   "YAML or .qdc file; without it, no codes (topics and quotes still run).")
@_train
@click.option("--codings", "human_codes", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Human codes (CSV: segment_id or text, code, coder) to compare with qualcode's "
                   "codes; agreement goes into the report. Repeat for several coders.")
@_fast
@_n_topics
@_key
@_operator
@_no_ner
@_keep_month_year
@_text_column
@_max_file_mb
@_batch_size
@click.option("--qdpx-offsets", type=click.Choice(QDPX_OFFSETS), default=RunOptions.qdpx_offsets,
              show_default=True,
              help="How project.qdpx counts positions: codepoints (QualCoder, ATLAS.ti, MAXQDA) or "
                   "utf16 (NVivo, which counts an emoji as two); they differ only in texts with emoji.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where redaction, embedding and coding run: this process, or Dask workers.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Address of an existing Dask scheduler (tcp://host:8786); default: a local cluster.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Workers of the local Dask cluster (--engine dask without --scheduler).")
@click.option("--processes", type=click.IntRange(min=0), default=0,
              help="Worker processes of the local engine (default: one per core, up to 4, "
                   "for inputs over 2 MB; 1 keeps everything in this process).")
@_quiet
@_reports_errors
def run(inputs: tuple[str, ...], out: str, codebook: str | None, train: str | None,
        human_codes: tuple[str, ...], fast: bool, n_topics: int | None,
        key_file: str | None, operator: str, no_ner: bool, keep_month_year: bool,
        text_columns: tuple[str, ...],
        max_file_mb: float, batch_size: int, qdpx_offsets: str, engine: str,
        scheduler: str | None, workers: int, processes: int, quiet: bool) -> int:
    """Run the whole pipeline on INPUTS: ingest, segment, redact, code, topics, quotes, and
    write the reports (HTML, DOCX, XLSX), tables and REFI-QDA export into --out.

    Large inputs are processed in batches, checkpointed in --out: if the run is stopped,
    the same command continues where it stopped.
    """
    from qualcode.pipeline.run import run as run_pipeline
    from qualcode.summary import run_summary

    options = _options(codebook=codebook, text_columns=text_columns, max_file_mb=max_file_mb,
                       operator=operator, no_ner=no_ner, keep_month_year=keep_month_year,
                       key_file=key_file, fast=fast, train=train,
                       human_codes=human_codes, n_topics=n_topics, batch_size=batch_size,
                       qdpx_offsets=qdpx_offsets, engine=engine, scheduler=scheduler,
                       workers=workers, processes=processes, quiet=quiet)
    summary = run_pipeline(inputs, out, options)
    click.echo(run_summary(summary.result, summary.out))
    if summary.resumed:
        click.echo(f"resumed: {summary.resumed} of {summary.batches} batches taken from the interrupted run's checkpoints")
    return summary.exit_code


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=str))
@click.option("--codings", "coding_files", multiple=True,
              type=click.Path(exists=True, dir_okay=False),
              help="CSV of codes (segment_id or text, code, coder), or a REFI-QDA .qdpx project "
                   "coded in another tool; repeat for each file. The output of `qualcode code` works too.")
@click.option("--project", type=click.Path(file_okay=False),
              help="Instead of INPUTS and --codings: compare the coders whose codes are stored in "
                   "this project (qualcode import-codes, qualcode run --codings).")
@click.option("--codebook", metavar="NAME|FILE",
              help="Check that every code used (by id or name) is in this codebook, a bundled one's "
                   "name or a file.")
@click.option("--out", "out_csv", type=click.Path(dir_okay=False), help="Also write the table as CSV.")
@_text_column
@_reports_errors
def agree(inputs: tuple[str, ...], coding_files: tuple[str, ...], project: str | None,
          codebook: str | None, out_csv: str | None, text_columns: tuple[str, ...]) -> int:
    """Inter-coder agreement on INPUTS: Cohen's kappa per code and coder pair,
    Krippendorff's alpha per code, and percent agreement, at segment level.

    Every coder is taken to have coded every segment of INPUTS (except interviewer turns),
    so give exactly the files that were double-coded. With --project, the documents that
    anyone coded by hand are compared, for every coder stored there (machine included).
    """
    from qualcode.codebook import load_codebook
    from qualcode.human import compare_coders

    if project and (inputs or coding_files):
        raise click.UsageError("give either --project, or INPUTS with --codings, not both")
    if not project and not (inputs and coding_files):
        raise click.UsageError("give INPUTS and --codings files (two coders or more), or --project")
    book = load_codebook(codebook) if codebook else None
    unplaced: tuple[str, ...] = ()
    if project:
        from qualcode.human import project_agreement

        table = project_agreement(project, book)
    else:
        comparison = compare_coders(inputs, coding_files, book, IngestOptions(text_columns))
        table, unplaced = comparison.table, comparison.unplaced
    click.echo(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    if out_csv:
        table.to_csv(out_csv, index=False)
    return _warn_unplaced(unplaced)


def _warn_unplaced(unplaced: tuple[str, ...]) -> int:
    """Codings that could not be placed are named, never dropped quietly: exit 1 (partial)."""
    for line in unplaced:
        click.echo(f"warning: {line}", err=True)
    return EXIT_PARTIAL if unplaced else EXIT_OK


@main.command("import-codes")
@click.argument("coding_files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--project", required=True, type=click.Path(file_okay=False),
              help="Project folder holding qualcode.db (made by qualcode ingest or qualcode run).")
@click.option("--codebook", metavar="NAME|FILE",
              help="Check every code (by id or name) against this codebook, a bundled one's name or a "
                   "file (default: the codebook stored by run).")
@_reports_errors
def import_codes(coding_files: tuple[str, ...], project: str, codebook: str | None) -> int:
    """Store human codes in a project, under each coder's name: CODING_FILES are CSVs
    (segment_id or text, code, coder) or REFI-QDA .qdpx projects coded in another tool.

    Importing a coder again replaces that coder's earlier codes. The stored codes train the
    supervised coder with `qualcode code ... --train PROJECT`.
    """
    from qualcode.codebook import load_codebook
    from qualcode.human import import_human_codes

    imported = import_human_codes(coding_files, project, load_codebook(codebook) if codebook else None)
    by_coder = ", ".join(f"{n} by {coder}" for coder, n in imported.codings_by_coder.items())
    click.echo(f"stored {by_coder} ({imported.segments} segments coded) in {imported.store_path}")
    return _warn_unplaced(imported.unplaced)


@main.command()
def codebooks() -> None:
    """List the codebooks bundled with qualcode: give one by name (--codebook supervision),
    or copy its file to start your own."""
    from qualcode.codebook import bundled_codebooks, load_codebook

    for name, path in bundled_codebooks().items():
        book = load_codebook(path)
        click.echo(f"{name}: {book.name or name} ({len(book.codes)} codes: "
                   f"{', '.join(book.ids)})  {path}")


_codebook_required = click.option("--codebook", required=True, metavar="NAME|FILE",
                                  help="Codebook: a bundled one by name (qualcode codebooks) or a "
                                       "YAML or .qdc file (see codebooks/README.md).")


def _stage_options(command):
    """The options every single-stage command shares: embeddings, redaction, input, progress."""
    for option in reversed((_fast, _operator, _no_ner, _keep_month_year, _text_column,
                            _max_file_mb, _batch_size, _quiet)):
        command = option(command)
    return command


def _processed(inputs: tuple[str, ...], options: RunOptions):
    """Read, segment, redact, embed and code: every command starts from the same redacted
    text as ``qualcode run`` (the same batches, the same sweep of names learned late)."""
    from qualcode.pipeline.process import process
    from qualcode.progress import StageTimer

    timer = StageTimer(options.quiet)
    processed = process(inputs, options, timer=timer)
    for rejection in processed.rejected:
        click.echo(f"rejected: {rejection.reason}", err=True)
    return processed, timer


def _write_table(frame, path) -> None:
    from pathlib import Path

    from qualcode.report.tables import csv_bytes

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_bytes(csv_bytes(frame))


@main.command()
@_inputs
@_codebook_required
@click.option("--out", "out_csv", required=True, type=click.Path(dir_okay=False),
              help="codings.csv as qualcode run writes it: one row per (segment, code) with "
                   "segment_id, doc_id, code_id, code (its name), method, confidence, evidence, coder.")
@_train
@click.option("--suggest", type=int, default=0, metavar="N",
              help="Also list the N segments whose human coding would most help the supervised "
                   "coder (needs --train).")
@_stage_options
@_reports_errors
def code(inputs: tuple[str, ...], codebook: str, out_csv: str, train: str | None, suggest: int,
         fast: bool, operator: str, no_ner: bool, keep_month_year: bool,
         text_columns: tuple[str, ...], max_file_mb: float,
         batch_size: int, quiet: bool) -> int:
    """Code INPUTS against a codebook (after redaction), with the evidence for every code.

    Interviewer turns and filler answers ("n/a") are never coded; a segment may get several
    codes or none.
    """
    from collections import Counter

    from qualcode.pipeline.analyse import code_corpus
    from qualcode.report.tables import codings_frame

    if suggest and not train:
        raise click.UsageError("--suggest needs --train: suggestions come from the supervised "
                               "coder's uncertainty; code a few segments by hand first")
    options = _options(codebook=codebook, train=train, fast=fast, operator=operator, no_ner=no_ner,
                       keep_month_year=keep_month_year,
                       text_columns=text_columns, max_file_mb=max_file_mb, batch_size=batch_size,
                       quiet=quiet)
    processed, timer = _processed(inputs, options)
    coded = code_corpus(processed, options, timer)
    _write_table(codings_frame(coded.codings, processed.redacted.segments, processed.codebook), out_csv)
    counts = Counter(c.code_id for c in coded.codings)
    click.echo(f"{len(coded.codings)} codings of {len(processed.analysable)} codable segments "
               f"written to {out_csv}")
    click.echo("by code: " + ", ".join(f"{code_id} {counts[code_id]}" for code_id in processed.codebook.ids))
    if suggest:
        _print_suggestions(coded.model, processed.analysable, suggest)
    return EXIT_PARTIAL if processed.rejected else EXIT_OK


def _print_suggestions(model, segments, n) -> None:
    click.echo("segments to code next (most useful first):")
    for suggestion in model.suggest(segments, n):
        click.echo(f"  {suggestion.segment_id}  uncertainty {suggestion.uncertainty:.2f}  "
                   f"likely: {', '.join(suggestion.likely_codes)}")


@main.command()
@_inputs
@_out
@click.option("--codebook", metavar="NAME|FILE",
              help="With a codebook, topics are flagged as under a code or emergent.")
@_n_topics
@_stage_options
@_reports_errors
def topics(inputs: tuple[str, ...], out: str, codebook: str | None, n_topics: int | None, fast: bool,
           operator: str, no_ner: bool, keep_month_year: bool, text_columns: tuple[str, ...],
           max_file_mb: float,
           batch_size: int, quiet: bool) -> int:
    """Find topics in INPUTS beyond the codebook (BERTopic, offline, deterministic) and write
    topics.csv (as qualcode run writes it) and topic_assignments.csv into --out.
    """
    from pathlib import Path

    from qualcode.pipeline.analyse import code_corpus, find_topics
    from qualcode.report.tables import topics_frame
    from qualcode.topics import assignments_frame

    options = _options(codebook=codebook, n_topics=n_topics, fast=fast, operator=operator,
                       no_ner=no_ner, keep_month_year=keep_month_year, text_columns=text_columns,
                       max_file_mb=max_file_mb,
                       batch_size=batch_size, quiet=quiet)
    processed, timer = _processed(inputs, options)
    result = find_topics(processed, code_corpus(processed, options, timer).codings, options, timer)
    _write_table(topics_frame(result.topics), Path(out) / "topics.csv")
    _write_table(assignments_frame(result), Path(out) / "topic_assignments.csv")
    info = result.info
    click.echo(f"{info.n_topics} topics from {info.n_clustered} segments ({info.clusterer}); "
               f"outliers {info.outlier_share:.1%}; set aside {info.set_aside_note or 'none'}; "
               f"stability ARI {'n/a' if info.stability_ari is None else f'{info.stability_ari:.2f}'}")
    for warning in info.warnings:
        click.echo(f"warning: {warning}")
    return EXIT_PARTIAL if processed.rejected else EXIT_OK


@main.command()
@_inputs
@_codebook_required
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False),
              help="Quotes file: .csv or .xlsx.")
@click.option("--per-theme", default=RunOptions.quotes_per_theme, show_default=True,
              help="Quotes per code and per topic.")
@click.option("--min-group", default=RunOptions.min_group, show_default=True,
              help="Attribute combinations held by fewer respondents are generalised.")
@_stage_options
@_reports_errors
def quotes(inputs: tuple[str, ...], codebook: str, out_file: str, per_theme: int, min_group: int,
           fast: bool, operator: str, no_ner: bool, keep_month_year: bool,
         text_columns: tuple[str, ...], max_file_mb: float,
           batch_size: int, quiet: bool) -> int:
    """Pick representative, diverse, redacted quotes per code and per topic from INPUTS, with
    attributions that never single out a small group.
    """
    from qualcode.pipeline.analyse import choose_quotes, code_corpus, find_topics
    from qualcode.quotes import quotes_frame

    options = _options(codebook=codebook, quotes_per_theme=per_theme, min_group=min_group,
                       fast=fast, operator=operator, no_ner=no_ner, keep_month_year=keep_month_year,
                       text_columns=text_columns,
                       max_file_mb=max_file_mb, batch_size=batch_size, quiet=quiet)
    processed, timer = _processed(inputs, options)
    codings = code_corpus(processed, options, timer).codings
    result = choose_quotes(processed, codings, find_topics(processed, codings, options, timer),
                           options, timer)
    frame = quotes_frame(result)
    if out_file.lower().endswith(".xlsx"):
        frame.to_excel(out_file, index=False)
    else:
        _write_table(frame, out_file)
    click.echo(f"{len(frame)} quotes written to {out_file}")
    click.echo(result.suppression_note)
    return EXIT_PARTIAL if processed.rejected else EXIT_OK


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@_reports_errors
def validate(files: tuple[str, ...]) -> int:
    """Check REFI-QDA files, .qdpx projects and .qdc codebooks from qualcode or another QDA
    program, before importing them: the QDA-XML schema, and the rules it cannot express
    (every selection inside its text, every GUID referred to defined, every source's text
    file in the zip).

    Prints one line per problem, then one line per file; exits 1 if any file has a problem.
    """
    from qualcode.export.validate import validate_refi

    invalid = 0
    for file in files:
        result = validate_refi(file)
        for problem in result.problems:
            click.echo(problem)
        if result.valid:
            click.echo(f"{result.path}: valid REFI-QDA {result.kind}")
        else:
            click.echo(f"{result.path}: {result.found} problem{'' if result.found == 1 else 's'}")
            invalid += 1
    return 1 if invalid else 0
