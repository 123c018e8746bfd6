"""Where the per-segment work runs: in this process, on local worker processes, or on the
workers of a Dask cluster.

The costly stages that look at one text at a time (identifier detection, embedding, coding)
are cut into fixed-size chunks and mapped over an engine. The chunks are the same whatever
the engine, so local and distributed runs compute the same things in the same groups and
give identical results. Everything stateful (pseudonym numbering, known names) stays on the
driver, in input order.

Worker functions are plain module-level functions of picklable tasks; each worker process
loads its redactor's models and its embedder once and keeps them (``functools.lru_cache``,
:func:`~qualcode.embed.get_embedder`) and its fitted codebook coders (whose prototypes are
embedded once).

Running on a real cluster: start a scheduler and workers where qualcode and its pinned
dependencies are installed (``dask scheduler``; ``dask worker tcp://HOST:8786 --nthreads 1``
on each machine), then ``qualcode run INPUT --out DIR --engine dask --scheduler
tcp://HOST:8786``. Input files are read, and outputs written, by the driver only.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterator, Protocol, Sequence, TypeVar

import numpy as np

from qualcode.errors import UsageError
from qualcode.model import Codebook, Coding, Segment, Span

DETECT_CHUNK = 1000  # texts per detection task
CODE_CHUNK = 1000  # segments per embedding-and-coding task
_PARALLEL_MIN_BYTES = 2_000_000  # local runs on smaller inputs stay in one process
CONNECT_TIMEOUT = "30s"  # to reach an existing Dask scheduler

T = TypeVar("T")
R = TypeVar("R")


class Engine(Protocol):
    name: str

    def map(self, function: Callable[[T], R], tasks: Sequence[T]) -> list[R]: ...

    def close(self) -> None: ...


class LocalEngine:
    """Runs tasks on this machine: in this process, or on a pool of worker processes.

    Workers are started with ``spawn`` (forking a process that has loaded PyTorch can hang)
    and keep their models between tasks, like Dask workers.
    """

    name = "local"

    def __init__(self, processes: int = 1) -> None:
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None

    def map(self, function: Callable[[T], R], tasks: Sequence[T]) -> list[R]:
        # A single task goes to the pool too: run here, it would load the workers' models
        # (spaCy, the embedder) into this process as well, for one small call.
        if self.processes <= 1 or not tasks:
            return [function(task) for task in tasks]
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"))
        return list(self._pool.map(function, tasks))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


class DaskEngine:
    """Runs tasks on a dask.distributed cluster: an existing one, or a local one started here."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int = 2) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - dask is a pinned dependency
            raise UsageError("--engine dask needs dask[distributed]; install qualcode's pinned dependencies") from None
        self._cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout=CONNECT_TIMEOUT)
            except OSError:
                raise UsageError(f"cannot reach the Dask scheduler at {scheduler}; check the address "
                                 "and that the scheduler is running") from None
        else:
            self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                         dashboard_address=None, silence_logs=40)
            self.client = Client(self._cluster)

    def map(self, function: Callable[[T], R], tasks: Sequence[T]) -> list[R]:
        if not tasks:
            return []
        futures = self.client.map(function, list(tasks), pure=False)
        return self.client.gather(futures)

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_engine(name: str, scheduler: str | None = None, workers: int = 2, processes: int = 1) -> Engine:
    """``local`` with ``processes`` worker processes (1: this process only), or ``dask``."""
    if name == "local":
        if scheduler:
            raise UsageError("--scheduler is for --engine dask; add --engine dask or drop --scheduler")
        return LocalEngine(processes)
    if name == "dask":
        return DaskEngine(scheduler, workers)
    raise UsageError(f"unknown engine {name!r}; choose local or dask")


def auto_processes(input_bytes: int) -> int:
    """Worker processes for a local run: none for small inputs (starting workers and loading
    their models costs more than it saves), else one per core up to 4."""
    if input_bytes < _PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- detection -------------------------------------------------------------------------------

@dataclass(frozen=True)
class DetectTask:
    settings: tuple[tuple[str, object], ...]  # Redactor.detection_settings(), as sorted items
    # Original text: never in a repr, which Dask writes to its logs when a task fails.
    texts: tuple[str, ...] = field(repr=False)


def detect_task(task: DetectTask) -> list[list[Span]]:
    try:
        return _detector(task.settings).detect(task.texts)
    except Exception as error:  # the message of a library error can quote the text
        raise RuntimeError(f"identifier detection failed on a worker ({type(error).__name__}); "
                           "run again with --engine local to see where") from None


@lru_cache(maxsize=4)
def _detector(settings: tuple[tuple[str, object], ...]):
    from qualcode.redact import Redactor

    return Redactor(**dict(settings))


def detect_on(engine: Engine, settings: tuple[tuple[str, object], ...]) -> Callable[[Sequence[str]], list]:
    """A ``detect`` function for :func:`~qualcode.redact.corpus.redact_corpus` that uses ``engine``."""
    def detect(texts: Sequence[str]) -> list[list[Span]]:
        tasks = [DetectTask(settings, tuple(part)) for part in chunks(list(texts), DETECT_CHUNK)]
        return [spans for result in engine.map(detect_task, tasks) for spans in result]
    return detect


# --- embedding and coding --------------------------------------------------------------------

@dataclass(frozen=True)
class CodeTask:
    embedder: str
    codebook: Codebook | None = field(repr=False)
    segments: tuple[Segment, ...] = field(repr=False)  # redacted, but kept out of logs too


def code_task(task: CodeTask) -> tuple[np.ndarray, list[Coding]]:
    """Embeddings of the segments, and their codings by the codebook's rules and similarity."""
    from qualcode.coding import code_segments

    embedder = _uncached_embedder(task.embedder)
    vectors = embedder.encode([s.text for s in task.segments])
    codings = (code_segments(task.segments, task.codebook, embedder=embedder,
                             fitted=_fitted_coders(task.embedder, task.codebook), vectors=vectors)
               if task.codebook else [])
    return np.asarray(vectors, dtype=np.float32), codings


def _uncached_embedder(name: str):
    from qualcode.embed import get_embedder

    return get_embedder(name, cache=False)  # same vectors whatever ran before


@lru_cache(maxsize=4)
def _fitted_coders(embedder: str, codebook: Codebook) -> dict:
    """The codebook coders, fitted once per process: the prototypes are the same texts in the
    same order for every task, so embedding them once gives the vectors every task would."""
    from qualcode.coding.combine import fitted_coders

    return fitted_coders(codebook, _uncached_embedder(embedder))


def embed_and_code(engine: Engine, segments: Sequence[Segment], codebook: Codebook | None,
                   embedder: str) -> tuple[np.ndarray, list[Coding]]:
    tasks = [CodeTask(embedder, codebook, tuple(part)) for part in chunks(list(segments), CODE_CHUNK)]
    results = engine.map(code_task, tasks)
    if not results:
        return np.zeros((0, 1), dtype=np.float32), []
    return (np.vstack([vectors for vectors, _ in results]),
            [coding for _, codings in results for coding in codings])
