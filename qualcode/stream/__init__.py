"""Large and interrupted runs: batches, checkpoints, and local or distributed engines.

:func:`process` runs the per-segment stages (read, segment, redact, embed, code) batch by
batch with bounded memory; a :class:`WorkDir` makes a killed run resumable; an
:class:`Engine` says where the costly per-text work runs (this process, or Dask workers).
"""

from qualcode.model import SourceRecord
from qualcode.stream.batches import Batch, BatchReader
from qualcode.stream.engine import DaskEngine, Engine, LocalEngine, make_engine
from qualcode.stream.process import Processed, ProcessSettings, process
from qualcode.stream.workdir import WORK, WorkDir

__all__ = ["Batch", "BatchReader", "DaskEngine", "Engine", "LocalEngine", "ProcessSettings",
           "Processed", "SourceRecord", "WORK", "WorkDir", "make_engine", "process"]
