"""The one settings object of a run: every option of every stage, with its default here.

The command line builds a :class:`RunOptions` from its flags; a Python caller builds one
directly. It is written to the manifest as given.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from qualcode.errors import UsageError
from qualcode.ingest import IngestOptions
from qualcode.model import MIN_GROUP
from qualcode.stream.batches import DEFAULT_BATCH_SIZE

ACCURATE_EMBEDDER = "minilm"  # a sentence model: the default
FAST_EMBEDDER = "static"  # static embeddings (model2vec), for large batches
QDPX_OFFSETS = ("codepoints", "utf16")

# Settings that decide how the run is carried out but not what it produces: a run may be
# resumed with other values (started locally, finished on a cluster).
EXECUTION_ONLY = ("engine", "scheduler", "workers", "processes", "quiet", "key_file")
# Settings used only after the per-segment stages: changing them keeps the checkpoints.
CORPUS_STAGE_ONLY = ("train", "human_codes", "n_topics", "quotes_per_theme", "min_group",
                     "qdpx_offsets")


@dataclass(frozen=True)
class RunOptions:
    """Every setting of a run, with its default.

    >>> RunOptions(codebook="supervision", embedder=FAST_EMBEDDER).batch_size
    5000
    """

    codebook: str | None = None  # a bundled codebook's name, or a YAML or .qdc file
    text_columns: tuple[str, ...] = ()
    max_file_mb: float = 100.0
    operator: str = "tag"  # tag | pseudonym | mask | remove
    use_ner: bool = True
    month_year_dates: bool = True  # redact a month of a year ("June 2022"), not only a day
    key_file: str | None = None  # where the re-identification key goes; never inside out
    embedder: str = ACCURATE_EMBEDDER  # minilm (accurate) | static (fast, for large batches)
    train: str | None = None  # human-coded examples for the supervised coder: a CSV or a project
    human_codes: tuple[str, ...] = ()  # human codings (CSV) to compare with qualcode's in the report
    n_topics: int | None = None  # fix the number of topics; None: chosen from the corpus
    quotes_per_theme: int = 3
    min_group: int = MIN_GROUP  # attribute combinations held by fewer respondents are generalised
    # How project.qdpx counts positions: codepoints (QualCoder, ATLAS.ti) | utf16 (NVivo,
    # which counts an emoji as two); they differ only in texts with emoji.
    qdpx_offsets: str = "codepoints"
    batch_size: int = DEFAULT_BATCH_SIZE
    engine: str = "local"  # local | dask
    scheduler: str | None = None  # a Dask scheduler address; default: a local cluster
    workers: int = 2  # workers of the local Dask cluster
    processes: int = 0  # worker processes of the local engine; 0: by input size (see auto_processes)
    quiet: bool = False

    def __post_init__(self) -> None:
        if self.qdpx_offsets not in QDPX_OFFSETS:
            raise UsageError(f"qdpx_offsets={self.qdpx_offsets!r}: use 'codepoints' (QualCoder, "
                             "ATLAS.ti) or 'utf16' (NVivo)")

    @property
    def ingest(self) -> IngestOptions:
        return IngestOptions(self.text_columns, self.max_file_mb)

    def results_settings(self) -> dict[str, object]:
        """The settings the per-segment results (and so the checkpoints) depend on."""
        return {k: v for k, v in asdict(self).items()
                if k not in EXECUTION_ONLY + CORPUS_STAGE_ONLY}
