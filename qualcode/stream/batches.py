"""Read inputs as a stream of batches: whole documents, cut into groups of about N segments.

A batch is the unit of work of a large run: it is redacted, embedded and coded on its own,
checkpointed, and skipped when a killed run starts again. Batches are cut in the same
places whatever the engine, so a run gives the same results locally and on a cluster.

Memory stays at about one batch (plus one chunk of a large table) whatever the corpus size:
files are read one at a time, and survey exports over ``STREAM_TABLE_MB`` are read in
chunks of rows. A document is never split across batches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

from qualcode.errors import InputError
from qualcode.ingest import IngestOptions, Rejection, Screen, discover, read_source
from qualcode.ingest.source import Source
from qualcode.ingest.tables import iter_table_documents
from qualcode.model import Document, Segment, SourceRecord
from qualcode.outputs import file_sha256
from qualcode.segment import segment_document

# Tables at least this large are read in chunks rather than whole.
DEFAULT_BATCH_SIZE = 5000  # segments per batch (whole documents): the unit of checkpoints
STREAM_TABLE_MB = 16.0
_STREAMED_SUFFIXES = (".csv", ".jsonl")
_TABLE_CHUNK_ROWS = 10_000


@dataclass(frozen=True)
class Batch:
    number: int  # 1, 2, ... in input order
    documents: tuple[Document, ...]
    segments: tuple[Segment, ...]


@dataclass
class BatchReader:
    """Iterate over the batches of ``inputs``; afterwards ``sources`` and ``rejected`` are complete.

    ``on_file(total)`` is called once with the number of files, then ``on_file(0)`` after each.
    """

    inputs: Sequence[str | Path]
    options: IngestOptions = field(default_factory=IngestOptions)
    batch_size: int = DEFAULT_BATCH_SIZE  # segments
    on_file: Callable[[int], None] | None = None
    screen: Screen | None = None  # see qualcode.ingest.discover
    sources: list[SourceRecord] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)

    def __iter__(self) -> Iterator[Batch]:
        found, rejected = discover(self.inputs, self.screen)
        self.sources, self.rejected = [], list(rejected)
        if self.on_file:
            self.on_file(len(found))
        documents: list[Document] = []
        segments: list[Segment] = []
        number = 0
        for source in found:
            for chunk in self._documents(source):
                for document in chunk:
                    documents.append(document)
                    segments.extend(segment_document(document))
                    if len(segments) >= self.batch_size:
                        number += 1
                        yield Batch(number, tuple(documents), tuple(segments))
                        documents, segments = [], []
            if self.on_file:
                self.on_file(0)
        if documents:
            yield Batch(number + 1, tuple(documents), tuple(segments))
        self.rejected.sort(key=lambda r: r.path)

    def _documents(self, source: Source) -> Iterator[list[Document]]:
        """The file's documents, in chunks; nothing at all if the file is rejected."""
        size = source.path.stat().st_size
        try:
            if source.suffix in _STREAMED_SUFFIXES and size >= STREAM_TABLE_MB * 1024 * 1024:
                if size > self.options.max_file_mb * 1024 * 1024:
                    read_source(source, self.options)  # raises the usual over-the-limit error
                chunks = iter_table_documents(source, self.options.text_columns, _TABLE_CHUNK_ROWS)
                first = next(chunks)  # the whole file is checked before the first chunk comes
                doc_ids = [d.id for d in first]
                yield first
                for chunk in chunks:
                    doc_ids.extend(d.id for d in chunk)
                    yield chunk
                self.sources.append(SourceRecord(source.id, source.display, file_sha256(source.path),
                                                 size, tuple(doc_ids)))
                return
            ingested = read_source(source, self.options)
        except InputError as error:
            self.rejected.append(Rejection(source.display, str(error)))
            return
        self.sources.append(SourceRecord(source.id, source.display, ingested.sha256, size,
                                         tuple(d.id for d in ingested.documents)))
        yield list(ingested.documents)

