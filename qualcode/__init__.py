"""qualcode: offline qualitative text analysis for health and care research.

>>> import qualcode as qc
>>> options = qc.RunOptions(codebook="supervision")
>>> processed = qc.process(["corpora/sample"], options)  # doctest: +SKIP
>>> result = qc.analyse(processed, options)  # doctest: +SKIP
>>> qc.write_outputs(result, "out/sample", options)  # doctest: +SKIP

The pipeline: read -> segment -> redact (the privacy boundary) -> embed and code -> topics ->
quotes -> reports and exports. The names below are the public API; each is imported when
first used, so ``import qualcode`` stays quick for the command line.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from qualcode._version import __version__

# Public name -> the module that defines it.
_API = {
    # the pipeline
    "RunOptions": "qualcode.pipeline.settings", "process": "qualcode.pipeline.process",
    "analyse": "qualcode.pipeline.analyse", "write_outputs": "qualcode.pipeline.write",
    "run": "qualcode.pipeline.run", "RunSummary": "qualcode.pipeline.run",
    "ingest_to_store": "qualcode.pipeline.ingest", "RunResult": "qualcode.results",
    # the stages a caller may use alone
    "Redactor": "qualcode.redact", "load_codebook": "qualcode.codebook",
    "bundled_codebooks": "qualcode.codebook", "read_qdpx": "qualcode.export",
    "write_qdpx": "qualcode.export", "validate_refi": "qualcode.export.validate",
    "compare_coders": "qualcode.human", "import_human_codes": "qualcode.human",
    # the data model and the errors
    "Code": "qualcode.model", "Codebook": "qualcode.model", "Coding": "qualcode.model",
    "Document": "qualcode.model", "Quote": "qualcode.model", "Segment": "qualcode.model",
    "Span": "qualcode.model", "Topic": "qualcode.model", "QualcodeError": "qualcode.errors",
}

__all__ = sorted([*_API, "__version__"])


def __getattr__(name: str) -> Any:
    if name in _API:
        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value  # the next use is a plain attribute
        return value
    raise AttributeError(f"module 'qualcode' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # for type checkers and editors; at run time __getattr__ imports on use
    from qualcode.codebook import bundled_codebooks, load_codebook
    from qualcode.errors import QualcodeError
    from qualcode.export import read_qdpx, write_qdpx
    from qualcode.export.validate import validate_refi
    from qualcode.human import compare_coders, import_human_codes
    from qualcode.model import Code, Codebook, Coding, Document, Quote, Segment, Span, Topic
    from qualcode.pipeline.analyse import analyse
    from qualcode.pipeline.ingest import ingest_to_store
    from qualcode.pipeline.process import process
    from qualcode.pipeline.run import RunSummary, run
    from qualcode.pipeline.settings import RunOptions
    from qualcode.pipeline.write import write_outputs
    from qualcode.redact import Redactor
    from qualcode.results import RunResult
